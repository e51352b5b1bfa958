// Tests for aio::AsyncGenerator (exercises l14.ex1 to l14.ex3).
//
// Everything runs on the virtual clock and records what happens, with the loop's time, into a
// log; a test compares the whole log, so it checks both the order of events and their times.
// CPython prints the same logs for the same programs: the file named in a test's `CPython:`
// comment (in lessons/14-async-generators/cpython/) is that program.
//
// Each test is tagged with the last exercise it needs: ex1 is the hand-off of next(), ex2 adds
// asend and athrow, ex3 adds aclose (and the destructor's hand-over, which closes through it).
#include <aio/async_generator.hpp>
#include <aio/cancellation.hpp>
#include <aio/clock.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/gather.hpp>
#include <aio/not_implemented.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/stop_async_iteration.hpp>
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
using aio_test::join;
using aio_test::ticker;

namespace {

std::string task_name() { return aio::current_task() != nullptr ? aio::current_task()->name() : "no task"; }

/// 0, 1, ..., count - 1, without ever waiting.
aio::AsyncGenerator<int> numbers(Log* log, int count) {
  log->push_back(at("numbers starts"));
  for (int i = 0; i < count; ++i) co_yield i;
  log->push_back(at("numbers ends"));
}

/// One value a second: sleeps, then yields.
aio::AsyncGenerator<int> ticks(Log* log, std::string name, int count) {
  for (int i = 0; i < count; ++i) {
    co_await aio::sleep(1s);
    log->push_back(at(name + " yields " + std::to_string(i)));
    co_yield i;
  }
}

aio::Coro<void> consume(Log* log, std::string name, aio::AsyncGenerator<int> source) {
  while (auto item = co_await source.next()) {
    log->push_back(at(name + " got " + std::to_string(*item)));
  }
  log->push_back(at(name + " done"));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// ex1: next(), the hand-off between the consumer and the body
// ---------------------------------------------------------------------------------------------

TEST_CASE("nothing of the body runs before the first next()", "[l14][ex1]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    auto source = numbers(log, 2);
    log->push_back(at("created"));
    auto first = co_await source.next();
    log->push_back(at("first is " + std::to_string(first.value_or(-1))));
  }(&log));
  CHECK(join(log) == "0.0 created | 0.0 numbers starts | 0.0 first is 0");
}

TEST_CASE("values come in order, then an empty optional for good", "[l14][ex1]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    auto source = numbers(log, 3);
    while (auto item = co_await source.next()) log->push_back(at("got " + std::to_string(*item)));
    auto again = co_await source.next();
    log->push_back(at(again ? "a value after the end" : "still the end"));
    CHECK(source.finished());
  }(&log));
  CHECK(join(log) ==
        "0.0 numbers starts | 0.0 got 0 | 0.0 got 1 | 0.0 got 2 | 0.0 numbers ends | 0.0 still the end");
}

TEST_CASE("a body that awaits suspends the consumer's task with it", "[l14][ex1]") {
  Log log;
  run_logged(log, consume(&log, "main", ticks(&log, "ticks", 3)));
  CHECK(join(log) ==
        "1.0 ticks yields 0 | 1.0 main got 0 | 2.0 ticks yields 1 | 2.0 main got 1 | "
        "3.0 ticks yields 2 | 3.0 main got 2 | 3.0 main done");
}

// CPython: cpython/same_task.py
TEST_CASE("the body runs inside the task that consumes it", "[l14][ex1]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    auto names = [](Log* log) -> aio::AsyncGenerator<int> {
      log->push_back("body before its await runs in " + task_name());
      co_await aio::sleep(1s);
      log->push_back("body after its await runs in " + task_name());
      co_yield 1;
    }(log);
    aio::Task<void> consumer = aio::create_task(
        [](Log* log, aio::AsyncGenerator<int> names) -> aio::Coro<void> {
          while (auto item = co_await names.next()) log->push_back("the consumer is " + task_name());
        }(log, std::move(names)),
        "consumer");
    co_await consumer;
  }(&log));
  CHECK(join(log) ==
        "body before its await runs in consumer | body after its await runs in consumer | "
        "the consumer is consumer");
}

