// Tests for the timeout scope, aio::timeout / aio::timeout_at (exercises l09.ex2 and l09.ex3).
//
// Every expected log below is what CPython 3.11 prints for the same program written with
// `async with asyncio.timeout(...)`; where the order is subtle, the comment above a test names
// the program in cpython/ that shows it (the test l09.cpython runs them). Times come from the
// virtual clock.
#include <aio/cancellation.hpp>
#include <aio/clock.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/event_loop.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio/timeout.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>

#include <chrono>
#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;
using aio_test::Log;
using aio_test::at;
using aio_test::join;
using aio_test::py;
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

std::string when(const aio::Timeout& scope) {
  return scope.when() ? aio::format_seconds(*scope.when()) : "None";
}

/// Runs `body` as a task, cancels it with the message "outside" after `delay`, and logs how
/// the task ended.
aio::Coro<void> cancel_from_outside(aio::Coro<void> body, aio::Duration delay, Log* log) {
  aio::Task<void> task = aio::create_task(std::move(body));
  co_await aio::sleep(delay);
  task.cancel("outside");
  try {
    co_await task;
  } catch (const aio::CancelledError&) {
    log->push_back(at(std::string("task cancelled() = ") + py(task.cancelled())));
  }
}

/// A 5 s job (which cleans up for `cleanup` when cancelled) inside a 1 s timeout scope; logs how
/// the scope was left.
aio::Coro<void> job_in_one_second_scope(Log* log, aio::Duration cleanup) {
  aio::Timeout scope = aio::timeout(1s);
  try {
    co_await scope.run(job(log, 5s, 1, cleanup));
  } catch (const aio::TimeoutError&) {
    log->push_back(at("TimeoutError"));
  } catch (const aio::CancelledError& error) {
    log->push_back(at("scope let through CancelledError(" + error.message() + "), expired() = " +
                      py(scope.expired()) + ", cancelling() = " + std::to_string(aio::current_task()->cancelling())));
    throw;
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// l09.ex2: the deadline cancels the task; leaving the scope turns that cancellation into TimeoutError

TEST_CASE("a deadline cancels the body; TimeoutError comes after its cleanup", "[l09][ex2]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Timeout scope = aio::timeout(3s);
    try {
      int value = co_await scope.run(job(log, 10s, 1, 500ms));
      log->push_back(at("returned " + std::to_string(value)));
    } catch (const aio::TimeoutError&) {
      log->push_back(at(std::string("TimeoutError, expired() = ") + py(scope.expired())));
    }
    log->push_back(at("cancelling() = " + std::to_string(aio::current_task()->cancelling())));
    CHECK(scope.state() == aio::Timeout::State::expired);
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"3.0 job cancelled: CancelledError()", "3.5 job cleaned up",
                   "3.5 TimeoutError, expired() = True", "3.5 cancelling() = 0"});
}

TEST_CASE("a body that finishes in time gives its value; the scope did not expire", "[l09][ex2]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<int> {
    aio::Timeout scope = aio::timeout(3s);
    int value = co_await scope.run(job(log, 1s, 42));
    log->push_back(at(std::string("returned ") + std::to_string(value) + ", expired() = " + py(scope.expired())));
    CHECK(scope.state() == aio::Timeout::State::exited);
    co_return value;
  };
  aio::EventLoop loop(aio::Clock::virtual_time());
  CHECK(aio::run_until_complete(loop, main(&log)) == 42);
  CHECK(log == Log{"1.0 job returns 42", "1.0 returned 42, expired() = False"});
  CHECK_FALSE(loop.has_work());  // the 3 s timer left the loop with the scope
}

// A scope left in time takes its timer off the loop when it is left, not when it is destroyed:
// a timer still armed would cancel the task at the old deadline, long after the scope was left.
TEST_CASE("a scope left in time takes its timer off the loop at once", "[l09][ex2]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Timeout scope = aio::timeout(1s);  // alive until main ends
    co_await scope.run(job(log, 100ms, 1));
    CHECK_FALSE(aio::get_running_loop().has_work());  // no timer left for 1.0
    try {
      co_await aio::sleep(2s);
      log->push_back(at("slept past 1.0, cancelling() = " + std::to_string(aio::current_task()->cancelling())));
    } catch (const aio::CancelledError&) {
      log->push_back(at("cancelled by the scope that was left at 0.1"));
    }
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"0.1 job returns 1", "2.1 slept past 1.0, cancelling() = 0"});
}

