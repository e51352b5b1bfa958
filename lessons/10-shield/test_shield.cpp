// Tests for aio::shield (exercises l10.ex1 and l10.ex2).
//
// Every expected log below is what CPython 3.11 prints for the same program written with
// asyncio.shield; the comment above a test names the program in cpython/ that shows it (the
// test l10.cpython runs them; 3.12 and 3.13 print the same). Times come from the virtual clock;
// "tick" lines count loop iterations.
#include <aio/cancellation.hpp>
#include <aio/clock.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/future.hpp>
#include <aio/run.hpp>
#include <aio/shield.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio/timeout.hpp>
#include <aio/wait_for.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>

#include <algorithm>
#include <chrono>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using aio_test::Log;
using aio_test::at;
using aio_test::join;
using aio_test::py;
using aio_test::ticker;

namespace {

/// Ends after `count` loop iterations, failing if asked to.
aio::Coro<int> steps(Log* log, int count, bool fail = false) {
  for (int i = 0; i < count; ++i) co_await aio::sleep(0ms);
  log->push_back("child " + std::to_string(count) + " ends");
  if (fail) throw std::runtime_error("broken");
  co_return count;
}

/// The critical work: sleeps, then returns "saved". Logs a cancellation, which must not come.
aio::Coro<std::string> work(Log* log, aio::Duration delay) {
  try {
    co_await aio::sleep(delay);
  } catch (const aio::CancelledError&) {
    log->push_back(at("work cancelled"));
    throw;
  }
  log->push_back(at("work done"));
  co_return "saved";
}

/// Awaits `task` through a shield and logs how that ends.
aio::Coro<std::string> caller(Log* log, aio::Task<std::string> task) {
  try {
    std::string result = co_await aio::shield(task);
    log->push_back(at("caller got " + result));
    co_return result;
  } catch (const aio::CancelledError& error) {
    log->push_back(at("caller cancelled: CancelledError(" + error.message() + "), cancelling() = " +
                      std::to_string(aio::current_task()->cancelling())));
    throw;
  }
}

// book:shielded
/// asyncio's `wait_for(shield(task), t)` in aio: wait_for takes a coroutine or a task, so the
/// shield goes into a one-line coroutine.
aio::Coro<std::string> shielded(aio::Task<std::string> task) {
  std::string result = co_await aio::shield(task);
  co_return result;
}
// end book:shielded

// book:must-have
/// A caller that must have the result even when it is cancelled: catch, await the task again
/// (not shielded now: a second cancel() reaches it), then let the cancellation go on.
aio::Coro<std::string> must_have(Log* log, aio::Task<std::string> write) {
  std::string status;
  std::exception_ptr cancelled;
  try {
    status = co_await aio::shield(write);
  } catch (const aio::CancelledError&) {
    cancelled = std::current_exception();  // no co_await in a handler
  }
  if (cancelled) {
    log->push_back(at("caller cancelled, awaits the write anyway"));
    status = co_await write;
    log->push_back(at("caller got " + status + ", goes on being cancelled"));
    std::rethrow_exception(cancelled);
  }
  co_return status;
}
// end book:must-have

/// Collects what the loop reports (unretrieved exceptions), with the time.
void capture_reports(Log* log) {
  aio::get_running_loop().set_exception_handler([log](const std::string& message) {
    log->push_back(at("handler: " + message));
  });
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// l10.ex1: awaiting through a shield

// CPython: cpython/shield_hops.py
TEST_CASE("shield gives the result two loop iterations after the task finished", "[l10][ex1]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Task<void> tick = aio::create_task(ticker(log, 8));
    aio::Task<int> task = aio::create_task(steps(log, 3));
    log->push_back("shield");
    int value = co_await aio::shield(task);
    log->push_back("returned " + std::to_string(value));
    co_await tick;
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) ==
        "shield | tick 0 | tick 1 | tick 2 | tick 3 | child 3 ends | tick 4 | tick 5 | returned 3 | tick 6 | tick 7");
}

// CPython: cpython/shield_hops.py
TEST_CASE("shield of a task that is done already returns without suspending", "[l10][ex1]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Task<int> task = aio::create_task(steps(log, 0));
    co_await aio::sleep(0ms);
    aio::Task<void> tick = aio::create_task(ticker(log, 2));
    log->push_back("shield");
    int value = co_await aio::shield(task);
    log->push_back("returned " + std::to_string(value));
    co_await tick;
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "child 0 ends | shield | returned 0 | tick 0 | tick 1");
}

