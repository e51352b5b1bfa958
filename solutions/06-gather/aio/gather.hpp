// aio::gather: run several coroutines or tasks concurrently and wait for all of them
// (asyncio.gather).
//
//   a, b, c = await asyncio.gather(f(), g(), h())
//   auto [a, b, c] = co_await aio::gather(f(), g(), h());           // std::tuple, argument order
//
//   results = await asyncio.gather(*coros)
//   std::vector<int> results = co_await aio::gather(std::move(coros));   // std::vector<Coro<int>>
//                                                                         // or std::vector<Task<int>>
//   results = await asyncio.gather(*coros, return_exceptions=True)
//   auto outcomes = co_await aio::gather(aio::return_exceptions, std::move(coros));
//                                                   // std::vector<aio::Outcome<int>>
//
// The rules are asyncio's:
//   - Each Coro argument is wrapped in a task at once, in argument order (asyncio's
//     ensure_future), so the children start running as soon as the caller suspends; a Task
//     argument is used as it is.
//   - Results come in argument order, whatever order the children finish in. A child that
//     returns void fills its slot with aio::Nothing (Python's None).
//   - Without return_exceptions, the first child to fail (in finishing order) ends the gather:
//     its exception is rethrown at the co_await while the other children keep running; their
//     later exceptions are marked as retrieved, so nothing reports them. A cancelled child counts
//     as a child that raised CancelledError; the awaiting task itself is not cancelled.
//   - With return_exceptions, the gather waits for every child and returns an aio::Outcome per
//     child: its value or its exception.
//   - Cancelling the task that awaits a gather cancels every child that is not done yet. The
//     awaiting task then sees aio::CancelledError: from the first child that ends cancelled, or,
//     with return_exceptions, once all of them have finished.
//
// Where the awaiting task resumes: two loop iterations after the child that settles the gather
// finishes, through the ready queue, exactly as in asyncio, whose gather learns about each child
// in a done callback (one call_soon) and then wakes the awaiting task through its outer future
// (a second call_soon). Keeping both hops makes aio programs print their lines in CPython's order.
// What aio does differently is invisible: it counts each child at once, when the child finishes
// and its memory is still in the cache, and delays only the completion (see "The hops" below).
// A gather of nothing completes at once without suspending.
//
// Awaiting: co_await the object that gather() returns straight away. The children start when
// gather() is called, but the gather only starts listening to them when it is awaited.
#pragma once

#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/outcome.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio/task_base.hpp>

#include <array>
#include <coroutine>
#include <cstddef>
#include <exception>
#include <span>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace aio {

/// The tag for asyncio's `return_exceptions=True`: aio::gather(aio::return_exceptions, ...).
struct ReturnExceptions {
  explicit constexpr ReturnExceptions() = default;
};
inline constexpr ReturnExceptions return_exceptions{};

namespace detail {

/// What a gather puts in a child's slot: the value (Nothing for void), or with return_exceptions
/// an Outcome.
template <bool ReturnExceptionsMode, class T>
using GatherSlot = std::conditional_t<ReturnExceptionsMode, Outcome<T>, ValueOrNothing<T>>;

// book:retrieve
/// Told when a task finishes; marks its exception as retrieved and deletes itself. A failed
/// gather leaves one on each child it stops waiting for: asyncio's gather keeps its callback on
/// those children for the same reason, so that their later failures are not reported as
/// "exception was never retrieved".
/// Trade-off: if the loop closes while such a child is still pending, nobody tells the listener,
/// and its few bytes leak; TaskBase has no hook for "destroyed while pending".
struct RetrieveWhenDone : DoneListener {
  static void attach(TaskBase& task) {
    auto* listener = new RetrieveWhenDone;
    listener->on_done = [](DoneListener* self, TaskBase& done) {
      (void)done.error();  // reading it marks it retrieved
      delete static_cast<RetrieveWhenDone*>(self);
    };
    task.add_done_listener(*listener);
  }
};
// end book:retrieve

// book:core
/// The part of a gather that does not depend on the result types: it listens to the children,
/// counts them as they finish, decides when the gather is settled, wakes the awaiting task, and
/// forwards a cancellation of that task to the children.
///
/// States:
///   not awaited  waiter_ is null; nothing listens to the children yet
///   waiting      waiter_ is suspended here; each child still running has a listener
///   settled      settled_: the outcome is decided (error_ says how it ends) and completion is
///                in the ready queue (hop 1); children that finish later change nothing
///   completed    completed_: the waiter's next step is in the ready queue (hop 2)
class GatherCore : private Wait {
public:
  /// One child: the listener the child's task calls when it finishes.
  struct Child : DoneListener {
    explicit Child(TaskBase& child) noexcept : task(&child) {}
    TaskBase* task;
    GatherCore* gather = nullptr;
  };
  // end book:core

