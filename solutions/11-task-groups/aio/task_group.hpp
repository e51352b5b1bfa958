// aio::TaskGroup and aio::task_group: structured concurrency (asyncio.TaskGroup).
//
//   async with asyncio.TaskGroup() as group:          co_await aio::task_group([](aio::TaskGroup group) -> aio::Coro<void> {
//       group.create_task(fetch("a"))                   group.create_task(fetch("a"));
//       group.create_task(fetch("b"))                   group.create_task(fetch("b"));
//   # both are done here                              });   // both are done here
//
// The rules are asyncio's (CPython 3.11; lessons/11-task-groups/cpython/ shows each one):
//   - The scope does not end before every child has: after the body, the scope waits for all the
//     tasks created in the group, including tasks that children create while it waits.
//   - When a child fails (any exception but CancelledError), the group cancels every other child
//     and the body too: the task that runs the scope is cancelled (parent.cancel()), so whatever
//     the body awaits throws CancelledError. Once every child has finished, the group takes that
//     request back (uncancel()), so the task goes on as if it had not been cancelled. (3.11 and
//     3.12 take it back before the wait, and miss a request made during it; aio does as 3.13.)
//   - Then the errors leave the scope together, as one aio::ExceptionGroup ("unhandled errors in
//     a TaskGroup"), in the order the children failed; an exception that the body itself threw
//     comes last. Children that ended cancelled are not errors.
//   - If the body throws, the children are cancelled as well.
//   - If the task that runs the scope is cancelled from outside, every child is cancelled, the
//     scope waits for them, and CancelledError leaves the scope; but if children failed
//     meanwhile, their ExceptionGroup leaves instead (errors have priority), and the outside
//     request is used up: as in 3.11 and 3.12, the task goes on. (3.13 cancels it again.)
//   - A group that is shutting down (after a failure or a cancellation) or finished (its scope
//     has ended) takes no new task: create_task throws aio::InvalidStateError.
//
// Why a function that takes the body, and not an object with a join(): C++ has no `async with`,
// and a destructor cannot co_await. With `TaskGroup g; ...; co_await g.join();` any exception
// or cancellation between the first create_task and the join skips the join, and the destructor
// could only abandon or cancel the children it cannot wait for: the scope would end before its
// children, the one thing structured concurrency forbids. With task_group(body), the scope is a
// coroutine that aio::task_group awaits: however the body ends, task_group regains control and
// waits for the children before it lets anything out. (book/11-task-groups.md has the longer
// discussion.)
//
// The body is a coroutine that takes the group by value (a TaskGroup is a cheap handle, like
// Task), plus any extra arguments given to task_group, also by value:
//
//   co_await aio::task_group(crawl_all, sites, &results);   // calls crawl_all(group, sites, &results)
//
// A captureless lambda or a function is the usual body (a coroutine lambda captures nothing). A
// copy of the handle may outlive the scope: it then refuses new tasks, it never dangles.
//
// Where the awaiting coroutine resumes: task_group runs inside the awaiting task, so the body
// starts at once, inside the co_await. After the body, if children are still running, the task
// suspends and resumes two loop iterations after the last child finished (one hop for the
// group's done callback, one for the wake-up), exactly as asyncio's __aexit__ does.
#pragma once

#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/exception_group.hpp>
#include <aio/frame_allocator.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio/task_base.hpp>

#include <coroutine>
#include <cstddef>
#include <exception>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace aio {

class TaskGroup;

namespace detail {
struct GroupScope;
}  // namespace detail

// book:task-group
/// A handle to a task group (see the top of this file). Copies refer to the same group.
class TaskGroup {
public:
  TaskGroup(const TaskGroup& other) noexcept;
  TaskGroup& operator=(TaskGroup other) noexcept {
    std::swap(state_, other.state_);
    return *this;
  }
  ~TaskGroup();

  /// Runs `coro` as a new task in the group (asyncio's TaskGroup.create_task). Throws
  /// InvalidStateError if the group is shutting down or finished; `coro` then never runs.
  template <class T>
  Task<T> create_task(Coro<T> coro, std::string name = {});

  /// How many children are still running (or finished less than one loop iteration ago).
  std::size_t size() const noexcept;
  /// "<TaskGroup tasks=2 errors=1 cancelling>", as asyncio's repr; once the scope has ended,
  /// "<TaskGroup finished>" (asyncio's repr still says "entered" then).
  std::string describe() const;
  // end book:task-group

private:
  friend struct detail::GroupScope;
  class State;
  struct Child;
  class ChildrenDone;

  explicit TaskGroup(State* state) noexcept;

  State* state_;
};

