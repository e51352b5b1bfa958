// Tests for the event loop: one iteration (exercise l04.ex4: call_soon, call_later, call_at,
// Handle, run_once, the wait for I/O and the virtual clock's autojump), then running it
// (exercise l04.ex5: run_forever, stop, run_until, aio::run and run_until_complete, deadlocks,
// debug mode). Everything runs on the virtual clock and checks exact times, except the
// debug-mode test, which has to block the thread for real, and two tests that only look at
// how long the loop asks to wait on the real clock.
#include <aio/errors.hpp>
#include <aio/event_loop.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio_test/catch.hpp>

#include <chrono>
#include <coroutine>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

using Log = std::vector<std::string>;

/// A loop on the virtual clock and a log whose lines carry the loop's time: "1.5 b".
struct VirtualLoop {
  aio::EventLoop loop{aio::Clock::virtual_time()};
  Log log;

  auto note(std::string what) {
    return [this, what] { log.push_back(aio::format_seconds(loop.time()) + " " + what); };
  }

  /// Iterates until nothing is left, with run_once only (run_forever is the next exercise). A
  /// loop that never runs dry fails the test instead of hanging it.
  void run_all() {
    for (int i = 0; i < 10'000 && loop.has_work(); ++i) loop.run_once();
    REQUIRE_FALSE(loop.has_work());
  }
};

/// An IoWaiter that does no I/O: it records how long the loop asks it to wait, and can bring
/// work, as a socket that turned readable would.
struct RecordingWaiter : aio::IoWaiter {
  std::vector<std::optional<aio::Duration>> timeouts;
  std::function<void()> on_wait;  // runs inside wait(): "an event arrived"
  bool pending = false;

  void wait(std::optional<aio::Duration> timeout) override {
    timeouts.push_back(timeout);
    if (on_wait) std::exchange(on_wait, nullptr)();
  }
  bool has_pending() const override { return pending; }
};

constexpr std::optional<aio::Duration> no_limit = std::nullopt;

aio::RunOptions on_virtual_clock() {
  aio::RunOptions options;
  options.virtual_clock = true;
  return options;
}

aio::Coro<int> answer() { co_return 42; }

aio::Coro<int> fails() {
  throw std::runtime_error("the coroutine failed");
  co_return 0;
}

/// An awaitable that suspends its task and never wakes it: nothing will ever complete it.
struct NeverCompletes {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> self) {
    aio::detail::current_task_for("NeverCompletes").suspend(self);  // and no wake(), ever
  }
  void await_resume() const noexcept {}
};

aio::Coro<int> waits_forever() {
  co_await NeverCompletes{};
  co_return 1;
}

}  // namespace

// ---- call_soon --------------------------------------------------------------------------------

// book:test-call-soon
TEST_CASE("call_soon runs callbacks in the order they were scheduled", "[l04][ex4]") {
  VirtualLoop v;
  v.loop.call_soon(v.note("first"));
  v.loop.call_soon(v.note("second"));
  v.loop.call_soon(v.note("third"));
  CHECK(v.log.empty());  // nothing runs inside call_soon

  v.loop.run_once();
  CHECK(v.log == Log{"0.0 first", "0.0 second", "0.0 third"});
}
// end book:test-call-soon

// book:test-run-once
TEST_CASE("a callback scheduled during run_once waits for the next iteration", "[l04][ex4]") {
  VirtualLoop v;
  v.loop.call_soon([&v] {
    v.log.push_back("outer");
    v.loop.call_soon([&v] { v.log.push_back("scheduled by outer"); });
  });
  v.loop.call_soon([&v] { v.log.push_back("second"); });

  v.loop.run_once();
  CHECK(v.log == Log{"outer", "second"});  // the new callback waits for the next iteration
  v.loop.run_once();
  CHECK(v.log == Log{"outer", "second", "scheduled by outer"});
  CHECK_FALSE(v.loop.has_work());
}
// end book:test-run-once

// ---- timers -----------------------------------------------------------------------------------