// CPython: cpython/yield_takes_no_turn.py
TEST_CASE("a value yielded without waiting takes no loop iteration", "[l14][ex1]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    aio::Task<void> ticks = aio::create_task(ticker(log, 3));
    co_await aio::sleep(0ms);  // the ticker logs "tick 0"
    auto source = numbers(log, 3);
    while (auto item = co_await source.next()) log->push_back(at("got " + std::to_string(*item)));
    co_await ticks;
  }(&log));
  CHECK(join(log) ==
        "tick 0 | 0.0 numbers starts | 0.0 got 0 | 0.0 got 1 | 0.0 got 2 | 0.0 numbers ends | "
        "tick 1 | tick 2");
}

TEST_CASE("three generators consumed at once finish in the time of one", "[l14][ex1]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    co_await aio::gather(consume(log, "A", ticks(log, "a", 2)), consume(log, "B", ticks(log, "b", 2)),
                         consume(log, "C", ticks(log, "c", 2)));
  }(&log));
  CHECK(join(log) ==
        "1.0 a yields 0 | 1.0 A got 0 | 1.0 b yields 0 | 1.0 B got 0 | 1.0 c yields 0 | 1.0 C got 0 | "
        "2.0 a yields 1 | 2.0 A got 1 | 2.0 A done | 2.0 b yields 1 | 2.0 B got 1 | 2.0 B done | "
        "2.0 c yields 1 | 2.0 C got 1 | 2.0 C done");
}

TEST_CASE("an exception from the body reaches the consumer, then the end", "[l14][ex1]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    auto failing = []() -> aio::AsyncGenerator<int> {
      co_yield 1;
      co_await aio::sleep(1s);
      throw std::runtime_error("the source broke");
    }();
    try {
      while (auto item = co_await failing.next()) log->push_back(at("got " + std::to_string(*item)));
    } catch (const std::runtime_error& error) {
      log->push_back(at(std::string("caught: ") + error.what()));
    }
    auto after = co_await failing.next();
    log->push_back(at(after ? "a value after the error" : "then the end"));
  }(&log));
  CHECK(join(log) == "0.0 got 1 | 1.0 caught: the source broke | 1.0 then the end");
}

TEST_CASE("anext() gives values, then throws StopAsyncIteration", "[l14][ex1]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    auto source = numbers(log, 2);
    int first = co_await source.anext();
    int second = co_await source.anext();
    log->push_back(at("anext gave " + std::to_string(first) + " and " + std::to_string(second)));
    try {
      co_await source.anext();
      log->push_back(at("a third value"));
    } catch (const aio::StopAsyncIteration&) {
      log->push_back(at("StopAsyncIteration"));
    }
  }(&log));
  CHECK(join(log) == "0.0 numbers starts | 0.0 anext gave 0 and 1 | 0.0 numbers ends | 0.0 StopAsyncIteration");
}

// CPython: cpython/already_running.py
TEST_CASE("a second next() while the body waits is refused", "[l14][ex1]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    auto source = ticks(log, "ticks", 2);
    aio::Task<void> first = aio::create_task(
        [](Log* log, aio::AsyncGenerator<int>* source) -> aio::Coro<void> {
          auto item = co_await source->next();
          log->push_back(at("the first consumer got " + std::to_string(item.value_or(-1))));
        }(log, &source));
    co_await aio::sleep(0ms);  // the first consumer is inside the body, asleep
    try {
      co_await source.next();
      log->push_back(at("the second consumer got a value"));
    } catch (const aio::RuntimeError& error) {
      CHECK_THAT(error.what(), aio_test::contains("already running"));
      log->push_back(at("RuntimeError: already running"));
    }
    co_await first;
  }(&log));
  CHECK(join(log) == "0.0 RuntimeError: already running | 1.0 ticks yields 0 | 1.0 the first consumer got 0");
}

// CPython: cpython/cancel_inside.py
TEST_CASE("cancelling the consumer lands at the co_await inside the body", "[l14][ex1]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    auto slow = [](Log* log) -> aio::AsyncGenerator<int> {
      try {
        for (int i = 0; i < 3; ++i) {
          co_await aio::sleep(1s);
          co_yield i;
        }
      } catch (const aio::CancelledError&) {
        log->push_back(at("body: CancelledError at its co_await"));
        throw;
      }
    }(log);
    aio::Task<void> consumer = aio::create_task(consume(log, "consumer", std::move(slow)));
    co_await aio::sleep(1500ms);
    consumer.cancel();
    try {
      co_await consumer;
    } catch (const aio::CancelledError&) {
      log->push_back(at("consumer cancelled"));
    }
  }(&log));
  CHECK(join(log) == "1.0 consumer got 0 | 1.5 body: CancelledError at its co_await | 1.5 consumer cancelled");
}