// CPython: cpython/timeout_no_iteration.py
TEST_CASE("the scope runs its body in the current task and adds no loop iteration", "[l09][ex2]") {
  // No await inside the block: no iteration passes.
  Log log;
  auto inside = [](Log* log, aio::TaskBase* outer) -> aio::Coro<void> {
    log->push_back("inside");
    CHECK(aio::current_task() == outer);
    co_return;
  };
  auto main = [](Log* log, auto inside) -> aio::Coro<void> {
    aio::Task<void> tick = aio::create_task(ticker(log, 2));
    co_await aio::sleep(0ms);
    log->push_back("before");
    co_await aio::timeout(5s).run(inside(log, aio::current_task()));
    log->push_back("after");
    co_await aio::sleep(0ms);
    log->push_back("end");
  };
  aio::run(main(&log, inside), {.virtual_clock = true});
  CHECK(join(log) == "tick 0 | before | inside | after | tick 1 | end");
}

TEST_CASE("a cancellation from outside passes through the scope untouched", "[l09][ex2]") {
  Log log;
  auto body = [](Log* log) -> aio::Coro<void> {
    aio::Timeout scope = aio::timeout(5s);
    try {
      co_await scope.run(job(log, 10s, 1));
    } catch (const aio::CancelledError& error) {
      log->push_back(at("scope let through CancelledError(" + error.message() + "), expired() = " +
                        py(scope.expired())));
      throw;
    }
  };
  aio::run(cancel_from_outside(body(&log), 1s, &log), {.virtual_clock = true});
  CHECK(log == Log{"1.0 job cancelled: CancelledError(outside)",
                   "1.0 scope let through CancelledError(outside), expired() = False", "1.0 task cancelled() = True"});
}

// CPython: cpython/timeout_outside_with_deadline.py
namespace {
aio::Coro<void> in_scope(Log* log, aio::Duration delay) {
  aio::Timeout scope = aio::timeout(delay);
  co_await scope.run(aio_test::reports_args(log, "body", 10s));
}

aio::Coro<void> cancel_scope_three_ways(Log* log) {
  for (const auto& [name, message] : aio_test::three_cancels()) {
    auto task = aio::create_task(in_scope(log, 5s));
    co_await aio::sleep(1s);
    log->push_back(at(name));
    task.cancel(message);
    try {
      co_await task;
    } catch (const aio::CancelledError& error) {
      log->push_back(at("main sees " + aio_test::args(error)));
    }
  }
  try {
    co_await in_scope(log, 1s);
  } catch (const aio::TimeoutError&) {
    log->push_back(at("TimeoutError"));
  }
}
}  // namespace

// CPython: cpython/cancel_message.py
TEST_CASE("a cancel message passes through a scope; a deadline has none", "[l09][ex2]") {
  Log log;
  aio::run(cancel_scope_three_ways(&log), {.virtual_clock = true});
  CHECK(log == Log{"1.0 cancel()", "1.0 body sees ()", "1.0 main sees ()",
                   "2.0 cancel('')", "2.0 body sees ('',)", "2.0 main sees ('',)",
                   "3.0 cancel('m')", "3.0 body sees ('m',)", "3.0 main sees ('m',)",
                   "4.0 body sees ()", "4.0 TimeoutError"});
}

TEST_CASE("an outside cancellation together with the deadline stays a cancellation", "[l09][ex2]") {
  Log log;
  // The outside cancel is due together with the scope's deadline, and after it.
  aio::run(cancel_from_outside(job_in_one_second_scope(&log, 0ms), 1s, &log), {.virtual_clock = true});
  CHECK(log == Log{"1.0 job cancelled: CancelledError()",
                   "1.0 scope let through CancelledError(), expired() = True, cancelling() = 1",
                   "1.0 task cancelled() = True"});
}