// book:test-call-later
TEST_CASE("call_later orders callbacks by deadline, then by the order of the calls", "[l04][ex4]") {
  VirtualLoop v;
  v.loop.call_later(2s, v.note("a: 2 s"));
  v.loop.call_later(1s, v.note("b: 1 s"));
  v.loop.call_later(1s, v.note("c: 1 s, scheduled after b"));
  v.loop.call_later(500ms, v.note("d: 0.5 s"));
  v.loop.call_later(1s, v.note("e: 1 s, scheduled after c"));

  v.run_all();  // until nothing is left
  CHECK(v.log == Log{"0.5 d: 0.5 s", "1.0 b: 1 s", "1.0 c: 1 s, scheduled after b",
                     "1.0 e: 1 s, scheduled after c", "2.0 a: 2 s"});
  CHECK(v.loop.time() == 2s);
}
// end book:test-call-later

TEST_CASE("call_at runs a callback when the loop's clock reaches the time given", "[l04][ex4]") {
  VirtualLoop v;
  v.loop.call_at(1500ms, v.note("at 1.5"));
  v.loop.call_later(1s, [&v] {
    v.log.push_back(aio::format_seconds(v.loop.time()) + " later");
    v.loop.call_at(v.loop.time() + 250ms, v.note("at now + 0.25"));
    v.loop.call_at(0s, v.note("at 0, already past: runs in the next iteration"));
  });
  v.run_all();
  CHECK(v.log == Log{"1.0 later", "1.0 at 0, already past: runs in the next iteration",
                     "1.2 at now + 0.25", "1.5 at 1.5"});
  CHECK(v.loop.time() == 1500ms);
}

TEST_CASE("a timer goes to the ready queue only once it is due", "[l04][ex4]") {
  VirtualLoop v;
  aio::Handle timer = v.loop.call_later(1s, v.note("timer"));
  CHECK(timer.when() == 1s);
  v.loop.call_soon(v.note("soon"));

  v.loop.run_once();  // something is ready: no waiting, no jump, and the timer is not due
  CHECK(v.log == Log{"0.0 soon"});
  CHECK(v.loop.time() == 0s);

  v.loop.run_once();  // nothing ready: wait for the timer (the virtual clock jumps)
  CHECK(v.log == Log{"0.0 soon", "1.0 timer"});
}

// CPython: cpython/run_once_order.py (ready callbacks are counted after the due timers moved in)
TEST_CASE("a due timer runs after the callbacks that were already ready", "[l04][ex4]") {
  VirtualLoop v;
  v.loop.call_later(0s, v.note("call_later(0), scheduled first"));
  v.loop.call_soon(v.note("call_soon, scheduled second"));
  v.loop.run_once();
  CHECK(v.log == Log{"0.0 call_soon, scheduled second", "0.0 call_later(0), scheduled first"});
}

// book:test-autojump
TEST_CASE("with nothing ready the virtual clock jumps straight to the next timer", "[l04][ex4]") {
  VirtualLoop v;
  v.loop.call_later(1h, v.note("an hour later"));
  v.loop.call_later(3h, v.note("three hours later"));

  v.loop.run_once();  // no real waiting: the test would time out long before an hour
  CHECK(v.log == Log{"3600.0 an hour later"});
  CHECK(v.loop.time() == 1h);
  v.loop.run_once();
  CHECK(v.loop.time() == 3h);
}
// end book:test-autojump

TEST_CASE("the virtual clock does not move while something is ready", "[l04][ex4]") {
  VirtualLoop v;
  int rounds = 0;
  v.loop.call_later(1s, v.note("timer"));
  // A callback that keeps rescheduling itself: the loop is never idle for 100 iterations.
  std::function<void()> again = [&] {
    if (++rounds < 100) v.loop.call_soon(again);
  };
  v.loop.call_soon(again);
  for (int i = 0; i < 100; ++i) v.loop.run_once();
  CHECK(rounds == 100);
  CHECK(v.loop.time() == 0s);
  CHECK(v.log.empty());
  v.loop.run_once();
  CHECK(v.log == Log{"1.0 timer"});
}

// ---- waiting for I/O (the IoWaiter of lessons 16 and 17) --------------------------------------

