// aio::Task<T> and aio::create_task: run coroutines concurrently (asyncio.create_task).
//
//   auto task = aio::create_task(fetch("a"));   // scheduled now; runs once the caller yields
//   ...                                          // meanwhile the caller goes on
//   int n = co_await task;                       // its result, or its exception rethrown
//
// Ownership. A Task<T> is a handle, cheap to copy: each copy holds one reference. The loop holds
// one more from create_task until the task finishes, so dropping every handle never stops a
// running task (asyncio's loop keeps only weak references, hence its "task vanished" trap; see
// the chapter). A finished task lives as long as some handle does, so its result can be read
// any number of times.
//
// States (kept by TaskBase, aio/task_base.hpp):
//   pending    scheduled, running, or suspended at a co_await. result() and exception() throw
//              InvalidStateError.
//   finished   the coroutine returned or threw. result() returns a copy of the value or rethrows
//              the exception; exception() returns the exception, or null.
//   cancelled  it ended with aio::CancelledError (lesson 08). result() and exception() throw it.
//
// Where the awaiting coroutine resumes: if the task is already done, at once, without
// suspending; otherwise from the loop's ready queue, in the iteration after the one in which
// the task finished (asyncio's Task.__wakeup). Done callbacks go through the ready queue as
// well (loop.call_soon), never inline. Callbacks and waiting tasks are all "done listeners" of
// the task, scheduled in the order they started listening.
//
// Unretrieved exceptions. A task that failed, and whose exception nobody asked for (result(),
// exception() or co_await), is reported through the loop's exception handler as "Task exception
// was never retrieved": when its last handle goes, or when the loop closes if a handle outlives
// the loop's run. It is reported once.
//
// Where aio differs from asyncio:
//   - result() copies the value (any number of coroutines may read it), so T must be copyable;
//     co_await a Coro<T> directly to move a move-only result out.
//   - names are "Task-N" counted per loop, where asyncio counts per process.
//   - aio::CancelledError is not a std::exception, as asyncio's is not an Exception.
//   - there is no remove_done_callback: C++ callables cannot be compared for equality.
#pragma once

#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/event_loop.hpp>
#include <aio/sleep.hpp>
#include <aio/task_base.hpp>

#include <coroutine>
#include <exception>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace aio {

/// How a task describes itself in messages, as asyncio's repr does without the coroutine part:
/// "<Task pending name='Task-2'>", "<Task finished name='fetch'>", "<Task cancelled name='Task-3'>".
inline std::string describe(const TaskBase& task) {
  const char* state = task.cancelled() ? "cancelled" : task.done() ? "finished" : "pending";
  return std::string("<Task ") + state + " name='" + task.name() + "'>";
}

template <class T = void>
class Task {
public:
  static_assert(std::is_void_v<T> || std::is_copy_constructible_v<T>,
                "a task's result is copied out each time it is read, so T must be copyable; "
                "co_await the Coro directly to move a move-only result");
  using value_type = T;

  // book:task-handle
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
  /// Drops this handle's reference. The task keeps running: the loop holds its own reference
  /// until the task is done.
  ~Task() {
    if (state_) state_->release();
  }
  // end book:task-handle

  /// False for a default-constructed or moved-from handle; every other member needs a valid one.
  bool valid() const noexcept { return state_ != nullptr; }

  // book:task-state
  bool done() const noexcept { return state_->done(); }
  bool cancelled() const noexcept { return state_->cancelled(); }

  /// A copy of the result, or the task's exception rethrown. Throws InvalidStateError while the
  /// task is pending, and CancelledError if it was cancelled.
  T result() const {
    if (!done()) throw InvalidStateError(not_finished("Result is not set"));
    return state_->result();  // also marks the exception, if any, as retrieved
  }

  /// The exception the task failed with, or null if it returned. Throws InvalidStateError while
  /// the task is pending, and CancelledError if it was cancelled, as asyncio does.
  std::exception_ptr exception() const {
    if (!done()) throw InvalidStateError(not_finished("Exception is not set"));
    std::exception_ptr error = state_->error();  // reading it counts as retrieving it
    if (cancelled()) std::rethrow_exception(error);
    return error;
  }
  // end book:task-state

  /// Schedules `callback(task)` with loop.call_soon once the task is done; if it is done
  /// already, schedules it now. Never runs it inline: the callback runs from the ready queue,
  /// in a later iteration, after every callback added before it. An exception it throws goes
  /// to the loop's exception handler.
  ///
  /// Cost: an allocation for the listener, and call_soon's own (a ScheduledCall and the
  /// std::function inside it). Awaiting a task allocates nothing: prefer co_await on hot paths.
  // book:done-callback
  template <class F>
  void add_done_callback(F callback) {
    static_assert(std::is_invocable_v<F&, Task&>, "a done callback is called as callback(task)");
    if (done()) {
      get_loop().call_soon([callback = std::move(callback), task = *this]() mutable { callback(task); });
      return;
    }
    state_->add_done_listener(*new CallbackListener<F>(std::move(callback)));
  }
  // end book:done-callback

  // book:task-identity
  /// "Task-N" unless a name was given to create_task or set_name.
  std::string get_name() const { return state_->name(); }
  void set_name(std::string name) { state_->set_name(std::move(name)); }
  /// The loop the task runs on (asyncio's Task.get_loop()).
  EventLoop& get_loop() const noexcept { return state_->loop(); }
  /// "<Task pending name='Task-2'>": see aio::describe.
  std::string describe() const { return aio::describe(*state_); }
  // end book:task-identity

