// Tests for cancellation (lesson 08): Task::cancel, CancelledError at the suspension point,
// cleanup, cancelling()/uncancel(), and aio::cancel_and_wait.
//
// Everything runs on the virtual clock and records what happens, with the loop's time, into a
// log; a test compares the whole log, so it checks both the order of events and their times.
#include <aio/cancel_and_wait.hpp>
#include <aio/cancellation.hpp>
#include <aio/clock.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/event_loop.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>

#if __has_include(<aio/gather.hpp>)
#include <aio/gather.hpp>
#define AIO_TEST_HAS_GATHER 1
#endif

#include <chrono>
#include <coroutine>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;
using aio_test::Log;
using aio_test::args;
using aio_test::at;
using aio_test::py;

namespace {

/// Records its release: the stand-in for a file, a lock, a connection.
class Guard {
public:
  Guard(Log* log, std::string name) : log_(log), name_(std::move(name)) {}
  Guard(Guard&& other) noexcept : log_(std::exchange(other.log_, nullptr)), name_(std::move(other.name_)) {}
  Guard& operator=(Guard&&) = delete;
  ~Guard() {
    if (log_ != nullptr) log_->push_back(at(name_ + " released"));
  }

private:
  Log* log_;
  std::string name_;
};

/// What a cancelled operation throws, as text: "CancelledError(message)".
template <class F>
std::string cancelled_message(F operation) {
  try {
    operation();
  } catch (const aio::CancelledError& error) {
    return "CancelledError(" + error.message() + ")";
  }
  return "no CancelledError";
}

/// A loop driven by hand, with no main task: the test itself never awaits, so nothing runs but
/// the tasks it creates. (aio::run would wrap the test in a task whose every co_await goes
/// through throw_if_cancelled, exercise 2.)
struct ManualLoop {
  aio::EventLoop loop{aio::Clock::virtual_time()};
  aio::detail::RunningLoop running{loop};