// book:child
/// One child of the group: a done listener on its task, and a link in the group's list of
/// running children (oldest first: asyncio keeps a set, aio a list, so that the group cancels
/// the children in a reproducible order, the order they were created).
struct TaskGroup::Child : DoneListener {
  State* group = nullptr;
  TaskBase* task = nullptr;  // holds one reference until the child is forgotten
  Child* older = nullptr;
  Child* newer = nullptr;

  static void* operator new(std::size_t size) { return detail::FrameAllocator::allocate(size); }
  static void operator delete(void* child, std::size_t size) noexcept {
    detail::FrameAllocator::deallocate(child, size);
  }
};
// end book:child

// book:state
/// The group itself, shared by the handles. States, as asyncio's flags:
///   open       children may join; the body runs, or the scope waits for the children
///   aborting   a child failed, the body threw, or the scope's task was cancelled: every child
///              has been cancelled; no new child may join ("is shutting down")
///   exiting    the body is over; once no child is left as well, the group is "finished"
class TaskGroup::State {
public:
  explicit State(TaskBase& parent) noexcept : parent_(&parent) {}
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  /// Forgets the children still listed. That happens only if the loop was torn down while the
  /// scope was waiting (the loop reports those tasks itself); otherwise the list is empty.
  ~State() {
    while (oldest_ != nullptr) forget(*oldest_);
  }

  static void* operator new(std::size_t size) { return detail::FrameAllocator::allocate(size); }
  static void operator delete(void* state, std::size_t size) noexcept {
    detail::FrameAllocator::deallocate(state, size);
  }

  void acquire() noexcept { ++references_; }
  void release() noexcept {
    if (--references_ == 0) delete this;
  }

  // ---- ex1: a child joins the group, and leaves it ----------------------------------------
  void check_open() const;
  void adopt(TaskBase& task);
  void child_finished(Child& child);
  // ---- ex2: the scope waits for every child -----------------------------------------------
  static Coro<void> exit_scope(TaskGroup group, std::exception_ptr body_error);
  // ---- ex3: a failure stops the group -----------------------------------------------------
  void child_failed(std::exception_ptr error);
  void abort();
  // ---- ex4: what leaves the scope ---------------------------------------------------------
  std::exception_ptr ending_error(std::exception_ptr body_error, std::exception_ptr cancellation);

  std::size_t size() const noexcept { return running_; }
  std::string describe() const;

  // The state below is open to the group's own pieces (ChildrenDone, the handle): State itself
  // is a private type of TaskGroup, which nothing else can name.

  // Hop 1 of a child's end: the listener runs inside the child's completion (TaskBase::finish),
  // so it only schedules the bookkeeping, as asyncio's add_done_callback does with call_soon.
  static void on_child_done(DoneListener* listener, TaskBase& task) {
    task.loop().schedule({&run_child_finished, listener});
  }
  static void run_child_finished(void* child) {
    auto& node = *static_cast<Child*>(child);
    node.group->child_finished(node);
  }

  /// Unlinks `child`, drops its reference to the task and frees it.
  void forget(Child& child) noexcept {
    (child.older != nullptr ? child.older->newer : oldest_) = child.newer;
    (child.newer != nullptr ? child.newer->older : newest_) = child.older;
    --running_;
    child.task->remove_done_listener(child);  // does nothing if the task already called it
    child.task->release();
    delete &child;
  }

  TaskBase* parent_;                 // the task that runs the scope (asyncio's _parent_task)
  Child* oldest_ = nullptr;          // running children, oldest first
  Child* newest_ = nullptr;
  std::size_t running_ = 0;
  std::vector<std::exception_ptr> errors_;  // the children's failures, in the order they came
  ChildrenDone* exit_waiter_ = nullptr;     // the scope, while it waits for the last child
  int references_ = 0;
  bool aborting_ = false;
  bool exiting_ = false;
  bool parent_cancel_requested_ = false;    // the group cancelled the parent: uncancel() at the end
};
// end book:state

// book:children-done
/// What the scope awaits after the body while children are running (asyncio's
/// _on_completed_fut). Woken by child_finished when the last child is gone; cancellable: a
/// cancellation of the scope's task wakes it at once with CancelledError, and exit_scope decides
/// what that means.
class TaskGroup::ChildrenDone : private Wait {
public:
  explicit ChildrenDone(State& group) noexcept : group_(group) {}
  ChildrenDone(const ChildrenDone&) = delete;
  ChildrenDone& operator=(const ChildrenDone&) = delete;
  ~ChildrenDone() {
    if (group_.exit_waiter_ == this) group_.exit_waiter_ = nullptr;  // a frame torn down mid-wait
  }

