// Tests for the naive loop, aio::NaiveLoop (exercise l04.ex1): the order in which callbacks and
// timers run, on the virtual clock, with exact times. The same rules hold for aio::EventLoop,
// whose tests (test_event_loop.cpp) check them again once the fast loop is built.
#include <aio/naive_loop.hpp>
#include <aio_test/catch.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

using Log = std::vector<std::string>;

/// A naive loop on the virtual clock and a log whose lines carry the loop's time: "1.5 b".
struct Naive {
  aio::NaiveLoop loop{aio::Clock::virtual_time()};
  Log log;

  std::function<void()> note(std::string what) {
    return [this, what] { log.push_back(aio::format_seconds(loop.time()) + " " + what); };
  }

  /// Iterates with run_once until nothing is left; a loop that never runs dry fails the test
  /// instead of hanging it.
  void run_all() {
    for (int i = 0; i < 10'000 && loop.has_work(); ++i) loop.run_once();
    REQUIRE_FALSE(loop.has_work());
  }
};

}  // namespace

TEST_CASE("the naive loop runs call_soon callbacks first in, first out", "[l04][ex1]") {
  Naive n;
  n.loop.call_soon(n.note("first"));
  n.loop.call_soon(n.note("second"));
  n.loop.call_soon(n.note("third"));
  CHECK(n.log.empty());  // nothing runs inside call_soon

  n.loop.run_once();
  CHECK(n.log == Log{"0.0 first", "0.0 second", "0.0 third"});
  CHECK_FALSE(n.loop.has_work());
}

// CPython: cpython/run_once_order.py
TEST_CASE("the naive loop runs a callback scheduled meanwhile in the next iteration",
          "[l04][ex1]") {
  Naive n;
  n.loop.call_soon([&n] {
    n.log.push_back("outer");
    n.loop.call_soon([&n] { n.log.push_back("scheduled by outer"); });
  });
  n.loop.call_soon([&n] { n.log.push_back("second"); });

  n.loop.run_once();
  CHECK(n.log == Log{"outer", "second"});  // not "scheduled by outer": it waits its turn
  n.loop.run_once();
  CHECK(n.log == Log{"outer", "second", "scheduled by outer"});
  CHECK_FALSE(n.loop.has_work());
}

// CPython: cpython/run_once_order.py (the ready callbacks are counted after the timers moved in)
TEST_CASE("a due timer joins the iteration, behind what was ready", "[l04][ex1]") {
  Naive n;
  n.loop.call_later(0s, n.note("call_later(0), scheduled first"));
  n.loop.call_soon(n.note("call_soon, scheduled second"));
  n.loop.run_once();  // one iteration runs both
  CHECK(n.log == Log{"0.0 call_soon, scheduled second", "0.0 call_later(0), scheduled first"});
  CHECK_FALSE(n.loop.has_work());
}

TEST_CASE("the naive loop fires timers earliest deadline first", "[l04][ex1]") {
  Naive n;
  for (const int ms : {500, 200, 900, 100, 700, 300, 800, 600, 400}) {
    n.loop.call_later(std::chrono::milliseconds(ms), n.note(std::to_string(ms) + " ms"));
  }
  n.run_all();
  CHECK(n.log == Log{"0.1 100 ms", "0.2 200 ms", "0.3 300 ms", "0.4 400 ms", "0.5 500 ms",
                     "0.6 600 ms", "0.7 700 ms", "0.8 800 ms", "0.9 900 ms"});
  CHECK(n.loop.time() == 900ms);
}

// CPython: cpython/timer_ties.py (asyncio's own heap would not keep this order; the course's
// virtual clock for asyncio does, as aio does)
TEST_CASE("timers with equal deadlines fire in the order they were scheduled", "[l04][ex1]") {
  Naive n;
  n.loop.call_later(2s, n.note("Z"));
  for (const char* name : {"A", "B", "C", "D", "E", "F", "G"}) n.loop.call_later(1s, n.note(name));
  n.run_all();
  CHECK(n.log == Log{"1.0 A", "1.0 B", "1.0 C", "1.0 D", "1.0 E", "1.0 F", "1.0 G", "2.0 Z"});
}

TEST_CASE("a timer's deadline counts from when call_later was called", "[l04][ex1]") {
  Naive n;
  n.loop.call_later(1s, [&n] {
    n.log.push_back(aio::format_seconds(n.loop.time()) + " first");
    n.loop.call_later(500ms, n.note("half a second after the first"));
  });
  n.loop.call_later(2s, n.note("two seconds"));
  n.run_all();
  CHECK(n.log == Log{"1.0 first", "1.5 half a second after the first", "2.0 two seconds"});
}

TEST_CASE("with nothing ready, the naive loop jumps to the next timer", "[l04][ex1]") {
  Naive n;
  n.loop.call_later(1h, n.note("an hour later"));
  n.loop.call_later(3h, n.note("three hours later"));

  n.loop.run_once();  // one iteration: jump to the earliest timer and run it, not the next one
  CHECK(n.log == Log{"3600.0 an hour later"});
  CHECK(n.loop.time() == 1h);
  n.loop.run_once();
  CHECK(n.log == Log{"3600.0 an hour later", "10800.0 three hours later"});
  CHECK_FALSE(n.loop.has_work());
}

TEST_CASE("the naive loop's clock stands still while something is ready", "[l04][ex1]") {
  Naive n;
  int rounds = 0;
  n.loop.call_later(1s, n.note("timer"));
  // A callback that keeps rescheduling itself: the loop is never idle for 100 iterations.
  std::function<void()> again = [&] {
    if (++rounds < 100) n.loop.call_soon(again);
  };
  n.loop.call_soon(again);
  for (int i = 0; i < 100; ++i) n.loop.run_once();
  CHECK(rounds == 100);
  CHECK(n.loop.time() == 0s);
  CHECK(n.log.empty());
  n.loop.run_once();
  CHECK(n.log == Log{"1.0 timer"});
}

TEST_CASE("run() iterates until nothing is left", "[l04][ex1]") {
  Naive n;
  n.loop.call_soon([&n] {
    n.log.push_back("soon");
    n.loop.call_later(1s, n.note("a timer set by a callback"));
  });
  n.loop.call_later(2s, n.note("the last timer"));
  n.loop.run();
  CHECK(n.log == Log{"soon", "1.0 a timer set by a callback", "2.0 the last timer"});
  CHECK(n.loop.time() == 2s);
  CHECK_FALSE(n.loop.has_work());
  n.loop.run();  // nothing to do: returns at once
  CHECK(n.loop.time() == 2s);
}