// CPython: cpython/timeout_cancel_during_cleanup.py
TEST_CASE("an outside cancellation wins over a deadline during its cleanup", "[l09][ex2]") {
  // The outside cancel at 0.5 starts a 0.5 s cleanup; the deadline at 1.0 cuts it short (a
  // second CancelledError); the scope withdraws its request, one is left: not a timeout.
  Log log;
  aio::run(cancel_from_outside(job_in_one_second_scope(&log, 500ms), 500ms, &log), {.virtual_clock = true});
  CHECK(log == Log{"0.5 job cancelled: CancelledError(outside)",
                   "1.0 scope let through CancelledError(), expired() = True, cancelling() = 1",
                   "1.0 task cancelled() = True"});
}

TEST_CASE("nested scopes: the inner deadline passes, the inner scope reports it", "[l09][ex2]") {
  Log log;
  auto inner_part = [](Log* log, aio::Timeout& outer) -> aio::Coro<void> {
    // `outer` is a reference: it lives in main's frame, which outlives this coroutine.
    aio::Timeout inner = aio::timeout(1s);
    try {
      co_await inner.run(job(log, 3s, 1));
    } catch (const aio::TimeoutError&) {
      log->push_back(at(std::string("inner TimeoutError, inner.expired() = ") + py(inner.expired()) +
                        ", outer.expired() = " + py(outer.expired())));
    }
    co_await job(log, 2s, 2);
  };
  auto main = [](Log* log, auto inner_part) -> aio::Coro<void> {
    aio::Timeout outer = aio::timeout(5s);
    try {
      co_await outer.run(inner_part(log, outer));
      log->push_back(at("outer finished normally"));
    } catch (const aio::TimeoutError&) {
      log->push_back(at("outer TimeoutError"));
    }
  };
  aio::run(main(&log, inner_part), {.virtual_clock = true});
  CHECK(log == Log{"1.0 job cancelled: CancelledError()",
                   "1.0 inner TimeoutError, inner.expired() = True, outer.expired() = False", "3.0 job returns 2",
                   "3.0 outer finished normally"});
}

TEST_CASE("nested scopes: the outer deadline passes, the outer scope reports it", "[l09][ex2]") {
  Log log;
  auto inner_part = [](Log* log) -> aio::Coro<void> {
    aio::Timeout inner = aio::timeout(5s);
    try {
      co_await inner.run(job(log, 10s, 1, 500ms));
    } catch (const aio::CancelledError&) {
      log->push_back(at(std::string("inner let CancelledError through, inner.expired() = ") + py(inner.expired())));
      throw;
    } catch (const aio::TimeoutError&) {
      log->push_back(at("inner TimeoutError (wrong)"));
    }
  };
  auto main = [](Log* log, auto inner_part) -> aio::Coro<void> {
    aio::Timeout outer = aio::timeout(2s);
    try {
      co_await outer.run(inner_part(log));
    } catch (const aio::TimeoutError&) {
      log->push_back(at(std::string("outer TimeoutError, outer.expired() = ") + py(outer.expired()) +
                        ", cancelling() = " + std::to_string(aio::current_task()->cancelling())));
    }
  };
  aio::run(main(&log, inner_part), {.virtual_clock = true});
  CHECK(log == Log{"2.0 job cancelled: CancelledError()", "2.5 job cleaned up",
                   "2.5 inner let CancelledError through, inner.expired() = False",
                   "2.5 outer TimeoutError, outer.expired() = True, cancelling() = 0"});
}