TEST_CASE("a million values without waiting leave the stack where it was", "[l14][ex1]") {
  // GCC 12 makes symmetric transfer a call at -O0 and under ASan: if each synchronous step went
  // through one, this loop would overflow the stack. It runs each step on one depth.
  long long total = aio::run(
      []() -> aio::Coro<long long> {
        auto many = []() -> aio::AsyncGenerator<int> {
          for (int i = 0; i < 1'000'000; ++i) co_yield 1;
        }();
        long long sum = 0;
        while (auto item = co_await many.next()) sum += *item;
        co_return sum;
      }(),
      {.virtual_clock = true});
  CHECK(total == 1'000'000);
}

// ---------------------------------------------------------------------------------------------
// ex2: asend and athrow
// ---------------------------------------------------------------------------------------------

namespace {

/// Yields "echo <what it received>"; catches std::invalid_argument and goes on.
aio::AsyncGenerator<std::string, std::string> echo(Log* log) {
  std::optional<std::string> received;
  try {
    while (true) {
      try {
        received = co_yield "echo " + received.value_or("None");
      } catch (const std::invalid_argument& error) {
        log->push_back(at(std::string("echo caught invalid_argument: ") + error.what()));
        received = "recovered";
      }
    }
  } catch (...) {
    log->push_back(at("echo ends"));
    throw;
  }
}

std::string shown(const std::optional<std::string>& value) { return value ? *value : "nothing"; }

}  // namespace

// CPython: cpython/asend_athrow.py
TEST_CASE("asend's value is what the co_yield evaluates to", "[l14][ex2]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    auto gen = echo(log);
    auto first = co_await gen.next();
    log->push_back(at(shown(first)));
    auto second = co_await gen.asend("hello");
    log->push_back(at(shown(second)));
    auto third = co_await gen.next();  // Python's asend(None)
    log->push_back(at(shown(third)));
  }(&log));
  CHECK(join(log) == "0.0 echo None | 0.0 echo hello | 0.0 echo None");
}

// CPython: cpython/asend_athrow.py
TEST_CASE("asend before the first step is refused", "[l14][ex2]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    auto gen = echo(log);
    try {
      co_await gen.asend("early");
      log->push_back(at("asend before the start went through"));
    } catch (const aio::RuntimeError& error) {
      CHECK_THAT(error.what(), aio_test::contains("just-started"));
      log->push_back(at("refused"));
    }
    auto first = co_await gen.next();
    log->push_back(at(shown(first)));
  }(&log));
  CHECK(join(log) == "0.0 refused | 0.0 echo None");
}

// CPython: cpython/asend_athrow.py
TEST_CASE("athrow raises at the co_yield and the body may yield again", "[l14][ex2]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    auto gen = echo(log);
    co_await gen.next();
    co_await gen.asend("hello");
    auto after = co_await gen.athrow(std::invalid_argument("bad"));
    log->push_back(at("athrow gave " + shown(after)));
    auto next = co_await gen.asend("again");
    log->push_back(at(shown(next)));
  }(&log));
  CHECK(join(log) ==
        "0.0 echo caught invalid_argument: bad | 0.0 athrow gave echo recovered | 0.0 echo again");
}

// CPython: cpython/asend_athrow.py
TEST_CASE("an athrow the body does not catch comes back and ends it", "[l14][ex2]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    auto gen = echo(log);
    co_await gen.next();
    try {
      co_await gen.athrow(std::out_of_range("k"));
      log->push_back(at("athrow returned"));
    } catch (const std::out_of_range& error) {
      log->push_back(at(std::string("the consumer got out_of_range: ") + error.what()));
    }
    auto after = co_await gen.next();
    log->push_back(at("then " + shown(after)));
  }(&log));
  CHECK(join(log) == "0.0 echo ends | 0.0 the consumer got out_of_range: k | 0.0 then nothing");
}

// CPython: cpython/athrow_edges.py
TEST_CASE("athrow before the start closes the generator unrun", "[l14][ex2]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    auto gen = echo(log);
    try {
      co_await gen.athrow(std::invalid_argument("before start"));
      log->push_back(at("athrow returned"));
    } catch (const std::invalid_argument& error) {
      log->push_back(at(std::string("athrow raised ") + error.what()));
    }
    auto after = co_await gen.next();
    log->push_back(at("then " + shown(after)));
  }(&log));
  CHECK(join(log) == "0.0 athrow raised before start | 0.0 then nothing");
}

