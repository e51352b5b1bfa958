// Tests for aio::context_manager (lesson 15, ex5): an async context manager made of an async
// generator that yields once, as contextlib's @asynccontextmanager makes one.
//
// On the virtual clock, with a log of what happens and when, as in test_async_with.cpp.
// CPython: cpython/generator_manager.py prints the same logs for the same programs.
#include <aio/async_generator.hpp>
#include <aio/async_with.hpp>
#include <aio/cancellation.hpp>
#include <aio/context_manager.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/not_implemented.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>

#include <chrono>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

using namespace std::chrono_literals;
using aio_test::Log;
using aio_test::at;

namespace {

std::string describe(const std::exception_ptr& error) {
  if (!error) return "none";
  try {
    std::rethrow_exception(error);
  } catch (const aio::NotImplemented&) {
    throw;
  } catch (const aio::RuntimeError& e) {
    return std::string("RuntimeError: ") + e.what();
  } catch (const std::logic_error& e) {
    return std::string("logic_error: ") + e.what();
  } catch (const std::runtime_error& e) {
    return std::string("runtime_error: ") + e.what();
  } catch (const aio::CancelledError& e) {
    return "CancelledError(" + e.message() + ")";
  }
}

aio::Coro<void> run_scope(Log* log, aio::Coro<void> scope) {
  std::exception_ptr error;
  try {
    co_await std::move(scope);
  } catch (const aio::NotImplemented&) {
    throw;
  } catch (...) {
    error = std::current_exception();
  }
  log->push_back(at(error ? "scope ended: " + describe(error) : "scope ended normally"));
}

void run_logged(aio::Coro<void> program) { aio::run(std::move(program), {.virtual_clock = true}); }

/// What the generator does with an error thrown in at its co_yield.
enum class OnError { rethrow, swallow, replace };

// book:test-transaction
/// BEGIN, yield the transaction's number, then COMMIT; or, when the body threw, ROLLBACK, and
/// then rethrow the error, swallow it, or throw another one.
aio::AsyncGenerator<int> transaction(Log* log, OnError on_error) {
  log->push_back(at("BEGIN"));
  co_await aio::sleep(1s);
  std::exception_ptr error;
  try {
    co_yield 42;
  } catch (...) {
    error = std::current_exception();  // no co_await in a handler: remember, then roll back
  }
  if (!error) {
    log->push_back(at("COMMIT"));
    co_await aio::sleep(1s);
    log->push_back(at("committed"));
    co_return;
  }
  log->push_back(at("ROLLBACK, after " + describe(error)));
  co_await aio::sleep(1s);
  log->push_back(at("rolled back"));
  if (on_error == OnError::rethrow) std::rethrow_exception(error);
  if (on_error == OnError::replace) throw std::logic_error("rollback failed");
}
// end book:test-transaction

aio::Coro<void> body_works(int number, Log* log) {
  log->push_back(at("body got " + std::to_string(number)));
  co_await aio::sleep(1s);
}

aio::Coro<void> body_fails(int number, Log* log) {
  log->push_back(at("body got " + std::to_string(number)));
  co_await aio::sleep(1s);
  throw std::runtime_error("bad row");
}

aio::Coro<void> in_transaction(Log* log, OnError on_error, bool fail) {
  auto manager = aio::context_manager(transaction(log, on_error));
  if (fail) {
    co_await aio::async_with(std::move(manager), body_fails, log);
  } else {
    co_await aio::async_with(std::move(manager), body_works, log);
  }
}

}  // namespace

TEST_CASE("the generator's setup, the body with its value, then the rest", "[l15][ex5]") {
  Log log;
  run_logged(run_scope(&log, in_transaction(&log, OnError::rethrow, false)));
  REQUIRE(log == Log{"0.0 BEGIN", "1.0 body got 42", "2.0 COMMIT", "3.0 committed", "3.0 scope ended normally"});
}

TEST_CASE("the body's error is thrown in at the co_yield, and goes on when rethrown", "[l15][ex5]") {
  Log log;
  run_logged(run_scope(&log, in_transaction(&log, OnError::rethrow, true)));
  REQUIRE(log == Log{"0.0 BEGIN", "1.0 body got 42", "2.0 ROLLBACK, after runtime_error: bad row", "3.0 rolled back",
                     "3.0 scope ended: runtime_error: bad row"});
}

TEST_CASE("a generator that catches the error and ends swallows it", "[l15][ex5]") {
  Log log;
  run_logged(run_scope(&log, in_transaction(&log, OnError::swallow, true)));
  REQUIRE(log == Log{"0.0 BEGIN", "1.0 body got 42", "2.0 ROLLBACK, after runtime_error: bad row", "3.0 rolled back",
                     "3.0 scope ended normally"});
}