// The shield never suspended, so there was no waiting to cancel: the task's own error comes out.
// CPython: cpython/shield_done_cancelled.py
TEST_CASE("shield of a task cancelled already gives its own CancelledError", "[l10][ex1]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Task<std::string> task = aio::create_task(work(log, 1s));
    co_await aio::sleep(0ms);
    task.cancel("inner");
    co_await aio::sleep(0ms);
    co_await aio::sleep(0ms);
    log->push_back(std::string("done() = ") + py(task.done()));
    try {
      co_await aio::shield(task);
    } catch (const aio::CancelledError& error) {
      log->push_back("shield raised CancelledError(" + error.message() + ")");
    }
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"0.0 work cancelled", "done() = True", "shield raised CancelledError(inner)"});
}

TEST_CASE("a failure of the task comes out of the shield and counts as retrieved", "[l10][ex1]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    capture_reports(log);
    {
      aio::Task<int> task = aio::create_task(steps(log, 2, /*fail=*/true));
      try {
        co_await aio::shield(task);
      } catch (const std::runtime_error& error) {
        log->push_back(at(std::string("shield raised ") + error.what()));
      }
    }  // the last handle goes: a failure nobody had seen would be reported here
    co_await aio::sleep(1s);
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"child 2 ends", "0.0 shield raised broken"});
}

TEST_CASE("shield(coroutine) runs it as a task at once, before the co_await", "[l10][ex1]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    const std::size_t before = aio::all_tasks().size();
    auto shielded = aio::shield(work(log, 1s));
    log->push_back(at("tasks: " + std::to_string(aio::all_tasks().size() - before) + " more"));
    std::string result = co_await shielded;
    log->push_back(at("returned " + result));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"0.0 tasks: 1 more", "1.0 work done", "1.0 returned saved"});
}

// CPython: cpython/shield_inner_cancelled.py
TEST_CASE("cancelling the shielded task cancels the caller, without a message", "[l10][ex1]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Task<std::string> task = aio::create_task(work(log, 2s));
    aio::Task<std::string> waiting = aio::create_task(caller(log, task));
    co_await aio::sleep(1s);
    task.cancel("inner");
    aio::Task<void> tick = aio::create_task(ticker(log, 4));
    try {
      co_await waiting;
    } catch (const aio::CancelledError&) {
      log->push_back(at(std::string("caller cancelled() = ") + py(waiting.cancelled())));
    }
    co_await tick;
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "1.0 work cancelled | tick 0 | tick 1 | 1.0 caller cancelled: CancelledError(), cancelling() = 0 | "
                     "tick 2 | 1.0 caller cancelled() = True | tick 3");
}

// ---------------------------------------------------------------------------------------------
// l10.ex2: the awaiting task is cancelled, the shielded task is not

// CPython: cpython/shield_caller_cancelled.py
TEST_CASE("a cancelled caller stops at once; the shielded task runs on", "[l10][ex2]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Task<std::string> task = aio::create_task(work(log, 2s));
    aio::Task<std::string> waiting = aio::create_task(caller(log, task));
    co_await aio::sleep(1s);
    waiting.cancel("client left");
    aio::Task<void> tick = aio::create_task(ticker(log, 3));
    try {
      co_await waiting;
    } catch (const aio::CancelledError&) {
      log->push_back(at(std::string("main: caller cancelled() = ") + py(waiting.cancelled()) +
                        ", work done() = " + py(task.done()) + ", work cancelling() = " +
                        std::to_string(task.cancelling())));
    }
    std::string result = co_await task;
    log->push_back(at("main: work returned " + result));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) ==
        "1.0 caller cancelled: CancelledError(client left), cancelling() = 1 | tick 0 | "
        "1.0 main: caller cancelled() = True, work done() = False, work cancelling() = 0 | tick 1 | tick 2 | "
        "2.0 work done | 2.0 main: work returned saved");
}

