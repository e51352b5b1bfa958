// aio::TaskBase: a coroutine that the event loop drives, one step at a time.
//
// This is the part of a task that the loop needs (asyncio's Task.__step and the Future it
// extends); lesson 05 builds the user-facing aio::Task<T> and create_task on top of it.
//
// State machine:
//   pending    created, or suspended at an aio awaitable, or scheduled to run its next step
//   finished   the coroutine returned or threw (a thrown exception is kept for whoever asks)
//   cancelled  the coroutine ended with aio::CancelledError, or was cancelled before it started
//
// The waiting protocol, followed by every aio awaitable:
//   await_suspend(h)  task.suspend(h, wait) records where the task stopped and, when the wait
//                     can be withdrawn, how (a Wait); then something must later call task.wake().
//   wake()            schedules the task's next step through the loop's ready queue; a task is
//                     never resumed inline by whoever wakes it.
//   await_resume()    first task.throw_if_cancelled(): a cancellation requested while the task
//                     waited is delivered here, at the co_await where the task is suspended.
//
// A task is reference counted: the loop holds one reference while it is pending (so a running
// task never vanishes), and every aio::Task<T> handle holds one.
#pragma once

#include <aio/clock.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/event_loop.hpp>
#include <aio/frame_allocator.hpp>
#include <aio/timeline.hpp>

#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace aio {

namespace detail {
inline thread_local aio::EventLoop* running_loop = nullptr;
}  // namespace detail

/// The loop running on this thread (asyncio.get_running_loop()).
inline EventLoop& get_running_loop() {
  if (detail::running_loop == nullptr) {
    throw InvalidStateError(
        "no running event loop: start your program with aio::run(main()) and call this from a "
        "coroutine it runs");
  }
  return *detail::running_loop;
}

/// A wait that a cancellation can withdraw: a sleep's timer, a queue's waiter list, ...
/// `cancel` returns true if it took charge of the cancellation (the task will be woken, with
/// aio::CancelledError or, when the wait forwards the cancellation to another task, by that task),
/// false if it was too late (the task is already being woken).
struct Wait {
  bool (*cancel)(Wait* self, const CancelMessage& message) = nullptr;
};

namespace detail {
// True while a closing loop destroys a pending task's frame: the listeners inside it may still
// be registered with other pending tasks, which are destroyed next and will never finish.
inline thread_local bool destroying_pending_task = false;
// Checked builds' reports of waiting-protocol mistakes; defined at the end of this file.
[[noreturn]] inline void woken_twice(const TaskBase& task) noexcept;
[[noreturn]] inline void incomplete_hook(const TaskBase& task, const char* what) noexcept;
[[noreturn]] inline void listener_destroyed_while_registered(const TaskBase& task) noexcept;
}  // namespace detail

/// Told synchronously when a task finishes, in the order the listeners were added. A listener
/// only schedules work (wakes a task, calls call_soon); it never resumes a coroutine inline.
///
/// In a checked build (without NDEBUG: Debug, and every learner's build) a listener also
/// remembers its task, and destroying one that is still registered stops the program with a
/// message: otherwise the task would call into freed memory when it finishes, far from the bug.
struct DoneListener {
  DoneListener* prev = nullptr;
  DoneListener* next = nullptr;
  void (*on_done)(DoneListener* self, TaskBase& task) = nullptr;
#ifndef NDEBUG
  const TaskBase* registered_with = nullptr;

  DoneListener() = default;
  DoneListener(const DoneListener& other) : prev(other.prev), next(other.next), on_done(other.on_done) {}
  DoneListener& operator=(const DoneListener& other) {
    prev = other.prev;
    next = other.next;
    on_done = other.on_done;
    return *this;
  }
  ~DoneListener() {
    if (registered_with != nullptr && !detail::destroying_pending_task) {
      detail::listener_destroyed_while_registered(*registered_with);
    }
  }
#endif

  bool listening() const noexcept { return prev != nullptr || next != nullptr; }
};