  /// `children` must stay where they are for the gather's whole life (the tasks point at them).
  GatherCore(std::span<Child> children, bool return_exceptions) noexcept
      : children_(children), return_exceptions_(return_exceptions) {}
  GatherCore(const GatherCore&) = delete;
  GatherCore& operator=(const GatherCore&) = delete;
  ~GatherCore() { stop_listening(); }

  bool await_ready() const noexcept { return children_.empty(); }

  // book:await-suspend
  void await_suspend(std::coroutine_handle<> handle) {
    TaskBase& waiter = detail::current_task_for("aio::gather");
    for (const Child& child : children_) {
      if (child.task == &waiter) throw InvalidStateError("a task cannot gather itself: it would wait for its own end");
    }
    waiter_ = &waiter;
    Wait::cancel = &on_cancel;
    waiter.suspend(handle, this);
    for (Child& child : children_) {
      child.gather = this;
      child.on_done = &on_child_finished;
    }
    for (Child& child : children_) {
      if (settled_) break;  // a child that had already failed decided it; fail_fast saw to the rest
      if (child.task->done()) {
        count(child);  // it finished before the gather was awaited: count it now
      } else {
        child.task->add_done_listener(child);
      }
    }
  }
  // end book:await-suspend

  /// First thing in await_resume: delivers a cancellation, or rethrows the error that settled
  /// the gather.
  void throw_if_failed() {
    if (waiter_ != nullptr) waiter_->throw_if_cancelled();
    if (error_) std::rethrow_exception(error_);
  }

private:
  // book:hops
  // The hops. asyncio's gather learns of a finished child in a done callback, which runs one
  // iteration after the child finished (hop 1); when that callback settles the gather, it
  // completes the outer future, whose own callback wakes the awaiting task (hop 2). Only the
  // hops to the awaiting task can be seen from outside, so aio keeps those two and drops the
  // rest: each child is counted synchronously, inside its own completion, while its memory is
  // still in the cache; settle() then schedules hop 1 (complete), and complete() hop 2.
  static void on_child_finished(DoneListener* listener, TaskBase&) {
    auto& child = static_cast<Child&>(*listener);
    child.gather->count(child);
  }

  void count(Child& child) noexcept {
    try {
      child_done(child);
    } catch (...) {
      // A failure inside the gather itself (an exercise not written yet, an allocation) must
      // reach the awaiting task, not escape into the child's completion. (Should settle() itself
      // run out of memory here, the program ends: a task's completion cannot fail halfway.)
      if (!settled_) settle(std::current_exception());
    }
  }

  static void complete(void* gather) {
    auto& self = *static_cast<GatherCore*>(gather);
    self.completed_ = true;
    self.waiter_->wake();
  }
  // end book:hops

  static bool on_cancel(Wait* wait, const CancelMessage& message) {
    auto& gather = static_cast<GatherCore&>(*wait);
    try {
      return gather.forward_cancel(message);
    } catch (...) {
      if (gather.settled_) return false;  // the waiter will be told about its cancellation itself
      gather.settle(std::current_exception());  // as above: the error reaches the awaiting task
      return true;
    }
  }

  // book:child-done
  /// Counts `child`, which has just finished (asyncio's _done_callback, without its hop).
  void child_done(Child& child) {
    ++finished_;
    std::exception_ptr error = child.task->error();  // reading it marks it retrieved
    if (settled_) return;  // an earlier failure settled the gather: this one changes nothing
    if (error && !return_exceptions_) {
      fail_fast(std::move(error));
      return;
    }
    if (finished_ == children_.size()) settle(cancellation());
  }
  // end book:child-done

  // book:fail-fast
  /// The first failure settles the gather. The other children are not cancelled: they keep
  /// running, and nobody will look at their exceptions, so they are marked retrieved when they
  /// finish (or now, for a child that finished before the gather was awaited and was not counted
  /// yet).
  void fail_fast(std::exception_ptr error) {
    for (Child& child : children_) {
      if (child.task->done()) {
        (void)child.task->error();
        continue;
      }
      child.task->remove_done_listener(child);
      RetrieveWhenDone::attach(*child.task);
    }
    settle(std::move(error));
  }
  // end book:fail-fast

  // book:forward-cancel
  /// The awaiting task is being cancelled: cancel every child instead (asyncio's
  /// _GatheringFuture.cancel). True if at least one child took the request; the waiter then
  /// wakes when the gather completes, with its outcome (CancelledError, unless a failure
  /// settled it first). False if it is too late (completed) or no child could be cancelled: the
  /// task then delivers the cancellation itself at its next step.
  bool forward_cancel(const CancelMessage& message) {
    if (completed_) return false;
    bool cancelled_any = false;
    for (Child& child : children_) {
      if (child.task->cancel(message)) cancelled_any = true;
    }
    if (cancelled_any) {
      cancel_requested_ = true;
      cancel_message_ = message;
    }
    return cancelled_any;
  }
  // end book:forward-cancel