  bool await_ready() const noexcept { return group_.running_ == 0; }
  void await_suspend(std::coroutine_handle<> self) {
    task_ = &detail::current_task_for("aio::task_group");
    Wait::cancel = &on_cancel;
    group_.exit_waiter_ = this;
    task_->suspend(self, this);
  }
  void await_resume() {
    if (task_ != nullptr) task_->throw_if_cancelled();
  }

  /// The last child is gone: the scope's next step goes to the ready queue (hop 2).
  void wake() {
    group_.exit_waiter_ = nullptr;
    task_->wake();
  }

private:
  static bool on_cancel(Wait* wait, const CancelMessage& message) {
    auto& self = static_cast<ChildrenDone&>(*wait);
    if (self.group_.exit_waiter_ != &self) return false;  // already woken: the next step delivers
    self.group_.exit_waiter_ = nullptr;
    self.task_->wake_cancelled(message);
    return true;
  }

  State& group_;
  TaskBase* task_ = nullptr;
};
// end book:children-done

// ---- ex1 ------------------------------------------------------------------------------------

// book:check-open
/// create_task's first step: a group that is shutting down or finished takes no new task.
inline void TaskGroup::State::check_open() const {
  if (exiting_ && running_ == 0) {
    throw InvalidStateError("TaskGroup " + describe() +
                            " is finished: its scope has ended, so it takes no new task (create "
                            "children in the body, or in a child while the scope waits)");
  }
  if (aborting_) {
    throw InvalidStateError("TaskGroup " + describe() +
                            " is shutting down: a child failed, the body threw, or the task "
                            "running the scope was cancelled, so it takes no new task");
  }
}
// end book:check-open

// book:adopt
/// create_task's second step: the group learns when `task` finishes, and keeps it listed (and
/// alive) until then.
inline void TaskGroup::State::adopt(TaskBase& task) {
  auto* child = new Child;
  child->group = this;
  child->task = &task;
  child->on_done = &on_child_done;
  task.acquire();
  child->older = newest_;
  (newest_ != nullptr ? newest_->newer : oldest_) = child;
  newest_ = child;
  ++running_;
  task.add_done_listener(*child);
}
// end book:adopt

// book:child-finished
/// One loop iteration after a child finished (asyncio's _on_task_done): forget it; if it was the
/// last one and the scope is waiting, wake the scope; if it failed, the group fails.
inline void TaskGroup::State::child_finished(Child& child) {
  TaskBase& task = *child.task;
  const bool cancelled = task.cancelled();
  std::exception_ptr error = cancelled ? nullptr : task.error();  // reading it retrieves it
  forget(child);
  if (exit_waiter_ != nullptr && running_ == 0) exit_waiter_->wake();
  if (error) child_failed(std::move(error));
}
// end book:child-finished

// ---- ex2 ------------------------------------------------------------------------------------

// book:exit-scope
/// After the body (asyncio's __aexit__): wait for every child, then let out what must leave.
/// `body_error` is what the body threw, or null.
inline Coro<void> TaskGroup::State::exit_scope(TaskGroup group, std::exception_ptr body_error) {
  State& self = *group.state_;
  self.exiting_ = true;
  std::exception_ptr cancellation = detail::is_cancelled_error(body_error) ? body_error : nullptr;
  if (body_error && !self.aborting_) self.abort();  // the body threw, or its task was cancelled
  while (self.running_ > 0) {
    try {
      co_await ChildrenDone(self);
    } catch (const CancelledError&) {
      // The scope's task was cancelled while it waited. If the group is aborting, that is
      // (most likely) the group's own parent.cancel(): wait on. Else it came from outside:
      // remember it, and stop the children.
      if (!self.aborting_) {
        cancellation = std::current_exception();
        self.abort();
      }
    }
  }
  if (!self.aborting_) co_return;  // nothing went wrong: the common path ends here
  if (std::exception_ptr error = self.ending_error(body_error, cancellation)) std::rethrow_exception(error);
}
// end book:exit-scope

// ---- ex3 ------------------------------------------------------------------------------------

// book:child-failed
/// A child ended with an error (not a CancelledError). The first failure stops the group: every
/// other child is cancelled, and so is the task that runs the scope, so that the body stops
/// waiting for whatever it awaits. The group will take that cancellation back at the end.
inline void TaskGroup::State::child_failed(std::exception_ptr error) {
  errors_.push_back(std::move(error));
  if (!aborting_ && !parent_cancel_requested_) {
    abort();
    parent_cancel_requested_ = true;
    parent_->cancel();
  }
}

/// Cancels every child that is still running, oldest first; from now on the group is
/// "shutting down".
inline void TaskGroup::State::abort() {
  aborting_ = true;
  for (Child* child = oldest_; child != nullptr; child = child->newer) {
    if (!child->task->done()) child->task->cancel();
  }
}
// end book:child-failed

