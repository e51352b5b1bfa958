// aio::gather: run several coroutines or tasks concurrently and wait for all of them
// (asyncio.gather).
//
//   a, b, c = await asyncio.gather(f(), g(), h())
//   auto [a, b, c] = co_await aio::gather(f(), g(), h());           // std::tuple, argument order
//
//   results = await asyncio.gather(*coros)
//   std::vector<int> results = co_await aio::gather(std::move(coros));   // std::vector<Coro<int>>
//                                                                         // or std::vector<Task<int>>
//   a, b = await asyncio.gather(future, task)           # futures too: a Task is a Future
//   auto [a, b] = co_await aio::gather(future, task);               // aio::Future<T> (lesson 05)
//
//   results = await asyncio.gather(*coros, return_exceptions=True)
//   auto outcomes = co_await aio::gather(aio::return_exceptions, std::move(coros));
//                                                   // std::vector<aio::Outcome<int>>
//
// The rules are asyncio's:
//   - Each Coro argument is wrapped in a task at once, in argument order (asyncio's
//     ensure_future), so the children start running as soon as the caller suspends; a Task or
//     a Future argument is used as it is. The gather speaks to a future child through the
//     future's view of itself as a task (future.base(), lesson 05), which ends in the same call
//     as the future: so a future child is counted at the same moment as in asyncio, and
//     cancelling the gather cancels the future.
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
// Holding a gather: what gather() returns is a handle to a shared gather, like asyncio's
// gathering future. Keep it, co_await it later (at once if it is done by then) or from several
// tasks (each gets the results), ask done(), or cancel() it: that cancels every child that is
// still running, and the gather then ends with CancelledError (asyncio's gather.cancel()). The
// gather listens to its children from the moment gather() is called.
//
// The last reader takes the results. `co_await aio::gather(...)`, or `co_await std::move(g)` when
// no copy of g is left, is the last co_await the gather can see: it lets go of each child as it
// reads the child's slot, so the children's memory is read once more, not twice (W1_spawn_gather
// in benchmarks/workloads.cpp). The gather cannot be read after that: a later co_await of the
// moved-from handle throws InvalidStateError, and its tasks() are empty handles (valid() is
// false; a future child's handle stays). asyncio would return the same results again: in aio,
// co_await a handle you keep (not moved) to read them more than once.
#pragma once

#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/frame_allocator.hpp>
#include <aio/future.hpp>
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
/// The part of a gather that does not depend on the result types: it listens to the children
/// from the moment gather() is called, counts them as they finish, decides when the gather is
/// settled, then wakes every task that awaits it; a cancel() of the gather, or of a task that
/// awaits it, goes on to the children. It is shared and reference counted: each handle that
/// gather() returns holds a reference, and so does each co_await while it waits.
///
/// States:
///   listening    each child still running has a listener; waiters_ lists the tasks that await
///   settled      settled_: the outcome is decided (error_ says how it ends) and completion is
///                in the ready queue (hop 1); children that finish later change nothing
///   completed    completed_ (done()): the waiters' next steps are in the ready queue (hop 2);
///                a co_await from now on returns at once
class GatherCore {
public:
  /// One child: the listener the child's task calls when it finishes.
  struct Child : DoneListener {
    explicit Child(TaskBase& child) noexcept : task(&child) {}
    TaskBase* task;
    GatherCore* gather = nullptr;
    bool listening = false;  // registered and not told yet: saves a look into the task at the end
  };
  /// A task suspended in co_await on the gather; its Wait passes a cancel on to the gather.
  struct Waiter : Wait {
    Waiter* prev = nullptr;
    Waiter* next = nullptr;
    TaskBase* task = nullptr;
    GatherCore* gather = nullptr;
  };
  // end book:core

  explicit GatherCore(bool return_exceptions) noexcept : return_exceptions_(return_exceptions) {}
  GatherCore(const GatherCore&) = delete;
  GatherCore& operator=(const GatherCore&) = delete;
  virtual ~GatherCore() = default;  // the derived state stops listening first (its children go first)

