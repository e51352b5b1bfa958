// aio::Task<T> and aio::create_task: run coroutines concurrently (asyncio.create_task).
//
//   auto task = aio::create_task(fetch("a"));   // scheduled now; runs once the caller yields
//   ...                                          // meanwhile the caller goes on
//   int n = co_await task;                       // its result, or its exception rethrown
//
// A Task<T> is a handle to a task that the loop owns while it runs: dropping every handle does
// not stop it (no "task vanished" trap), and any number of coroutines may co_await it. Handles
// are cheap to copy (a reference count).
//
// Where the awaiting coroutine resumes: if the task is already done, at once, without
// suspending; otherwise in a later iteration of the loop, from the ready queue, after the task
// finishes. add_done_callback's callbacks are scheduled the same way (loop.call_soon), in the
// order they were added.
#pragma once

#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/event_loop.hpp>
#include <aio/sleep.hpp>
#include <aio/task_base.hpp>

#include <coroutine>
#include <exception>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace aio {

template <class T = void>
class Task {
public:
  static_assert(std::is_void_v<T> || std::is_copy_constructible_v<T>,
                "a task's result is copied out each time it is read, so T must be copyable");

  Task() noexcept = default;
  /// Adopts one reference to `state` (as returned by CoroTask::spawn).
  explicit Task(detail::CoroTask<T>* state) noexcept : state_(state) {}
  Task(const Task& other) noexcept : state_(other.state_) {
    if (state_) state_->acquire();
  }
  Task(Task&& other) noexcept : state_(std::exchange(other.state_, nullptr)) {}
  Task& operator=(Task other) noexcept {
    std::swap(state_, other.state_);
    return *this;
  }
  ~Task() {
    if (state_) state_->release();
  }

  bool valid() const noexcept { return state_ != nullptr; }

  // book:task-state
  bool done() const noexcept { return state_->done(); }
  bool cancelled() const noexcept { return state_->cancelled(); }

  /// The result. Throws InvalidStateError while the task is pending, CancelledError if it was
  /// cancelled, and the task's own exception if it failed.
  T result() const { return state_->result(); }

  /// The exception the task failed with, or null if it succeeded. Throws InvalidStateError
  /// while it is pending and CancelledError if it was cancelled, as asyncio does.
  std::exception_ptr exception() const {
    if (!done()) {
      throw InvalidStateError("Exception is not set: the task '" + get_name() +
                              "' has not finished (await it, or check done() first)");
    }
    std::exception_ptr error = state_->error();
    if (cancelled()) std::rethrow_exception(error);
    return error;
  }
  // end book:task-state

  // book:done-callback
  /// Schedules `callback(task)` with call_soon once the task is done (at once if it already is).
  template <class F>
  void add_done_callback(F callback) {
    struct Listener : DoneListener {
      F callback;
      Task task;
      Listener(F f, Task t) : callback(std::move(f)), task(std::move(t)) {}
    };
    auto* listener = new Listener(std::move(callback), *this);
    listener->on_done = [](DoneListener* self, TaskBase& finished) {
      auto* me = static_cast<Listener*>(self);
      finished.loop().call_soon([callback = std::move(me->callback), task = std::move(me->task)]() mutable {
        callback(task);
      });
      delete me;
    };
    if (done()) {
      listener->on_done(listener, *state_);
    } else {
      state_->add_done_listener(*listener);
    }
  }
  // end book:done-callback

  std::string get_name() const { return state_->name(); }
  void set_name(std::string name) { state_->set_name(std::move(name)); }

  // Cancellation (lesson 08).
  bool cancel(std::string message = {}) { return state_->cancel(std::move(message)); }
  int cancelling() const noexcept { return state_->cancelling(); }
  int uncancel() noexcept { return state_->uncancel(); }

  /// The loop-facing part of the task, for code that works with tasks of any T.
  TaskBase& base() const noexcept { return *state_; }

  // book:await-task
  /// `co_await task`: see the top of this file for where the awaiting coroutine resumes.
  class Awaiter : private DoneListener, private Wait {
  public:
    explicit Awaiter(detail::CoroTask<T>* target) noexcept : target_(target) {}

    bool await_ready() const noexcept { return target_->done(); }

    void await_suspend(std::coroutine_handle<> self) {
      waiter_ = &detail::current_task_for("co_await on a task");
      if (waiter_ == target_) throw InvalidStateError("a task cannot await itself");
      on_done = &wake_waiter;
      Wait::cancel = &forward_cancel;
      waiter_->suspend(self, this);
      target_->add_done_listener(*this);
    }

    T await_resume() {
      if (waiter_ != nullptr) waiter_->throw_if_cancelled();
      return target_->result();
    }

  private:
    static void wake_waiter(DoneListener* self, TaskBase&) { static_cast<Awaiter*>(self)->waiter_->wake(); }

    // Cancelling a task that awaits another task cancels that one too; the waiter wakes when
    // it ends, with its result or its CancelledError.
    static bool forward_cancel(Wait* self, const std::string& message) {
      return static_cast<Awaiter*>(self)->target_->cancel(message);
    }

    detail::CoroTask<T>* target_;
    TaskBase* waiter_ = nullptr;
  };
  // end book:await-task

  Awaiter operator co_await() const noexcept { return Awaiter(state_); }

private:
  detail::CoroTask<T>* state_ = nullptr;
};

// book:create-task
/// Schedules `coro` to run as a task on the running loop (asyncio.create_task).
template <class T>
Task<T> create_task(Coro<T> coro, std::string name = {}) {
  return Task<T>(detail::CoroTask<T>::spawn(get_running_loop(), std::move(coro), std::move(name)));
}
// end book:create-task

/// The task running now, or nullptr outside any task (asyncio.current_task).
inline TaskBase* current_task() {
  return detail::running_loop != nullptr ? detail::running_loop->current_task() : nullptr;
}

/// The tasks of the running loop that have not finished (asyncio.all_tasks).
inline std::vector<TaskBase*> all_tasks() { return TaskBase::pending(get_running_loop()); }

}  // namespace aio