  // book:settle
  /// Decides how the gather ends; the waiter runs two iterations later (hop 1: complete, which
  /// schedules hop 2: the waiter's next step).
  void settle(std::exception_ptr error) {
    if (settled_) {
      // Only the first decision counts: a second one would queue complete() twice and wake the
      // waiter twice. It can only come from child_done going on after the gather was settled;
      // the waiter gets this error instead of a wake-up too many, so the slip has a name.
      error_ = std::make_exception_ptr(std::logic_error(
          "aio::gather was settled twice: once settled_ is set, counting a child must change nothing"));
      return;
    }
    settled_ = true;
    error_ = std::move(error);
    waiter_->loop().schedule({&complete, this});
  }

  /// How a gather whose children have all finished ends: with CancelledError if the waiter's
  /// cancellation was forwarded to the children (even with return_exceptions, as in asyncio),
  /// else with the results.
  std::exception_ptr cancellation() const {
    return cancel_requested_ ? std::make_exception_ptr(CancelledError(cancel_message_)) : nullptr;
  }
  // end book:settle

  void stop_listening() noexcept {
    if (waiter_ == nullptr) return;
    for (Child& child : children_) child.task->remove_done_listener(child);
  }

  // book:core-state
  std::span<Child> children_;
  TaskBase* waiter_ = nullptr;
  std::exception_ptr error_;
  CancelMessage cancel_message_;
  // Read only in child_done, which is an exercise: [[maybe_unused]] keeps Clang quiet about
  // them while the exercise is a stub.
  [[maybe_unused]] std::size_t finished_ = 0;
  [[maybe_unused]] bool return_exceptions_;
  bool settled_ = false;
  bool completed_ = false;
  bool cancel_requested_ = false;
  // end book:core-state
};

template <class T>
Task<T> as_task(Coro<T> coro) {
  return create_task(std::move(coro));
}
template <class T>
Task<T> as_task(Task<T> task) {
  return task;
}

/// What gather accepts: Coro<T> (wrapped in a task) and Task<T>; `type` is T.
template <class A>
struct GatherArgument {};
template <class T>
struct GatherArgument<Coro<T>> {
  using type = T;
};
template <class T>
struct GatherArgument<Task<T>> {
  using type = T;
};
template <class A>
concept Gatherable = requires { typename GatherArgument<A>::type; };
template <class A>
using GatherValue = typename GatherArgument<A>::type;

/// A finished child's value for a gather without return_exceptions (Nothing for void).
template <class T>
ValueOrNothing<T> value_of(const Task<T>& task) {
  if constexpr (std::is_void_v<T>) {
    task.result();  // rethrows, should the child have failed
    return Nothing{};
  } else {
    return task.result();
  }
}

// book:outcome-of
/// A finished child's slot with return_exceptions: its exception (a cancelled child's
/// CancelledError included), or else its value.
template <class T>
Outcome<T> outcome_of(const Task<T>& task) {
  if (std::exception_ptr error = task.base().error()) return Outcome<T>::failure(std::move(error));
  return Outcome<T>::success(value_of(task));
}
// end book:outcome-of

template <bool ReturnExceptionsMode, class T>
GatherSlot<ReturnExceptionsMode, T> slot_of(const Task<T>& task) {
  if constexpr (ReturnExceptionsMode) {
    return outcome_of(task);
  } else {
    return value_of(task);
  }
}

}  // namespace detail

/// What gather(a, b, c) returns: co_await it for a std::tuple of results, in argument order.
/// Not copyable or movable (the children's tasks point into it): co_await it where it was made.
template <bool ReturnExceptionsMode, class... Ts>
class [[nodiscard]] GatherTuple {
public:
  using result_type = std::tuple<detail::GatherSlot<ReturnExceptionsMode, Ts>...>;

  explicit GatherTuple(std::tuple<Task<Ts>...> tasks)
      : tasks_(std::move(tasks)),
        children_(make_children(std::index_sequence_for<Ts...>{})),
        core_(children_, ReturnExceptionsMode) {}

  bool await_ready() const noexcept { return core_.await_ready(); }
  void await_suspend(std::coroutine_handle<> handle) { core_.await_suspend(handle); }
  result_type await_resume() {
    core_.throw_if_failed();
    return collect(std::index_sequence_for<Ts...>{});
  }

