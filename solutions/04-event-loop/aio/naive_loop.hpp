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
#pragma once

#include <aio/clock.hpp>

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
  void call_soon(Callback callback) {
    ready_.push_back(std::move(callback));
  }
  // end book:naive-call-soon

  // book:naive-call-later
  /// Runs `callback` once `delay` has passed (loop.call_later). Timers due at the same instant
  /// run in the order they were scheduled.
  void call_later(Duration delay, Callback callback) {
    timers_.push({time() + delay, next_sequence_++, std::move(callback)});
  }
  // end book:naive-call-later

  // book:naive-run-once
  /// One iteration: see the top of this file.
  void run_once() {
    if (ready_.empty() && !timers_.empty()) wait_until(timers_.top().when);
    while (!timers_.empty() && timers_.top().when <= time()) {
      ready_.push_back(timers_.top().callback);  // top() is const: a copy
      timers_.pop();
    }
    for (std::size_t count = ready_.size(); count > 0; --count) {
      Callback callback = std::move(ready_.front());
      ready_.pop_front();
      callback();
    }
  }
  // end book:naive-run-once

  // book:naive-run
  /// Runs iterations until nothing is left to run.
  void run() {
    while (has_work()) run_once();
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
    bool operator()(const Timer& a, const Timer& b) const {
      return a.when > b.when || (a.when == b.when && a.sequence > b.sequence);
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