  template <class T>
  void run_until_done(const aio::Task<T>& task) {
    loop.run_until([&task] { return task.done(); });
  }
};

aio::Coro<void> sleeper(Log* log, std::string name, aio::Duration delay) {
  log->push_back(at(name + " starts"));
  try {
    co_await aio::sleep(delay);
  } catch (const aio::CancelledError& error) {
    log->push_back(at(name + " cancelled: " + error.message()));
    throw;
  }
  log->push_back(at(name + " woke"));
}

aio::Coro<int> answer(Log* log) {
  log->push_back(at("answer runs"));
  co_return 42;
}

aio::Coro<void> guarded_body(Log* log, [[maybe_unused]] Guard argument) {
  Guard local(log, "local");
  try {
    log->push_back(at("body runs"));
    co_await aio::sleep(1s);
  } catch (...) {
    log->push_back(at("body's handler runs"));
    throw;
  }
}

// Returns a value that owns memory: the task ends cancelled, so it must not keep the value, and
// AddressSanitizer reports one that is kept and never freed.
aio::Coro<std::string> cancels_itself_and_returns(Log* log) {
  log->push_back(at("cancel() of myself: " + std::to_string(aio::current_task()->cancel("myself"))));
  log->push_back(at("still running"));
  co_return std::string(100, 'x');
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// l08.ex1: cancel() asks; it returns whether it took effect and counts the requests

TEST_CASE("cancel() of a finished task returns false and changes nothing", "[l08][ex1]") {
  Log log;
  ManualLoop manual;
  auto task = aio::create_task(answer(&log));
  manual.run_until_done(task);

  CHECK_FALSE(task.cancel("too late"));
  CHECK(task.cancelling() == 0);
  CHECK_FALSE(task.cancelled());
  CHECK(task.result() == 42);
  CHECK(log == Log{"0.0 answer runs"});
}

TEST_CASE("cancelled before its first step, a task never runs its body", "[l08][ex1]") {
  Log log;
  {
    ManualLoop manual;
    auto task = aio::create_task(guarded_body(&log, Guard(&log, "argument")));
    CHECK(task.cancel("too early"));
    CHECK(task.cancelling() == 1);
    CHECK_FALSE(task.done());  // cancel() only asks: the task ends at its first step

    manual.run_until_done(task);
    CHECK(task.cancelled());
    CHECK(cancelled_message([&] { task.result(); }) == "CancelledError(too early)");
    CHECK(log.empty());  // not a line of the body ran
  }
  // The argument lives in the coroutine's frame, which goes with the task.
  CHECK(log == Log{"0.0 argument released"});
}

// As in CPython 3.11 and 3.12; from 3.13 on, an uncancel() that brings the count to 0 also takes
// back a request not yet delivered, and the task would run. CPython: cpython/uncancel_pending.py
TEST_CASE("every cancel() counts, and uncancel() takes one request back", "[l08][ex1]") {
  ManualLoop manual;
  Log log;
  auto task = aio::create_task(answer(&log));
  CHECK(task.cancel("first"));
  CHECK(task.cancel("second"));
  CHECK(task.cancelling() == 2);
  CHECK(task.uncancel() == 1);
  CHECK(task.uncancel() == 0);
  CHECK(task.uncancel() == 0);  // never below zero
  CHECK(task.cancelling() == 0);

  // As in Python 3.11, uncancel() only counts: the request itself still stands.
  manual.run_until_done(task);
  CHECK(task.cancelled());
  CHECK(log.empty());
}

namespace {

/// A suspension point whose Wait belongs to the test: it records every cancel() that asks it to
/// withdraw, and says yes or no as the test decides. Only ex1 runs here: nothing resumes it.
struct TestWait : aio::Wait {
  std::vector<std::string> asked;
  bool withdraws = true;

  TestWait() { cancel = &on_cancel; }
  static bool on_cancel(aio::Wait* self, const aio::CancelMessage& message) {
    auto* wait = static_cast<TestWait*>(self);
    wait->asked.push_back(message.value_or("(no message)"));
    return wait->withdraws;
  }
};

struct ParkOn {
  TestWait* wait;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> self) { aio::current_task()->suspend(self, wait); }
  void await_resume() const noexcept {}
};

aio::Coro<void> parks(TestWait* wait) { co_await ParkOn{wait}; }

}  // namespace

TEST_CASE("cancel() asks the task's Wait first, and counts the request", "[l08][ex1]") {
  ManualLoop manual;
  TestWait wait;
  auto task = aio::create_task(parks(&wait));
  manual.loop.run_once();  // the task runs to its co_await and parks on the test's Wait
  REQUIRE_FALSE(task.done());

  CHECK(task.cancel("first"));  // the Wait takes charge: it will wake the task itself
  CHECK(wait.asked == std::vector<std::string>{"first"});
  CHECK(task.cancelling() == 1);

  wait.withdraws = false;  // "too late": the task keeps the request for its next step
  CHECK(task.cancel("second"));
  CHECK(wait.asked == std::vector<std::string>{"first", "second"});
  CHECK(task.cancelling() == 2);
  CHECK_FALSE(task.done());
}

// CPython: cpython/cancel_messages.py
TEST_CASE("while a task has not run, the latest cancel() message is the one it gets", "[l08][ex1]") {
  ManualLoop manual;
  Log log;
  auto task = aio::create_task(answer(&log));
  CHECK(task.cancel("first"));
  CHECK(task.cancel("second"));
  manual.run_until_done(task);
  CHECK(cancelled_message([&] { task.result(); }) == "CancelledError(second)");
}

// CPython: cpython/no_message.py
TEST_CASE("before its first step, cancel() and cancel(\"\") stay apart", "[l08][ex1]") {
  ManualLoop manual;
  Log log;
  auto none = aio::create_task(answer(&log));
  auto empty = aio::create_task(answer(&log));
  auto latest = aio::create_task(answer(&log));
  CHECK(none.cancel());
  CHECK(empty.cancel(""));
  CHECK(latest.cancel("first"));
  CHECK(latest.cancel());  // a task that has not run takes the latest request's message: none
  manual.run_until_done(latest);
  std::vector<std::string> seen;
  for (auto* task : {&none, &empty, &latest}) {
    try {
      task->result();
    } catch (const aio::CancelledError& error) {
      seen.push_back(args(error));
    }
  }
  CHECK(seen == std::vector<std::string>{"()", "('',)", "()"});
  CHECK(log.empty());
}

// CPython: cpython/cancel_self.py
TEST_CASE("a task that cancels itself and returns at once ends cancelled", "[l08][ex1]") {
  ManualLoop manual;
  Log log;
  auto task = aio::create_task(cancels_itself_and_returns(&log));
  manual.run_until_done(task);
  CHECK(log == Log{"0.0 cancel() of myself: 1", "0.0 still running"});
  CHECK(task.cancelled());
  CHECK(task.cancelling() == 1);
  CHECK(cancelled_message([&] { task.result(); }) == "CancelledError(myself)");
}

// ---------------------------------------------------------------------------------------------
// l08.ex2: delivery: CancelledError comes out of the co_await at which the task is suspended

namespace {

aio::Coro<void> cancel_a_sleeper(Log* log) {
  auto job = aio::create_task(sleeper(log, "job", 10s));
  co_await aio::sleep(2s);
  log->push_back(at("main: cancel() returns " + std::to_string(job.cancel("stop"))));
  try {
    co_await job;
  } catch (const aio::CancelledError& error) {
    log->push_back(at("main: awaiting job throws CancelledError(" + error.message() + ")"));
  }
  CHECK(job.cancelled());
  CHECK(job.done());
}

}  // namespace

TEST_CASE("CancelledError comes out of the sleep, at the time of the cancel", "[l08][ex2]") {
  Log log;
  aio::run(cancel_a_sleeper(&log), {.virtual_clock = true});
  CHECK(log == Log{
                   "0.0 job starts",
                   "2.0 main: cancel() returns 1",
                   "2.0 job cancelled: stop",
                   "2.0 main: awaiting job throws CancelledError(stop)",
               });
}

namespace {

aio::Coro<void> reports_args(Log* log, std::string name) {
  try {
    co_await aio::sleep(10s);
  } catch (const aio::CancelledError& error) {
    log->push_back(at(name + " sees " + args(error)));
    throw;
  }
}

aio::Coro<void> cancel_three_ways(Log* log) {
  const std::vector<std::pair<std::string, aio::CancelMessage>> requests = {
      {"cancel()", std::nullopt}, {"cancel('')", ""}, {"cancel('why')", "why"}};
  for (const auto& [name, message] : requests) {
    auto task = aio::create_task(reports_args(log, name));
    co_await aio::sleep(1s);
    task.cancel(message);
    try {
      co_await task;
    } catch (const aio::CancelledError& error) {
      log->push_back(at("main sees " + args(error)));
    }
  }
  auto sleeper = aio::create_task(reports_args(log, "sleeper"));
  co_await aio::sleep(1s);
  sleeper.cancel();
  sleeper.cancel("second");  // the sleep was already withdrawn with the first request's (none)
  try {
    co_await sleeper;
  } catch (const aio::CancelledError& error) {
    log->push_back(at("cancel() then cancel('second'): " + args(error)));
  }
}

}  // namespace

// CPython: cpython/no_message.py
TEST_CASE("cancel() and cancel(\"\") are two different requests", "[l08][ex2]") {
  Log log;
  aio::run(cancel_three_ways(&log), {.virtual_clock = true});
  CHECK(log == Log{
                   "1.0 cancel() sees ()",
                   "1.0 main sees ()",
                   "2.0 cancel('') sees ('',)",
                   "2.0 main sees ('',)",
                   "3.0 cancel('why') sees ('why',)",
                   "3.0 main sees ('why',)",
                   "4.0 sleeper sees ()",
                   "4.0 cancel() then cancel('second'): ()",
               });
}

namespace {

aio::Coro<void> yields_twice(Log* log) {
  log->push_back(at("starts"));
  co_await aio::sleep(0ms);
  log->push_back(at("after the first yield"));
  co_await aio::sleep(0ms);
  log->push_back(at("after the second yield"));
}

aio::Coro<void> cancel_a_scheduled_task(Log* log) {
  auto task = aio::create_task(yields_twice(log));
  co_await aio::sleep(0ms);  // the task has run once: its next step is in the ready queue
  CHECK(task.cancel("while scheduled"));
  log->push_back(at("cancelled while scheduled"));
  try {
    co_await task;
  } catch (const aio::CancelledError& error) {
    log->push_back(at("main: CancelledError(" + error.message() + ")"));
  }
}

}  // namespace

TEST_CASE("a task cancelled while scheduled gets CancelledError at its next step", "[l08][ex2]") {
  Log log;
  aio::run(cancel_a_scheduled_task(&log), {.virtual_clock = true});
  // The first sleep(0) throws: the step that resumes it is the one that delivers.
  CHECK(log == Log{"0.0 starts", "0.0 cancelled while scheduled", "0.0 main: CancelledError(while scheduled)"});
}

namespace {

aio::Coro<void> cancels_itself_then_sleeps(Log* log) {
  log->push_back(at("cancel() of myself: " + std::to_string(aio::current_task()->cancel("me"))));
  log->push_back(at("still running"));
  try {
    co_await aio::sleep(5s);
  } catch (const aio::CancelledError& error) {
    log->push_back(at("the sleep throws CancelledError(" + error.message() + ")"));
    throw;
  }
  log->push_back(at("never"));
}

aio::Coro<void> await_self_canceller(Log* log) {
  auto task = aio::create_task(cancels_itself_then_sleeps(log));
  try {
    co_await task;
  } catch (const aio::CancelledError&) {
    log->push_back(at("main sees the task cancelled"));
  }
}

}  // namespace

// CPython: cpython/cancel_self.py
TEST_CASE("a task that cancels itself gets CancelledError at its next co_await", "[l08][ex2]") {
  Log log;
  aio::run(await_self_canceller(&log), {.virtual_clock = true});
  CHECK(log == Log{"0.0 cancel() of myself: 1", "0.0 still running",
                   "0.0 the sleep throws CancelledError(me)", "0.0 main sees the task cancelled"});
}

namespace {

aio::Coro<void> outer_awaits_inner(Log* log, aio::Task<void>* inner_out) {
  auto inner = aio::create_task(sleeper(log, "inner", 10s));
  *inner_out = inner;
  try {
    co_await inner;
  } catch (const aio::CancelledError& error) {
    log->push_back(at("outer cancelled: " + error.message()));
    throw;
  }
}

aio::Coro<void> cancel_the_outer_task(Log* log) {
  aio::Task<void> inner;
  auto outer = aio::create_task(outer_awaits_inner(log, &inner));
  co_await aio::sleep(1s);
  CHECK(outer.cancel("halt"));
  try {
    co_await outer;
  } catch (const aio::CancelledError& error) {
    log->push_back(at("main: CancelledError(" + error.message() + ")"));
  }
  CHECK(outer.cancelled());
  CHECK(inner.cancelled());
  CHECK(outer.cancelling() == 1);
  CHECK(inner.cancelling() == 1);
}

}  // namespace

TEST_CASE("cancelling a task cancels the task it awaits, with the message", "[l08][ex2]") {
  Log log;
  aio::run(cancel_the_outer_task(&log), {.virtual_clock = true});
  CHECK(log == Log{
                   "0.0 inner starts",
                   "1.0 inner cancelled: halt",  // the innermost wait throws first
                   "1.0 outer cancelled: halt",  // then the task that awaited it
                   "1.0 main: CancelledError(halt)",
               });
}

namespace {

// CPython 3.11 hands the CancelledError that ended a task, message and all, to the first one who
// retrieves it, and a new CancelledError() without a message to everyone after; aio gives every
// one of them the message (see the chapter's "Pitfalls"). CPython: cpython/message_once.py
aio::Coro<void> two_awaiters_and_result(Log* log) {
  auto job = aio::create_task(sleeper(log, "job", 10s));
  co_await aio::sleep(1s);
  job.cancel("gone");
  for (int i = 1; i <= 2; ++i) {
    try {
      co_await job;
    } catch (const aio::CancelledError& error) {
      log->push_back(at("await #" + std::to_string(i) + ": CancelledError(" + error.message() + ")"));
    }
  }
  CHECK(cancelled_message([&] { job.result(); }) == "CancelledError(gone)");
  CHECK(cancelled_message([&] { (void)job.exception(); }) == "CancelledError(gone)");
}

}  // namespace

TEST_CASE("result(), exception() and every co_await of a cancelled task throw", "[l08][ex2]") {
  Log log;
  aio::run(two_awaiters_and_result(&log), {.virtual_clock = true});
  CHECK(log == Log{"0.0 job starts", "1.0 job cancelled: gone", "1.0 await #1: CancelledError(gone)",
                   "1.0 await #2: CancelledError(gone)"});
}

namespace {

aio::Coro<void> cancel_twice(Log* log) {
  auto job = aio::create_task(sleeper(log, "job", 10s));
  co_await aio::sleep(1s);
  CHECK(job.cancel("one"));
  CHECK(job.cancel("two"));  // the sleep is already withdrawn: remembered, not delivered twice
  CHECK(job.cancelling() == 2);
  try {
    co_await job;
  } catch (const aio::CancelledError& error) {
    log->push_back(at("main: CancelledError(" + error.message() + ")"));
  }
}

}  // namespace

// CPython: cpython/cancel_messages.py
TEST_CASE("cancel() twice on a sleeping task: one error, with the first message", "[l08][ex2]") {
  Log log;
  aio::run(cancel_twice(&log), {.virtual_clock = true});
  CHECK(log == Log{"0.0 job starts", "1.0 job cancelled: one", "1.0 main: CancelledError(one)"});
}

namespace {

aio::Coro<void> inner_step(Log* log) {
  Guard connection(log, "connection");
  try {
    co_await aio::sleep(10s);
  } catch (const aio::CancelledError&) {
    log->push_back(at("inner handler: rethrow"));
    throw;
  }
}

aio::Coro<void> job_with_cleanup(Log* log) {
  Guard file(log, "file");
  try {
    co_await inner_step(log);
  } catch (const aio::CancelledError&) {
    log->push_back(at("outer handler: rethrow"));
    throw;
  }
}

aio::Coro<void> cancel_job_with_cleanup(Log* log) {
  auto job = aio::create_task(job_with_cleanup(log));
  co_await aio::sleep(3s);
  job.cancel();
  try {
    co_await job;
  } catch (const aio::CancelledError&) {
    log->push_back(at("main: job cancelled"));
  }
}

}  // namespace

TEST_CASE("cleanup runs as CancelledError unwinds, from the inside out", "[l08][ex2]") {
  Log log;
  aio::run(cancel_job_with_cleanup(&log), {.virtual_clock = true});
  CHECK(log == Log{
                   "3.0 inner handler: rethrow",
                   "3.0 connection released",
                   "3.0 outer handler: rethrow",
                   "3.0 file released",
                   "3.0 main: job cancelled",
               });
}

namespace {

// book:async-cleanup
aio::Coro<void> job_with_async_cleanup(Log* log) {
  std::exception_ptr cancelled;
  try {
    co_await aio::sleep(10s);
  } catch (const aio::CancelledError&) {
    cancelled = std::current_exception();  // remember it: no co_await inside a handler
  }
  if (cancelled) {
    log->push_back(at("flushing"));
    co_await aio::sleep(500ms);  // cleanup that awaits, outside the handler
    log->push_back(at("flushed, cancelling() is " + std::to_string(aio::current_task()->cancelling())));
    std::rethrow_exception(cancelled);  // and the task still ends cancelled
  }
}
// end book:async-cleanup

aio::Coro<void> cancel_job_with_async_cleanup(Log* log) {
  auto job = aio::create_task(job_with_async_cleanup(log));
  co_await aio::sleep(1s);
  job.cancel("enough");
  try {
    co_await job;
  } catch (const aio::CancelledError& error) {
    log->push_back(at("main: CancelledError(" + error.message() + ")"));
  }
  CHECK(job.cancelled());
}

}  // namespace

TEST_CASE("cleanup may await: catch, remember, leave the handler, await, rethrow", "[l08][ex2]") {
  Log log;
  aio::run(cancel_job_with_async_cleanup(&log), {.virtual_clock = true});
  CHECK(log == Log{"1.0 flushing", "1.5 flushed, cancelling() is 1", "1.5 main: CancelledError(enough)"});
}

namespace {

// book:swallow
aio::Coro<int> swallows(Log* log) {
  try {
    co_await aio::sleep(5s);
  } catch (...) {  // the bug: catches CancelledError too, and does not rethrow
    log->push_back(at("swallowed"));
  }
  co_return 7;
}
// end book:swallow

aio::Coro<void> cancel_a_swallower(Log* log) {
  auto task = aio::create_task(swallows(log));
  co_await aio::sleep(1s);
  CHECK(task.cancel());
  int result = co_await task;
  log->push_back(at("main: result " + std::to_string(result)));
  CHECK_FALSE(task.cancelled());
  CHECK(task.cancelling() == 1);  // the request is still counted: nobody withdrew it
}

}  // namespace

// CPython: cpython/swallowers.py (this test and the next two)
TEST_CASE("a task that swallows CancelledError ends normally, with cancelling() 1", "[l08][ex2]") {
  Log log;
  aio::run(cancel_a_swallower(&log), {.virtual_clock = true});
  CHECK(log == Log{"1.0 swallowed", "1.0 main: result 7"});
}

namespace {

aio::Coro<int> outer_of_swallower(Log* log) {
  auto inner = aio::create_task(swallows(log));
  int value = co_await inner;
  log->push_back(at("outer got " + std::to_string(value) + ", cancelling() " +
                    std::to_string(aio::current_task()->cancelling())));
  co_await aio::sleep(1s);
  log->push_back(at("outer goes on"));
  co_return value;
}

aio::Coro<void> cancel_the_outer_of_a_swallower(Log* log) {
  auto outer = aio::create_task(outer_of_swallower(log));
  co_await aio::sleep(1s);
  CHECK(outer.cancel("outer"));  // forwarded: the inner task was cancelled, so this took effect
  int value = co_await outer;
  log->push_back(at("main: " + std::to_string(value)));
  CHECK_FALSE(outer.cancelled());
  CHECK(outer.cancelling() == 1);
}

}  // namespace

TEST_CASE("a task that awaits a swallowing task gets its value and goes on", "[l08][ex2]") {
  Log log;
  aio::run(cancel_the_outer_of_a_swallower(&log), {.virtual_clock = true});
  CHECK(log == Log{"1.0 swallowed", "1.0 outer got 7, cancelling() 1", "2.0 outer goes on", "2.0 main: 7"});
}

namespace {

// book:uncancel-on-purpose
aio::Coro<std::string> swallows_on_purpose(Log* log) {
  try {
    co_await aio::sleep(1s);
  } catch (const aio::CancelledError&) {
    // Deliberately ignoring a cancellation: say so, or timeouts and task groups get confused.
    int left = aio::current_task()->uncancel();
    log->push_back(at("ignored a cancellation, cancelling() now " + std::to_string(left)));
  }
  co_await aio::sleep(1s);
  co_return "done";
}
// end book:uncancel-on-purpose

aio::Coro<void> cancel_a_deliberate_swallower(Log* log) {
  auto task = aio::create_task(swallows_on_purpose(log));
  co_await aio::sleep(0ms);
  task.cancel();
  std::string result = co_await task;
  log->push_back(at("main: " + result));
  CHECK(task.cancelling() == 0);
  CHECK_FALSE(task.cancelled());
}

}  // namespace

TEST_CASE("a task that ignores a cancellation on purpose calls uncancel()", "[l08][ex2]") {
  Log log;
  aio::run(cancel_a_deliberate_swallower(&log), {.virtual_clock = true});
  CHECK(log == Log{"0.0 ignored a cancellation, cancelling() now 0", "1.0 main: done"});
}

namespace {

aio::Coro<void> cancel_when_the_timer_is_due(Log* log) {
  auto job = aio::create_task(sleeper(log, "job", 1s));
  // Registered before the job's sleep, with the same deadline: at 1 s the cancel runs first,
  // when the sleep's timer has already left the heap for the ready queue.
  aio::get_running_loop().call_later(1s, [job, log]() mutable {
    log->push_back(at("cancel() returns " + std::to_string(job.cancel("late"))));
  });
  try {
    co_await job;
  } catch (const aio::CancelledError& error) {
    log->push_back(at("main: CancelledError(" + error.message() + ")"));
  }
}

}  // namespace

// CPython: cpython/cancel_when_due.py
TEST_CASE("a cancel() after the sleep's timer fired is delivered at the next step", "[l08][ex2]") {
  Log log;
  aio::run(cancel_when_the_timer_is_due(&log), {.virtual_clock = true});
  CHECK(log == Log{"0.0 job starts", "1.0 cancel() returns 1", "1.0 job cancelled: late",
                   "1.0 main: CancelledError(late)"});
}

namespace {

aio::Coro<void> leaves_a_task_behind(Log* log) {
  auto job = aio::create_task(sleeper(log, "leftover", 10s));
  co_await aio::sleep(1s);
  log->push_back(at("main returns"));
}

}  // namespace

TEST_CASE("aio::run cancels the tasks still pending when main returns", "[l08][ex2]") {
  Log log;
  aio::run(leaves_a_task_behind(&log), {.virtual_clock = true});
  CHECK(log == Log{"0.0 leftover starts", "1.0 main returns", "1.0 leftover cancelled: "});
}

#ifdef AIO_TEST_HAS_GATHER
namespace {

aio::Coro<int> counted_sleeper(Log* log, std::string name, aio::Duration delay) {
  co_await sleeper(log, std::move(name), delay);
  co_return 1;
}

aio::Coro<void> gathers_three(Log* log) {
  try {
    auto [a, b, quick] = co_await aio::gather(counted_sleeper(log, "a", 10s), counted_sleeper(log, "b", 10s),
                                              counted_sleeper(log, "quick", 500ms));
    log->push_back(at("never: " + std::to_string(a + b + quick)));
  } catch (const aio::CancelledError& error) {
    log->push_back(at("parent: CancelledError(" + error.message() + ")"));
    throw;
  }
}

aio::Coro<void> cancel_a_gather(Log* log) {
  auto parent = aio::create_task(gathers_three(log));
  co_await aio::sleep(1s);
  log->push_back(at("cancel() returns " + std::to_string(parent.cancel("stop all"))));
  try {
    co_await parent;
  } catch (const aio::CancelledError& error) {
    log->push_back(at("main: CancelledError(" + error.message() + ")"));
  }
  CHECK(parent.cancelling() == 1);
}

}  // namespace

TEST_CASE("cancelling a task that awaits gather cancels the running children", "[l08][ex2]") {
  Log log;
  aio::run(cancel_a_gather(&log), {.virtual_clock = true});
  CHECK(log == Log{
                   "0.0 a starts",
                   "0.0 b starts",
                   "0.0 quick starts",
                   "0.5 quick woke",
                   "1.0 cancel() returns 1",
                   "1.0 a cancelled: stop all",
                   "1.0 b cancelled: stop all",
                   "1.0 parent: CancelledError(stop all)",
                   "1.0 main: CancelledError(stop all)",
               });
}
#endif

// ---------------------------------------------------------------------------------------------
// l08.ex3: cancel_and_wait, and telling our own cancellation from the one we asked for

namespace {

aio::Coro<void> worker_with_cleanup(Log* log, std::string name, aio::Duration cleanup) {
  std::exception_ptr cancelled;
  try {
    co_await aio::sleep(100s);
  } catch (const aio::CancelledError&) {
    cancelled = std::current_exception();
  }
  if (cancelled) {
    log->push_back(at(name + " cleans up"));
    try {
      co_await aio::sleep(cleanup);
    } catch (const aio::CancelledError&) {
      log->push_back(at(name + "'s cleanup is cancelled too"));
      throw;
    }
    log->push_back(at(name + " cleaned up"));
    std::rethrow_exception(cancelled);
  }
}

aio::Coro<void> stop_a_worker(Log* log) {
  auto worker = aio::create_task(worker_with_cleanup(log, "worker", 500ms));
  co_await aio::sleep(1s);
  bool cancelled = co_await aio::cancel_and_wait(worker, "stop");
  log->push_back(at("cancel_and_wait returns " + std::to_string(cancelled)));
  CHECK(worker.done());
  CHECK(aio::current_task()->cancelling() == 0);
}

}  // namespace

TEST_CASE("cancel_and_wait returns true once the task has ended cancelled", "[l08][ex3]") {
  Log log;
  aio::run(stop_a_worker(&log), {.virtual_clock = true});
  CHECK(log == Log{"1.0 worker cleans up", "1.5 worker cleaned up", "1.5 cancel_and_wait returns 1"});
}

namespace {

aio::Coro<void> stop_a_swallower_and_a_finished_task(Log* log) {
  auto swallower = aio::create_task(swallows(log));
  Log quiet;
  auto finished = aio::create_task(answer(&quiet));
  co_await aio::sleep(1s);
  bool first = co_await aio::cancel_and_wait(swallower);
  log->push_back(at("swallower: " + std::to_string(first)));
  bool second = co_await aio::cancel_and_wait(finished);
  log->push_back(at("finished task: " + std::to_string(second)));
  CHECK(finished.result() == 42);
}

}  // namespace

TEST_CASE("cancel_and_wait returns false for a swallowing or finished task", "[l08][ex3]") {
  Log log;
  aio::run(stop_a_swallower_and_a_finished_task(&log), {.virtual_clock = true});
  CHECK(log == Log{"1.0 swallowed", "1.0 swallower: 0", "1.0 finished task: 0"});
}

namespace {

aio::Coro<void> stopper(Log* log, aio::Task<void> worker) {
  log->push_back(at("stopper stops the worker"));
  try {
    co_await aio::cancel_and_wait(worker);
  } catch (const aio::CancelledError&) {
    log->push_back(at("stopper is cancelled itself: rethrow"));
    throw;
  }
  log->push_back(at("stopper goes on"));
}

// book:naive-stop
aio::Coro<void> naive_stopper(Log* log, aio::Task<void> worker) {
  log->push_back(at("stopper stops the worker"));
  worker.cancel();
  try {
    co_await worker;
  } catch (const aio::CancelledError&) {
    // Expected the worker's CancelledError... but it may be ours.
  }
  log->push_back(at("stopper goes on"));
}
// end book:naive-stop

aio::Coro<void> cancel_the_stopper(Log* log, bool naive) {
  auto worker = aio::create_task(worker_with_cleanup(log, "worker", 2s));
  co_await aio::sleep(1s);
  auto stop = naive ? aio::create_task(naive_stopper(log, worker)) : aio::create_task(stopper(log, worker));
  co_await aio::sleep(1s);
  log->push_back(at("main cancels the stopper"));
  stop.cancel();
  try {
    co_await stop;
  } catch (const aio::CancelledError&) {
  }
  log->push_back(at(stop.cancelled() ? "stopper ended cancelled" : "stopper ended normally"));
}

}  // namespace

// CPython: cpython/cancel_and_wait.py
TEST_CASE("cancel_and_wait passes on the caller's own cancellation", "[l08][ex3]") {
  Log log;
  aio::run(cancel_the_stopper(&log, false), {.virtual_clock = true});
  // The stopper's cancellation is forwarded into the worker, whose cleanup is cut short.
  CHECK(log == Log{"1.0 stopper stops the worker", "1.0 worker cleans up", "2.0 main cancels the stopper",
                   "2.0 worker's cleanup is cancelled too", "2.0 stopper is cancelled itself: rethrow",
                   "2.0 stopper ended cancelled"});

  log.clear();
  aio::run(cancel_the_stopper(&log, true), {.virtual_clock = true});
  CHECK(log == Log{"1.0 stopper stops the worker", "1.0 worker cleans up", "2.0 main cancels the stopper",
                   "2.0 worker's cleanup is cancelled too", "2.0 stopper goes on",
                   "2.0 stopper ended normally"});
}

namespace {

aio::Coro<void> stop_with_a_stale_count(Log* log) {
  aio::TaskBase& me = *aio::current_task();
  auto worker = aio::create_task(worker_with_cleanup(log, "worker", 500ms));
  me.cancel("myself");
  try {
    co_await aio::sleep(0ms);
  } catch (const aio::CancelledError&) {  // swallowed, and not uncancel()-ed: the count stays 1
    log->push_back(at("swallowed my own cancellation, cancelling() = " + std::to_string(me.cancelling())));
  }
  bool cancelled = co_await aio::cancel_and_wait(worker);
  log->push_back(at(std::string("cancel_and_wait returns ") + py(cancelled) + ", cancelling() = " +
                    std::to_string(me.cancelling())));
}

}  // namespace

// A count that was already up before cancel_and_wait began is not a new request: only a rise
// while it waits means "we are being cancelled". CPython: cpython/cancel_and_wait.py
TEST_CASE("cancel_and_wait from a task whose cancelling() is already 1", "[l08][ex3]") {
  Log log;
  aio::run(stop_with_a_stale_count(&log), {.virtual_clock = true});
  CHECK(log == Log{"0.0 swallowed my own cancellation, cancelling() = 1", "0.0 worker cleans up",
                   "0.5 worker cleaned up", "0.5 cancel_and_wait returns True, cancelling() = 1"});
}

namespace {

aio::Coro<void> fails_in_cleanup() {
  try {
    co_await aio::sleep(10s);
  } catch (const aio::CancelledError&) {
    throw std::runtime_error("cleanup failed");
  }
}

aio::Coro<void> stop_a_failing_worker(Log* log) {
  auto worker = aio::create_task(fails_in_cleanup());
  co_await aio::sleep(1s);
  try {
    co_await aio::cancel_and_wait(worker);
  } catch (const std::runtime_error& error) {
    log->push_back(at(std::string("cancel_and_wait throws: ") + error.what()));
  }
}

}  // namespace

TEST_CASE("cancel_and_wait lets the task's own failure through", "[l08][ex3]") {
  Log log;
  aio::run(stop_a_failing_worker(&log), {.virtual_clock = true});
  CHECK(log == Log{"1.0 cancel_and_wait throws: cleanup failed"});
}