TEST_CASE("with nothing ready and no timer, the loop waits for I/O, no limit", "[l04][ex4]") {
  for (const bool is_virtual : {true, false}) {
    aio::EventLoop loop(is_virtual ? aio::Clock::virtual_time() : aio::Clock::real());
    RecordingWaiter io;
    loop.set_io_waiter(&io);
    loop.run_once();
    // Polling with 0 instead would spin: the loop would burn a core until the I/O arrives.
    CHECK(io.timeouts == std::vector{no_limit});
  }
}

TEST_CASE("with something ready, the loop polls I/O without waiting", "[l04][ex4]") {
  for (const bool is_virtual : {true, false}) {
    aio::EventLoop loop(is_virtual ? aio::Clock::virtual_time() : aio::Clock::real());
    RecordingWaiter io;
    loop.set_io_waiter(&io);
    Log log;
    loop.call_soon([&log] { log.push_back("ready"); });
    loop.run_once();
    CHECK(io.timeouts == std::vector<std::optional<aio::Duration>>{aio::Duration{0}});
    CHECK(log == Log{"ready"});
  }
}

TEST_CASE("on the real clock, the loop waits for I/O until the next timer", "[l04][ex4]") {
  aio::EventLoop loop(aio::Clock::real());
  RecordingWaiter io;  // returns at once, as if woken early: the hour has not passed
  loop.set_io_waiter(&io);
  Log log;
  loop.call_later(1h, [&log] { log.push_back("an hour later"); });
  loop.run_once();
  REQUIRE(io.timeouts.size() == 1);
  REQUIRE(io.timeouts[0].has_value());
  CHECK(*io.timeouts[0] > 59min);  // an hour, less the little time this test took
  CHECK(*io.timeouts[0] <= 1h);
  CHECK(log.empty());
}

TEST_CASE("on the virtual clock, the loop polls I/O, then jumps to the timer", "[l04][ex4]") {
  VirtualLoop v;
  RecordingWaiter io;
  v.loop.set_io_waiter(&io);
  v.loop.call_later(1h, v.note("an hour later"));
  v.loop.run_once();
  CHECK(io.timeouts == std::vector<std::optional<aio::Duration>>{aio::Duration{0}});
  CHECK(v.log == Log{"3600.0 an hour later"});
}

TEST_CASE("on the virtual clock, I/O that brings work stops the jump", "[l04][ex4]") {
  VirtualLoop v;
  RecordingWaiter io;
  v.loop.set_io_waiter(&io);
  io.on_wait = [&v] { v.loop.call_soon(v.note("data arrived")); };
  v.loop.call_later(1h, v.note("an hour later"));
  v.loop.run_once();
  CHECK(v.log == Log{"0.0 data arrived"});  // time did not move: the timer is not due
  CHECK(v.loop.time() == 0s);
}

TEST_CASE("on the virtual clock, outside work makes the loop wait in real time", "[l04][ex4]") {
  VirtualLoop v;
  RecordingWaiter io;  // a thread job under way: it may bring its result before the timer
  io.pending = true;
  v.loop.set_io_waiter(&io);
  v.loop.call_later(1h, v.note("an hour later"));
  v.loop.run_once();
  // A poll (0) would let time jump past the result; the loop waits as the real clock does.
  CHECK(io.timeouts == std::vector<std::optional<aio::Duration>>{aio::Duration{1h}});
  // The waiter came back empty-handed: the hour is over, so the timer runs.
  CHECK(v.log == Log{"3600.0 an hour later"});
}

// ---- Handle.cancel() --------------------------------------------------------------------------

// CPython: cpython/handle_cancel.py
TEST_CASE("a handle cancelled before its callback ran means it never runs", "[l04][ex4]") {
  VirtualLoop v;
  aio::Handle soon = v.loop.call_soon(v.note("soon"));
  aio::Handle later = v.loop.call_later(1s, v.note("later"));
  v.loop.call_later(2s, v.note("kept"));
  CHECK_FALSE(soon.cancelled());

  soon.cancel();
  later.cancel();
  CHECK(soon.cancelled());
  CHECK(later.cancelled());

  v.run_all();
  CHECK(v.log == Log{"2.0 kept"});
}