  // Gathers, like tasks, come from the recycling allocator (aio/frame_allocator.hpp).
  static void* operator new(std::size_t size) { return FrameAllocator::allocate(size); }
  static void operator delete(void* gather, std::size_t size) noexcept { FrameAllocator::deallocate(gather, size); }

  void acquire() noexcept { ++references_; }
  void release() noexcept {
    if (--references_ == 0) delete this;
  }

  /// True once the gather has completed: a co_await returns at once.
  bool done() const noexcept { return completed_; }
  /// asyncio's gather(...).cancel(msg): cancels every child still running; true if one took it.
  bool cancel(const CancelMessage& message) { return forward_cancel(message); }

  bool await_ready() const noexcept { return completed_; }

  // book:await-suspend
  /// `waiter` joins the tasks that the gather wakes when it completes, and becomes its task's
  /// Wait, so that cancelling that task cancels the gather.
  void await_suspend(Waiter& waiter, std::coroutine_handle<> handle) {
    TaskBase& task = detail::current_task_for("aio::gather");
    // A task that gathers itself would wait for its own end. It is one of the children still
    // running exactly when this gather listens to it: look through its few listeners, not
    // through every child.
    for (const DoneListener* listener = task.first_done_listener(); listener != nullptr; listener = listener->next) {
      if (listener->on_done == &on_child_finished && static_cast<const Child*>(listener)->gather == this) {
        throw InvalidStateError("a task cannot gather itself: it would wait for its own end");
      }
    }
    waiter.task = &task;
    waiter.gather = this;
    waiter.Wait::cancel = &on_cancel;
    waiter.prev = last_waiter_;
    waiter.next = nullptr;
    (last_waiter_ != nullptr ? last_waiter_->next : first_waiter_) = &waiter;
    last_waiter_ = &waiter;
    task.suspend(handle, &waiter);
  }
  // end book:await-suspend

  /// First thing in await_resume: delivers a cancellation, or rethrows the error that settled
  /// the gather.
  void throw_if_failed(const Waiter& waiter) {
    if (waiter.task != nullptr) waiter.task->throw_if_cancelled();
    if (error_) std::rethrow_exception(error_);
    if (taken_) {
      throw InvalidStateError(
          "this gather's results were taken by an earlier co_await of a moved-from handle "
          "(`co_await std::move(g)`): co_await the handle itself, not moved, to read them more than once");
    }
  }

  /// True for the co_await of a handle that goes away after it (a temporary, or one moved from)
  /// when that handle and this co_await are all that hold the gather: nobody can read the
  /// results after this reader, so it may take them (see the top of this file).
  bool last_reader() const noexcept { return references_ == 2 && listening_ == 0; }
  /// The last reader is taking the results: the children may go as their slots are read, so
  /// nothing may reach them through the gather any more.
  void mark_taken() noexcept {
    taken_ = true;
    children_ = {};
  }

  /// An awaiter that goes away while it waits (its frame is destroyed): no longer woken.
  void forget(Waiter& waiter) noexcept {
    if (waiter.prev == nullptr && first_waiter_ != &waiter) return;
    (waiter.prev != nullptr ? waiter.prev->next : first_waiter_) = waiter.next;
    (waiter.next != nullptr ? waiter.next->prev : last_waiter_) = waiter.prev;
    waiter.prev = waiter.next = nullptr;
  }

protected:
  // book:start
  /// Listens to one child that is running; a child that is done already is left for start().
  /// The derived state calls it as it puts each child in place (where it must stay: the task
  /// points at it), so that thousands of children are written and hooked in one pass.
  void listen(Child& child) noexcept {
    child.gather = this;
    child.on_done = &on_child_finished;
    if (child.task->done()) return;
    child.task->add_done_listener(child);
    child.listening = true;
    ++listening_;
  }