// CPython: cpython/shield_unretrieved.py
namespace {
aio::Coro<void> inner_finishes(Log* log, std::string name) {
  co_await aio::sleep(1s);
  log->push_back(at(name + " finished"));
}

aio::Coro<void> shield_caller(Log* log, std::string name) {
  try {
    co_await aio::shield(aio::create_task(inner_finishes(log, name)));
  } catch (const aio::CancelledError& error) {
    log->push_back(at("caller sees " + aio_test::args(error)));
    throw;
  }
}

aio::Coro<void> cancel_shield_callers(Log* log) {
  for (const auto& [name, message] : aio_test::three_cancels()) {
    auto task = aio::create_task(shield_caller(log, "inner of " + name));
    co_await aio::sleep(500ms);
    task.cancel(message);
    try {
      co_await task;
    } catch (const aio::CancelledError& error) {
      log->push_back(at("main sees " + aio_test::args(error)));
    }
    co_await aio::sleep(1s);
  }
}
}  // namespace

// CPython: cpython/cancel_message.py
TEST_CASE("a cancel message stops at the shield, with the caller", "[l10][ex2]") {
  Log log;
  aio::run(cancel_shield_callers(&log), {.virtual_clock = true});
  CHECK(log == Log{"0.5 caller sees ()", "0.5 main sees ()", "1.0 inner of cancel() finished",
                   "2.0 caller sees ('',)", "2.0 main sees ('',)", "2.5 inner of cancel('') finished",
                   "3.5 caller sees ('m',)", "3.5 main sees ('m',)", "4.0 inner of cancel('m') finished"});
}

TEST_CASE("a shielded coroutine still finishes; its unretrieved failure is reported", "[l10][ex2]") {
  Log log;
  auto fails = [](Log* log) -> aio::Coro<void> {
    co_await aio::sleep(2s);
    log->push_back(at("work fails"));
    throw std::runtime_error("disk full");
  };
  auto waiting = [](Log* log, auto fails) -> aio::Coro<void> { co_await aio::shield(fails(log)); };
  auto main = [](Log* log, auto waiting, auto fails) -> aio::Coro<void> {
    capture_reports(log);
    aio::Task<void> task = aio::create_task(waiting(log, fails));
    co_await aio::sleep(1s);
    task.cancel();
    try {
      co_await task;
    } catch (const aio::CancelledError&) {
      log->push_back(at("caller cancelled"));
    }
    co_await aio::sleep(2s);
    log->push_back(at("end"));
  };
  aio::run(main(&log, waiting, fails), {.virtual_clock = true});
  REQUIRE(log.size() == 4);
  CHECK(log[0] == "1.0 caller cancelled");
  CHECK(log[1] == "2.0 work fails");
  CHECK_THAT(log[2], aio_test::contains("2.0 handler: Task exception was never retrieved"));
  CHECK_THAT(log[2], aio_test::contains("disk full"));
  CHECK(log[3] == "3.0 end");
}

// work fails at 1.0; in the same iteration, before the shield's done callback has run, main
// cancels the caller. asyncio's callback then finds the outer future cancelled and reads
// inner.exception(): the failure is not reported. CPython: cpython/shield_completing.py
TEST_CASE("a caller cancelled while the shield completes; the failure is retrieved", "[l10][ex2]") {
  Log log;
  auto fails = [](Log* log) -> aio::Coro<std::string> {
    co_await aio::sleep(1s);
    log->push_back(at("work fails"));
    throw std::runtime_error("disk full");
  };
  auto main = [](Log* log, auto fails) -> aio::Coro<void> {
    capture_reports(log);
    aio::Task<std::string> waiting;
    {
      aio::Task<std::string> task = aio::create_task(fails(log));
      waiting = aio::create_task(caller(log, task));
    }
    co_await aio::sleep(0ms);
    co_await aio::sleep(1s);  // due after work's timer: work has just finished
    log->push_back(at("cancel caller"));
    waiting.cancel("same time");
    try {
      co_await waiting;
    } catch (const aio::CancelledError&) {
      log->push_back(at("caller cancelled"));
    }
    co_await aio::sleep(1s);
    log->push_back(at("end"));
  };
  aio::run(main(&log, fails), {.virtual_clock = true});
  CHECK(log == Log{"1.0 work fails", "1.0 cancel caller", "1.0 caller cancelled: CancelledError(same time), cancelling() = 1",
                   "1.0 caller cancelled", "2.0 end"});
}