namespace detail {

/// A string that is almost always empty (a task's name): one pointer
/// instead of std::string's 32 bytes, and an allocation only when it is set to something. It
/// keeps a task small enough for two cache lines, which matters when 100,000 of them are alive.
class RareString {
public:
  RareString() noexcept = default;
  RareString(std::string text) { *this = std::move(text); }  // NOLINT: converts like a string
  RareString(const RareString& other) : RareString(static_cast<const std::string&>(other)) {}
  RareString& operator=(const RareString& other) { return *this = static_cast<const std::string&>(other); }
  RareString& operator=(std::string text) {
    if (text.empty()) {
      text_.reset();
    } else {
      text_ = std::make_unique<std::string>(std::move(text));
    }
    return *this;
  }

  bool empty() const noexcept { return !text_; }
  operator const std::string&() const noexcept { return text_ ? *text_ : nothing(); }

private:
  static const std::string& nothing() noexcept {
    static const std::string empty;
    return empty;
  }

  std::unique_ptr<std::string> text_;
};

/// A message that is optional and almost always absent (a cancellation's): one pointer, null
/// when there is none. Unlike RareString it keeps an empty message apart from no message, as
/// asyncio does (aio::CancelMessage).
class RareMessage {
public:
  RareMessage& operator=(const CancelMessage& message) {
    text_ = message ? std::make_unique<std::string>(*message) : nullptr;
    return *this;
  }
  CancelMessage get() const { return text_ ? CancelMessage(*text_) : std::nullopt; }

private:
  std::unique_ptr<std::string> text_;
};

}  // namespace detail

class TaskBase : public detail::CoroOwner, private detail::ListHook {
public:
  enum class State : std::uint8_t { pending, finished, cancelled };

  TaskBase(const TaskBase&) = delete;
  TaskBase& operator=(const TaskBase&) = delete;

  // Tasks, like coroutine frames, come from the recycling allocator (aio/frame_allocator.hpp).
  static void* operator new(std::size_t size) { return detail::FrameAllocator::allocate(size); }
  static void operator delete(void* task, std::size_t size) noexcept {
    detail::FrameAllocator::deallocate(task, size);
  }

  // ---- identity --------------------------------------------------------------------------
  std::uint64_t id() const noexcept { return id_; }
  /// The task's name; "Task-N" unless one was given, as in asyncio.
  std::string name() const {
    return name_.empty() ? "Task-" + std::to_string(id_) : static_cast<const std::string&>(name_);
  }
  void set_name(std::string name) { name_ = std::move(name); }
  EventLoop& loop() const noexcept { return *loop_; }

  // ---- state -----------------------------------------------------------------------------
  State state() const noexcept { return state_; }
  bool done() const noexcept { return state_ != State::pending; }
  bool cancelled() const noexcept { return state_ == State::cancelled; }
  /// The exception the coroutine ended with (a CancelledError if cancelled), or null. Reading
  /// it counts as retrieving it: the task will not be reported as "never retrieved".
  std::exception_ptr error() noexcept {
    mark_retrieved();
    return error_;
  }

  // ---- references ------------------------------------------------------------------------
  void acquire() noexcept { ++references_; }
  void release() noexcept {
    if (--references_ == 0) delete this;
  }

  // ---- the waiting protocol (see the top of this file) -------------------------------------
  void suspend(std::coroutine_handle<> at, Wait* wait = nullptr) noexcept {
#ifndef NDEBUG
    if (wait != nullptr && wait->cancel == nullptr) detail::incomplete_hook(*this, "a Wait whose cancel");
#endif
    resume_point_ = at;
    waiting_ = wait;
  }
  void wake() {
#ifndef NDEBUG
    // Checked builds: a second wake before the step runs means two paths both think they own
    // this wake-up (a timer and a done listener, say). Name it here, not as an early resume.
    if (step_queued_) detail::woken_twice(*this);
    step_queued_ = true;
#endif
    loop_->schedule(next_step());
  }
  /// The ready-queue entry that wake() schedules; for a waker that already knows the loop, and
  /// would rather not read the task's memory to find it (aio/sleep.hpp).
  detail::Callback next_step() noexcept { return {&step_entry, this}; }
  bool waiting() const noexcept { return waiting_ != nullptr; }