  /// Once every child is in place (and was given to listen): counts the children that were done
  /// already, in order. A gather of nothing is complete at once.
  void start(std::span<Child> children) {
    children_ = children;
    if (children_.empty()) {
      settled_ = completed_ = true;
      return;
    }
    loop_ = &children_.front().task->loop();
    if (listening_ == children_.size()) return;  // the usual case: every child still runs
    for (Child& child : children_) {
      if (settled_) break;  // a child that had already failed decided it; fail_fast saw to the rest
      if (!child.listening) count(child);
    }
  }
  // end book:start

  void stop_listening() noexcept {
    if (listening_ == 0) return;  // every child told us it finished: no need to read them all again
    for (Child& child : children_) {
      if (child.listening) child.task->remove_done_listener(child);
    }
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
    child.listening = false;  // the task has unhooked it
    --child.gather->listening_;
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
    Waiter* waiter = std::exchange(self.first_waiter_, nullptr);
    self.last_waiter_ = nullptr;
    while (waiter != nullptr) {  // in the order they came; each one hop later, as asyncio's
      Waiter* next = waiter->next;
      waiter->prev = waiter->next = nullptr;
      waiter->task->wake();
      waiter = next;
    }
    self.release();  // settle()'s reference, which kept the gather alive for this hop
  }
  // end book:hops

  static bool on_cancel(Wait* wait, const CancelMessage& message) {
    auto& gather = *static_cast<Waiter&>(*wait).gather;
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
    // Noted before the children hear of it: a future child ends inside its cancel(), and may
    // settle the gather right there, which must then end with CancelledError.
    const bool requested_before = cancel_requested_;
    CancelMessage message_before = std::exchange(cancel_message_, message);
    cancel_requested_ = true;
    bool cancelled_any = false;
    for (Child& child : children_) {
      if (child.task->cancel(message)) cancelled_any = true;
    }
    if (!cancelled_any) {  // nobody took it: forget it again
      cancel_requested_ = requested_before;
      cancel_message_ = std::move(message_before);
    }
    return cancelled_any;
  }
  // end book:forward-cancel

  // book:settle
  /// Decides how the gather ends; the waiters run two iterations later (hop 1: complete, which
  /// schedules hop 2: each waiter's next step).
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
    loop_->schedule({&complete, this});
    acquire();  // until complete() has run, whoever lets go of the gather
  }

  /// How a gather whose children have all finished ends: with CancelledError if the waiter's
  /// cancellation was forwarded to the children (even with return_exceptions, as in asyncio),
  /// else with the results.
  std::exception_ptr cancellation() const {
    return cancel_requested_ ? std::make_exception_ptr(CancelledError(cancel_message_)) : nullptr;
  }
  // end book:settle

  // book:core-state
  std::span<Child> children_;
  EventLoop* loop_ = nullptr;
  Waiter* first_waiter_ = nullptr;  // the tasks in co_await, in the order they came
  Waiter* last_waiter_ = nullptr;
  std::size_t listening_ = 0;  // children whose listener is still registered by start()
  int references_ = 0;
  std::exception_ptr error_;
  CancelMessage cancel_message_;
  // Read only in child_done, which is an exercise: [[maybe_unused]] keeps Clang quiet about
  // them while the exercise is a stub.
  [[maybe_unused]] std::size_t finished_ = 0;
  [[maybe_unused]] bool return_exceptions_;
  bool settled_ = false;
  bool completed_ = false;
  bool cancel_requested_ = false;
  bool taken_ = false;  // the last reader took the results (mark_taken)
  // end book:core-state
};

/// The handle a gather keeps for each argument: a coroutine's new task, or the task or the
/// future it was given.
template <class T>
Task<T> as_child(Coro<T> coro) {
  return create_task(std::move(coro));
}
template <class T>
Task<T> as_child(Task<T> task) {
  return task;
}
template <class T>
Future<T> as_child(Future<T> future) {
  return future;
}