TEST_CASE("a generator that throws another error replaces the body's", "[l15][ex5]") {
  Log log;
  run_logged(run_scope(&log, in_transaction(&log, OnError::replace, true)));
  REQUIRE(log == Log{"0.0 BEGIN", "1.0 body got 42", "2.0 ROLLBACK, after runtime_error: bad row", "3.0 rolled back",
                     "3.0 scope ended: logic_error: rollback failed"});
}

namespace {
aio::AsyncGenerator<int> yields(Log* log, int times) {
  for (int i = 0; i < times; ++i) {
    log->push_back(at("yield " + std::to_string(i)));
    co_yield i;
  }
  log->push_back(at("generator ends"));
}

aio::Coro<void> body_returns(int number, Log* log) {
  log->push_back(at("body got " + std::to_string(number)));
  co_return;
}

aio::Coro<void> body_throws(int number, Log* log) {
  log->push_back(at("body got " + std::to_string(number) + ", throws"));
  throw std::runtime_error("body failed");
  co_return;
}

aio::Coro<void> with_yields(Log* log, int times, bool fail) {
  auto manager = aio::context_manager(yields(log, times));
  if (fail) {
    co_await aio::async_with(std::move(manager), body_throws, log);
  } else {
    co_await aio::async_with(std::move(manager), body_returns, log);
  }
}
}  // namespace

TEST_CASE("a generator that never yields: RuntimeError, and no body", "[l15][ex5]") {
  Log log;
  run_logged(run_scope(&log, with_yields(&log, 0, false)));
  REQUIRE(log == Log{"0.0 generator ends", "0.0 scope ended: RuntimeError: generator didn't yield"});
}

TEST_CASE("a generator that yields twice: RuntimeError, generator didn't stop", "[l15][ex5]") {
  Log log;
  run_logged(run_scope(&log, with_yields(&log, 2, false)));
  REQUIRE(log == Log{"0.0 yield 0", "0.0 body got 0", "0.0 yield 1", "0.0 scope ended: RuntimeError: generator didn't stop"});
}

TEST_CASE("a generator that yields again after athrow: RuntimeError", "[l15][ex5]") {
  Log log;
  run_logged(run_scope(&log, with_yields(&log, 2, true)));
  // The generator does not catch the error at its first co_yield, so it ends with it: the
  // body's error goes on, and the second co_yield is never reached.
  REQUIRE(log == Log{"0.0 yield 0", "0.0 body got 0, throws", "0.0 scope ended: runtime_error: body failed"});
}

namespace {
/// Catches the body's error at the co_yield and yields again: a generator that did not stop.
aio::AsyncGenerator<int> yields_after_error(Log* log) {
  try {
    co_yield 1;
  } catch (const std::exception&) {
    log->push_back(at("caught, yields again"));
  }
  co_yield 2;
}

aio::Coro<void> with_yields_after_error(Log* log) {
  auto manager = aio::context_manager(yields_after_error(log));
  co_await aio::async_with(std::move(manager), body_throws, log);
}
}  // namespace

TEST_CASE("a generator that catches the error and yields again: RuntimeError", "[l15][ex5]") {
  Log log;
  run_logged(run_scope(&log, with_yields_after_error(&log)));
  REQUIRE(log == Log{"0.0 body got 1, throws", "0.0 caught, yields again",
                     "0.0 scope ended: RuntimeError: generator didn't stop after athrow()"});
}

namespace {
aio::Coro<void> body_waits(int number, Log* log) {
  log->push_back(at("body got " + std::to_string(number)));
  co_await aio::sleep(10s);
}

aio::Coro<void> scoped(Log* log) {
  auto manager = aio::context_manager(transaction(log, OnError::rethrow));
  co_await aio::async_with(std::move(manager), body_waits, log);
}

aio::Coro<void> await_task(aio::Task<void> task) { co_await task; }

aio::Coro<void> cancel_twice(Log* log) {
  aio::Task<void> task = aio::create_task(scoped(log));
  co_await aio::sleep(2s);
  log->push_back(at("cancel"));
  task.cancel("hung up");
  co_await aio::sleep(500ms);
  log->push_back(at("cancel again, during the rollback"));
  task.cancel("hung up again");
  co_await run_scope(log, await_task(task));
}
}  // namespace

TEST_CASE("a cancelled body: the generator rolls back to its end, shielded", "[l15][ex5]") {
  Log log;
  run_logged(cancel_twice(&log));
  REQUIRE(log == Log{"0.0 BEGIN", "1.0 body got 42", "2.0 cancel", "2.0 ROLLBACK, after CancelledError(hung up)",
                     "2.5 cancel again, during the rollback", "3.0 rolled back",
                     "3.0 scope ended: CancelledError(hung up again)"});
}
