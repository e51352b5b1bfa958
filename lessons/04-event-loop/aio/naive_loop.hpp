// aio::NaiveLoop: the simplest event loop that works, written the obvious way.
//
// asyncio's loop reduced to its two containers:
//   ready_   a std::deque of callbacks to run soon, oldest first          (loop.call_soon)
//   timers_  a std::priority_queue of timers, earliest deadline first     (loop.call_later)
//
// One iteration (run_once), in the order of asyncio's BaseEventLoop._run_once:
//   1. if nothing is ready, wait until the earliest timer is due (the virtual clock jumps there);
//   2. move every timer that is due to the back of the ready queue, earliest first;
//   3. count the callbacks that are ready now, and run that many: a callback scheduled while
//      they run waits for the next iteration.
//
// Where a callback runs: inside run_once, on the thread that calls it; never inside call_soon.
//
// This is the lesson's first exercise and its yardstick. aio::EventLoop (aio/event_loop.hpp)
// keeps exactly this order and makes every part of it faster; benchmarks/04-event-loop.cpp
// measures the two side by side. Nothing else in the course uses NaiveLoop.
//
// Your exercise in this file (run it with: ctest --preset learn -R l04.ex1):
//   l04.ex1  call_soon, call_later, run_once, run and DueLater: the whole loop
// ([[maybe_unused]] only silences a warning until you write the bodies.)
#pragma once

#include <aio/clock.hpp>
#include <aio/not_implemented.hpp>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <queue>
#include <thread>
#include <utility>
#include <vector>

namespace aio {

class NaiveLoop {
public:
  using Callback = std::function<void()>;

  explicit NaiveLoop(Clock clock = Clock::virtual_time()) : clock_(clock) {}

  /// Now, on the loop's clock (asyncio's loop.time()).
  Duration time() const noexcept { return clock_.now(); }
  /// True while a callback is ready or a timer is pending.
  bool has_work() const noexcept { return !ready_.empty() || !timers_.empty(); }

  // book:naive-call-soon
  /// Runs `callback` in a later iteration, after everything already ready (loop.call_soon).
  void call_soon([[maybe_unused]] Callback callback) {
    AIO_TODO("l04.ex1", "append the callback to the ready queue (see 'The simplest loop that works')");
  }
  // end book:naive-call-soon

  // book:naive-call-later
  /// Runs `callback` once `delay` has passed (loop.call_later). Timers due at the same instant
  /// run in the order they were scheduled.
  void call_later([[maybe_unused]] Duration delay, [[maybe_unused]] Callback callback) {
    static_cast<void>(next_sequence_);  // only to keep Clang quiet until you use next_sequence_
    AIO_TODO("l04.ex1", "push a Timer: its deadline on the loop's clock, and a sequence number for "
                        "ties (see 'The simplest loop that works')");
  }
  // end book:naive-call-later

  // book:naive-run-once
  /// One iteration: see the top of this file.
  void run_once() {
    AIO_TODO("l04.ex1", "wait only if nothing is ready, move the due timers, then run as many "
                        "callbacks as are ready now (see 'The simplest loop that works')");
  }
  // end book:naive-run-once

  // book:naive-run
  /// Runs iterations until nothing is left to run.
  void run() {
    AIO_TODO("l04.ex1", "iterate while there is work (see 'The simplest loop that works')");
  }
  // end book:naive-run

private:
  // book:naive-data
  struct Timer {
    Duration when;
    std::uint64_t sequence;  // the order of the call_later calls
    Callback callback;
  };

  /// The order of the timer queue. std::priority_queue keeps on top the element that compares
  /// greatest, so this says "a is due later than b": then the earliest timer is on top.
  struct DueLater {
    bool operator()([[maybe_unused]] const Timer& a, [[maybe_unused]] const Timer& b) const {
      AIO_TODO("l04.ex1", "true if a is due after b; for equal deadlines, if a was scheduled "
                          "after b (see 'The simplest loop that works')");
    }
  };

  Clock clock_;
  std::deque<Callback> ready_;
  std::priority_queue<Timer, std::vector<Timer>, DueLater> timers_;
  std::uint64_t next_sequence_ = 0;
  // end book:naive-data

  // Waits until the clock reads `when`: the real clock sleeps, the virtual one jumps there.
  void wait_until(Duration when) {
    if (clock_.is_virtual()) {
      clock_.advance_to(when);
    } else if (when > time()) {
      std::this_thread::sleep_for(when - time());
    }
  }
};

}  // namespace aio