/// What gather accepts: Coro<T> (wrapped in a task), Task<T> and Future<T>; `handle` is what the
/// gather keeps (Task<T> or Future<T>), whose value_type is T.
template <class A>
struct GatherArgument {};
template <class T>
struct GatherArgument<Coro<T>> {
  using handle = Task<T>;
};
template <class T>
struct GatherArgument<Task<T>> {
  using handle = Task<T>;
};
template <class T>
struct GatherArgument<Future<T>> {
  using handle = Future<T>;
};
template <class A>
concept Gatherable = requires { typename GatherArgument<A>::handle; };
template <class A>
using GatherHandleOf = typename GatherArgument<A>::handle;

/// A finished child's value for a gather without return_exceptions (Nothing for void); `task`
/// is a Task<T> or a Future<T>.
template <class H, class T = typename H::value_type>
ValueOrNothing<T> value_of(const H& task) {
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
template <class H, class T = typename H::value_type>
Outcome<T> outcome_of(const H& task) {
  if (std::exception_ptr error = task.base().error()) return Outcome<T>::failure(std::move(error));
  return Outcome<T>::success(value_of(task));
}
// end book:outcome-of

template <bool ReturnExceptionsMode, class H, class T = typename H::value_type>
GatherSlot<ReturnExceptionsMode, T> slot_of(const H& task) {
  if (!task.valid()) {
    throw InvalidStateError(
        "aio::gather read a child whose handle it had already let go of: only the last reader "
        "lets go of the children (collect(true)), and only of each one after reading its slot");
  }
  if constexpr (ReturnExceptionsMode) {
    return outcome_of(task);
  } else {
    return value_of(task);
  }
}

/// Drops the gather's handle to a child whose slot has been read, for the last reader: the task
/// (and its frame) goes now if nobody else holds it. A future's handle always keeps its state,
/// and has no frame to free: it stays until the gather goes.
template <class T>
void let_go(Task<T>& task) noexcept {
  task = Task<T>();
}
template <class T>
void let_go(Future<T>&) noexcept {}

}  // namespace detail

namespace detail {

/// A handle to a gather: what gather() returns. Copies share the gather (asyncio's gathering
/// future): co_await it now or later, from one task or several; done(); cancel(msg).
template <class State>
class [[nodiscard]] GatherHandle {
public:
  using result_type = typename State::result_type;

  explicit GatherHandle(State* state) noexcept : state_(state) { state_->acquire(); }
  GatherHandle(const GatherHandle& other) noexcept : GatherHandle(other.state_) {}
  GatherHandle& operator=(GatherHandle other) noexcept {
    std::swap(state_, other.state_);
    return *this;
  }
  ~GatherHandle() { state_->release(); }

  /// True once the gather has completed (its outcome is there: co_await returns at once).
  bool done() const noexcept { return state_->done(); }
  /// Cancels every child still running (asyncio's gather.cancel): true if one of them took it;
  /// the gather then ends with CancelledError, even with return_exceptions.
  bool cancel(CancelMessage message = std::nullopt) { return state_->cancel(message); }
  /// The children's handles (Task or Future), in argument order.
  const auto& tasks() const noexcept { return state_->tasks_; }

  class Awaiter : private GatherCore::Waiter {
  public:
    Awaiter(State* state, bool handle_goes) noexcept : state_(state), handle_goes_(handle_goes) {
      state_->acquire();
    }
    Awaiter(const Awaiter&) = delete;
    Awaiter& operator=(const Awaiter&) = delete;
    ~Awaiter() {
      state_->forget(*this);
      state_->release();
    }
    bool await_ready() const noexcept { return state_->await_ready(); }
    void await_suspend(std::coroutine_handle<> handle) { state_->await_suspend(*this, handle); }
    result_type await_resume() {
      state_->throw_if_failed(*this);
      const bool last = handle_goes_ && state_->last_reader();
      if (last) state_->mark_taken();
      return state_->collect(last);
    }

  private:
    State* state_;
    bool handle_goes_;  // made from a temporary or moved-from handle
  };
  /// `co_await g`: g stays readable.
  Awaiter operator co_await() const& noexcept { return Awaiter(state_, false); }
  /// `co_await aio::gather(...)` or `co_await std::move(g)`: the last reader, if no copy is left.
  Awaiter operator co_await() && noexcept { return Awaiter(state_, true); }

private:
  State* state_;
};

}  // namespace detail

