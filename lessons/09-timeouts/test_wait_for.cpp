// Tests for aio::wait_for (exercise l09.ex1).
//
// Everything runs on the virtual clock and records what happens into a log, with the loop's
// time where it matters; a test compares the whole log, so it checks both the order of events
// and their times. The logs with "tick" lines (one per loop iteration) are the ones CPython 3.11
// prints for the same program with asyncio.wait_for; the comment above such a test names the
// program in cpython/ that shows it (the test l09.cpython runs them, and 3.12's answers too:
// 3.12 rewrote wait_for on top of asyncio.timeout, and most of these orders changed).
#include <aio/cancellation.hpp>
#include <aio/clock.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/event_loop.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio/timeout.hpp>
#include <aio/wait_for.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>

#include <chrono>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using aio_test::Log;
using aio_test::at;
using aio_test::join;
using aio_test::ticker;

namespace {

/// Sleeps, then returns `value`. If cancelled, cleans up for `cleanup` (logged), then rethrows;
/// or, if `swallow`, returns -1 instead.
aio::Coro<int> job(Log* log, aio::Duration delay, int value, aio::Duration cleanup = 0ms, bool swallow = false) {
  std::exception_ptr cancelled;
  try {
    co_await aio::sleep(delay);
  } catch (const aio::CancelledError& error) {
    log->push_back(at("job cancelled: CancelledError(" + error.message() + ")"));
    cancelled = std::current_exception();
  }
  if (!cancelled) {
    log->push_back(at("job returns " + std::to_string(value)));
    co_return value;
  }
  if (cleanup > 0ms) {
    co_await aio::sleep(cleanup);
    log->push_back(at("job cleaned up"));
  }
  if (swallow) co_return -1;
  std::rethrow_exception(cancelled);
}

/// Ends after `steps` loop iterations.
aio::Coro<int> steps(Log* log, int count) {
  for (int i = 0; i < count; ++i) co_await aio::sleep(0ms);
  log->push_back("child " + std::to_string(count) + " ends");
  co_return count;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// l09.ex1: wait_for

TEST_CASE("wait_for returns the result in time, and its timer leaves the loop", "[l09][ex1]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<int> {
    int value = co_await aio::wait_for(job(log, 1s, 42), 3s);
    log->push_back(at("wait_for returned " + std::to_string(value)));
    co_return value;
  };
  aio::EventLoop loop(aio::Clock::virtual_time());
  CHECK(aio::run_until_complete(loop, main(&log)) == 42);
  CHECK(log == Log{"1.0 job returns 42", "1.0 wait_for returned 42"});
  CHECK_FALSE(loop.has_work());  // the 3 s timer left the loop when the job finished
}

// CPython: cpython/wait_for_hops.py (3.12 resumes at once: "child 3 ends | returned 3")
TEST_CASE("wait_for resumes two loop iterations after the task finished", "[l09][ex1]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Task<void> tick = aio::create_task(ticker(log, 8));
    log->push_back("wait_for");
    int value = co_await aio::wait_for(steps(log, 3), 10s);
    log->push_back("returned " + std::to_string(value));
    co_await tick;
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) ==
        "wait_for | tick 0 | tick 1 | tick 2 | tick 3 | child 3 ends | tick 4 | tick 5 | returned 3 | "
        "tick 6 | tick 7");
}

TEST_CASE("on timeout, wait_for cancels, waits for the cleanup, then raises", "[l09][ex1]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    try {
      int value = co_await aio::wait_for(job(log, 10s, 1, 500ms), 3s);
      log->push_back(at("returned " + std::to_string(value)));
    } catch (const aio::TimeoutError&) {
      log->push_back(at("TimeoutError"));
    }
    CHECK(aio::current_task()->cancelling() == 0);  // the caller was never cancelled
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"3.0 job cancelled: CancelledError()", "3.5 job cleaned up", "3.5 TimeoutError"});
}

