// Tests for aio::wait_for (exercise l09.ex1).
//
// Everything runs on the virtual clock and records what happens into a log, with the loop's
// time where it matters; a test compares the whole log, so it checks both the order of events
// and their times. The logs with "tick" lines (one per loop iteration) are the ones CPython 3.11
// prints for the same program with asyncio.wait_for; the comment above such a test gives the
// Python it mirrors.
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

/// "2.0 what": the loop's time, then the event.

/// One "tick" line per loop iteration.

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

TEST_CASE("wait_for returns the result of a coroutine that finishes in time, and its timer goes",
          "[l09][ex1]") {
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

// async def main():
//     asyncio.create_task(ticker(8))
//     log("wait_for"); r = await asyncio.wait_for(steps(3), 10); log(f"returned {r}")
TEST_CASE("wait_for resumes two loop iterations after the task finished, as asyncio's does",
          "[l09][ex1]") {
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

TEST_CASE("on timeout, wait_for cancels the task, waits for its cleanup, then raises TimeoutError",
          "[l09][ex1]") {
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

// async def sleepy():
//     try: await asyncio.sleep(5)
//     except asyncio.CancelledError:
//         log("sleepy cancelled"); await asyncio.sleep(0); await asyncio.sleep(0)
//         log("sleepy cleaned up"); raise
// async def main():
//     asyncio.create_task(tick_at_1())      # sleeps 1 s, then ticks 10 times
//     log("wait_for")
//     try: await asyncio.wait_for(sleepy(), 1)
//     except TimeoutError: log("TimeoutError")
TEST_CASE("on timeout, the loop iterations match asyncio's: one to notice, two after the cleanup",
          "[l09][ex1]") {
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

TEST_CASE("wait_for on a task cancels that very task on timeout; it is done when TimeoutError comes",
          "[l09][ex1]") {
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

TEST_CASE("a swallowing task makes wait_for return the task's value, late",
          "[l09][ex1]") {
  // CPython 3.11: after cancelling, wait_for returns fut.result(); only a CancelledError
  // becomes TimeoutError.
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    int value = co_await aio::wait_for(job(log, 10s, 1, 500ms, /*swallow=*/true), 2s);
    log->push_back(at("returned " + std::to_string(value)));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"2.0 job cancelled: CancelledError()", "2.5 job cleaned up", "2.5 returned -1"});
}

TEST_CASE("a failure of the task comes out of wait_for, in time or during its cleanup", "[l09][ex1]") {
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

// async def caller():
//     try: await asyncio.wait_for(sleepy(), 3)     # sleepy cleans up for 0.5 s
//     except asyncio.CancelledError as e: log(f"caller cancelled {e!r}"); raise
// async def main():
//     c = asyncio.create_task(caller()); await asyncio.sleep(1); c.cancel("stop")
//     asyncio.create_task(ticker(6)); ...
TEST_CASE("cancelling the caller cancels the task too, waits for its cleanup, then passes the error on",
          "[l09][ex1]") {
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

TEST_CASE("a timeout of zero: a done task gives its result, a new coroutine never runs, a pending task is cancelled",
          "[l09][ex1]") {
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

// async def inner(): await asyncio.sleep(1); log("inner returns"); return 5
// async def caller():
//     r = await asyncio.wait_for(inner(), 3)
//     log(f"caller got {r}, cancelling={asyncio.current_task().cancelling()}"); return r
// async def main():
//     c = asyncio.create_task(caller()); await asyncio.sleep(0); await asyncio.sleep(0)
//     await asyncio.sleep(1); log("main cancels the caller"); c.cancel()
//     r = await c; log(f"caller returned {r}, cancelled={c.cancelled()}")
TEST_CASE("3.11 quirk: a caller cancelled just after the task finished gets the result, and the cancellation is dropped",
          "[l09][ex1]") {
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
                   "1.0 caller returned 5, cancelled=False"});
}

TEST_CASE("a task destroyed with the loop while it waits in wait_for or in a scope leaves nothing behind",
          "[l09][ex1]") {
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