  // ---- done listeners --------------------------------------------------------------------
  void add_done_listener(DoneListener& listener) noexcept {
#ifndef NDEBUG
    if (listener.on_done == nullptr) detail::incomplete_hook(*this, "a DoneListener whose on_done");
    listener.registered_with = this;
#endif
    listener.prev = last_listener_;
    listener.next = nullptr;
    if (last_listener_ != nullptr) {
      last_listener_->next = &listener;
    } else {
      first_listener_ = &listener;
    }
    last_listener_ = &listener;
  }
  /// What add_done_listener writes and done() reads, which may sit in two cache lines: for a
  /// caller that hooks thousands of tasks in a row (a gather), to ask the CPU for them a few
  /// tasks ahead.
  std::pair<const void*, const void*> listening_fields() const noexcept { return {&first_listener_, &state_}; }
  /// The first of the listeners, in the order they came (to look at them, not to change them).
  const DoneListener* first_done_listener() const noexcept { return first_listener_; }
  /// How many listeners wait for this task to finish (tasks awaiting it, a gather, ...).
  std::size_t listener_count() const noexcept {
    std::size_t count = 0;
    for (const DoneListener* l = first_listener_; l != nullptr; l = l->next) ++count;
    return count;
  }
  void remove_done_listener(DoneListener& listener) noexcept {
    if (!listener.listening() && first_listener_ != &listener) return;
    (listener.prev != nullptr ? listener.prev->next : first_listener_) = listener.next;
    (listener.next != nullptr ? listener.next->prev : last_listener_) = listener.prev;
    listener.prev = listener.next = nullptr;
#ifndef NDEBUG
    listener.registered_with = nullptr;
#endif
  }

  // ---- cancellation: declared here, written in lesson 08 ----------------------------------
  // Lesson 04 keeps the state a cancellation needs (below) and calls throw_if_cancelled() at
  // every co_await; what the four functions do is lesson 08's subject, in aio/cancellation.hpp.
  // This header does not include it: the build puts that header in front of every program from
  // lesson 04 on (cmake/AioLesson.cmake), as a linker adds a library, so no lesson's code names a
  // later lesson. A program built by hand adds `-include aio/cancellation.hpp` itself.
  /// Requests cancellation; false if the task is already done (asyncio's Task.cancel).
  bool cancel(CancelMessage message = std::nullopt);
  /// How many cancellations were requested and not yet uncancel()-ed.
  int cancelling() const noexcept { return cancel_requests_; }
  /// Withdraws one cancellation request; returns how many remain.
  int uncancel() noexcept;
  /// At every aio suspension point: throws aio::CancelledError if a cancellation is due here.
  void throw_if_cancelled();
  /// For a Wait that withdrew itself: wakes the task so that it sees CancelledError(message).
  void wake_cancelled(const CancelMessage& message);

  /// The tasks of `loop` that have not finished yet, oldest first.
  static std::vector<TaskBase*> pending(EventLoop& loop) {
    std::vector<TaskBase*> tasks;
    detail::ListHook& sentinel = loop.pending_tasks();
    for (detail::ListHook* hook = sentinel.next; hook != &sentinel; hook = hook->next) {
      tasks.push_back(static_cast<TaskBase*>(hook));
    }
    return tasks;
  }

protected:
  // The name comes by reference down from create_task: it is almost always empty, and every
  // move of a std::string copies its inline buffer (a call to memcpy), which a spawn of 200,000
  // tasks would pay four times over.
  TaskBase(EventLoop& loop, std::coroutine_handle<> start, std::string&& name)
      : loop_(&loop), id_(static_cast<std::uint32_t>(loop.next_task_number())), resume_point_(start) {
    closing = &close_pending;
    if (!name.empty()) name_ = std::move(name);
  }

