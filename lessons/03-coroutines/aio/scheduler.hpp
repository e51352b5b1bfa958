// aio::Scheduler and aio::run_sync: the smallest thing that can drive coroutines, before any
// event loop exists.
//
//   def run_sync(coro):                      template <class T> T run_sync(Coro<T> coro);
//       scheduler = Scheduler()              aio::Scheduler scheduler;
//       scheduler.schedule(coro)             scheduler.schedule(coro.handle());
//       scheduler.run()                      scheduler.run();
//       return scheduler.result_of(coro)     return coro.take_result();
//
// The Scheduler is a FIFO deque of coroutine handles that are ready to run. Its loop takes the
// handle at the front and resumes it; the coroutine runs until it suspends or finishes, and the
// loop takes the next one. Nothing else is in it: no clock, no timers, no I/O. Awaitables that
// suspend (aio/awaitable.hpp) put the suspended coroutine's handle back into the deque themselves,
// or park it somewhere (a latch's waiters) until something schedules it again.
//
// Python's coroutines are driven the same way, by `coro.send(None)`; lesson 03's mirror.py builds
// this very scheduler around it. Lesson 04 replaces it with the real thing, aio::EventLoop, whose
// ready queue holds callbacks instead of handles and which adds timers.
//
// Your exercise in this file (`./learn` shows it, `./learn hint l03.ex4` helps):
//   l03.ex4  Scheduler::run() and run_sync(): run until nothing is ready, then report
// ([[maybe_unused]] only silences a warning until you write the body.)
#pragma once

#include <aio/not_implemented.hpp>

#include <aio/coro.hpp>
#include <aio/errors.hpp>

#include <coroutine>
#include <cstddef>
#include <deque>
#include <exception>
#include <string>
#include <utility>
#include <vector>

namespace aio {

/// A round-robin scheduler: a deque of ready coroutine handles and a loop that resumes them.
///
/// Contract:
/// - `schedule(h)` puts `h` at the back of the deque; it runs after everything already there.
///   Nothing is resumed inside schedule(): waking a coroutine always goes through the deque.
/// - `run_one()` resumes the handle at the front, inside the call, on the caller's thread; it
///   returns when that coroutine suspends or finishes (or when whatever it transferred control
///   to does). While it runs, `Scheduler::current()` is this scheduler.
/// - `run()` calls run_one() until the deque is empty; see there for what it reports.
/// - A Scheduler does not own the handles in its deque, only the coroutines given to spawn().
///
/// Awaitables keep pointers to the scheduler (through current()), so it neither moves nor copies.
class Scheduler {
public:
  Scheduler() = default;
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;
  ~Scheduler() = default;  // destroys the spawned coroutines, wherever they are suspended

  /// The scheduler that is running the current coroutine. Throws InvalidStateError when called
  /// outside Scheduler::run_one() (for instance from a coroutine driven by hand or by aio::run).
  static Scheduler& current() {
    Scheduler* running = running_scheduler();
    if (running == nullptr) {
      throw InvalidStateError(
          "no aio::Scheduler is running: lesson 03's awaitables (yield_now, hand_off, Latch) "
          "must be awaited inside aio::run_sync or Scheduler::run");
    }
    return *running;
  }

  // book:schedule
  /// Puts `handle` at the back of the ready deque.
  void schedule(std::coroutine_handle<> handle) { ready_.push_back(handle); }

  /// Removes the handle at the front of the deque and returns it, or std::noop_coroutine() when
  /// the deque is empty. For awaitables that transfer control directly (aio::hand_off).
  std::coroutine_handle<> take_next() noexcept {
    if (ready_.empty()) return std::noop_coroutine();
    std::coroutine_handle<> next = ready_.front();
    ready_.pop_front();
    return next;
  }

  /// Resumes the coroutine at the front of the deque, if there is one, and returns when it has
  /// suspended or finished. Returns false when nothing was ready.
  bool run_one() {
    if (ready_.empty()) return false;
    std::coroutine_handle<> next = ready_.front();
    ready_.pop_front();
    Running as_current(this);
    ++steps_;
    next.resume();
    return true;
  }
  // end book:schedule

  /// Keeps `coro` (the scheduler owns it from now on) and schedules its first step. The result
  /// of a spawned coroutine is ignored; its exception is reported by run().
  void spawn(Coro<void> coro) {
    std::coroutine_handle<> first_step = coro.handle();
    spawned_.push_back(std::move(coro));
    schedule(first_step);
  }

  // book:scheduler-run
  /// Runs until the ready deque is empty, then checks every spawned coroutine, in spawn order:
  /// - one that is still suspended waits for something nothing will ever do: DeadlockError;
  /// - one that ended with an exception: the exception is rethrown here.
  /// The spawned coroutines are destroyed before run() returns or throws.
  void run() {
    // book:run
    AIO_TODO("l03.ex4", "run until nothing is ready, then account for every spawned coroutine "
                        "(see 'Step 6: the driver')");
    // end book:run
  }
  // end book:scheduler-run

  /// How many coroutines are in the ready deque.
  std::size_t ready_count() const noexcept { return ready_.size(); }

  /// How many times run_one() has resumed a coroutine (a transfer by hand_off is not a step).
  std::size_t steps() const noexcept { return steps_; }

private:
  // Makes a scheduler the current one for the duration of a step; restores the previous one
  // afterwards, so that a run_sync inside a coroutine (a nested scheduler) works.
  class Running {
  public:
    explicit Running(Scheduler* scheduler) noexcept
        : previous_(std::exchange(running_scheduler(), scheduler)) {}
    Running(const Running&) = delete;
    Running& operator=(const Running&) = delete;
    ~Running() { running_scheduler() = previous_; }

  private:
    Scheduler* previous_;
  };

  static Scheduler*& running_scheduler() noexcept {
    thread_local Scheduler* running = nullptr;
    return running;
  }

  std::deque<std::coroutine_handle<>> ready_;  // front: runs next; back: runs last
  std::vector<Coro<void>> spawned_;            // owned until run() has checked them
  std::size_t steps_ = 0;
};

// book:run-sync
/// Runs `coro` to completion on a scheduler of its own, and returns its result (or rethrows its
/// exception). Like asyncio.run(), but with nothing to wait for except other coroutines: when the
/// deque runs dry and `coro` has not finished, it never will, and run_sync throws DeadlockError.
template <class T>
T run_sync([[maybe_unused]] Coro<T> coro) {
  AIO_TODO("l03.ex4", "asyncio.run without a loop: a scheduler of its own, one coroutine, its "
                      "result, or DeadlockError (see 'Step 6: the driver')");
}
// end book:run-sync

}  // namespace aio
