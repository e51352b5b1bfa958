// aio::Event: a flag that tasks can wait for (asyncio.Event).
//
//   ev = asyncio.Event()                aio::Event ev;
//   await ev.wait()                     co_await ev.wait();
//   ev.set(); ev.clear(); ev.is_set()   ev.set(); ev.clear(); ev.is_set();
//
// States:
//   clear   wait() suspends: the task joins the waiter list
//   set     wait() returns at once, without suspending
//
// set() wakes every waiter, oldest first. Where they resume: each in the next iteration of the
// loop, from the ready queue, never inside set(); the task that called set() runs on until its
// own next co_await. A waiter woken by set() returns from wait() even if clear() came before it
// ran: it was woken while the flag was set, as in asyncio, where its future is done already.
//
// Cancellation: a waiter cancelled before set() leaves the list and sees CancelledError. One
// cancelled after set() woke it sees CancelledError too; it was given nothing that it must
// hand on (the flag stays set for everybody).
#pragma once

#include <aio/errors.hpp>
#include <aio/sleep.hpp>
#include <aio/task_base.hpp>
#include <aio/waiter_list.hpp>

#include <coroutine>
#include <cstddef>

namespace aio {

// book:event
class Event {
public:
  class WaitAwaiter;

  Event() noexcept = default;
  // Waiters point into the list inside: an Event must not move while anyone waits on it.
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;

  bool is_set() const noexcept { return value_; }
  /// Sets the flag and wakes every task waiting for it (asyncio's Event.set).
  void set();
  /// Clears the flag: tasks that wait from now on suspend until the next set().
  void clear() noexcept { value_ = false; }
  /// `co_await ev.wait()`: returns at once if the flag is set, else when set() is called.
  WaitAwaiter wait() noexcept;
  /// How many tasks are waiting now.
  std::size_t waiting() const noexcept { return waiters_.size(); }

private:
  WaiterList waiters_;
  bool value_ = false;
};
// end book:event

// book:wait-awaiter
class [[nodiscard]] Event::WaitAwaiter {
public:
  explicit WaitAwaiter(Event& event) noexcept : event_(&event) {}

  bool await_ready() const;
  void await_suspend(std::coroutine_handle<> self) {
    waiter_.wait_in(event_->waiters_, detail::current_task_for("aio::Event::wait"), self);
  }
  void await_resume();

private:
  Event* event_;
  Waiter waiter_;  // in the waiting frame: joining the list allocates nothing
};
// end book:wait-awaiter

inline Event::WaitAwaiter Event::wait() noexcept { return WaitAwaiter(*this); }

// ---- ex2: the event ------------------------------------------------------------------------
// book:set
inline void Event::set() {
  if (value_) return;  // set already: every waiter was woken then
  value_ = true;
  waiters_.wake_all();  // oldest first, each through the ready queue
}
// end book:set

// book:wait
inline bool Event::WaitAwaiter::await_ready() const {
  return event_->value_;  // set: no need to wait
}

inline void Event::WaitAwaiter::await_resume() {
  // Only a task that suspended can have a cancellation to see here.
  if (waiter_.task() != nullptr) waiter_.task()->throw_if_cancelled();
}
// end book:wait

}  // namespace aio
