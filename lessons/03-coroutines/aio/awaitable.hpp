// Hand-written awaitables: the protocol behind every `co_await`.
//
// `co_await x` in a coroutine asks x three questions (x is an *awaiter*; see the chapter for the
// whole expansion the compiler writes):
//
//   x.await_ready()       "Is the result already there?" true: skip suspending altogether.
//   x.await_suspend(h)    The coroutine is now suspended; h is its handle. Decide what happens:
//                           returns void    stay suspended; control goes back to whoever resumed
//                                           the coroutine (the scheduler's loop)
//                           returns bool    true: as void; false: do not suspend after all, go on
//                           returns handle  resume that coroutine instead, by a jump rather than
//                                           a call (symmetric transfer); it may be h itself
//   x.await_resume()      The coroutine goes on; this is the value of the co_await expression.
//
// In Python the same protocol is one method: `__await__` returns an iterator; returning from it
// without a yield is await_ready() == true, a `yield` suspends the coroutine and hands the yielded
// object to whoever called `send()` (asyncio's Task, or mirror.py's Scheduler).
//
//   aio::ready(v)             always ready: never suspends             (await_ready is true)
//   aio::yield_now()          suspends; back of the scheduler's deque  (await_suspend -> void)
//   aio::Latch::arrive_and_wait()  suspends unless it is the last one  (await_suspend -> bool)
//   aio::hand_off()           suspends and jumps to the next ready one (await_suspend -> handle)
//
// The last three need a running aio::Scheduler (aio/scheduler.hpp): run your coroutine with
// aio::run_sync. Lesson 04's event loop has its own versions (aio::sleep(0ms) is yield_now).
//
// Your exercises in this file (`./learn` shows the first unfinished one, `./learn hint` helps):
//   l03.ex1  Ready<T>::await_ready() and await_resume(), YieldNow::await_suspend(): the protocol
//   l03.ex2  Latch::Arrival::await_suspend() (bool) and HandOff::await_suspend() (a handle)
// ([[maybe_unused]] only silences a warning until you write the bodies.)
#pragma once

#include <aio/not_implemented.hpp>

#include <aio/scheduler.hpp>

#include <coroutine>
#include <cstddef>
#include <utility>
#include <vector>

namespace aio {

// book:ready
/// An awaitable that is always ready: `co_await aio::ready(42)` is 42, and the coroutine does not
/// suspend at all. It never leaves the coroutine, so it needs no scheduler.
/// Python: `def __await__(self): return self.value` (a generator that returns before any yield).
template <class T>
class Ready {
public:
  explicit Ready(T value) : value_(std::move(value)) {}

  bool await_ready() const {
    AIO_TODO("l03.ex1", "is the value already there? "
                        "(see 'Step 1: an awaitable that is always ready')");
  }
  void await_suspend(std::coroutine_handle<>) const noexcept {}  // never called
  T await_resume() {
    AIO_TODO("l03.ex1", "the value of the co_await; T may be move-only "
                        "(see 'Step 1: an awaitable that is always ready')");
  }

private:
  T value_;
};

template <class T>
Ready<T> ready(T value) {
  return Ready<T>(std::move(value));
}
// end book:ready

// book:yield-now
/// Suspends the coroutine and puts it at the back of the current scheduler's ready deque: every
/// coroutine that was ready before it runs first. Where it resumes: in a later step of
/// Scheduler::run_one(), called by the scheduler's loop.
/// Python: `def __await__(self): yield scheduler.schedule` (mirror.py's driver calls it with the
/// coroutine); asyncio: `await asyncio.sleep(0)`.
struct YieldNow {
  bool await_ready() const noexcept { return false; }
  void await_suspend([[maybe_unused]] std::coroutine_handle<> self) const {
    AIO_TODO("l03.ex1", "park `self` where the running scheduler will resume it, after the "
                        "others (see 'Step 2: an awaitable that suspends')");
  }
  void await_resume() const noexcept {}
};

inline YieldNow yield_now() noexcept { return {}; }
// end book:yield-now

// book:hand-off
/// Like yield_now(), but instead of returning to the scheduler's loop it resumes the coroutine
/// at the front of the deque directly (symmetric transfer), without a step of the loop. When the
/// deque held nobody else, that is the coroutine itself, which simply goes on.
/// Where it resumes: inside whatever step of the loop is running when its turn comes.
struct HandOff {
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend([[maybe_unused]] std::coroutine_handle<> self) const {
    AIO_TODO("l03.ex2", "take your turn at the back, then jump straight to whoever is next "
                        "(see 'Step 5: deciding while suspending')");
  }
  void await_resume() const noexcept {}
};

inline HandOff hand_off() noexcept { return {}; }
// end book:hand-off

// book:latch
/// A one-shot meeting point for `count` coroutines: each calls `co_await latch.arrive_and_wait()`,
/// and none goes past it until all `count` have arrived.
///
/// The decision to suspend is made in await_suspend, because it comes with a side effect that
/// needs the handle: arriving. The last coroutine to arrive does not suspend at all (await_suspend
/// returns false) and goes on at once; the others were parked in the latch, and the last arrival
/// schedules them, in arrival order, at the back of the ready deque: they resume in later steps
/// of the scheduler's loop, never inside the last arrival's await_suspend.
///
/// Once open, the latch stays open: later arrivals do not wait (await_ready is true).
/// Awaiters hold a reference to the latch: it must outlive them, and it neither moves nor copies.
class Latch {
public:
  explicit Latch(std::size_t count) : count_(count) {}
  Latch(const Latch&) = delete;
  Latch& operator=(const Latch&) = delete;

  /// How many arrivals the latch still waits for.
  std::size_t count() const noexcept { return count_; }

  class Arrival {
  public:
    explicit Arrival(Latch& latch) noexcept : latch_(latch) {}

    bool await_ready() const noexcept { return latch_.count_ == 0; }

    /// Arrives. Returns true (stay suspended) while others are still to come, false for the
    /// last arrival, which first schedules every parked coroutine.
    bool await_suspend([[maybe_unused]] std::coroutine_handle<> self) {
      AIO_TODO("l03.ex2", "count the arrival: park, or if it is the last, wake the parked ones "
                          "and go on (see 'Step 5: deciding while suspending')");
    }

    void await_resume() const noexcept {}

  private:
    Latch& latch_;
  };

  Arrival arrive_and_wait() noexcept { return Arrival(*this); }

private:
  std::size_t count_;                              // arrivals still expected; 0: open
  std::vector<std::coroutine_handle<>> waiters_;  // parked, in arrival order, until it opens
};
// end book:latch

}  // namespace aio
