// Tests for async context managers (lesson 15): aio::finish_shielded, aio::async_with and
// aio::AsyncExitStack.
//
// Everything runs on the virtual clock and records what happens, with the loop's time, into a
// log; a test compares the whole log, so it checks both the order of events and their times.
// Where asyncio behaves the same, the program in lessons/15-async-context-managers/cpython/ that
// prints the same log is named; where aio chooses differently (the shielded teardown), the
// chapter says why.
//
// Each test is tagged with the last exercise it needs: ex1's tests pass once ex1 is written,
// and so on (async_with calls ex1's finish_shielded; the stack's tests go through async_with).
#include <aio/async_exit_stack.hpp>
#include <aio/async_with.hpp>
#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/finish_shielded.hpp>
#include <aio/not_implemented.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>
#include <aio_test/run_logged.hpp>

#include <chrono>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;
using aio_test::Log;
using aio_test::at;
using aio_test::run_logged;
using aio_test::ticker;

namespace {

/// "runtime_error: boom", "CancelledError(why)", "none".
std::string describe(const std::exception_ptr& error) {
  if (!error) return "none";
  try {
    std::rethrow_exception(error);
  } catch (const aio::NotImplemented&) {
    throw;  // an exercise not written yet: the test shows its message
  } catch (const std::logic_error& e) {
    return std::string("logic_error: ") + e.what();
  } catch (const std::runtime_error& e) {
    return std::string("runtime_error: ") + e.what();
  } catch (const aio::CancelledError& e) {
    return "CancelledError(" + e.message() + ")";
  } catch (const std::exception& e) {
    return std::string("exception: ") + e.what();
  }
}

/// Awaits `scope` and logs how it ended.
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

/// Sleeps for `delay`, logging "<name> done", or "<name> interrupted" if cancelled.
aio::Coro<void> step(Log* log, std::string name, aio::Duration delay) {
  try {
    co_await aio::sleep(delay);
  } catch (const aio::CancelledError&) {
    log->push_back(at(name + " interrupted"));
    throw;
  }
  log->push_back(at(name + " done"));
}

// book:test-manager
/// A manager that logs its setup and its teardown, each taking some virtual time. Its teardown
/// can swallow the error, or fail with a std::logic_error of its own.
struct Resource {
  Resource(Log* to, std::string called) : log(to), name(std::move(called)) {}

  Log* log;
  std::string name;
  aio::Duration setup = 1s;
  aio::Duration teardown = 1s;
  bool swallow = false;
  std::string exit_failure{};
  std::string enter_failure{};
  bool entered = false;