/// The shared state of gather(a, b, c): the children's handles (each a Task<T> or a Future<T>),
/// their listeners, the core. co_await gives a std::tuple of results, in argument order.
template <bool ReturnExceptionsMode, class... Hs>
class GatherTupleState final : public detail::GatherCore {
public:
  using result_type = std::tuple<detail::GatherSlot<ReturnExceptionsMode, typename Hs::value_type>...>;

  explicit GatherTupleState(std::tuple<Hs...> tasks)
      : GatherCore(ReturnExceptionsMode),
        tasks_(std::move(tasks)),
        children_(make_children(std::index_sequence_for<Hs...>{})) {
    for (detail::GatherCore::Child& child : children_) listen(child);
    start(children_);
  }
  ~GatherTupleState() override { stop_listening(); }

  /// The results; `last` changes nothing here: a tuple's few handles go with the gather.
  result_type collect([[maybe_unused]] bool last) { return collect(std::index_sequence_for<Hs...>{}); }

  std::tuple<Hs...> tasks_;

private:
  template <std::size_t... I>
  std::array<detail::GatherCore::Child, sizeof...(Hs)> make_children(std::index_sequence<I...>) {
    return {detail::GatherCore::Child(std::get<I>(tasks_).base())...};
  }

  // book:collect-tuple
  /// The results, slot I from child I (a braced list is evaluated left to right).
  template <std::size_t... I>
  result_type collect(std::index_sequence<I...>) {
    return result_type{detail::slot_of<ReturnExceptionsMode>(std::get<I>(tasks_))...};
  }
  // end book:collect-tuple

  std::array<detail::GatherCore::Child, sizeof...(Hs)> children_;
};

/// What gather(a, b, c) returns: a handle to the gather; co_await it for a std::tuple. `Hs` are
/// the children's handle types (Task<T> or Future<T>).
template <bool ReturnExceptionsMode, class... Hs>
using GatherTuple = detail::GatherHandle<GatherTupleState<ReturnExceptionsMode, Hs...>>;

/// The shared state of gather(std::vector<...>): co_await gives a std::vector of results, in the
/// vector's order. The children are all tasks (H = Task<T>) or all futures (H = Future<T>).
template <bool ReturnExceptionsMode, class T, class H = Task<T>>
class GatherRangeState final : public detail::GatherCore {
public:
  using slot_type = detail::GatherSlot<ReturnExceptionsMode, T>;
  using result_type = std::vector<slot_type>;

  explicit GatherRangeState(std::vector<H> tasks) : GatherCore(ReturnExceptionsMode), tasks_(std::move(tasks)) {
    // One pass: each child is written, then hooked to its task, while both are in the cache.
    // Thousands of tasks are out of it: ask for the fields that hooking touches sixteen tasks
    // ahead (as the loop does for its callbacks; of 16, 32 and 64 ahead, 16 measured best on
    // W1). reserve() first, so that no child moves once its task points at it; and a
    // future makes its view of itself as a task on first use, which may throw: all of them
    // before the first child is hooked, so that nothing throws between two hooks.
    children_.reserve(tasks_.size());
    if constexpr (!std::is_same_v<H, Task<T>>) {
      for (const H& future : tasks_) (void)future.base();
    }
    for (std::size_t i = 0; i < tasks_.size(); ++i) {
      if (i + 16 < tasks_.size()) {
        const auto [listeners, state] = tasks_[i + 16].base().listening_fields();
        __builtin_prefetch(listeners, 1);
        __builtin_prefetch(state, 1);
      }
      listen(children_.emplace_back(tasks_[i].base()));
    }
    start(children_);
  }
  ~GatherRangeState() override { stop_listening(); }

  std::vector<H> tasks_;

