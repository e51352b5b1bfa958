// aio::Semaphore and aio::BoundedSemaphore: at most N tasks at a time (asyncio.Semaphore,
// asyncio.BoundedSemaphore).
//
//   sem = asyncio.Semaphore(3)          aio::Semaphore sem(3);
//   async with sem: ...                 { aio::Guard<aio::Semaphore> permit = co_await sem.acquire(); ... }
//   sem.release(); sem.locked()         sem.release(); sem.locked();
//   asyncio.BoundedSemaphore(3)         aio::BoundedSemaphore sem(3);   // a Semaphore that checks release()
//
// The state is a count of free permits, `value()`, and the list of waiters. Invariant: while
// anyone waits, no permit is free (value() == 0). release() keeps it: with a waiter in the list,
// the permit goes straight to the oldest waiter (taken out and woken; the count does not move);
// only with nobody waiting does the count go up. So acquire() takes a free permit without
// looking at the list, and a newcomer never overtakes a waiter: FIFO. CPython 3.11 hands the
// permit over at the same moment (its _wake_up_next decrements the count as it wakes).
//
// A BoundedSemaphore remembers its initial value and refuses a release() that would raise the
// count above it: ValueError, "BoundedSemaphore released too many times", as asyncio says. It
// finds the bug where a task releases a permit it never took.
//
// Where a waiter resumes: in a later iteration of the loop, from the ready queue, never inside
// release().
//
// Cancellation, as for aio::Lock: a waiter cancelled in the list leaves it, holding nothing; a
// waiter cancelled after it was handed a permit gives the permit back (to the next waiter, or
// to the count) before CancelledError leaves acquire().
#pragma once

#include <aio/errors.hpp>
#include <aio/not_implemented.hpp>
#include <aio/lock.hpp>
#include <aio/sleep.hpp>
#include <aio/task_base.hpp>
#include <aio/waiter_list.hpp>

#include <coroutine>
#include <cstddef>
#include <string>

namespace aio {

// book:semaphore
class Semaphore {
public:
  class AcquireAwaiter;

  /// `value` permits; a negative value is a ValueError, as in asyncio.
  explicit Semaphore(long value = 1) : Semaphore(value, false) {}
  // Waiters point into the list inside: a Semaphore must not move while anyone waits.
  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;

  /// `co_await sem.acquire()`: takes a permit at once if one is free; otherwise waits, behind
  /// every task that asked before, until a release() hands one over. Returns its Guard.
  AcquireAwaiter acquire() noexcept;
  /// Gives a permit back: to the oldest waiter, or to the count if nobody waits. A
  /// BoundedSemaphore throws ValueError instead of going above its initial value.
  void release();
  /// True if acquire() would wait (asyncio's Semaphore.locked()).
  bool locked() const noexcept { return value_ == 0; }
  /// The free permits now.
  long value() const noexcept { return value_; }
  /// How many tasks wait for a permit now.
  std::size_t waiting() const noexcept { return waiters_.size(); }

protected:
  Semaphore(long value, bool bounded) : value_(value), bound_(value), bounded_(bounded) {
    if (value < 0) {
      throw ValueError("Semaphore initial value must be >= 0: got " + std::to_string(value) +
                       "; a semaphore counts free permits, so start with 0 or more");
    }
  }

private:
  WaiterList waiters_;
  long value_;
  long bound_;    // the initial value: a BoundedSemaphore never goes above it
  bool bounded_;
};
// end book:semaphore

/// A Semaphore whose release() refuses to go above the initial value (asyncio.BoundedSemaphore).
class BoundedSemaphore : public Semaphore {
public:
  explicit BoundedSemaphore(long value = 1) : Semaphore(value, true) {}
};

class [[nodiscard]] Semaphore::AcquireAwaiter {
public:
  explicit AcquireAwaiter(Semaphore& semaphore) noexcept : semaphore_(&semaphore) {}

  bool await_ready();
  void await_suspend(std::coroutine_handle<> self) {
    waiter_.wait_in(semaphore_->waiters_, detail::current_task_for("aio::Semaphore::acquire"), self);
  }
  Guard<Semaphore> await_resume();

private:
  Semaphore* semaphore_;
  Waiter waiter_;
};

inline Semaphore::AcquireAwaiter Semaphore::acquire() noexcept { return AcquireAwaiter(*this); }

// ---- ex4: the semaphore --------------------------------------------------------------------
// book:take
inline bool Semaphore::AcquireAwaiter::await_ready() {
  AIO_TODO("l12.ex4", "take a free permit if there is one (see 'Step 4: Semaphore and BoundedSemaphore')");
}

inline Guard<Semaphore> Semaphore::AcquireAwaiter::await_resume() {
  AIO_TODO("l12.ex4", "a permit handed over, then a cancel: give it back (see 'Step 4: Semaphore and BoundedSemaphore')");
}
// end book:take

// book:release
inline void Semaphore::release() {
  static_cast<void>(bound_);    // only to keep Clang quiet until you use bound_
  static_cast<void>(bounded_);  // and bounded_
  AIO_TODO("l12.ex4", "check the bound; the permit goes to the oldest waiter, else to the count (see 'Step 4: Semaphore and BoundedSemaphore')");
}
// end book:release

}  // namespace aio