// CPython: cpython/shield_late_cancel.py
TEST_CASE("a cancel after the shield woke the caller comes at its next step", "[l10][ex2]") {
  Log log;
  auto quick = [](Log* log) -> aio::Coro<std::string> {
    co_await aio::sleep(1s);
    log->push_back(at("work returns"));
    co_return "saved";
  };
  auto main = [](Log* log, auto quick) -> aio::Coro<void> {
    aio::Task<std::string> task = aio::create_task(quick(log));
    aio::Task<std::string> waiting = aio::create_task(caller(log, task));
    co_await aio::sleep(0ms);
    co_await aio::sleep(1s);  // work ends in this iteration
    co_await aio::sleep(0ms);  // the shield wakes the caller in this one
    log->push_back(at("cancel caller"));
    CHECK(waiting.cancel("late"));
    try {
      co_await waiting;
    } catch (const aio::CancelledError&) {
      log->push_back(at(std::string("caller cancelled() = ") + py(waiting.cancelled()) + ", work result " +
                        task.result()));
    }
  };
  aio::run(main(&log, quick), {.virtual_clock = true});
  CHECK(log == Log{"1.0 work returns", "1.0 cancel caller", "1.0 caller cancelled: CancelledError(late), cancelling() = 1",
                   "1.0 caller cancelled() = True, work result saved"});
}

TEST_CASE("many callers shield one task; cancelling some leaves the others alone", "[l10][ex2]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Task<std::string> task = aio::create_task(work(log, 2s));
    std::vector<aio::Task<std::string>> callers;
    for (int i = 0; i < 4; ++i) callers.push_back(aio::create_task(caller(log, task)));
    co_await aio::sleep(1s);
    callers[1].cancel("one");
    callers[3].cancel("three");
    for (auto& waiting : callers) {
      try {
        co_await waiting;
      } catch (const aio::CancelledError&) {
      }
    }
    CHECK(callers[0].result() == "saved");
    CHECK(callers[1].cancelled());
    CHECK(callers[2].result() == "saved");
    CHECK(callers[3].cancelled());
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"1.0 caller cancelled: CancelledError(one), cancelling() = 1",
                   "1.0 caller cancelled: CancelledError(three), cancelling() = 1", "2.0 work done",
                   "2.0 caller got saved", "2.0 caller got saved"});
}

// CPython: cpython/shield_timeouts.py
TEST_CASE("a timeout around a shield stops the waiting, not the task", "[l10][ex2]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Task<std::string> task = aio::create_task(work(log, 3s));
    // book:wait-for-shielded
    try {
      co_await aio::wait_for(shielded(task), 1s);
    } catch (const aio::TimeoutError&) {
      log->push_back(at(std::string("TimeoutError, work done() = ") + py(task.done())));
    }
    try {
      co_await aio::timeout(1s).run(shielded(task));
    } catch (const aio::TimeoutError&) {
      log->push_back(at(std::string("TimeoutError, work done() = ") + py(task.done())));
    }
    // end book:wait-for-shielded
    std::string result = co_await task;
    log->push_back(at("work returned " + result));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"1.0 TimeoutError, work done() = False", "2.0 TimeoutError, work done() = False",
                   "3.0 work done", "3.0 work returned saved"});
}

TEST_CASE("a caller that must have the result awaits the task again, then rethrows", "[l10][ex2]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Task<std::string> write = aio::create_task(work(log, 2s));
    aio::Task<std::string> caller = aio::create_task(must_have(log, write));
    co_await aio::sleep(1s);
    caller.cancel();
    try {
      co_await caller;
    } catch (const aio::CancelledError&) {
      log->push_back(at(std::string("caller cancelled() = ") + py(caller.cancelled())));
    }
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"1.0 caller cancelled, awaits the write anyway", "2.0 work done",
                   "2.0 caller got saved, goes on being cancelled", "2.0 caller cancelled() = True"});
}

// A shield protects from the caller, not from the end of the program.
// CPython: cpython/shield_shutdown.py
TEST_CASE("aio::run cancels a shielded task still running when main returns", "[l10][ex2]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Task<std::string> write = aio::create_task(work(log, 2s));
    try {
      co_await aio::timeout(500ms).run(shielded(write));
    } catch (const aio::TimeoutError&) {
      log->push_back(at("main: stopped waiting, returns"));
    }
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"0.5 main: stopped waiting, returns", "0.5 work cancelled"});
}