TEST_CASE("nested scopes with the same deadline: the outer one reports it", "[l09][ex2]") {
  Log log;
  auto inner_part = [](Log* log, aio::Duration deadline) -> aio::Coro<void> {
    try {
      co_await aio::timeout_at(deadline).run(job(log, 10s, 1));
    } catch (const aio::CancelledError&) {
      log->push_back(at("inner let CancelledError through"));
      throw;
    } catch (const aio::TimeoutError&) {
      log->push_back(at("inner TimeoutError"));
    }
  };
  auto main = [](Log* log, auto inner_part) -> aio::Coro<void> {
    const aio::Duration deadline = aio::get_running_loop().time() + 2s;
    try {
      co_await aio::timeout_at(deadline).run(inner_part(log, deadline));
    } catch (const aio::TimeoutError&) {
      log->push_back(at("outer TimeoutError"));
    }
  };
  aio::run(main(&log, inner_part), {.virtual_clock = true});
  CHECK(log == Log{"2.0 job cancelled: CancelledError()", "2.0 inner let CancelledError through",
                   "2.0 outer TimeoutError"});
}

TEST_CASE("a swallowing body ends the scope without TimeoutError, yet expired", "[l09][ex2]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Timeout scope = aio::timeout(1s);
    int value = co_await scope.run(job(log, 3s, 1, 500ms, /*swallow=*/true));
    log->push_back(at("scope finished: " + std::to_string(value) + ", expired() = " + py(scope.expired()) +
                      ", cancelling() = " + std::to_string(aio::current_task()->cancelling())));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"1.0 job cancelled: CancelledError()", "1.5 job cleaned up",
                   "1.5 scope finished: -1, expired() = True, cancelling() = 0"});
}

// CPython 3.11.7, 3.12 and 3.13. (An early 3.11, Debian 12's 3.11.2, compared the count with 0,
// not with the baseline, and let the CancelledError through.) CPython: cpython/timeout_pending_cancel.py
TEST_CASE("a cancellation pending at entry counts in the scope's baseline", "[l09][ex2]") {
  Log log;
  auto body = [](Log* log) -> aio::Coro<int> {
    aio::TaskBase* me = aio::current_task();
    me->cancel("self");
    try {
      co_await aio::timeout(0s).run(job(log, 50ms, 1));
    } catch (const aio::TimeoutError&) {
      log->push_back(at("TimeoutError, cancelling() = " + std::to_string(me->cancelling())));
    }
    co_await aio::sleep(100ms);
    log->push_back(at("still running, cancelling() = " + std::to_string(me->cancelling())));
    co_return 1;
  };
  auto main = [](Log* log, auto body) -> aio::Coro<void> {
    aio::Task<int> task = aio::create_task(body(log));
    int value = co_await task;
    log->push_back(at("returned " + std::to_string(value) + ", cancelled() = " + py(task.cancelled())));
  };
  aio::run(main(&log, body), {.virtual_clock = true});
  CHECK(log == Log{"0.0 job cancelled: CancelledError(self)", "0.0 TimeoutError, cancelling() = 1",
                   "0.1 still running, cancelling() = 1", "0.1 returned 1, cancelled() = False"});
}

// asyncio.timeout(0): __aenter__ schedules the timeout with call_soon.
// CPython: cpython/timeout_past_deadline.py
TEST_CASE("a deadline that has passed already fires in the next loop iteration", "[l09][ex2]") {
  Log log;
  auto body = [](Log* log) -> aio::Coro<void> {
    log->push_back("inside");
    co_await aio::sleep(0ms);
    log->push_back("after sleep(0)");
  };
  auto main = [](Log* log, auto body) -> aio::Coro<void> {
    aio::Task<void> tick = aio::create_task(ticker(log, 4));
    log->push_back("enter");
    try {
      co_await aio::timeout(0s).run(body(log));
    } catch (const aio::TimeoutError&) {
      log->push_back("TimeoutError");
    }
  };
  aio::run(main(&log, body), {.virtual_clock = true});
  CHECK(join(log) == "enter | inside | tick 0 | TimeoutError | tick 1");
}

// CPython: cpython/timeout_reads_clock.py
TEST_CASE("timeout(delay) counts from the call, not from the co_await", "[l09][ex2]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Timeout scope = aio::timeout(1s);
    log->push_back(at("made, when() = " + when(scope)));
    co_await aio::sleep(500ms);
    try {
      co_await scope.run(job(log, 2s, 1));
    } catch (const aio::TimeoutError&) {
      log->push_back(at("TimeoutError"));
    }
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"0.0 made, when() = 1.0", "1.0 job cancelled: CancelledError()", "1.0 TimeoutError"});
}