// CPython: cpython/wait_for_timeout_hops.py
TEST_CASE("on timeout, wait_for takes asyncio's loop iterations", "[l09][ex1]") {
  Log log;
  auto sleepy = [](Log* log) -> aio::Coro<void> {
    std::exception_ptr cancelled;
    try {
      co_await aio::sleep(5s);
    } catch (const aio::CancelledError&) {
      cancelled = std::current_exception();
    }
    log->push_back("sleepy cancelled");
    co_await aio::sleep(0ms);
    co_await aio::sleep(0ms);
    log->push_back("sleepy cleaned up");
    std::rethrow_exception(cancelled);
  };
  auto tick_at_1 = [](Log* log) -> aio::Coro<void> {
    co_await aio::sleep(1s);
    co_await ticker(log, 10);
  };
  auto main = [](Log* log, auto sleepy, auto tick_at_1) -> aio::Coro<void> {
    aio::Task<void> tick = aio::create_task(tick_at_1(log));
    log->push_back("wait_for");
    try {
      co_await aio::wait_for(sleepy(log), 1s);
    } catch (const aio::TimeoutError&) {
      log->push_back("TimeoutError");
    }
    co_await tick;
  };
  aio::run(main(&log, sleepy, tick_at_1), {.virtual_clock = true});
  CHECK(join(log) ==
        "wait_for | tick 0 | sleepy cancelled | tick 1 | tick 2 | sleepy cleaned up | tick 3 | tick 4 | "
        "TimeoutError | tick 5 | tick 6 | tick 7 | tick 8 | tick 9");
}

TEST_CASE("wait_for on a task cancels that task; it is done when TimeoutError comes", "[l09][ex1]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Task<int> task = aio::create_task(job(log, 10s, 1, 1s));
    try {
      co_await aio::wait_for(task, 2s);
    } catch (const aio::TimeoutError&) {
      log->push_back(at("TimeoutError"));
    }
    CHECK(task.done());
    CHECK(task.cancelled());
    CHECK(task.cancelling() == 1);
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"2.0 job cancelled: CancelledError()", "3.0 job cleaned up", "3.0 TimeoutError"});
}

TEST_CASE("a swallowing task makes wait_for return the task's value, late", "[l09][ex1]") {
  // CPython 3.11: after cancelling, wait_for returns fut.result(); only a CancelledError
  // becomes TimeoutError (asyncio/tasks.py, the end of wait_for).
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    int value = co_await aio::wait_for(job(log, 10s, 1, 500ms, /*swallow=*/true), 2s);
    log->push_back(at("returned " + std::to_string(value)));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"2.0 job cancelled: CancelledError()", "2.5 job cleaned up", "2.5 returned -1"});
}

TEST_CASE("a failure of the task comes out of wait_for, in time or in cleanup", "[l09][ex1]") {
  auto fails = []() -> aio::Coro<int> {
    co_await aio::sleep(1s);
    throw std::runtime_error("broken");
  };
  auto cleanup_fails = []() -> aio::Coro<int> {
    try {
      co_await aio::sleep(10s);
    } catch (const aio::CancelledError&) {
      throw std::runtime_error("cleanup broken");
    }
    co_return 1;
  };
  auto run_one = [](auto make) -> aio::Coro<std::string> {
    try {
      co_await aio::wait_for(make(), 3s);
    } catch (const aio::TimeoutError&) {
      co_return "TimeoutError";
    } catch (const std::exception& error) {
      co_return aio::format_seconds(aio::get_running_loop().time()) + " " + error.what();
    }
    co_return "returned";
  };
  CHECK(aio::run(run_one(fails), {.virtual_clock = true}) == "1.0 broken");
  CHECK(aio::run(run_one(cleanup_fails), {.virtual_clock = true}) == "3.0 cleanup broken");
}

namespace {
aio::Coro<void> in_wait_for(Log* log) { co_await aio::wait_for(aio_test::reports_args(log, "inner", 10s), 5s); }

aio::Coro<void> cancel_wait_for_three_ways(Log* log) {
  for (const auto& [name, message] : aio_test::three_cancels()) {
    auto task = aio::create_task(in_wait_for(log));
    co_await aio::sleep(1s);
    log->push_back(at(name));
    task.cancel(message);
    try {
      co_await task;
    } catch (const aio::CancelledError& error) {
      log->push_back(at("main sees " + aio_test::args(error)));
    }
  }
}
}  // namespace