TEST_CASE("a cancelled timer leaves the heap at once", "[l04][ex4]") {
  VirtualLoop v;
  aio::Handle only = v.loop.call_later(1h, v.note("never"));
  CHECK(v.loop.has_work());
  only.cancel();
  CHECK_FALSE(v.loop.has_work());  // no tombstone left behind: the loop has nothing to wait for
  v.run_all();
  CHECK(v.loop.time() == 0s);
}

// CPython: cpython/handle_cancel.py
TEST_CASE("cancelling a handle after its callback ran changes nothing but its flag", "[l04][ex4]") {
  VirtualLoop v;
  aio::Handle handle = v.loop.call_soon(v.note("ran"));
  v.loop.run_once();
  handle.cancel();  // too late: asyncio still marks the handle cancelled
  CHECK(handle.cancelled());
  CHECK(v.log == Log{"0.0 ran"});
}

TEST_CASE("an exception thrown by a callback is reported and the loop goes on", "[l04][ex4]") {
  VirtualLoop v;
  Log reports;
  v.loop.set_exception_handler([&reports](const std::string& message) { reports.push_back(message); });
  v.loop.call_soon([] { throw std::runtime_error("boom"); });
  v.loop.call_soon(v.note("next"));
  v.loop.run_once();
  CHECK(reports == Log{"Exception in callback: boom"});
  CHECK(v.log == Log{"0.0 next"});
}

// ---- running the loop: run_forever, stop, run_until (l04.ex5) ----------------------------------

TEST_CASE("run_forever runs until nothing is left, where asyncio would wait", "[l04][ex5]") {
  VirtualLoop v;
  v.loop.call_later(2s, v.note("two seconds"));
  v.loop.call_soon([&v] {
    v.log.push_back("soon");
    v.loop.call_later(1s, v.note("one second"));
  });
  v.loop.run_forever();
  CHECK(v.log == Log{"soon", "1.0 one second", "2.0 two seconds"});
  CHECK(v.loop.time() == 2s);
  v.loop.run_forever();  // nothing to do: returns at once
  CHECK(v.loop.time() == 2s);
}

TEST_CASE("stop() ends run_forever at the end of the current iteration", "[l04][ex5]") {
  VirtualLoop v;
  v.loop.call_soon([&v] {
    v.log.push_back("stops the loop");
    v.loop.stop();
  });
  v.loop.call_soon(v.note("same iteration: still runs"));
  v.loop.call_later(1s, v.note("next run"));
  v.loop.run_forever();
  CHECK(v.log == Log{"stops the loop", "0.0 same iteration: still runs"});
  v.loop.run_forever();  // the loop can run again
  CHECK(v.log.back() == "1.0 next run");
}

// CPython: cpython/stop_before_run.py
TEST_CASE("stop() before run_forever still lets one iteration run", "[l04][ex5]") {
  VirtualLoop v;
  v.loop.call_later(1s, v.note("a second later"));
  v.loop.stop();
  v.loop.run_forever();  // one iteration that does not wait: the timer is not due
  CHECK(v.log.empty());
  CHECK(v.loop.time() == 0s);

  v.loop.call_soon(v.note("ready before the run"));
  v.loop.stop();
  v.loop.run_forever();  // one iteration, as in asyncio: what was ready runs
  CHECK(v.log == Log{"0.0 ready before the run"});
  CHECK(v.loop.time() == 0s);

  v.loop.run_forever();  // the request was used up: this run goes on to the timer
  CHECK(v.log == Log{"0.0 ready before the run", "1.0 a second later"});
}

TEST_CASE("run_until stops as soon as its condition holds", "[l04][ex5]") {
  VirtualLoop v;
  int ticks = 0;
  std::function<void()> tick = [&] {
    ++ticks;
    v.loop.call_later(1s, tick);  // forever: only the condition ends this
  };
  v.loop.call_soon(tick);
  v.loop.run_until([&ticks] { return ticks == 3; });
  CHECK(ticks == 3);
  CHECK(v.loop.time() == 2s);
  v.loop.run_until([] { return true; });  // already true: not one iteration more
  CHECK(ticks == 3);
}