  // Cancellation (lesson 08).
  bool cancel(CancelMessage message = std::nullopt) { return state_->cancel(std::move(message)); }
  int cancelling() const noexcept { return state_->cancelling(); }
  int uncancel() noexcept { return state_->uncancel(); }

  /// The loop-facing part of the task, for code that works with tasks of any T.
  TaskBase& base() const noexcept { return *state_; }

  /// Two handles are equal if they refer to the same task.
  friend bool operator==(const Task& a, const Task& b) noexcept { return a.state_ == b.state_; }

  // book:await-task
  /// `co_await task`: see the top of this file for where the awaiting coroutine resumes.
  class Awaiter : private DoneListener, private Wait {
  public:
    explicit Awaiter(detail::CoroTask<T>* target) noexcept : target_(target) {
      on_done = &wake_waiter;          // the target finished: schedule the waiter's next step
      Wait::cancel = &forward_cancel;  // the waiter is cancelled: cancel the target instead
    }

    /// A task that is already done does not suspend the awaiting coroutine at all.
    bool await_ready() const noexcept { return target_->done(); }

    void await_suspend(std::coroutine_handle<> self) {
      waiter_ = &detail::current_task_for("co_await on a task");
      if (waiter_ == target_) {
        waiter_ = nullptr;  // never suspended: nothing to check in await_resume
        throw InvalidStateError("Task cannot await on itself: " + aio::describe(*target_));
      }
      waiter_->suspend(self, this);  // this awaiter is the Wait: a cancel goes to forward_cancel
      target_->add_done_listener(*this);
    }

    T await_resume() {
      if (waiter_ != nullptr) waiter_->throw_if_cancelled();
      return target_->result();
    }

  private:
    // Called inside the target's completion (TaskBase::finish): only schedules, never resumes.
    static void wake_waiter(DoneListener* self, TaskBase& target) {
      TaskBase* waiter = static_cast<Awaiter*>(self)->waiter_;
      if (waiter == nullptr) {
        // await_suspend listened without remembering who waits: nobody can be woken. Say so
        // here; the loop then stops with a DeadlockError that names the stuck task.
        target.loop().call_exception_handler("co_await on the task '" + target.name() +
                                             "': the Awaiter's waiter_ is null, so the task that "
                                             "awaits it cannot be woken (set waiter_ in await_suspend)");
        return;
      }
      waiter->wake();
    }

    // Cancelling a task that awaits another task cancels that one too; the waiter wakes when
    // it ends, with its result or its CancelledError. Tasks that await each other in a circle
    // would forward the request round and round: the second visit declines (false: the waiter
    // keeps the request for its next step), and the circle stays as stuck as it was.
    static bool forward_cancel(Wait* self, const CancelMessage& message) {
      auto* awaiter = static_cast<Awaiter*>(self);
      if (awaiter->forwarding_) return false;
      awaiter->forwarding_ = true;
      struct Done {
        bool& flag;
        ~Done() { flag = false; }
      } done{awaiter->forwarding_};
      return awaiter->target_->cancel(message);
    }

    detail::CoroTask<T>* target_;
    TaskBase* waiter_ = nullptr;  // the task suspended here, if it suspended
    bool forwarding_ = false;     // forward_cancel is running (see there)
  };
  // end book:await-task

  Awaiter operator co_await() const noexcept { return Awaiter(state_); }

private:
  // book:callback-listener
  // A done callback waiting for the task to finish: on_done runs inside TaskBase::finish, so it
  // only schedules the callback (with a fresh handle to the task) and frees the listener.
  template <class F>
  struct CallbackListener : DoneListener {
    explicit CallbackListener(F f) : callback(std::move(f)) { on_done = &on_task_done; }

    static void on_task_done(DoneListener* self, TaskBase& finished) {
      std::unique_ptr<CallbackListener> listener(static_cast<CallbackListener*>(self));
      auto& task = static_cast<detail::CoroTask<T>&>(finished);
      task.acquire();  // for the handle that the callback receives
      finished.loop().call_soon(
          [callback = std::move(listener->callback), handle = Task(&task)]() mutable { callback(handle); });
    }

    F callback;
  };
  // end book:callback-listener

  std::string not_finished(const char* what) const {
    return std::string(what) + ": " + describe() +
           " has not finished yet (co_await it, or check done() first)";
  }

  detail::CoroTask<T>* state_ = nullptr;
};

// book:create-task
/// Wraps `coro` in a task on the running loop and schedules its first step (asyncio.create_task).
/// Nothing of `coro` runs before the caller reaches its next suspension point.
template <class T>
Task<T> create_task(Coro<T> coro, std::string name = {}) {
  return Task<T>(detail::CoroTask<T>::spawn(get_running_loop(), std::move(coro), std::move(name)));
}
// end book:create-task

// book:task-registry
/// The task whose step is running now, or nullptr outside any task (asyncio.current_task).
inline TaskBase* current_task() {
  return detail::running_loop != nullptr ? detail::running_loop->current_task() : nullptr;
}

/// The tasks of the running loop that have not finished, oldest first, the current one included
/// (asyncio.all_tasks, which returns a set).
inline std::vector<TaskBase*> all_tasks() { return TaskBase::pending(get_running_loop()); }
// end book:task-registry

}  // namespace aio