// CPython: cpython/athrow_edges.py
TEST_CASE("athrow on a finished generator gives nothing", "[l14][ex2]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    auto source = numbers(log, 1);
    while (co_await source.next()) {
    }
    auto after = co_await source.athrow(std::invalid_argument("after the end"));
    log->push_back(at("athrow gave " + std::string(after ? "a value" : "nothing")));
  }(&log));
  CHECK(join(log) == "0.0 numbers starts | 0.0 numbers ends | 0.0 athrow gave nothing");
}

// ---------------------------------------------------------------------------------------------
// ex3: aclose, and a generator dropped unfinished
// ---------------------------------------------------------------------------------------------

namespace {

/// Yields 0, 1, ...; its cleanup awaits for a second.
aio::AsyncGenerator<int> with_cleanup(Log* log) {
  std::exception_ptr leaving;
  try {
    for (int i = 0; i < 5; ++i) co_yield i;
  } catch (...) {
    leaving = std::current_exception();  // no co_await inside a handler: C++ forbids it
  }
  log->push_back(at("cleanup starts in " + task_name()));
  co_await aio::sleep(1s);
  log->push_back(at("cleanup ends"));
  if (leaving) std::rethrow_exception(leaving);
}

}  // namespace

// CPython: cpython/aclose_cleanup.py
TEST_CASE("aclose runs the cleanup, even one that awaits, before it returns", "[l14][ex3]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    auto gen = with_cleanup(log);
    auto first = co_await gen.next();
    log->push_back(at("got " + std::to_string(first.value_or(-1))));
    co_await gen.aclose();
    log->push_back(at("aclose returned"));
    auto after = co_await gen.next();
    log->push_back(at(after ? "a value after aclose" : "then the end"));
  }(&log));
  CHECK(join(log) ==
        "0.0 got 0 | 0.0 cleanup starts in Task-1 | 1.0 cleanup ends | 1.0 aclose returned | 1.0 then the end");
}

// CPython: cpython/aclose_cleanup.py
TEST_CASE("aclose before the start or after the end runs nothing", "[l14][ex3]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    auto unstarted = with_cleanup(log);
    co_await unstarted.aclose();
    auto after = co_await unstarted.next();
    log->push_back(at(after ? "an unstarted generator ran" : "closed before the start: the end"));
    auto finished = numbers(log, 1);
    while (co_await finished.next()) {
    }
    co_await finished.aclose();
    log->push_back(at("aclose after the end"));
  }(&log));
  CHECK(join(log) ==
        "0.0 closed before the start: the end | 0.0 numbers starts | 0.0 numbers ends | 0.0 aclose after the end");
}

// CPython: cpython/aclose_cleanup.py
TEST_CASE("a cleanup that yields again is an error of aclose", "[l14][ex3]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    auto stubborn = []() -> aio::AsyncGenerator<int> {
      try {
        co_yield 1;
      } catch (const aio::GeneratorExit&) {
      }
      co_yield 2;  // a cleanup must not yield
    }();
    co_await stubborn.next();
    try {
      co_await stubborn.aclose();
      log->push_back(at("aclose returned"));
    } catch (const aio::RuntimeError& error) {
      CHECK_THAT(error.what(), aio_test::contains("ignored GeneratorExit"));
      log->push_back(at("RuntimeError: ignored GeneratorExit"));
    }
    auto after = co_await stubborn.next();
    log->push_back(at(after ? "a value after aclose" : "then the end"));
  }(&log));
  CHECK(join(log) == "0.0 RuntimeError: ignored GeneratorExit | 0.0 then the end");
}

TEST_CASE("an error thrown by the cleanup comes out of aclose", "[l14][ex3]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    auto broken = []() -> aio::AsyncGenerator<int> {
      try {
        co_yield 1;
      } catch (const aio::GeneratorExit&) {
        throw std::runtime_error("could not close the file");
      }
    }();
    co_await broken.next();
    try {
      co_await broken.aclose();
      log->push_back(at("aclose returned"));
    } catch (const std::runtime_error& error) {
      log->push_back(at(std::string("aclose threw: ") + error.what()));
    }
  }(&log));
  CHECK(join(log) == "0.0 aclose threw: could not close the file");
}

