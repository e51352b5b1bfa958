// aio::WaiterList: the tasks waiting on a lock, an event, a semaphore, a queue, ..., in the
// order they came (asyncio keeps a deque of futures, `_waiters`, in each of these).
//
//   Waiter      one waiting task. It lives inside the awaiter, so in the waiting coroutine's
//               frame: joining a list allocates nothing. It is also the task's Wait (lesson 08),
//               so a cancellation can take it out of the list.
//   WaiterList  an intrusive doubly linked FIFO of Waiters, owned by the primitive.
//
// A Waiter's states, in the order they happen:
//   idle        not in a list (before push_back, or after one of the two endings below)
//   listed      in a list; its task is suspended with this Waiter as its Wait
//   woken       wake_first/wake_all took it out and woke its task: the primitive has given it
//               what it waited for (the lock, a permit, "an item is there"). A cancellation that
//               comes now is too late to withdraw the wait: the task sees CancelledError at its
//               co_await all the same, and must hand on what it was given.
//   cancelled   a cancellation took it out before it was woken; its task wakes with
//               CancelledError and was given nothing.
//
// Where a woken task resumes: in a later iteration of the loop, from the ready queue, never
// inside the wake_first() or wake_all() call that woke it. So whoever calls set(), release() or
// put() keeps running until its own next co_await, as in asyncio.
#pragma once

#include <aio/sleep.hpp>
#include <aio/task_base.hpp>

#include <cstddef>
#include <string>

namespace aio {

class WaiterList;

// book:waiter
class Waiter : private Wait {
public:
  enum class State : unsigned char { idle, listed, woken, cancelled };

  Waiter() noexcept : Wait{&on_cancel} {}
  // The list and the task point into this object: it must not move while it waits.
  Waiter(const Waiter&) = delete;
  Waiter& operator=(const Waiter&) = delete;
  /// A frame destroyed while it waits (a loop closing with pending tasks) leaves the list.
  ~Waiter();

  State state() const noexcept { return state_; }
  bool woken() const noexcept { return state_ == State::woken; }
  TaskBase* task() const noexcept { return task_; }

  /// Joins `list` at its back and suspends `task` at `at`, with this Waiter as what a
  /// cancellation withdraws. Called from an awaiter's await_suspend.
  void wait_in(WaiterList& list, TaskBase& task, std::coroutine_handle<> at) noexcept;

private:
  friend class WaiterList;

  static bool on_cancel(Wait* wait, const CancelMessage& message);

  Waiter* prev_ = nullptr;
  Waiter* next_ = nullptr;
  WaiterList* list_ = nullptr;
  TaskBase* task_ = nullptr;
  State state_ = State::idle;
};
// end book:waiter

class WaiterList {
public:
  WaiterList() noexcept = default;
  // Waiters point back at their list: it must not move while anyone waits in it.
  WaiterList(const WaiterList&) = delete;
  WaiterList& operator=(const WaiterList&) = delete;
  /// Lets go of any Waiter still listed (their frames are being destroyed too, at loop teardown).
  ~WaiterList() {
    while (first_ != nullptr) detach(*first_);
  }

  bool empty() const noexcept { return first_ == nullptr; }
  std::size_t size() const noexcept { return size_; }

  // ---- ex1: waking ------------------------------------------------------------------------
  // book:wake-first
  /// Takes the oldest waiter out and wakes its task through the ready queue. False if nobody
  /// waits.
  bool wake_first() {
    if (first_ == nullptr) return false;
    Waiter& waiter = *first_;
    detach(waiter);
    waiter.state_ = Waiter::State::woken;
    waiter.task_->wake();
    return true;
  }

  /// Wakes every waiter, oldest first; returns how many.
  std::size_t wake_all() {
    std::size_t count = 0;
    while (wake_first()) ++count;
    return count;
  }
  // end book:wake-first

private:
  friend class Waiter;

  // book:links
  void push_back(Waiter& waiter) noexcept {
    waiter.prev_ = last_;
    waiter.next_ = nullptr;
    (last_ != nullptr ? last_->next_ : first_) = &waiter;
    last_ = &waiter;
    waiter.list_ = this;
    ++size_;
  }

  void detach(Waiter& waiter) noexcept {
    (waiter.prev_ != nullptr ? waiter.prev_->next_ : first_) = waiter.next_;
    (waiter.next_ != nullptr ? waiter.next_->prev_ : last_) = waiter.prev_;
    waiter.prev_ = waiter.next_ = nullptr;
    waiter.list_ = nullptr;
    --size_;
  }
  // end book:links

  Waiter* first_ = nullptr;
  Waiter* last_ = nullptr;
  std::size_t size_ = 0;
};

inline Waiter::~Waiter() {
  if (list_ != nullptr) list_->detach(*this);
}

// book:wait-in
inline void Waiter::wait_in(WaiterList& list, TaskBase& task, std::coroutine_handle<> at) noexcept {
  task_ = &task;
  state_ = State::listed;
  list.push_back(*this);
  task.suspend(at, this);
}
// end book:wait-in

// ---- ex1: withdrawing ------------------------------------------------------------------
// book:on-cancel
/// The Wait's side: a cancellation takes a listed waiter out (it was given nothing) and wakes its
/// task with CancelledError. A waiter already woken is not listed any more: too late.
inline bool Waiter::on_cancel(Wait* wait, const CancelMessage& message) {
  auto* self = static_cast<Waiter*>(wait);
  if (self->list_ == nullptr) return false;
  self->list_->detach(*self);
  self->state_ = State::cancelled;
  self->task_->wake_cancelled(message);
  return true;
}
// end book:on-cancel

}  // namespace aio