  /// For something that ends like a task but drives no coroutine (lesson 05's view of a future
  /// as a task). It takes no Task-N number, as an asyncio Future takes none, and schedules
  /// nothing; it is never in the loop's list of pending tasks. Its owner ends it with finish(),
  /// first taking the reference that finish() gives back.
  struct NoCoroutine {
    explicit NoCoroutine() = default;
  };
  TaskBase(EventLoop& loop, NoCoroutine, std::string name) : loop_(&loop), id_(0), name_(std::move(name)) {}

  virtual ~TaskBase() {
    if (ListHook::linked()) {  // finished with an exception that nobody retrieved
      ListHook::unlink();
      report_unretrieved();
    }
  }

  // book:start
  /// Schedules the task's first step (asyncio's call_soon(self.__step) in Task.__init__) and
  /// registers the task with its loop. If scheduling throws, nothing was registered.
  void start() {
    if (Timeline* timeline = loop_->timeline()) timeline->task_created(id_, name(), loop_->time());
    wake();
    acquire();  // the loop's reference, released when the task finishes
    link_before(loop_->pending_tasks());
    loop_->set_step_description(&step_entry, &describe_entry);
  }
  // end book:start

  /// Called by the derived class when its coroutine has finished; `error` is what it threw.
  void finish(std::exception_ptr error) noexcept;
  /// Destroys the coroutine frame (derived classes own it).
  virtual void destroy_coroutine() noexcept = 0;

  void mark_retrieved() noexcept {
    // Only a task that finished with an error is on the unretrieved list (finish). Asking about
    // the error first spares a task that returned a look at its list links, in another cache line.
    if (state_ == State::finished && error_ && ListHook::linked()) ListHook::unlink();
  }

private:
  static void step_entry(void* task) { static_cast<TaskBase*>(task)->step(); }
  static std::string describe_entry(void* task) {
    return "<Task '" + static_cast<TaskBase*>(task)->name() + "'>";
  }

  // book:step
  /// One step: run the coroutine from where it stopped to its next suspension (or its end).
  void step() {
    acquire();  // finishing during this step must not free the task under our feet
    EventLoop& loop = *loop_;
    waiting_ = nullptr;
    if (must_cancel_) {  // cancel() came while the task could not be withdrawn from a wait
      must_cancel_ = false;
      cancel_due_ = true;
    }
#ifndef NDEBUG
    step_queued_ = false;
#endif
    TaskBase* outer = loop.current_task();
    loop.set_current_task(this);
    Timeline* timeline = loop.timeline();
    if (timeline != nullptr) timeline->step_began(id_, loop.time());
    if (!started_ && cancel_due_) {
      // Cancelled before its first step: like asyncio, the body never runs at all.
      started_ = true;
      cancel_due_ = false;
      finish(std::make_exception_ptr(CancelledError(cancel_message_.get())));
    } else {
      started_ = true;
      resume_point_.resume();
    }
    if (must_cancel_ && !done() && waiting_ != nullptr && waiting_->cancel(waiting_, cancel_message_.get())) {
      must_cancel_ = false;  // cancelled while running: the wait it just entered is withdrawn
    }
    if (timeline != nullptr) timeline->step_ended(id_, loop.time());
    loop.set_current_task(outer);
    release();
  }
  // end book:step

  void report_unretrieved() noexcept;
  static void close_pending(detail::ListHook* hook) noexcept;
  static void close_unretrieved(detail::ListHook* hook) noexcept;

  // The fields are ordered so that a task, with the Coro that CoroTask adds, fits in 128 bytes:
  // two cache lines (benchmarks/workloads.cpp, W1 and W4).
  EventLoop* loop_;
  std::uint32_t id_;
  int references_ = 0;
  detail::RareString name_;
  std::coroutine_handle<> resume_point_;  // where the next step resumes
  Wait* waiting_ = nullptr;               // what the task waits on, if it can be withdrawn
  DoneListener* first_listener_ = nullptr;
  DoneListener* last_listener_ = nullptr;
  std::exception_ptr error_;
  State state_ = State::pending;
  bool started_ = false;
#ifndef NDEBUG
  bool step_queued_ = false;  // checked builds: wake() was called and the step has not run yet
#endif

protected:
  // Cancellation state (lesson 08):
  //   must_cancel_     cancel() could not withdraw the task's wait; deliver at the next step
  //   cancel_due_      the step running now must throw CancelledError at its co_await
  //   cancel_requests_ cancelling(): requests not yet uncancel()-ed
  //   cancel_message_  the message of the latest cancel(msg), or none
  bool must_cancel_ = false;
  bool cancel_due_ = false;
  int cancel_requests_ = 0;
  detail::RareMessage cancel_message_;