TEST_CASE("aio::timeout(std::nullopt) never expires", "[l09][ex2]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Timeout scope = aio::timeout(std::nullopt);
    co_await scope.run(job(log, 100s, 1));
    log->push_back(at(std::string("expired() = ") + py(scope.expired())));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"100.0 job returns 1", "100.0 expired() = False"});
}

TEST_CASE("a scope is entered once only, and only inside a task", "[l09][ex2]") {
  auto twice = []() -> aio::Coro<std::string> {
    auto nothing = []() -> aio::Coro<int> { co_return 1; };
    aio::Timeout scope = aio::timeout(1s);
    co_await scope.run(nothing());
    try {
      co_await scope.run(nothing());
    } catch (const aio::InvalidStateError& error) {
      co_return error.what();
    }
    co_return "entered twice";
  };
  CHECK(aio::run(twice(), {.virtual_clock = true}) == "Timeout has already been entered");

  // A running loop, but no task: nothing to cancel when the deadline passes.
  aio::EventLoop loop(aio::Clock::virtual_time());
  aio::detail::RunningLoop running(loop);
  auto nothing = []() -> aio::Coro<int> { co_return 1; };
  aio::Timeout scope = aio::timeout_at(1s);
  auto awaiter = scope.run(nothing());
  CHECK_THROWS_WITH(awaiter.await_ready(), aio_test::contains("inside a task"));
}

// ---------------------------------------------------------------------------------------------
// l09.ex3: reschedule

// CPython: cpython/timeout_reschedule.py
TEST_CASE("reschedule arms a scope that had no deadline, and moves a deadline later", "[l09][ex3]") {
  Log log;
  auto body = [](Log* log, aio::Timeout& scope) -> aio::Coro<void> {
    // `scope` is a reference: it lives in main's frame, which outlives this coroutine.
    aio::EventLoop& loop = aio::get_running_loop();
    log->push_back(at("when = " + when(scope)));
    scope.reschedule(loop.time() + 3s);
    log->push_back(at("when = " + when(scope)));
    co_await job(log, 1s, 1);
    scope.reschedule(loop.time() + 1s);  // 3.0 becomes 2.0
    co_await job(log, 1500ms, 2);
  };
  auto main = [](Log* log, auto body) -> aio::Coro<void> {
    aio::Timeout scope = aio::timeout(std::nullopt);
    try {
      co_await scope.run(body(log, scope));
    } catch (const aio::TimeoutError&) {
      log->push_back(at("TimeoutError, when = " + when(scope)));
    }
  };
  aio::run(main(&log, body), {.virtual_clock = true});
  CHECK(log == Log{"0.0 when = None", "0.0 when = 3.0", "1.0 job returns 1", "2.0 job cancelled: CancelledError()",
                   "2.0 TimeoutError, when = 2.0"});
}

TEST_CASE("a keep-alive: each reschedule pushes the deadline out again", "[l09][ex3]") {
  Log log;
  auto stream = [](Log* log, aio::Timeout& scope) -> aio::Coro<void> {
    for (aio::Duration gap : {1500ms, 1900ms, 1000ms, 2500ms, 100ms}) {
      co_await aio::sleep(gap);
      log->push_back(at("chunk"));
      scope.reschedule(aio::get_running_loop().time() + 2s);
    }
  };
  auto main = [](Log* log, auto stream) -> aio::Coro<void> {
    aio::Timeout idle = aio::timeout(2s);
    try {
      co_await idle.run(stream(log, idle));
    } catch (const aio::TimeoutError&) {
      log->push_back(at("idle for 2 s: TimeoutError"));
    }
  };
  aio::run(main(&log, stream), {.virtual_clock = true});
  CHECK(log == Log{"1.5 chunk", "3.4 chunk", "4.4 chunk", "6.4 idle for 2 s: TimeoutError"});
}

