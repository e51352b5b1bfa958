// aio::Lock: mutual exclusion between tasks (asyncio.Lock), and aio::Guard, what holds it.
//
//   async with lock:                    { aio::Guard<aio::Lock> held = co_await lock.acquire();
//       ...                                ... }            // the guard releases it
//   await lock.acquire()                auto held = co_await lock.acquire(); held.detach();
//   try: ... finally: lock.release()    ... lock.release();   // the manual style
//   lock.locked()                       lock.locked()
//
// States, and the one invariant everything rests on:
//   unlocked            nobody holds it, and nobody waits (the list is empty)
//   locked              one task holds it; others may wait in the list, oldest first
//   locked, handed on   release() found a waiter: it took that waiter out and woke it, and the
//                       lock stays locked, now held for the woken task, which has not run yet
// "Unlocked implies nobody waits" is why acquire() only looks at the flag: a task that comes
// along between a release() and the woken waiter's turn finds the lock locked and queues behind.
// That is FIFO fairness: nobody overtakes a waiter. CPython 3.11 gets the same order another
// way (cpython/lock_no_barging.py): its release() clears the flag and the newcomer queues
// because the woken waiter's future is still in `_waiters`. So aio's locked() says True in that
// window where asyncio's says False.
//
// Where a waiter resumes: in a later iteration of the loop, from the ready queue, never inside
// release(). The task that releases runs on until its own next co_await.
//
// Cancellation: a waiter cancelled while it waits leaves the list; it held nothing. A waiter
// cancelled after release() handed it the lock (too late to leave the list) sees
// CancelledError at its co_await all the same; before the error leaves, acquire() passes the
// lock on to the next waiter, or unlocks it. Nothing is lost, and nothing is held by a task
// that does not know it holds it.
#pragma once

#include <aio/errors.hpp>
#include <aio/sleep.hpp>
#include <aio/task_base.hpp>
#include <aio/waiter_list.hpp>

#include <coroutine>
#include <cstddef>
#include <exception>
#include <string>
#include <utility>

namespace aio {

// book:guard
/// Holds a lock or a semaphore permit and gives it back when it goes out of scope: C++'s
/// `async with`. Move-only; a moved-from guard holds nothing.
template <class Primitive>
class [[nodiscard]] Guard {
public:
  explicit Guard(Primitive& held) noexcept : held_(&held) {}
  Guard(Guard&& other) noexcept : held_(std::exchange(other.held_, nullptr)) {}
  Guard& operator=(Guard&& other) {  // releases what it held: may throw, as release() does
    if (this != &other) {
      unlock_if_held();
      held_ = std::exchange(other.held_, nullptr);
    }
    return *this;
  }
  Guard(const Guard&) = delete;
  Guard& operator=(const Guard&) = delete;
  ~Guard() {
    // A frame destroyed unfinished at loop teardown: the primitive may be gone already, and no
    // task will ever run again, so there is nobody to hand it to.
    if (detail::destroying_pending_task) return;
    try {
      unlock_if_held();
    } catch (const std::exception& error) {
      // Released by hand already (lock.release() inside the guard's scope), say. A destructor
      // must not throw, so the loop's exception handler reports it, as asyncio reports errors
      // that have nowhere to go.
      if (detail::running_loop != nullptr) {
        detail::running_loop->call_exception_handler(std::string("a Guard could not release what it held: ") +
                                                     error.what());
      }
    }
  }

  /// Gives it back now, before the end of the scope.
  void release() { unlock_if_held(); }
  /// Keeps it held but stops guarding it: the manual style, where you call release() yourself.
  void detach() noexcept { held_ = nullptr; }
  bool holds() const noexcept { return held_ != nullptr; }

private:
  void unlock_if_held() {
    if (Primitive* held = std::exchange(held_, nullptr)) held->release();
  }

  Primitive* held_;
};
// end book:guard

// book:lock
class Lock {
public:
  class AcquireAwaiter;

  Lock() noexcept = default;
  // Waiters point into the list inside: a Lock must not move while anyone waits for it.
  Lock(const Lock&) = delete;
  Lock& operator=(const Lock&) = delete;

  /// `co_await lock.acquire()`: returns a Guard at once if the lock is free; otherwise waits,
  /// behind every task that asked before, until a release() hands the lock over.
  AcquireAwaiter acquire() noexcept;
  /// Gives the lock to the oldest waiter, or unlocks it if nobody waits. Throws RuntimeError if
  /// the lock is not locked.
  void release();
  /// True while a task holds the lock, or while it is handed on to a woken waiter.
  bool locked() const noexcept { return locked_; }
  /// How many tasks wait for it now.
  std::size_t waiting() const noexcept { return waiters_.size(); }

private:
  WaiterList waiters_;
  bool locked_ = false;
};
// end book:lock

// book:acquire-awaiter
class [[nodiscard]] Lock::AcquireAwaiter {
public:
  explicit AcquireAwaiter(Lock& lock) noexcept : lock_(&lock) {}

  bool await_ready();
  void await_suspend(std::coroutine_handle<> self) {
    waiter_.wait_in(lock_->waiters_, detail::current_task_for("aio::Lock::acquire"), self);
  }
  Guard<Lock> await_resume();

private:
  Lock* lock_;
  Waiter waiter_;
};
// end book:acquire-awaiter

inline Lock::AcquireAwaiter Lock::acquire() noexcept { return AcquireAwaiter(*this); }

// ---- ex3: the lock -------------------------------------------------------------------------
// book:take
/// The fast path: a free lock is taken without suspending. Nobody can be waiting for a lock
/// that is not locked, so taking it overtakes nobody.
inline bool Lock::AcquireAwaiter::await_ready() {
  if (lock_->locked_) return false;
  lock_->locked_ = true;
  return true;
}

inline Guard<Lock> Lock::AcquireAwaiter::await_resume() {
  if (TaskBase* task = waiter_.task()) {  // it suspended: release() handed it the lock, or a cancel came
    try {
      task->throw_if_cancelled();
    } catch (...) {
      if (waiter_.woken()) lock_->release();  // handed the lock, then cancelled: pass it on
      throw;
    }
  }
  return Guard<Lock>(*lock_);
}
// end book:take

// book:release
inline void Lock::release() {
  if (!locked_) {
    throw RuntimeError(
        "Lock is not acquired: release() was called on a lock that no task holds; release only "
        "what you acquired (the guard from co_await lock.acquire() does it for you)");
  }
  // Hand it straight to the oldest waiter (it stays locked, for that task); unlock only if
  // nobody waits.
  if (!waiters_.wake_first()) locked_ = false;
}
// end book:release

}  // namespace aio