// 3.11's wait_for cancels the inner task with a cancel() of its own; from 3.12 on, wait_for is a
// timeout() scope and the inner task gets the caller's message. CPython: cpython/cancel_message.py
TEST_CASE("wait_for cancels the inner task without the caller's message", "[l09][ex1]") {
  Log log;
  aio::run(cancel_wait_for_three_ways(&log), {.virtual_clock = true});
  CHECK(log == Log{"1.0 cancel()", "1.0 inner sees ()", "1.0 main sees ()",
                   "2.0 cancel('')", "2.0 inner sees ()", "2.0 main sees ('',)",
                   "3.0 cancel('m')", "3.0 inner sees ()", "3.0 main sees ('m',)"});
}

// CPython: cpython/wait_for_caller_cancelled.py
TEST_CASE("a cancelled caller cancels the task, waits for it, then goes on", "[l09][ex1]") {
  Log log;
  auto caller = [](Log* log) -> aio::Coro<void> {
    try {
      co_await aio::wait_for(job(log, 5s, 1, 500ms), 3s);
    } catch (const aio::CancelledError& error) {
      log->push_back(at("caller cancelled: CancelledError(" + error.message() + ")"));
      throw;
    }
  };
  auto main = [](Log* log, auto caller) -> aio::Coro<void> {
    aio::Task<void> task = aio::create_task(caller(log));
    co_await aio::sleep(1s);
    task.cancel("stop");
    aio::Task<void> tick = aio::create_task(ticker(log, 3));
    try {
      co_await task;
    } catch (const aio::CancelledError&) {
      log->push_back(at("main saw the caller cancelled"));
    }
    CHECK(task.cancelled());
  };
  aio::run(main(&log, caller), {.virtual_clock = true});
  CHECK(join(log) ==
        "tick 0 | 1.0 job cancelled: CancelledError() | tick 1 | tick 2 | 1.5 job cleaned up | "
        "1.5 caller cancelled: CancelledError(stop) | 1.5 main saw the caller cancelled");
}

TEST_CASE("a timeout of zero gives a done task's result, and cancels the rest", "[l09][ex1]") {
  Log log;
  auto never = [](Log* log) -> aio::Coro<int> {
    log->push_back("never runs");
    co_return 1;
  };
  auto main = [](Log* log, auto never) -> aio::Coro<void> {
    try {
      co_await aio::wait_for(never(log), 0s);
    } catch (const aio::TimeoutError&) {
      log->push_back(at("TimeoutError at once"));
    }
    aio::Task<int> done = aio::create_task(never(log));
    co_await aio::sleep(0ms);
    int value = co_await aio::wait_for(done, 0s);
    log->push_back(at("done task: " + std::to_string(value)));
    aio::Task<int> pending = aio::create_task(job(log, 1s, 1));
    co_await aio::sleep(0ms);
    try {
      co_await aio::wait_for(pending, -1s);
    } catch (const aio::TimeoutError&) {
      log->push_back(at(std::string("TimeoutError, cancelled: ") + (pending.cancelled() ? "True" : "False")));
    }
  };
  aio::run(main(&log, never), {.virtual_clock = true});
  CHECK(log == Log{"0.0 TimeoutError at once", "never runs", "0.0 done task: 1",
                   "0.0 job cancelled: CancelledError()", "0.0 TimeoutError, cancelled: True"});
}

TEST_CASE("without a timeout (std::nullopt) wait_for simply awaits", "[l09][ex1]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    int value = co_await aio::wait_for(job(log, 100s, 7), std::nullopt);
    log->push_back(at("returned " + std::to_string(value)));
    aio::Task<int> task = aio::create_task(job(log, 1s, 8));
    value = co_await aio::wait_for(task, std::nullopt);
    log->push_back(at("returned " + std::to_string(value)));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"100.0 job returns 7", "100.0 returned 7", "101.0 job returns 8", "101.0 returned 8"});
}