  Wait* current_wait() const noexcept { return waiting_; }
  std::exception_ptr& stored_error() noexcept { return error_; }
  void set_state(State state) noexcept { state_ = state; }
};

namespace detail {

inline bool is_cancelled_error(const std::exception_ptr& error) {
  if (!error) return false;
  try {
    std::rethrow_exception(error);
  } catch (const CancelledError&) {
    return true;
  } catch (...) {
    return false;
  }
}

/// Where a finished task keeps the value its coroutine returned. Whether it holds one is for the
/// task's state to say (finished, with no error), so unlike std::optional it keeps no flag of its
/// own: with a result of 8 bytes (a pointer, a double) a task stays at 128 bytes, two cache lines.
template <class T>
union ResultSlot {
  ResultSlot() noexcept {}
  ~ResultSlot() {}
  T value;
};

/// The task that runs an aio::Coro<T>: it owns the coroutine, and keeps its result.
///
/// The result moves from the frame into the task when the coroutine finishes, while both are in
/// the cache: whoever reads it later (a gather collecting 200,000 results) touches one block of
/// memory, not two. The frame itself stays until the task goes. CPython frees it as the coroutine
/// ends; aio freeing it there measured slower (W4_timers in benchmarks/workloads.cpp: the frames
/// go back in the order the timers fire, and the next run's frames are then scattered through
/// memory in that order; book/05-tasks.md).
template <class T>
class CoroTask final : public TaskBase {
public:
  /// Creates the task and schedules its first step; the caller gets one reference.
  static CoroTask* spawn(EventLoop& loop, Coro<T> coro, std::string&& name = {}) {
    auto* task = new CoroTask(loop, std::move(coro), std::move(name));
    task->acquire();
    try {
      task->start();
    } catch (...) {
      task->release();  // never scheduled: nothing else refers to it
      throw;
    }
    return task;
  }

  /// The result (or the exception rethrown) of a finished task. Copies the value, so it can
  /// be asked for again.
  T result() {
    if (!done()) {
      throw InvalidStateError("Result is not set: the task '" + name() +
                              "' has not finished (await it, or check done() first)");
    }
    mark_retrieved();
    if (stored_error()) std::rethrow_exception(stored_error());
    if constexpr (!std::is_void_v<T>) return value_.value;
  }

  ~CoroTask() override {
    if constexpr (!std::is_void_v<T> && !std::is_trivially_destructible_v<T>) {
      if (state() == State::finished && !stored_error()) std::destroy_at(&value_.value);
    }
  }

private:
  CoroTask(EventLoop& loop, Coro<T> coro, std::string&& name)
      : TaskBase(loop, coro.handle(), std::move(name)), coro_(std::move(coro)) {
    coro_.handle().promise().owner = this;
  }

  void destroy_coroutine() noexcept override { coro_ = Coro<T>(); }

  // Inside the coroutine's final suspension: the outcome moves from the frame into the task.
  // finish() decides how the task ends (a cancel that came after the last suspension ends it
  // cancelled); a value it does not end with is not kept (see ResultSlot).
  void coroutine_finished() noexcept override {
    Promise<T>& promise = coro_.handle().promise();
    std::exception_ptr error = std::move(promise.exception);
    [[maybe_unused]] bool kept = false;
    if constexpr (!std::is_void_v<T>) {
      if (!error) {
        try {
          std::construct_at(&value_.value, std::move(*promise.value));
          kept = true;
        } catch (...) {
          error = std::current_exception();  // a result whose move throws fails the task
        }
      }
    }
    finish(std::move(error));
    if constexpr (!std::is_void_v<T>) {
      if (kept && state() != State::finished) std::destroy_at(&value_.value);
    }
  }

