// aio::Condition: wait, holding a lock, until another task says that something changed
// (asyncio.Condition).
//
//   cond = asyncio.Condition()          aio::Condition cond;            // owns its lock
//   asyncio.Condition(lock)             aio::Condition cond(lock);      // shares `lock`
//   async with cond:                    { auto held = co_await cond.acquire();
//       await cond.wait_for(ready)          co_await cond.wait_for([&] { return ready; });
//       cond.notify()                       cond.notify();   }
//
// A condition is a lock and a second waiter list. wait(), with the lock held:
//   1. releases the lock (so that another task can change the state and notify),
//   2. waits in the condition's list until notify() or notify_all() wakes it,
//   3. takes the lock again, waiting for it like any other task, and only then returns.
// So wait() always returns holding the lock, and so does wait_for(predicate), which waits
// until predicate() is true, checking it with the lock held. Waiting or notifying without
// holding the lock is a RuntimeError, with asyncio's words ("cannot wait on un-acquired lock",
// "cannot notify on un-acquired lock").
//
// Where a notified task resumes: in a later iteration of the loop, from the ready queue; then it
// queues for the lock, so it returns from wait() once the notifier has released it.
//
// Cancellation: wait() re-acquires the lock even when it is cancelled, as asyncio does (it keeps
// waiting for the lock through further cancellations too), and then lets CancelledError out:
// the caller's guard still holds the lock and releases it as the error unwinds. A task that was
// notified and then cancelled before it could return passes its notification on to the next
// waiter, so that no notify() is lost: Python 3.12 does that too (cpython/condition_late_cancel.py);
// 3.11 loses it.
#pragma once

#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/not_implemented.hpp>
#include <aio/lock.hpp>
#include <aio/sleep.hpp>
#include <aio/task_base.hpp>
#include <aio/waiter_list.hpp>

#include <coroutine>
#include <cstddef>
#include <exception>
#include <limits>
#include <string>

namespace aio {

// book:condition
class Condition {
public:
  /// A condition with a lock of its own.
  Condition() noexcept : lock_(&own_lock_) {}
  /// A condition over `lock`, which must outlive it (several conditions may share one lock).
  explicit Condition(Lock& lock) noexcept : lock_(&lock) {}
  // Waiters point into the lists inside: a Condition must not move while anyone waits.
  Condition(const Condition&) = delete;
  Condition& operator=(const Condition&) = delete;

  // ---- the lock's side, as asyncio exports it ----------------------------------------------
  Lock::AcquireAwaiter acquire() noexcept { return lock_->acquire(); }
  void release() { lock_->release(); }
  bool locked() const noexcept { return lock_->locked(); }
  Lock& lock() noexcept { return *lock_; }

  // ---- waiting and notifying -----------------------------------------------------------------
  /// Releases the lock, waits for a notify(), takes the lock again (see the top of this file).
  Coro<void> wait();
  /// Waits until `predicate()` is true; returns its last value. The lock must be held.
  template <class Predicate>
  Coro<bool> wait_for(Predicate predicate);
  /// Wakes up to `n` waiting tasks, oldest first. The lock must be held.
  void notify(std::size_t n = 1);
  /// Wakes every waiting task. The lock must be held.
  void notify_all() { notify(std::numeric_limits<std::size_t>::max()); }
  /// How many tasks wait for a notification now (not counting those waiting for the lock).
  std::size_t waiting() const noexcept { return waiters_.size(); }

private:
  class Notified;

  /// Throws asyncio's RuntimeError if the lock is not held: `what` is "wait" or "notify".
  void check_locked(const char* what) const {
    if (!lock_->locked()) {
      throw RuntimeError(std::string("cannot ") + what +
                         " on un-acquired lock: acquire the condition's lock first (auto held = "
                         "co_await cond.acquire();)");
    }
  }

  Lock own_lock_;
  Lock* lock_;
  WaiterList waiters_;
};
// end book:condition

// book:notified
/// Step 2 of wait(): waits in the condition's list until notify() takes this waiter out.
class [[nodiscard]] Condition::Notified {
public:
  explicit Notified(Condition& condition) noexcept : condition_(&condition) {}

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> self) {
    waiter_.wait_in(condition_->waiters_, detail::current_task_for("aio::Condition::wait"), self);
  }
  void await_resume() { waiter_.task()->throw_if_cancelled(); }
  /// True if a notify() woke this waiter (even if a cancellation came afterwards).
  bool notified() const noexcept { return waiter_.woken(); }

private:
  Condition* condition_;
  Waiter waiter_;
};
// end book:notified

// book:wait-for
template <class Predicate>
Coro<bool> Condition::wait_for(Predicate predicate) {
  bool result = static_cast<bool>(predicate());
  while (!result) {
    co_await wait();
    result = static_cast<bool>(predicate());
  }
  co_return result;
}
// end book:wait-for

// ---- ex5: the condition --------------------------------------------------------------------
// book:wait
inline Coro<void> Condition::wait() {
  AIO_TODO("l12.ex5", "release, wait for a notify, take the lock back even if cancelled (see 'Step 5: Condition')");
}
// end book:wait

// book:notify
inline void Condition::notify([[maybe_unused]] std::size_t n) {
  AIO_TODO("l12.ex5", "with the lock held, wake up to n waiters, oldest first (see 'Step 5: Condition')");
}
// end book:notify

}  // namespace aio