  /// The children's tasks, in argument order.
  const std::tuple<Task<Ts>...>& tasks() const noexcept { return tasks_; }

private:
  template <std::size_t... I>
  std::array<detail::GatherCore::Child, sizeof...(Ts)> make_children(std::index_sequence<I...>) {
    return {detail::GatherCore::Child(std::get<I>(tasks_).base())...};
  }

  // book:collect-tuple
  /// The results, slot I from child I (a braced list is evaluated left to right).
  template <std::size_t... I>
  result_type collect(std::index_sequence<I...>) {
    return result_type{detail::slot_of<ReturnExceptionsMode>(std::get<I>(tasks_))...};
  }
  // end book:collect-tuple

  std::tuple<Task<Ts>...> tasks_;
  std::array<detail::GatherCore::Child, sizeof...(Ts)> children_;
  detail::GatherCore core_;  // last: it stops listening before the children and tasks go
};

/// What gather(std::vector<...>) returns: co_await it for a std::vector of results, in the
/// vector's order. Not copyable or movable: co_await it where it was made.
template <bool ReturnExceptionsMode, class T>
class [[nodiscard]] GatherRange {
public:
  using slot_type = detail::GatherSlot<ReturnExceptionsMode, T>;
  using result_type = std::vector<slot_type>;

  explicit GatherRange(std::vector<Task<T>> tasks)
      : tasks_(std::move(tasks)), children_(make_children(tasks_)), core_(children_, ReturnExceptionsMode) {}

  bool await_ready() const noexcept { return core_.await_ready(); }
  void await_suspend(std::coroutine_handle<> handle) { core_.await_suspend(handle); }
  result_type await_resume() {
    core_.throw_if_failed();
    return collect();
  }

  /// The children's tasks, in order.
  const std::vector<Task<T>>& tasks() const noexcept { return tasks_; }

private:
  static std::vector<detail::GatherCore::Child> make_children(const std::vector<Task<T>>& tasks) {
    std::vector<detail::GatherCore::Child> children;
    children.reserve(tasks.size());
    for (const Task<T>& task : tasks) children.emplace_back(task.base());
    return children;
  }

  // book:collect-range
  /// The results, slot i from child i, whatever order they finished in.
  result_type collect() {
    result_type results;
    results.reserve(tasks_.size());
    for (const Task<T>& task : tasks_) results.push_back(detail::slot_of<ReturnExceptionsMode>(task));
    return results;
  }
  // end book:collect-range

  std::vector<Task<T>> tasks_;
  std::vector<detail::GatherCore::Child> children_;
  detail::GatherCore core_;  // last: it stops listening before the children and tasks go
};

// book:gather-api
/// gather(a, b, c): each argument a Coro<T> (run as a new task) or a Task<T>.
template <class... Args>
  requires(detail::Gatherable<Args> && ...)
GatherTuple<false, detail::GatherValue<Args>...> gather(Args... args) {
  // A braced list runs its elements in order: the tasks are created in argument order.
  return GatherTuple<false, detail::GatherValue<Args>...>(
      std::tuple<Task<detail::GatherValue<Args>>...>{detail::as_task(std::move(args))...});
}

/// gather(aio::return_exceptions, a, b, c): a tuple of aio::Outcome, one per argument.
template <class... Args>
  requires(detail::Gatherable<Args> && ...)
GatherTuple<true, detail::GatherValue<Args>...> gather(ReturnExceptions, Args... args) {
  return GatherTuple<true, detail::GatherValue<Args>...>(
      std::tuple<Task<detail::GatherValue<Args>>...>{detail::as_task(std::move(args))...});
}

/// gather(tasks): a std::vector of results, in the order of `tasks`.
template <class T>
GatherRange<false, T> gather(std::vector<Task<T>> tasks) {
  return GatherRange<false, T>(std::move(tasks));
}

/// gather(coros): runs each coroutine as a task, in order; a std::vector of results.
template <class T>
GatherRange<false, T> gather(std::vector<Coro<T>> coros) {
  std::vector<Task<T>> tasks;
  tasks.reserve(coros.size());
  for (Coro<T>& coro : coros) tasks.push_back(create_task(std::move(coro)));
  return GatherRange<false, T>(std::move(tasks));
}

/// gather(aio::return_exceptions, tasks or coros): a std::vector of aio::Outcome.
template <class T>
GatherRange<true, T> gather(ReturnExceptions, std::vector<Task<T>> tasks) {
  return GatherRange<true, T>(std::move(tasks));
}
template <class T>
GatherRange<true, T> gather(ReturnExceptions, std::vector<Coro<T>> coros) {
  std::vector<Task<T>> tasks;
  tasks.reserve(coros.size());
  for (Coro<T>& coro : coros) tasks.push_back(create_task(std::move(coro)));
  return GatherRange<true, T>(std::move(tasks));
}
// end book:gather-api

}  // namespace aio