// ---- ex4 ------------------------------------------------------------------------------------

// book:ending-error
/// What leaves an aborted scope once every child has finished: null (nothing: the scope ends
/// normally), a CancelledError, or the ExceptionGroup of the failures. `cancellation` is the
/// CancelledError that reached the scope (from the body, or while it waited), if any.
inline std::exception_ptr TaskGroup::State::ending_error(std::exception_ptr body_error,
                                                         std::exception_ptr cancellation) {
  if (parent_cancel_requested_ && parent_->uncancel() == 0) {
    cancellation = nullptr;  // the only cancellation was the group's own: swallow it
  }
  if (cancellation && errors_.empty()) return cancellation;  // cancelled from outside
  if (body_error && !detail::is_cancelled_error(body_error)) errors_.push_back(body_error);
  if (errors_.empty()) return nullptr;
  return std::make_exception_ptr(ExceptionGroup("unhandled errors in a TaskGroup", std::move(errors_)));
}
// end book:ending-error

// ---- the handle ------------------------------------------------------------------------------

inline TaskGroup::TaskGroup(State* state) noexcept : state_(state) { state_->acquire(); }
inline TaskGroup::TaskGroup(const TaskGroup& other) noexcept : state_(other.state_) { state_->acquire(); }
inline TaskGroup::~TaskGroup() { state_->release(); }

// book:create-task
template <class T>
Task<T> TaskGroup::create_task(Coro<T> coro, std::string name) {
  state_->check_open();
  Task<T> task = aio::create_task(std::move(coro), std::move(name));
  try {
    state_->adopt(task.base());
  } catch (...) {
    task.cancel();  // not in the group, so it must not run: cancelled before its first step
    throw;
  }
  return task;
}
// end book:create-task

inline std::size_t TaskGroup::size() const noexcept { return state_->size(); }
inline std::string TaskGroup::describe() const { return state_->describe(); }

inline std::string TaskGroup::State::describe() const {
  std::string text = "<TaskGroup";
  if (running_ > 0) text += " tasks=" + std::to_string(running_);
  if (!errors_.empty()) text += " errors=" + std::to_string(errors_.size());
  if (aborting_) {
    text += " cancelling";
  } else if (exiting_ && running_ == 0) {
    text += " finished";
  } else {
    text += " entered";
  }
  return text + ">";
}

namespace detail {

template <class C>
struct ScopeValue {
  static_assert(sizeof(C) == 0,
                "the body of a task group is a coroutine that takes the group first: "
                "[](aio::TaskGroup group) -> aio::Coro<void> { ... }");
};
template <class T>
struct ScopeValue<Coro<T>> {
  using type = T;
};

/// What task_group(body, args...) returns: Coro<T> when body(group, args...) returns Coro<T>.
template <class Body, class... Args>
using ScopeResult = typename ScopeValue<std::invoke_result_t<Body&, TaskGroup&, Args&&...>>::type;

/// The door into the group's private parts, for task_group.
struct GroupScope {
  static TaskGroup enter(TaskBase& parent) { return TaskGroup(new TaskGroup::State(parent)); }
  static Coro<void> exit(TaskGroup group, std::exception_ptr body_error) {
    return TaskGroup::State::exit_scope(std::move(group), std::move(body_error));
  }
};

}  // namespace detail

// book:task-group-scope
/// Runs `body(group, args...)` in a new task group, then waits for every child, and returns
/// what the body returned; or lets out what went wrong (see the top of this file). Must be
/// awaited inside a task: that task is the group's parent.
template <class Body, class... Args>
Coro<detail::ScopeResult<Body, Args...>> task_group(Body body, Args... args) {
  using Result = detail::ScopeResult<Body, Args...>;
  TaskGroup group = detail::GroupScope::enter(detail::current_task_for("aio::task_group"));
  std::exception_ptr body_error;
  if constexpr (std::is_void_v<Result>) {
    try {
      co_await body(group, std::move(args)...);
    } catch (...) {
      body_error = std::current_exception();  // no co_await in a handler: remember it
    }
    co_await detail::GroupScope::exit(group, body_error);  // always reached: the scope's end
  } else {
    std::optional<Result> result;
    try {
      Result value = co_await body(group, std::move(args)...);
      result.emplace(std::move(value));
    } catch (...) {
      body_error = std::current_exception();
    }
    co_await detail::GroupScope::exit(group, body_error);
    // exit lets something out whenever the body threw, so the body returned a value here.
    if (body_error) std::rethrow_exception(body_error);
    co_return std::move(*result);
  }
}
// end book:task-group-scope

}  // namespace aio