// CPython: cpython/timeout_past_deadline.py
TEST_CASE("reschedule to a past deadline fires in the next iteration", "[l09][ex3]") {
  Log log;
  auto body = [](Log* log, aio::Timeout& scope) -> aio::Coro<void> {
    log->push_back("inside");
    scope.reschedule(aio::get_running_loop().time() - 1s);
    co_await aio::sleep(0ms);
    log->push_back("after sleep(0)");
  };
  auto main = [](Log* log, auto body) -> aio::Coro<void> {
    aio::Task<void> tick = aio::create_task(ticker(log, 4));
    aio::Timeout scope = aio::timeout(10s);
    try {
      co_await scope.run(body(log, scope));
    } catch (const aio::TimeoutError&) {
      log->push_back("TimeoutError");
    }
  };
  aio::run(main(&log, body), {.virtual_clock = true});
  CHECK(join(log) == "inside | tick 0 | TimeoutError | tick 1");
}

TEST_CASE("reschedule(std::nullopt) takes the deadline away", "[l09][ex3]") {
  Log log;
  auto body = [](Log* log, aio::Timeout& scope) -> aio::Coro<int> {
    scope.reschedule(std::nullopt);
    int value = co_await job(log, 5s, 1);
    co_return value;
  };
  auto main = [](Log* log, auto body) -> aio::Coro<void> {
    aio::Timeout scope = aio::timeout(1s);
    co_await scope.run(body(log, scope));
    log->push_back(at(std::string("expired() = ") + py(scope.expired()) + ", when = " + when(scope)));
  };
  aio::EventLoop loop(aio::Clock::virtual_time());
  aio::run_until_complete(loop, main(&log, body));
  CHECK(log == Log{"5.0 job returns 1", "5.0 expired() = False, when = None"});
  CHECK_FALSE(loop.has_work());
}

// The messages are those of CPython 3.11.7, 3.12 and 3.13 (Debian 12's 3.11.2 asserts instead).
// CPython: cpython/timeout_reschedule.py
TEST_CASE("reschedule is refused once the deadline passed or the scope was left", "[l09][ex3]") {
  Log log;
  // Inside the body, after the deadline: the scope is expiring, the cancellation on its way.
  auto expiring = [](Log* log, aio::Timeout& scope) -> aio::Coro<void> {
    std::exception_ptr cancelled;
    try {
      co_await aio::sleep(1s);
    } catch (const aio::CancelledError&) {
      cancelled = std::current_exception();
    }
    try {
      scope.reschedule(aio::get_running_loop().time() + 5s);
    } catch (const aio::InvalidStateError& error) {
      log->push_back(error.what());
    }
    std::rethrow_exception(cancelled);
  };
  auto main = [](Log* log, auto expiring) -> aio::Coro<void> {
    auto nothing = []() -> aio::Coro<void> { co_return; };
    auto refused = [log](aio::Timeout& scope) {
      try {
        scope.reschedule(3s);
      } catch (const aio::InvalidStateError& error) {
        log->push_back(error.what());
      }
    };
    aio::Timeout fresh = aio::timeout(1s);
    co_await fresh.run(nothing());
    refused(fresh);
    aio::Timeout late = aio::timeout(0s);
    try {
      co_await late.run(expiring(log, late));
    } catch (const aio::TimeoutError&) {
      log->push_back("TimeoutError");
    }
    refused(late);
  };
  aio::run(main(&log, expiring), {.virtual_clock = true});
  CHECK(log == Log{"Cannot change state of finished Timeout", "Cannot change state of expiring Timeout",
                   "TimeoutError", "Cannot change state of expired Timeout"});
}

// Last of the lesson on purpose: a reschedule() that forgets this check reaches for the task the
// scope has not recorded yet (a null pointer), and the crash ends the test program here.
TEST_CASE("reschedule is refused before the scope is entered", "[l09][ex3]") {
  auto main = []() -> aio::Coro<std::string> {
    aio::Timeout fresh = aio::timeout(1s);
    try {
      fresh.reschedule(3s);
    } catch (const aio::InvalidStateError& error) {
      co_return error.what();
    }
    co_return "accepted";
  };
  CHECK(aio::run(main(), {.virtual_clock = true}) == "Timeout has not been entered");
}
