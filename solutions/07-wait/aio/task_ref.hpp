// aio::TaskRef: a handle to a task of any result type, so that tasks that return different
// things can share one list (asyncio's wait() takes any mix of tasks).
//
//   aio::Task<int> count = aio::create_task(count_rows());
//   aio::Task<std::string> name = aio::create_task(read_name());
//   std::vector<aio::TaskRef> both = {count, name};       // not as a braced list in the co_await:
//   auto [done, pending] = co_await aio::wait(both);      // GCC 12 miscompiles that
//   for (aio::TaskRef task : done) {
//     if (task == count) rows = task.result_as<int>();   // typed again, checked at run time
//   }
//
// A TaskRef holds one reference to the task, as a Task<T> does. It can say what every task can
// (done, cancelled, exception, name, cancel), and it gives the typed handle back with as<T>(),
// which checks the type and throws InvalidStateError on a mismatch. It is aio::Task<AnyResult>,
// so wait(), WaitResult and as_completed work with it unchanged; as_completed hands out the
// finished tasks themselves.
//
// A TaskRef may also refer to an aio::Future<T> (lesson 05), as asyncio's wait() takes futures:
//
//   aio::Future<int> reply = aio::create_future<int>();    // set by a callback, a thread, ...
//   std::vector<aio::TaskRef> both = {reply, name};
//   auto [done, pending] = co_await aio::wait(both, aio::FIRST_COMPLETED);
//   if (done[0] == reply) n = done[0].result_as<int>();    // as_future<int>() gives it back
//
// It then holds the future's state and the future's view of itself as a task (future.base()):
// the view answers done, cancelled, exception and cancel (which cancels the future), and the
// value is read from the future's state.
#pragma once

#include <aio/errors.hpp>
#include <aio/future.hpp>
#include <aio/task.hpp>
#include <aio/task_base.hpp>

#include <exception>
#include <string>
#include <utility>

namespace aio {

/// The "result type" of a TaskRef: any.
struct AnyResult {};

template <>
class Task<AnyResult> {
public:
  Task() noexcept = default;
  /// Refers to the same task as `task`, forgetting its result type.
  template <class T>
  Task(const Task<T>& task) noexcept : state_(task.valid() ? &task.base() : nullptr) {  // NOLINT: converts like a handle
    if (state_ != nullptr) state_->acquire();
  }
  /// Refers to `future`, through its view of itself as a task (see the top of this file).
  template <class T>
  Task(const Future<T>& future)  // NOLINT: converts like a handle
      : state_(&future.base()), future_(&future.shared_state()) {
    state_->acquire();
    future_->acquire();
  }
  Task(const Task& other) noexcept : state_(other.state_), future_(other.future_) {
    if (state_ != nullptr) state_->acquire();
    if (future_ != nullptr) future_->acquire();
  }
  Task(Task&& other) noexcept
      : state_(std::exchange(other.state_, nullptr)), future_(std::exchange(other.future_, nullptr)) {}
  Task& operator=(Task other) noexcept {
    std::swap(state_, other.state_);
    std::swap(future_, other.future_);
    return *this;
  }
  ~Task() {
    if (state_ != nullptr) state_->release();
    if (future_ != nullptr) future_->release();
  }

  bool valid() const noexcept { return state_ != nullptr; }
  /// True if it refers to an aio::Future rather than a task.
  bool is_future() const noexcept { return future_ != nullptr; }
  TaskBase& base() const noexcept { return *state_; }
  bool done() const noexcept { return state_->done(); }
  bool cancelled() const noexcept { return state_->cancelled(); }
  std::string get_name() const { return state_->name(); }
  bool cancel(CancelMessage message = std::nullopt) { return state_->cancel(std::move(message)); }

  /// As Task<T>::exception(): the exception, or null; CancelledError if cancelled,
  /// InvalidStateError while pending.
  std::exception_ptr exception() const {
    if (!done()) throw InvalidStateError("Exception is not set: " + describe(*state_) + " has not finished yet");
    std::exception_ptr error = state_->error();
    if (cancelled()) std::rethrow_exception(error);
    return error;
  }

  /// The typed handle again. Throws InvalidStateError if the task does not return T, or if
  /// this refers to a future (see as_future).
  template <class T>
  Task<T> as() const {
    if (future_ != nullptr) throw InvalidStateError("aio::TaskRef::as<T>(): it refers to a future; use as_future<T>()");
    auto* typed = dynamic_cast<detail::CoroTask<T>*>(state_);
    if (typed == nullptr) {
      throw InvalidStateError("aio::TaskRef::as<T>(): " + describe(*state_) + " does not return that type");
    }
    typed->acquire();  // the new handle adopts this reference
    return Task<T>(typed);
  }
  /// The finished task itself, or its exception rethrown (CancelledError if it was cancelled);
  /// InvalidStateError while pending. This is what as_completed hands out for mixed types.
  Task result() const {
    if (!done()) throw InvalidStateError("Result is not set: " + describe(*state_) + " has not finished yet");
    if (std::exception_ptr error = state_->error()) std::rethrow_exception(error);
    return *this;
  }
  /// The typed future again. Throws InvalidStateError if this refers to a task, or to a
  /// future of another type.
  template <class T>
  Future<T> as_future() const {
    auto* typed = dynamic_cast<detail::FutureState<T>*>(future_);
    if (typed == nullptr) {
      throw InvalidStateError(future_ == nullptr ? "aio::TaskRef::as_future<T>(): it refers to a task; use as<T>()"
                                                 : "aio::TaskRef::as_future<T>(): the future does not hold that type");
    }
    return Future<T>::share(*typed);
  }
  /// The value, or the exception rethrown: as<T>().result() for a task, as_future<T>().result()
  /// for a future.
  template <class T>
  T result_as() const {
    return future_ != nullptr ? as_future<T>().result() : as<T>().result();
  }

  friend bool operator==(const Task& a, const Task& b) noexcept { return a.state_ == b.state_; }
  template <class T>
  friend bool operator==(const Task& a, const Task<T>& b) noexcept {
    return b.valid() ? a.state_ == &b.base() : a.state_ == nullptr;
  }
  template <class T>
  friend bool operator==(const Task& a, const Future<T>& b) noexcept {
    return a.future_ == &b.shared_state();
  }

private:
  TaskBase* state_ = nullptr;
  detail::FutureCore* future_ = nullptr;  // the future's state, when it refers to a future
};

using TaskRef = Task<AnyResult>;

}  // namespace aio