  aio::Coro<Resource*> enter() {
    log->push_back(at(name + " enters"));
    co_await step(log, name + " setup", setup);
    if (!enter_failure.empty()) throw std::runtime_error(enter_failure);
    entered = true;
    co_return this;
  }
  aio::Coro<bool> exit(std::exception_ptr error) {
    log->push_back(at(name + " exits, told " + describe(error) + (entered ? "" : " (never entered!)")));
    co_await step(log, name + " teardown", teardown);
    if (!exit_failure.empty()) throw std::logic_error(exit_failure);
    co_return swallow;
  }
};
// end book:test-manager

/// A manager whose exit cannot swallow (it returns Coro<void>), and whose enter gives nothing.
struct Quiet {
  explicit Quiet(Log* to) : log(to) {}
  Log* log;
  aio::Coro<void> enter() {
    log->push_back(at("quiet enters"));
    co_return;
  }
  aio::Coro<void> exit(std::exception_ptr error) {
    log->push_back(at("quiet exits, told " + describe(error)));
    co_await aio::sleep(500ms);
    log->push_back(at("quiet exited"));
  }
};

static_assert(aio::AsyncContextManager<Resource>);
static_assert(aio::AsyncContextManager<Quiet>);
static_assert(aio::AsyncContextManager<aio::AsyncExitStack>);
static_assert(!aio::AsyncContextManager<int>);
static_assert(aio::may_swallow_v<Resource> && !aio::may_swallow_v<Quiet>);

aio::Coro<void> body_sleeps(Resource* resource, aio::Duration delay) {
  co_await step(resource->log, "body", delay);
}

aio::Coro<int> body_returns(Resource* resource, int value) {
  co_await step(resource->log, "body", 1s);
  co_return value;
}

aio::Coro<int> body_fails(Resource* resource, std::string message) {
  co_await step(resource->log, "body", 1s);
  throw std::runtime_error(message);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// l15.ex1: finish_shielded. The teardown runs to its end, whatever cancellations come; one that
// came leaves afterwards. CPython: cpython/finish_shielded.py runs the same helper in asyncio.

namespace {
aio::Coro<int> teardown_value(Log* log, aio::Duration delay, int value) {
  co_await step(log, "teardown", delay);
  co_return value;
}

aio::Coro<void> teardown_fails(Log* log, aio::Duration delay) {
  co_await step(log, "teardown", delay);
  throw std::runtime_error("teardown failed");
}

aio::Coro<void> shielded_value(Log* log) {
  int value = co_await aio::finish_shielded(teardown_value(log, 0s, 42));
  log->push_back(at("returned " + std::to_string(value)));
}
}  // namespace

TEST_CASE("finish_shielded returns the value of the coroutine it ran", "[l15][ex1]") {
  Log log;
  run_logged(log, shielded_value(&log));
  REQUIRE(log == Log{"0.0 teardown done", "0.0 returned 42"});
}

// book:test-hops
namespace {
aio::Coro<int> instant_teardown(Log* log) {
  log->push_back("teardown runs");  // nothing to wait for
  co_return 1;
}

aio::Coro<void> hops(Log* log) {
  aio::Task<void> ticks = aio::create_task(ticker(log, 5));  // logs "tick N", one per loop turn
  co_await aio::finish_shielded(instant_teardown(log));
  log->push_back("finish_shielded returned");
  co_await ticks;
}
}  // namespace

TEST_CASE("finish_shielded runs the coroutine as a task: three loop iterations", "[l15][ex1]") {
  Log log;
  run_logged(log, hops(&log));
  // CPython: cpython/finish_shielded.py prints the same ticks.
  REQUIRE(log == Log{"tick 0", "teardown runs", "tick 1", "tick 2", "finish_shielded returned", "tick 3", "tick 4"});
}
// end book:test-hops

namespace {
aio::Coro<void> await_task(aio::Task<void> task) { co_await task; }

aio::Coro<void> slow_teardown(Log* log) { co_await step(log, "teardown", 2s); }

aio::Coro<void> shielded_sleeper(Log* log, aio::Coro<void> teardown) {
  try {
    co_await aio::finish_shielded(std::move(teardown));
  } catch (const aio::CancelledError& error) {
    log->push_back(at("CancelledError(" + error.message() + ") after the teardown, cancelling() = " +
                      std::to_string(aio::current_task()->cancelling())));
    throw;
  }
  log->push_back(at("no cancellation came out"));
}

aio::Coro<void> cancel_during(Log* log, std::vector<aio::Duration> cancels, aio::Coro<void> teardown) {
  aio::Task<void> task = aio::create_task(shielded_sleeper(log, std::move(teardown)));
  aio::Duration slept{};
  for (aio::Duration when : cancels) {
    co_await aio::sleep(when - slept);
    slept = when;
    log->push_back(at("cancel"));
    task.cancel("stop");
  }
  co_await run_scope(log, await_task(task));
  log->push_back(at(std::string("task cancelled() = ") + aio_test::py(task.cancelled())));
}
}  // namespace

TEST_CASE("a cancellation waits for the teardown's end, then leaves", "[l15][ex1]") {
  Log log;
  run_logged(log, cancel_during(&log, {500ms}, slow_teardown(&log)));
  // CPython: cpython/finish_shielded.py (a plain await of the teardown is cut at 0.5 instead:
  // cpython/cancel_during_aexit.py).
  REQUIRE(log == Log{"0.5 cancel", "2.0 teardown done", "2.0 CancelledError(stop) after the teardown, cancelling() = 1",
                     "2.0 scope ended: CancelledError(stop)", "2.0 task cancelled() = True"});
}

TEST_CASE("two cancellations during the teardown: it still runs to its end", "[l15][ex1]") {
  Log log;
  run_logged(log, cancel_during(&log, {500ms, 1500ms}, slow_teardown(&log)));
  REQUIRE(log == Log{"0.5 cancel", "1.5 cancel", "2.0 teardown done",
                     "2.0 CancelledError(stop) after the teardown, cancelling() = 2",
                     "2.0 scope ended: CancelledError(stop)", "2.0 task cancelled() = True"});
}

TEST_CASE("without a cancellation, the teardown's error comes out", "[l15][ex1]") {
  Log log;
  run_logged(log, cancel_during(&log, {}, teardown_fails(&log, 1s)));
  REQUIRE(log == Log{"1.0 teardown done", "1.0 scope ended: runtime_error: teardown failed",
                     "1.0 task cancelled() = False"});
}

TEST_CASE("a cancellation wins over the teardown's own error", "[l15][ex1]") {
  Log log;
  run_logged(log, cancel_during(&log, {500ms}, teardown_fails(&log, 1s)));
  REQUIRE(log == Log{"0.5 cancel", "1.0 teardown done",
                     "1.0 CancelledError(stop) after the teardown, cancelling() = 1",
                     "1.0 scope ended: CancelledError(stop)", "1.0 task cancelled() = True"});
}

namespace {
aio::Coro<void> instant_failure() {
  throw std::runtime_error("teardown failed at once");
  co_return;
}

aio::Coro<void> shielded_failure(Log* log) {
  try {
    co_await aio::finish_shielded(instant_failure());
  } catch (const aio::CancelledError& error) {
    log->push_back("CancelledError(" + error.message() + ")");
    throw;
  }
}

/// Cancels `target` on its fourth step: just after the shield has woken it with the teardown's
/// error, before it runs (lesson 10's "too late" window). Its turns: 1, the target starts the
/// teardown's task; 2, the teardown fails; 3, the shield wakes the target; 4, this, then the target.
aio::Coro<void> cancel_on_fourth_step(aio::Task<void>* target) {
  for (int i = 0; i < 3; ++i) co_await aio::sleep(0ms);
  target->cancel("just after");
}

aio::Coro<void> cancel_after_failure(Log* log) {
  aio::Task<void> task;
  aio::Task<void> canceller = aio::create_task(cancel_on_fourth_step(&task));
  task = aio::create_task(shielded_failure(log));
  co_await run_scope(log, await_task(task));
  co_await canceller;
}
}  // namespace

TEST_CASE("a cancellation just after the teardown failed wins; the error is not reported", "[l15][ex1]") {
  Log log;
  run_logged(log, cancel_after_failure(&log));
  REQUIRE(log == Log{"CancelledError(just after)", "0.0 scope ended: CancelledError(just after)"});
}

// ---------------------------------------------------------------------------------------------
// l15.ex2: the scope. enter, the body, and exit on every path; what leaves.
// CPython: cpython/async_with_paths.py (success, error, cancellation, swallow, exit fails,
// enter fails).

namespace {
aio::Coro<void> scope_success(Log* log) {
  std::optional<int> value = co_await aio::async_with(Resource(log, "db"), body_returns, 7);
  log->push_back(at("the body returned " + std::to_string(value.value())));
}
}  // namespace

TEST_CASE("on success: enter, body, exit told nothing, then the body's value", "[l15][ex2]") {
  Log log;
  run_logged(log, scope_success(&log));
  REQUIRE(log == Log{"0.0 db enters", "1.0 db setup done", "2.0 body done", "2.0 db exits, told none",
                     "3.0 db teardown done", "3.0 the body returned 7"});
}

namespace {
aio::Coro<void> scope_error(Log* log) {
  std::optional<int> value = co_await aio::async_with(Resource(log, "db"), body_fails, std::string("boom"));
  log->push_back(at("value: " + std::to_string(value.value_or(-1))));
}
}  // namespace

TEST_CASE("on error: exit is told the error, and the error leaves", "[l15][ex2]") {
  Log log;
  run_logged(log, run_scope(&log, scope_error(&log)));
  REQUIRE(log == Log{"0.0 db enters", "1.0 db setup done", "2.0 body done", "2.0 db exits, told runtime_error: boom",
                     "3.0 db teardown done", "3.0 scope ended: runtime_error: boom"});
}

namespace {
aio::Coro<void> scoped_sleep(Log* log) {
  co_await aio::async_with(Resource(log, "db"), body_sleeps, aio::Duration(10s));
}

aio::Coro<void> cancel_mid_body(Log* log) {
  aio::Task<void> task = aio::create_task(scoped_sleep(log));
  co_await aio::sleep(2s);
  log->push_back(at("cancel"));
  task.cancel("client left");
  co_await run_scope(log, await_task(task));
  log->push_back(at(std::string("task cancelled() = ") + aio_test::py(task.cancelled())));
}
}  // namespace

TEST_CASE("on cancellation: exit is told CancelledError, and it leaves after exit", "[l15][ex2]") {
  Log log;
  run_logged(log, cancel_mid_body(&log));
  REQUIRE(log == Log{"0.0 db enters", "1.0 db setup done", "2.0 cancel", "2.0 body interrupted",
                     "2.0 db exits, told CancelledError(client left)", "3.0 db teardown done",
                     "3.0 scope ended: CancelledError(client left)", "3.0 task cancelled() = True"});
}

namespace {
aio::Coro<void> scope_swallows(Log* log) {
  Resource manager{log, "suppress"};
  manager.swallow = true;
  std::optional<int> value = co_await aio::async_with(manager, body_fails, std::string("boom"));
  log->push_back(at(std::string("after the scope, has a value: ") + aio_test::py(value.has_value())));
  value = co_await aio::async_with(manager, body_returns, 5);
  log->push_back(at("after the second scope: " + std::to_string(value.value_or(-1))));
}
}  // namespace

TEST_CASE("an exit that returns true swallows the error: no value, no error", "[l15][ex2]") {
  Log log;
  run_logged(log, run_scope(&log, scope_swallows(&log)));
  REQUIRE(log == Log{"0.0 suppress enters", "1.0 suppress setup done", "2.0 body done",
                     "2.0 suppress exits, told runtime_error: boom", "3.0 suppress teardown done",
                     "3.0 after the scope, has a value: False", "3.0 suppress enters", "4.0 suppress setup done",
                     "5.0 body done", "5.0 suppress exits, told none", "6.0 suppress teardown done",
                     "6.0 after the second scope: 5", "6.0 scope ended normally"});
}

namespace {
aio::Coro<void> scope_exit_fails(Log* log) {
  Resource manager{log, "db"};
  manager.exit_failure = "disconnect failed";
  co_await aio::async_with(manager, body_fails, std::string("boom"));
}
}  // namespace

TEST_CASE("an exit that throws replaces the body's error", "[l15][ex2]") {
  Log log;
  run_logged(log, run_scope(&log, scope_exit_fails(&log)));
  REQUIRE(log == Log{"0.0 db enters", "1.0 db setup done", "2.0 body done", "2.0 db exits, told runtime_error: boom",
                     "3.0 db teardown done", "3.0 scope ended: logic_error: disconnect failed"});
}

namespace {
aio::Coro<void> scope_enter_fails(Log* log) {
  Resource manager{log, "db"};
  manager.enter_failure = "connection refused";
  co_await aio::async_with(manager, body_sleeps, aio::Duration(1s));
}
}  // namespace

TEST_CASE("an enter that throws: no body, no exit", "[l15][ex2]") {
  Log log;
  run_logged(log, run_scope(&log, scope_enter_fails(&log)));
  REQUIRE(log == Log{"0.0 db enters", "1.0 db setup done", "1.0 scope ended: runtime_error: connection refused"});
}

namespace {
aio::Coro<void> quiet_body(Log* log, bool fail) {
  log->push_back(at("body runs"));
  if (fail) throw std::runtime_error("quiet failure");
  co_return;
}

aio::Coro<void> scope_quiet(Log* log) {
  co_await aio::async_with(Quiet(log), quiet_body, log, false);
  co_await aio::async_with(Quiet(log), quiet_body, log, true);
}
}  // namespace

TEST_CASE("a manager whose enter gives nothing and whose exit returns Coro<void>", "[l15][ex2]") {
  Log log;
  run_logged(log, run_scope(&log, scope_quiet(&log)));
  REQUIRE(log == Log{"0.0 quiet enters", "0.0 body runs", "0.0 quiet exits, told none", "0.5 quiet exited",
                     "0.5 quiet enters", "0.5 body runs", "0.5 quiet exits, told runtime_error: quiet failure",
                     "1.0 quiet exited", "1.0 scope ended: runtime_error: quiet failure"});
}

namespace {
aio::Coro<void> scoped_sleep_exit_fails(Log* log) {
  Resource manager(log, "db");
  manager.exit_failure = "disconnect failed";
  co_await aio::async_with(manager, body_sleeps, aio::Duration(10s));
}

aio::Coro<void> cancel_then_exit_fails(Log* log) {
  aio::Task<void> task = aio::create_task(scoped_sleep_exit_fails(log));
  co_await aio::sleep(2s);
  log->push_back(at("cancel"));
  task.cancel("client left");
  co_await run_scope(log, await_task(task));
  log->push_back(at(std::string("task cancelled() = ") + aio_test::py(task.cancelled()) +
                    ", cancelling() = " + std::to_string(task.cancelling())));
}
}  // namespace

TEST_CASE("an exit that throws after a cancellation replaces the CancelledError", "[l15][ex2]") {
  Log log;
  run_logged(log, cancel_then_exit_fails(&log));
  // CPython: cpython/async_with_paths.py, its last section: the same order, and the request
  // still counted.
  REQUIRE(log == Log{"0.0 db enters", "1.0 db setup done", "2.0 cancel", "2.0 body interrupted",
                     "2.0 db exits, told CancelledError(client left)", "3.0 db teardown done",
                     "3.0 scope ended: logic_error: disconnect failed", "3.0 task cancelled() = False, cancelling() = 1"});
}

namespace {
aio::Coro<void> cancel_in_teardown_body(Log* log, Resource* db) {
  std::optional<Resource*> same = co_await aio::async_with(db, [](Resource* entered) -> aio::Coro<Resource*> {
    co_await step(entered->log, "body", 1s);
    co_return entered;
  });
  log->push_back(at(std::string("the body got the manager passed by pointer: ") + aio_test::py(same == db)));
}

aio::Coro<void> cancel_in_teardown(Log* log) {
  Resource db{log, "db"};
  db.teardown = 2s;
  aio::Task<void> task = aio::create_task(cancel_in_teardown_body(log, &db));
  co_await aio::sleep(2500ms);
  log->push_back(at("cancel"));
  task.cancel("late");
  co_await run_scope(log, await_task(task));
}
}  // namespace

TEST_CASE("a cancellation during exit: the teardown finishes, then it leaves", "[l15][ex2]") {
  Log log;
  run_logged(log, cancel_in_teardown(&log));
  // CPython: asyncio's own async with cuts the teardown here (cpython/cancel_during_aexit.py).
  REQUIRE(log == Log{"0.0 db enters", "1.0 db setup done", "2.0 body done", "2.0 db exits, told none", "2.5 cancel",
                     "4.0 db teardown done", "4.0 scope ended: CancelledError(late)"});
}

// ---------------------------------------------------------------------------------------------
// l15.ex3: the exit stack unwinds. Exits pushed with push_async_exit run newest first, each told
// the error of the moment. CPython: cpython/exit_stack_unwind.py.

namespace {
/// An exit for push_async_exit: logs what it is told, takes a second, then swallows, throws a
/// logic_error, throws a CancelledError, or lets the error be.
enum class Then { keep, swallow, fail, cancelled };

aio::Coro<bool> logged_exit(Log* log, std::string name, Then then, std::exception_ptr error) {
  log->push_back(at(name + " told " + describe(error)));
  co_await aio::sleep(1s);
  if (then == Then::fail) throw std::logic_error(name + " failed");
  if (then == Then::cancelled) throw aio::CancelledError(name + " gave up");
  co_return then == Then::swallow;
}

/// push_async_exit takes a function of the error; this one is not a coroutine itself (it returns
/// the coroutine that logged_exit makes), so it may capture.
auto exit_named(Log* log, std::string name, Then then) {
  return [log, name, then](std::exception_ptr error) { return logged_exit(log, name, then, std::move(error)); };
}

aio::Coro<void> fails_after(Log* log, std::string message) {
  log->push_back(at("body fails"));
  throw std::runtime_error(message);
  co_return;
}

// book:test-unwind
aio::Coro<void> unwind_body(aio::AsyncExitStack* stack, Log* log) {
  stack->push_async_exit(exit_named(log, "first", Then::keep));
  stack->push_async_exit(exit_named(log, "second", Then::swallow));
  stack->push_async_exit(exit_named(log, "third", Then::fail));
  stack->push_async_exit(exit_named(log, "fourth", Then::keep));
  co_await fails_after(log, "body");
}

aio::Coro<void> unwind(Log* log) {
  co_await aio::async_with(aio::AsyncExitStack(), unwind_body, log);
}
// end book:test-unwind
}  // namespace

TEST_CASE("the stack unwinds newest first; each exit is told the error of the moment", "[l15][ex3]") {
  Log log;
  run_logged(log, run_scope(&log, unwind(&log)));
  REQUIRE(log == Log{"0.0 body fails", "0.0 fourth told runtime_error: body", "1.0 third told runtime_error: body",
                     "2.0 second told logic_error: third failed", "3.0 first told none", "4.0 scope ended normally"});
}

namespace {
aio::Coro<void> new_error_body(aio::AsyncExitStack* stack, Log* log) {
  stack->push_async_exit(exit_named(log, "first", Then::keep));
  stack->push_async_exit(exit_named(log, "second", Then::fail));
  stack->push_async_exit(exit_named(log, "third", Then::keep));
  log->push_back(at("body returns"));
  co_return;
}
}  // namespace

TEST_CASE("an exit's new error goes on to the older exits and leaves the stack", "[l15][ex3]") {
  Log log;
  run_logged(log, run_scope(&log, aio::async_with(aio::AsyncExitStack(), new_error_body, &log)));
  REQUIRE(log == Log{"0.0 body returns", "0.0 third told none", "1.0 second told none",
                     "2.0 first told logic_error: second failed", "3.0 scope ended: logic_error: second failed"});
}

namespace {
aio::Coro<void> cancelled_exit_body(aio::AsyncExitStack* stack, Log* log) {
  stack->push_async_exit(exit_named(log, "first", Then::keep));
  stack->push_async_exit(exit_named(log, "second", Then::cancelled));
  co_await fails_after(log, "body");
}
}  // namespace

TEST_CASE("an exit that throws CancelledError: the older exits still run", "[l15][ex3]") {
  Log log;
  run_logged(log, run_scope(&log, aio::async_with(aio::AsyncExitStack(), cancelled_exit_body, &log)));
  REQUIRE(log == Log{"0.0 body fails", "0.0 second told runtime_error: body",
                     "1.0 first told CancelledError(second gave up)", "2.0 scope ended: CancelledError(second gave up)"});
}

namespace {
aio::Coro<void> reuse_body(aio::AsyncExitStack* stack, Log* log) {
  stack->push_async_exit(exit_named(log, "a", Then::keep));
  stack->push_async_exit(exit_named(log, "b", Then::keep));
  log->push_back(at("size " + std::to_string(stack->size())));
  bool swallowed = co_await stack->exit(nullptr);
  log->push_back(at("unwound by hand, swallowed = " + std::string(aio_test::py(swallowed)) + ", size " +
                    std::to_string(stack->size())));
  stack->push_async_exit(exit_named(log, "c", Then::swallow));
  co_await fails_after(log, "again");
}
}  // namespace

TEST_CASE("after an unwind the stack is empty, and can be filled again", "[l15][ex3]") {
  Log log;
  run_logged(log, run_scope(&log, aio::async_with(aio::AsyncExitStack(), reuse_body, &log)));
  REQUIRE(log == Log{"0.0 size 2", "0.0 b told none", "1.0 a told none", "2.0 unwound by hand, swallowed = False, size 0",
                     "2.0 body fails", "2.0 c told runtime_error: again", "3.0 scope ended normally"});
}

// ---------------------------------------------------------------------------------------------
// l15.ex4: entering managers on the stack, pushing callbacks, closing it.
// CPython: cpython/exit_stack_enter.py.

namespace {
aio::Coro<void> enter_two_body(aio::AsyncExitStack* stack, Log* log) {
  Resource* a = co_await stack->enter_async_context(Resource(log, "a"));
  Resource* b = co_await stack->enter_async_context(Resource(log, "b"));
  a->name = "a (used)";  // through the pointers enter() returned: the stack's own copies
  b->name = "b (used)";
  log->push_back(at("body runs, size " + std::to_string(stack->size())));
}
}  // namespace

TEST_CASE("managers entered on the stack are left in reverse order", "[l15][ex4]") {
  Log log;
  run_logged(log, run_scope(&log, aio::async_with(aio::AsyncExitStack(), enter_two_body, &log)));
  REQUIRE(log == Log{"0.0 a enters", "1.0 a setup done", "1.0 b enters", "2.0 b setup done", "2.0 body runs, size 2",
                     "2.0 b (used) exits, told none", "3.0 b (used) teardown done", "3.0 a (used) exits, told none",
                     "4.0 a (used) teardown done", "4.0 scope ended normally"});
}

namespace {
aio::Coro<void> enter_fails_body(aio::AsyncExitStack* stack, Log* log) {
  co_await stack->enter_async_context(Resource(log, "a"));
  Resource b{log, "b"};
  b.enter_failure = "refused";
  try {
    co_await stack->enter_async_context(b);
  } catch (const std::runtime_error&) {
    log->push_back(at("b refused, size " + std::to_string(stack->size())));
    throw;
  }
}
}  // namespace

TEST_CASE("a manager that fails to enter is not exited; the ones before it are", "[l15][ex4]") {
  Log log;
  run_logged(log, run_scope(&log, aio::async_with(aio::AsyncExitStack(), enter_fails_body, &log)));
  REQUIRE(log == Log{"0.0 a enters", "1.0 a setup done", "1.0 b enters", "2.0 b setup done", "2.0 b refused, size 1",
                     "2.0 a exits, told runtime_error: refused", "3.0 a teardown done",
                     "3.0 scope ended: runtime_error: refused"});
}

namespace {
aio::Coro<void> callback(Log* log, std::string what, int number) {
  log->push_back(at("callback " + what + " " + std::to_string(number)));
  co_await aio::sleep(1s);
}

aio::Coro<void> callbacks_body(aio::AsyncExitStack* stack, Log* log) {
  stack->push_async_callback(callback, log, std::string("first"), 1);
  stack->push_async_exit(exit_named(log, "swallower", Then::swallow));
  stack->push_async_callback(callback, log, std::string("second"), 2);
  co_await fails_after(log, "boom");
}
}  // namespace

TEST_CASE("callbacks run with their arguments, and swallow nothing", "[l15][ex4]") {
  Log log;
  run_logged(log, run_scope(&log, aio::async_with(aio::AsyncExitStack(), callbacks_body, &log)));
  // The swallower clears the error, so "first" does not need to: the scope ends normally.
  REQUIRE(log == Log{"0.0 body fails", "0.0 callback second 2", "1.0 swallower told runtime_error: boom",
                     "2.0 callback first 1", "3.0 scope ended normally"});
}

namespace {
aio::Coro<void> callback_error_body(aio::AsyncExitStack* stack, Log* log) {
  stack->push_async_callback(callback, log, std::string("only"), 3);
  co_await fails_after(log, "kept");
}
}  // namespace

TEST_CASE("a callback does not swallow the error it was not told about", "[l15][ex4]") {
  Log log;
  run_logged(log, run_scope(&log, aio::async_with(aio::AsyncExitStack(), callback_error_body, &log)));
  REQUIRE(log == Log{"0.0 body fails", "0.0 callback only 3", "1.0 scope ended: runtime_error: kept"});
}

namespace {
aio::Coro<void> closing(Log* log) {
  aio::AsyncExitStack stack;
  co_await stack.enter_async_context(Resource(log, "a"));
  stack.push_async_callback(callback, log, std::string("cb"), 1);
  log->push_back(at("aclose"));
  co_await stack.aclose();
  log->push_back(at("closed, size " + std::to_string(stack.size())));
}

aio::Coro<void> cancel_closing(Log* log) {
  aio::Task<void> task = aio::create_task(closing(log));
  co_await aio::sleep(1500ms);
  log->push_back(at("cancel"));
  task.cancel("now");
  co_await run_scope(log, await_task(task));
}
}  // namespace

TEST_CASE("aclose unwinds at once, told nothing", "[l15][ex4]") {
  Log log;
  run_logged(log, run_scope(&log, closing(&log)));
  REQUIRE(log == Log{"0.0 a enters", "1.0 a setup done", "1.0 aclose", "1.0 callback cb 1", "2.0 a exits, told none",
                     "3.0 a teardown done", "3.0 closed, size 0", "3.0 scope ended normally"});
}

TEST_CASE("aclose is a teardown: a cancellation waits for its end", "[l15][ex4]") {
  Log log;
  run_logged(log, cancel_closing(&log));
  REQUIRE(log == Log{"0.0 a enters", "1.0 a setup done", "1.0 aclose", "1.0 callback cb 1", "1.5 cancel",
                     "2.0 a exits, told none", "3.0 a teardown done", "3.0 scope ended: CancelledError(now)"});
}

namespace {
aio::Coro<aio::AsyncExitStack> keep_open_body(aio::AsyncExitStack* stack, Log* log) {
  co_await stack->enter_async_context(Resource(log, "a"));
  co_await stack->enter_async_context(Resource(log, "b"));
  co_return stack->pop_all();  // the connections outlive the scope
}

aio::Coro<void> keep_open(Log* log) {
  std::optional<aio::AsyncExitStack> kept = co_await aio::async_with(aio::AsyncExitStack(), keep_open_body, log);
  log->push_back(at("the scope ended, " + std::to_string(kept->size()) + " exits kept"));
  co_await kept->aclose();
}
}  // namespace

TEST_CASE("pop_all hands the exits over to a stack that outlives the scope", "[l15][ex4]") {
  Log log;
  run_logged(log, run_scope(&log, keep_open(&log)));
  REQUIRE(log == Log{"0.0 a enters", "1.0 a setup done", "1.0 b enters", "2.0 b setup done",
                     "2.0 the scope ended, 2 exits kept", "2.0 b exits, told none", "3.0 b teardown done",
                     "3.0 a exits, told none", "4.0 a teardown done", "4.0 scope ended normally"});
}

namespace {
aio::Coro<void> forgotten(Log* log) {
  {
    aio::AsyncExitStack stack;
    co_await stack.enter_async_context(Resource(log, "a"));
  }
  log->push_back(at("the stack is gone"));
}
}  // namespace

TEST_CASE("a stack destroyed with exits not run says so", "[l15][ex4]") {
  Log log;
  run_logged(log, forgotten(&log));
  REQUIRE(log == Log{"0.0 a enters", "1.0 a setup done",
                     "1.0 the loop reported: AsyncExitStack destroyed with 1 exit(s) not run: a destructor cannot "
                     "co_await them. Use the stack under aio::async_with, or co_await stack.aclose() before it goes",
                     "1.0 the stack is gone"});
}