TEST_CASE("a task destroyed while it waits through a shield leaves nothing behind", "[l10][ex1]") {
  // Destroying the waiting frame must take the shield's listener off the inner task, which is
  // destroyed after it (AddressSanitizer checks that nothing is touched afterwards).
  Log log;
  auto waiting = [](Log* log, aio::Task<std::string> task) -> aio::Coro<std::string> {
    log->push_back("waiting through the shield");
    std::string result = co_await aio::shield(task);
    co_return result;
  };
  {
    aio::EventLoop loop(aio::Clock::virtual_time());
    aio::detail::RunningLoop running(loop);
    loop.set_exception_handler([&log](const std::string& message) { log.push_back(message); });
    {
      aio::Task<std::string> task = aio::create_task(work(&log, 24h));
      aio::Task<std::string> caller = aio::create_task(waiting(&log, task));
    }
    loop.run_once();  // the work starts its sleep, the caller reaches the shield
  }
  CHECK(log == Log{"waiting through the shield", "Task was destroyed but it is pending: <Task 'Task-1'>",
                   "Task was destroyed but it is pending: <Task 'Task-2'>"});
}

// ---- futures: shield takes an aio::Future as asyncio's takes any future ------------------------

namespace {

aio::Coro<void> shields_a_future(aio::Future<int> future, Log* log) {
  try {
    const int value = co_await aio::shield(future);
    log->push_back(at("caller got " + std::to_string(value)));
  } catch (const aio::CancelledError& cancelled) {
    log->push_back(at("caller sees CancelledError" + aio_test::args(cancelled)));
    throw;
  }
}

aio::Coro<void> cancels_a_caller_of_a_shielded_future(Log* log) {
  aio::Future<int> future = aio::create_future<int>();
  aio::Task<void> task = aio::create_task(shields_a_future(future, log));
  aio::get_running_loop().call_later(2s, [future]() mutable { future.set_result(42); });
  co_await aio::sleep(1s);
  task.cancel("stop");
  co_await aio::sleep(0s);
  log->push_back(at(std::string("future.cancelled() = ") + py(future.cancelled())));
  co_await aio::sleep(2s);
  log->push_back(at("future.result() = " + std::to_string(future.result())));
}

aio::Coro<void> counts_the_hops_of_a_shielded_future(Log* log) {
  aio::Future<int> future = aio::create_future<int>();
  aio::Task<void> ticks;
  aio::Task<void> task = aio::create_task(shields_a_future(future, log));
  aio::get_running_loop().call_later(1s, [future, log, &ticks]() mutable {
    future.set_result(7);
    log->push_back(at("set_result"));
    ticks = aio::create_task(ticker(log, 3));
  });
  co_await task;
  co_await ticks;
}

aio::Coro<void> cancels_a_shielded_future(Log* log) {
  aio::Future<int> future = aio::create_future<int>();
  aio::Task<void> task = aio::create_task(shields_a_future(future, log));
  co_await aio::sleep(1s);
  future.cancel("why");
  try {
    co_await task;
  } catch (const aio::CancelledError&) {
    log->push_back(at(std::string("caller cancelled() = ") + py(task.cancelled())));
  }
}

}  // namespace

// CPython: cpython/shield_future.py
TEST_CASE("shield of a future: the caller's cancel stops at the shield", "[l10][ex2]") {
  Log log;
  aio::run(cancels_a_caller_of_a_shielded_future(&log), {.virtual_clock = true});
  CHECK(log == Log{"1.0 caller sees CancelledError('stop',)", "1.0 future.cancelled() = False",
                   "3.0 future.result() = 42"});
}

// CPython: cpython/shield_future.py
TEST_CASE("shield of a future resumes two iterations after set_result", "[l10][ex1]") {
  Log log;
  aio::run(counts_the_hops_of_a_shielded_future(&log), {.virtual_clock = true});
  CHECK(log == Log{"1.0 set_result", "tick 0", "1.0 caller got 7", "tick 1", "tick 2"});
}

// CPython: cpython/shield_future.py
TEST_CASE("a future cancelled under a shield cancels the caller without the message", "[l10][ex1]") {
  Log log;
  aio::run(cancels_a_shielded_future(&log), {.virtual_clock = true});
  CHECK(log == Log{"1.0 caller sees CancelledError()", "1.0 caller cancelled() = True"});
}