  // book:collect-range
  /// The results, slot i from child i, whatever order they finished in. The last reader (`last`)
  /// lets go of each child (detail::let_go) as soon as its slot is read: reading and freeing
  /// 200,000 tasks is then one pass through memory, not two.
  result_type collect(bool last) {
    result_type results;
    results.reserve(tasks_.size());
    for (H& task : tasks_) {
      results.push_back(detail::slot_of<ReturnExceptionsMode>(task));
      if (last) detail::let_go(task);
    }
    return results;
  }
  // end book:collect-range

private:
  std::vector<detail::GatherCore::Child> children_;
};

/// What gather(std::vector<...>) returns: a handle to the gather; co_await it for a std::vector.
template <bool ReturnExceptionsMode, class T, class H = Task<T>>
using GatherRange = detail::GatherHandle<GatherRangeState<ReturnExceptionsMode, T, H>>;

// book:gather-api
/// gather(a, b, c): each argument a Coro<T> (run as a new task), a Task<T> or a Future<T>.
template <class... Args>
  requires(detail::Gatherable<Args> && ...)
GatherTuple<false, detail::GatherHandleOf<Args>...> gather(Args... args) {
  // A braced list runs its elements in order: the tasks are created in argument order.
  return GatherTuple<false, detail::GatherHandleOf<Args>...>(new GatherTupleState<false, detail::GatherHandleOf<Args>...>(
      std::tuple<detail::GatherHandleOf<Args>...>{detail::as_child(std::move(args))...}));
}

/// gather(aio::return_exceptions, a, b, c): a tuple of aio::Outcome, one per argument.
template <class... Args>
  requires(detail::Gatherable<Args> && ...)
GatherTuple<true, detail::GatherHandleOf<Args>...> gather(ReturnExceptions, Args... args) {
  return GatherTuple<true, detail::GatherHandleOf<Args>...>(new GatherTupleState<true, detail::GatherHandleOf<Args>...>(
      std::tuple<detail::GatherHandleOf<Args>...>{detail::as_child(std::move(args))...}));
}

/// gather(tasks): a std::vector of results, in the order of `tasks`.
template <class T>
GatherRange<false, T> gather(std::vector<Task<T>> tasks) {
  return GatherRange<false, T>(new GatherRangeState<false, T>(std::move(tasks)));
}

/// gather(coros): runs each coroutine as a task, in order; a std::vector of results.
template <class T>
GatherRange<false, T> gather(std::vector<Coro<T>> coros) {
  std::vector<Task<T>> tasks;
  tasks.reserve(coros.size());
  for (Coro<T>& coro : coros) tasks.push_back(create_task(std::move(coro)));
  return GatherRange<false, T>(new GatherRangeState<false, T>(std::move(tasks)));
}

/// gather(aio::return_exceptions, tasks or coros): a std::vector of aio::Outcome.
template <class T>
GatherRange<true, T> gather(ReturnExceptions, std::vector<Task<T>> tasks) {
  return GatherRange<true, T>(new GatherRangeState<true, T>(std::move(tasks)));
}
template <class T>
GatherRange<true, T> gather(ReturnExceptions, std::vector<Coro<T>> coros) {
  std::vector<Task<T>> tasks;
  tasks.reserve(coros.size());
  for (Coro<T>& coro : coros) tasks.push_back(create_task(std::move(coro)));
  return GatherRange<true, T>(new GatherRangeState<true, T>(std::move(tasks)));
}

/// gather(futures), with or without return_exceptions: a std::vector of results, in order.
template <class T>
GatherRange<false, T, Future<T>> gather(std::vector<Future<T>> futures) {
  return GatherRange<false, T, Future<T>>(new GatherRangeState<false, T, Future<T>>(std::move(futures)));
}
template <class T>
GatherRange<true, T, Future<T>> gather(ReturnExceptions, std::vector<Future<T>> futures) {
  return GatherRange<true, T, Future<T>>(new GatherRangeState<true, T, Future<T>>(std::move(futures)));
}
// end book:gather-api

}  // namespace aio
