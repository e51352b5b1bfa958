// aio::Barrier: N tasks wait until all N have arrived, then all go on (asyncio.Barrier, 3.11).
//
//   barrier = asyncio.Barrier(3)        aio::Barrier barrier(3);
//   index = await barrier.wait()        std::size_t index = co_await barrier.wait();
//   await barrier.reset()               co_await barrier.reset();
//   await barrier.abort()               co_await barrier.abort();
//   barrier.parties, .n_waiting,        barrier.parties(), barrier.n_waiting(),
//   barrier.broken                      barrier.broken()
//
// wait() returns each task's arrival index, 0 to parties - 1; the last to arrive (index
// parties - 1) opens the barrier, and it can be used again for the next round. Built, as in
// asyncio, from a Condition: every change of state is a notify_all(), and every wait is a
// wait_for() on the state, so the lock makes each step atomic with respect to the others.
//
// States (asyncio's _BarrierState):
//   filling    tasks arrive and wait; the count goes up. The last arrival switches to draining.
//   draining   the round is over: the waiting tasks leave, one by one (each takes the lock).
//              Newcomers wait until the last has left (they belong to the next round); then
//              the barrier is filling again.
//   resetting  reset() while tasks waited: they leave with BrokenBarrierError; then filling.
//   broken     abort(): every waiting task, and every later wait(), gets BrokenBarrierError
//              until reset().
//
// Where tasks resume: from the ready queue, each one after it has taken the condition's lock,
// in the order they arrived.
//
// Cancellation: a task cancelled while it waits leaves the barrier (the count goes down, as it
// would on a normal exit) and the barrier is NOT broken: the others keep waiting for a full
// round (cpython/barrier_cancel.py). threading.Barrier breaks on a timeout; asyncio's does not.
#pragma once

#include <aio/condition.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/not_implemented.hpp>
#include <aio/lock.hpp>

#include <cstddef>
#include <string>

namespace aio {

// book:barrier
class Barrier {
public:
  enum class State { filling, draining, resetting, broken };

  /// A barrier for `parties` tasks; fewer than one is a ValueError, as in asyncio.
  explicit Barrier(std::size_t parties) : parties_(parties) {
    if (parties < 1) throw ValueError("parties must be > 0: a barrier for no task would never open");
  }
  Barrier(const Barrier&) = delete;
  Barrier& operator=(const Barrier&) = delete;

  /// Waits until `parties()` tasks wait; returns this task's arrival index (0 for the first).
  /// Throws BrokenBarrierError if the barrier is broken, or is reset or aborted meanwhile.
  Coro<std::size_t> wait();
  /// Back to filling; the tasks waiting now get BrokenBarrierError.
  Coro<void> reset();
  /// Breaks the barrier: waiting tasks and later wait()s get BrokenBarrierError, until reset().
  Coro<void> abort();

  std::size_t parties() const noexcept { return parties_; }
  /// How many tasks wait for the round to fill (0 unless filling).
  std::size_t n_waiting() const noexcept { return state_ == State::filling ? count_ : 0; }
  bool broken() const noexcept { return state_ == State::broken; }
  State state() const noexcept { return state_; }

private:
  /// Waits while a round drains or resets (the caller belongs to the next round); then throws
  /// BrokenBarrierError if the barrier is broken.
  Coro<void> wait_for_next_round() {
    co_await cond_.wait_for([this] { return state_ != State::draining && state_ != State::resetting; });
    if (state_ == State::broken) throw BrokenBarrierError("Barrier aborted: abort() was called; reset() it to use it again");
  }

  /// The last arrival opens the barrier: the round drains.
  void open() {
    state_ = State::draining;
    cond_.notify_all();
  }

  /// Waits until the round is over; throws BrokenBarrierError if it ended by reset() or abort().
  Coro<void> wait_until_open() {
    co_await cond_.wait_for([this] { return state_ != State::filling; });
    if (state_ == State::broken || state_ == State::resetting) {
      throw BrokenBarrierError("Abort or reset of barrier: the round was broken while this task waited");
    }
  }

  /// A task leaves (normally or not). The last one to leave a draining or resetting round
  /// starts the next round, and wakes the newcomers that wait for it.
  void leave();

  Condition cond_;  // every change of state is announced here
  std::size_t parties_;
  std::size_t count_ = 0;  // tasks inside wait(), between their arrival and their leaving
  State state_ = State::filling;
};
// end book:barrier

// ---- ex6: the barrier ----------------------------------------------------------------------
// book:wait
inline Coro<std::size_t> Barrier::wait() {
  AIO_TODO("l12.ex6", "under the lock: wait for your round, take an index, open or wait; always leave (see 'Step 6: Barrier')");
}

inline void Barrier::leave() {
  AIO_TODO("l12.ex6", "count down; the last one out of a draining or reset round starts the next (see 'Step 6: Barrier')");
}
// end book:wait

// book:reset-abort
inline Coro<void> Barrier::reset() {
  Guard<Lock> held = co_await cond_.acquire();
  // With tasks inside, they must leave first (with BrokenBarrierError); the last one out
  // switches to filling. With nobody inside, it is filling at once.
  state_ = count_ > 0 ? State::resetting : State::filling;
  cond_.notify_all();
}

inline Coro<void> Barrier::abort() {
  Guard<Lock> held = co_await cond_.acquire();
  state_ = State::broken;
  cond_.notify_all();
}
// end book:reset-abort

}  // namespace aio