TEST_CASE("run_until throws DeadlockError when the loop runs dry first", "[l04][ex5]") {
  VirtualLoop v;
  v.loop.call_later(1s, v.note("the last thing that happens"));
  CHECK_THROWS_AS(v.loop.run_until([] { return false; }), aio::DeadlockError);
  CHECK(v.log == Log{"1.0 the last thing that happens"});
}

// ---- run and run_until_complete ---------------------------------------------------------------

TEST_CASE("aio::run returns what the coroutine returns", "[l04][ex5]") {
  CHECK(aio::run(answer(), on_virtual_clock()) == 42);
}

TEST_CASE("aio::run rethrows the exception the coroutine ended with", "[l04][ex5]") {
  CHECK_THROWS_WITH(aio::run(fails(), on_virtual_clock()), "the coroutine failed");
}

TEST_CASE("run_until_complete runs coroutines on your own loop, again and again",
          "[l04][ex5]") {
  aio::EventLoop loop(aio::Clock::virtual_time());
  CHECK(aio::run_until_complete(loop, answer()) == 42);
  CHECK(aio::run_until_complete(loop, answer()) == 42);
  CHECK_THROWS_AS(aio::run_until_complete(loop, fails()), std::runtime_error);
}

// book:test-deadlock
TEST_CASE("awaiting what never completes is a DeadlockError, not a hang", "[l04][ex5]") {
  CHECK_THROWS_AS(aio::run(waits_forever(), on_virtual_clock()), aio::DeadlockError);
  CHECK_THROWS_AS(aio::run(waits_forever(), aio::RunOptions{.virtual_clock = false}),
                  aio::DeadlockError);  // the real clock too: nothing is left to wait for
}
// end book:test-deadlock

TEST_CASE("a DeadlockError names the stuck task and what it waits on", "[l04][ex5]") {
  CHECK_THROWS_WITH(aio::run(waits_forever(), on_virtual_clock()),
                    aio_test::contains("'Task-1': suspended where nothing has arranged to wake it"));
}

namespace {
aio::Coro<int> stops_the_loop() {
  aio::EventLoop& loop = aio::get_running_loop();
  loop.call_later(1s, [] {});  // something is left to do: this is no deadlock
  loop.stop();
  co_await NeverCompletes{};
  co_return 1;
}
}  // namespace

TEST_CASE("a loop stopped before the coroutine finished is an error",
          "[l04][ex5]") {
  aio::EventLoop loop(aio::Clock::virtual_time());
  CHECK_THROWS_AS(aio::run_until_complete(loop, stops_the_loop()), aio::InvalidStateError);
  CHECK(aio::run_until_complete(loop, answer()) == 42);  // the loop can run again
}

// ---- debug mode -------------------------------------------------------------------------------

namespace {
// book:test-debug-coro
aio::Coro<void> blocks_the_loop(Log* reports) {
  aio::EventLoop& loop = aio::get_running_loop();
  loop.set_slow_callback_duration(100ms);
  loop.set_exception_handler([reports](const std::string& message) { reports->push_back(message); });
  std::this_thread::sleep_for(150ms);  // the mistake: a blocking call inside a coroutine
  co_return;
}
// end book:test-debug-coro
}  // namespace

// book:test-debug
TEST_CASE("debug mode reports a step that blocks the loop too long", "[l04][ex5]") {
  Log reports;
  aio::RunOptions options = on_virtual_clock();  // the warning measures real time all the same
  options.debug = true;
  aio::run(blocks_the_loop(&reports), options);
  REQUIRE(reports.size() == 1);
  CHECK_THAT(reports[0], aio_test::contains("Executing <Task 'Task-1'> took 0.1"));
  CHECK_THAT(reports[0], aio_test::contains(" seconds"));
}
// end book:test-debug

TEST_CASE("without debug mode a blocking step goes unreported", "[l04][ex5]") {
  Log reports;
  aio::run(blocks_the_loop(&reports), on_virtual_clock());
  CHECK(reports.empty());
}