TEST_CASE("catch (const std::exception&) does not swallow GeneratorExit", "[l14][ex3]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    auto careful = [](Log* log) -> aio::AsyncGenerator<int> {
      try {
        co_yield 1;
        co_yield 2;
      } catch (const std::exception&) {
        log->push_back(at("the everyday handler caught it"));
      }
    }(log);
    co_await careful.next();
    co_await careful.aclose();
    log->push_back(at("closed"));
  }(&log));
  CHECK(join(log) == "0.0 closed");
}

TEST_CASE("aclose while a step is under way is refused", "[l14][ex3]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    auto source = ticks(log, "ticks", 1);
    aio::Task<void> reader = aio::create_task(
        [](aio::AsyncGenerator<int>* source) -> aio::Coro<void> { co_await source->next(); }(&source));
    co_await aio::sleep(0ms);
    try {
      co_await source.aclose();
      log->push_back(at("aclose went through"));
    } catch (const aio::RuntimeError& error) {
      CHECK_THAT(error.what(), aio_test::contains("aclose(): asynchronous generator is already running"));
      log->push_back(at("refused"));
    } catch (const std::exception& error) {
      log->push_back(at(std::string("aclose threw: ") + error.what()));
    }
    co_await reader;  // the reader is inside the body: `source` must outlive it
  }(&log));
  CHECK(join(log) == "0.0 refused | 1.0 ticks yields 0");
}

// CPython: cpython/finalizer_task.py
TEST_CASE("a generator dropped at a co_yield is closed by a new task", "[l14][ex3]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    aio::Task<void> ticks = aio::create_task(ticker(log, 6), "ticker");
    co_await aio::sleep(0ms);
    {
      auto gen = with_cleanup(log);
      while (auto item = co_await gen.next()) {
        log->push_back(at("got " + std::to_string(*item) + " in " + task_name()));
        if (*item == 1) break;
      }
    }  // gen is destroyed here, parked at its co_yield
    log->push_back(at("after the loop"));
    co_await ticks;
    co_await aio::sleep(2s);  // the closing task is still asleep in the cleanup
  }(&log));
  CHECK(join(log) ==
        "tick 0 | 0.0 got 0 in Task-1 | 0.0 got 1 in Task-1 | 0.0 after the loop | tick 1 | tick 2 | "
        "0.0 cleanup starts in Task-3 | tick 3 | tick 4 | tick 5 | 1.0 cleanup ends");
}

TEST_CASE("a generator dropped unstarted or finished is simply destroyed", "[l14][ex3]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    {
      auto unstarted = with_cleanup(log);
    }
    {
      auto finished = numbers(log, 1);
      while (co_await finished.next()) {
      }
    }
    co_await aio::sleep(1s);
    log->push_back(at("no task was started: " + std::to_string(aio::all_tasks().size()) + " pending"));
  }(&log));
  CHECK(join(log) == "0.0 numbers starts | 0.0 numbers ends | 1.0 no task was started: 1 pending");
}

// CPython: cpython/end_of_run.py (3.12 and 3.13 let the closing task finish)
TEST_CASE("a generator still parked when the run ends starts its cleanup", "[l14][ex3]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    aio::create_task(
        [](Log* log) -> aio::Coro<void> {
          auto gen = [](Log* log) -> aio::AsyncGenerator<int> {
            std::exception_ptr leaving;
            try {
              for (int i = 0; i < 5; ++i) co_yield i;
            } catch (...) {
              leaving = std::current_exception();
            }
            log->push_back(at("cleanup starts"));
            co_await aio::sleep(1s);
            log->push_back(at("cleanup ends"));
            if (leaving) std::rethrow_exception(leaving);
          }(log);
          co_await gen.next();
          log->push_back(at("reader sleeps"));
          co_await aio::sleep(10s);
        }(log),
        "reader");
    co_await aio::sleep(1s);
    log->push_back(at("main ends"));
  }(&log));
  // aio::run cancels the reader; the generator, parked in its frame, goes to a closing task; the
  // loop stops before that task has finished, and reports it, as asyncio 3.11 does.
  REQUIRE(log.size() == 4);
  CHECK(join(Log(log.begin(), log.begin() + 3)) == "0.0 reader sleeps | 1.0 main ends | 1.0 cleanup starts");
  CHECK_THAT(log[3], aio_test::contains("- the loop reported: Task was destroyed but it is pending"));
}