TEST_CASE("wait_for works with coroutines and tasks that return nothing", "[l09][ex1]") {
  auto nap = [](aio::Duration delay) -> aio::Coro<void> { co_await aio::sleep(delay); };
  auto main = [](auto nap) -> aio::Coro<std::string> {
    co_await aio::wait_for(nap(1s), 2s);
    std::string outcome = at("in time");
    try {
      co_await aio::wait_for(aio::create_task(nap(5s)), 2s);
    } catch (const aio::TimeoutError&) {
      outcome += ", " + at("TimeoutError");
    }
    co_return outcome;
  };
  CHECK(aio::run(main(nap), {.virtual_clock = true}) == "1.0 in time, 3.0 TimeoutError");
}

// The cancel comes in the two iterations between the inner task's end and wait_for's wake-up:
// 3.11 returns the result and the request is dropped for good (the caller's next await does not
// raise). 3.12 has no such window. CPython: cpython/wait_for_quirk.py
TEST_CASE("3.11 quirk: a cancel just after the task finished is dropped", "[l09][ex1]") {
  Log log;
  auto inner = [](Log* log) -> aio::Coro<int> {
    co_await aio::sleep(1s);
    log->push_back(at("inner returns"));
    co_return 5;
  };
  auto caller = [](Log* log, auto inner) -> aio::Coro<int> {
    int value = co_await aio::wait_for(inner(log), 3s);
    log->push_back(at("caller got " + std::to_string(value) + ", cancelling=" +
                      std::to_string(aio::current_task()->cancelling())));
    co_await aio::sleep(0ms);
    log->push_back(at("caller goes on"));
    co_return value;
  };
  auto main = [](Log* log, auto caller, auto inner) -> aio::Coro<void> {
    aio::Task<int> task = aio::create_task(caller(log, inner));
    co_await aio::sleep(0ms);
    co_await aio::sleep(0ms);
    co_await aio::sleep(1s);
    log->push_back(at("main cancels the caller"));
    task.cancel();
    int value = co_await task;
    log->push_back(at("caller returned " + std::to_string(value) + ", cancelled=" +
                      (task.cancelled() ? "True" : "False")));
  };
  aio::run(main(&log, caller, inner), {.virtual_clock = true});
  CHECK(log == Log{"1.0 inner returns", "1.0 main cancels the caller", "1.0 caller got 5, cancelling=1",
                   "1.0 caller goes on", "1.0 caller returned 5, cancelled=False"});
}

TEST_CASE("a task destroyed in wait_for or in a scope leaves nothing behind", "[l09][ex1]") {
  // The loop is destroyed with three tasks pending: one in wait_for, one in a timeout scope, and
  // the task that wait_for made. Destroying their frames must take the waiter's listener and the
  // scope's timer with them (AddressSanitizer checks that nothing is touched afterwards).
  Log log;
  auto in_wait_for = [](Log* log) -> aio::Coro<int> {
    log->push_back("waiting in wait_for");
    int value = co_await aio::wait_for(job(log, 24h, 1), 48h);
    co_return value;
  };
  auto in_scope = [](Log* log) -> aio::Coro<int> {
    log->push_back("waiting in a scope");
    int value = co_await aio::timeout(48h).run(job(log, 24h, 2));
    co_return value;
  };
  {
    aio::EventLoop loop(aio::Clock::virtual_time());
    aio::detail::RunningLoop running(loop);
    loop.set_exception_handler([&log](const std::string& message) { log.push_back(message); });
    {
      aio::Task<int> first = aio::create_task(in_wait_for(&log));
      aio::Task<int> second = aio::create_task(in_scope(&log));
    }
    loop.run_once();  // both tasks reach their waits; wait_for makes its task
    loop.run_once();  // which starts its sleep; nothing else is ready now
  }
  CHECK(log == Log{"waiting in wait_for", "waiting in a scope",
                   "Task was destroyed but it is pending: <Task 'Task-1'>",
                   "Task was destroyed but it is pending: <Task 'Task-2'>",
                   "Task was destroyed but it is pending: <Task 'Task-3'>"});
}