  struct NoValue {};  // what a Coro<void> leaves: nothing to keep
  Coro<T> coro_;
  [[no_unique_address]] std::conditional_t<std::is_void_v<T>, NoValue, ResultSlot<T>> value_;
};

}  // namespace detail

// book:finish
inline void TaskBase::finish(std::exception_ptr error) noexcept {
  if (detail::is_cancelled_error(error)) {
    state_ = State::cancelled;
  } else if (must_cancel_ && !error) {
    // cancel() arrived after the coroutine's last suspension: asyncio still ends it cancelled.
    state_ = State::cancelled;
    error = std::make_exception_ptr(CancelledError(cancel_message_.get()));
  } else {
    state_ = State::finished;
  }
  error_ = std::move(error);
  must_cancel_ = cancel_due_ = false;
  ListHook::unlink();  // no longer pending
  if (state_ == State::finished && error_) {
    closing = &close_unretrieved;  // reported unless somebody looks at it before the end
    link_before(loop_->unretrieved_tasks());
  }
  if (Timeline* timeline = loop_->timeline()) timeline->task_finished(id_, loop_->time());

  // Tell the listeners, in the order they came. Each one only schedules work.
  DoneListener* listener = std::exchange(first_listener_, nullptr);
  last_listener_ = nullptr;
  while (listener != nullptr) {
    DoneListener* next = listener->next;
    listener->prev = listener->next = nullptr;
#ifndef NDEBUG
    listener->registered_with = nullptr;
#endif
    listener->on_done(listener, *this);
    listener = next;
  }
  release();  // the loop's reference
}
// end book:finish

namespace detail {

[[noreturn]] inline void woken_twice(const TaskBase& task) noexcept {
  std::fprintf(stderr,
               "aio: the task '%s' was woken twice before its next step ran.\n"
               "  Two paths both woke it for the same wait (a timer and a done listener, say, or\n"
               "  a listener that was not removed). Each wait must wake its task exactly once: the\n"
               "  first path to fire takes the wake-up, the others must see that and do nothing.\n",
               task.name().c_str());
  std::fflush(stderr);
  std::abort();
}

[[noreturn]] inline void incomplete_hook(const TaskBase& task, const char* what) noexcept {
  std::fprintf(stderr,
               "aio: %s function is not set was handed to the task '%s'.\n"
               "  The task would call through a null pointer later (on a cancel, or when it\n"
               "  finishes), far from here. Set the function before you register the hook.\n",
               what, task.name().c_str());
  std::fflush(stderr);
  std::abort();
}

[[noreturn]] inline void listener_destroyed_while_registered(const TaskBase& task) noexcept {
  std::fprintf(stderr,
               "aio: a DoneListener was destroyed while still registered with the task '%s'.\n"
               "  When that task finishes it would call into freed memory. Remove the listener\n"
               "  (task.remove_done_listener) before whatever holds it goes away: on every path,\n"
               "  including a cancellation or an exception.\n",
               task.name().c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace detail

inline void TaskBase::report_unretrieved() noexcept {
  std::string what = "an exception";
  try {
    std::rethrow_exception(error_);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
  }
  loop_->call_exception_handler("Task exception was never retrieved: <Task '" + name() +
                                "'> raised: " + what);
}

inline void TaskBase::close_pending(detail::ListHook* hook) noexcept {
  auto* task = static_cast<TaskBase*>(hook);
  task->loop_->call_exception_handler("Task was destroyed but it is pending: <Task '" +
                                      task->name() + "'>");
  detail::destroying_pending_task = true;
  task->destroy_coroutine();
  detail::destroying_pending_task = false;
  task->release();  // the loop's reference
}

inline void TaskBase::close_unretrieved(detail::ListHook* hook) noexcept {
  static_cast<TaskBase*>(hook)->report_unretrieved();
}

}  // namespace aio
