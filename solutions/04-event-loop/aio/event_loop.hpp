// aio::EventLoop: one thread, a FIFO ready queue and a heap of timers.
//
// asyncio's loop, reduced to its two data structures:
//   ready   callbacks to run soon, in the order they were scheduled (loop.call_soon).
//   timers  callbacks to run at a time, earliest first (loop.call_later / call_at, sleep).
//
// One iteration (run_once), exactly as asyncio's BaseEventLoop._run_once:
//   1. if nothing is ready, wait until the earliest timer is due (the virtual clock just jumps);
//   2. move every timer that is due to the back of the ready queue;
//   3. run the callbacks that were ready when the iteration began; whatever they schedule runs
//      in the next iteration, so one busy task cannot starve the others.
//
// Everything that resumes a coroutine goes through the ready queue: a waiter is never resumed
// inline from the code that wakes it. That keeps the order deterministic (and equal to
// CPython's), and the stack flat however many wake-ups chain.
//
// Extension points: a Timeline records what tasks do (aio/timeline.hpp); an IoWaiter lets later
// lessons wait for threads and sockets instead of sleeping (lessons 16 and 17).
#pragma once

#include <aio/clock.hpp>
#include <aio/errors.hpp>
#include <aio/timer_heap.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace aio {

class Timeline;
class TaskBase;
class EventLoop;

/// What the loop does when it has nothing ready: wait for I/O or for other threads until
/// `timeout` (forever when empty). Lessons 16 and 17 provide one; without one the loop sleeps.
class IoWaiter {
public:
  virtual ~IoWaiter() = default;
  virtual void wait(std::optional<Duration> timeout) = 0;
  /// True while something outside the loop (a socket, a thread) may still schedule work.
  virtual bool has_pending() const = 0;
};

namespace detail {

/// A link in one of the loop's intrusive lists of tasks (aio/task_base.hpp). A sentinel links to
/// itself when its list is empty. `closing` says what to do with a task still linked when the
/// loop is destroyed.
struct ListHook {
  ListHook* prev = this;
  ListHook* next = this;
  void (*closing)(ListHook*) = nullptr;

  bool linked() const noexcept { return next != this; }
  void link_before(ListHook& sentinel) noexcept {
    prev = sentinel.prev;
    next = &sentinel;
    sentinel.prev->next = this;
    sentinel.prev = this;
  }
  void unlink() noexcept {
    prev->next = next;
    next->prev = prev;
    prev = next = this;
  }
};

/// One entry of the ready queue: a function and its argument; 16 bytes, no allocation.
struct Callback {
  void (*run)(void*);
  void* arg;
};

/// A FIFO ring buffer of callbacks whose capacity doubles when full and never shrinks.
class ReadyQueue {
public:
  bool empty() const noexcept { return size_ == 0; }
  std::size_t size() const noexcept { return size_; }

  void push(Callback callback) {
    if (size_ == slots_.size()) grow();
    slots_[(head_ + size_) & (slots_.size() - 1)] = callback;
    ++size_;
  }

  Callback pop() noexcept {
    const Callback callback = slots_[head_];
    head_ = (head_ + 1) & (slots_.size() - 1);
    --size_;
    return callback;
  }

private:
  void grow() {
    std::vector<Callback> bigger(slots_.empty() ? 64 : slots_.size() * 2);
    for (std::size_t i = 0; i < size_; ++i) bigger[i] = slots_[(head_ + i) & (slots_.size() - 1)];
    slots_ = std::move(bigger);
    head_ = 0;
  }

  std::vector<Callback> slots_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

/// The state behind a Handle returned by call_soon / call_later / call_at. Reference counted by
/// hand: one reference per Handle, plus one while the loop's queue or heap points at it.
struct ScheduledCall : TimerNode {  // the TimerNode part is used by call_later / call_at only
  std::function<void()> function;
  aio::EventLoop* loop = nullptr;
  int references = 0;
  bool cancelled = false;
  bool finished = false;

  void acquire() noexcept { ++references; }
  void release() noexcept {
    if (--references == 0) delete this;
  }
};

}  // namespace detail

/// What call_soon, call_later and call_at return (asyncio's Handle and TimerHandle).
class Handle {
public:
  Handle() = default;
  explicit Handle(detail::ScheduledCall* call) noexcept : call_(call) { call_->acquire(); }
  Handle(const Handle& other) noexcept : call_(other.call_) {
    if (call_) call_->acquire();
  }
  Handle& operator=(Handle other) noexcept {
    std::swap(call_, other.call_);
    return *this;
  }
  ~Handle() {
    if (call_) call_->release();
  }

  /// Makes sure the callback will not run; does nothing if it already ran.
  inline void cancel() noexcept;
  bool cancelled() const noexcept { return call_ && call_->cancelled; }
  /// When a timer handle is due, on the loop's clock.
  Duration when() const noexcept { return call_ ? call_->when : Duration{0}; }

private:
  detail::ScheduledCall* call_ = nullptr;
};

class EventLoop {
public:
  explicit EventLoop(Clock clock = Clock::real()) : clock_(clock) {}
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;
  ~EventLoop() {
    drop_scheduled_calls();
    close_list(pending_tasks_);
    close_list(unretrieved_tasks_);
  }

  // ---- time ------------------------------------------------------------------------------
  /// Now, on the loop's clock (asyncio's loop.time()), as time since the loop started.
  Duration time() const noexcept { return clock_.now(); }
  Clock& clock() noexcept { return clock_; }

  // ---- scheduling ------------------------------------------------------------------------
  // book:call-soon
  /// Runs `function()` in a later iteration, after everything already scheduled.
  template <class F>
  Handle call_soon(F function) {
    detail::ScheduledCall* call = make_call(std::move(function));
    ready_.push({&run_scheduled_call, call});
    return Handle(call);
  }
  // end book:call-soon

  /// Runs `function()` once `delay` has passed.
  template <class F>
  Handle call_later(Duration delay, F function) {
    return call_at(time() + delay, std::move(function));
  }

  /// Runs `function()` once the loop's clock reaches `when`.
  template <class F>
  Handle call_at(Duration when, F function) {
    detail::ScheduledCall* call = make_call(std::move(function));
    call->fire = &fire_scheduled_call;
    add_timer(*call, when);
    return Handle(call);
  }

  /// The allocation-free path under sleep and tasks: run `callback` in a later iteration.
  void schedule(detail::Callback callback) { ready_.push(callback); }

  /// Puts `node` on the timer heap, due at `when`; its `fire` then runs from the ready queue.
  void add_timer(detail::TimerNode& node, Duration when) {
    node.when = when;
    node.sequence = next_timer_sequence_++;
    timers_.push(&node);
  }

  /// Takes a timer off the heap before it is due; false if it already left the heap.
  bool remove_timer(detail::TimerNode& node) noexcept {
    if (!node.in_heap()) return false;
    timers_.remove(&node);
    return true;
  }

  // ---- running ---------------------------------------------------------------------------
  /// True if something can still happen: a ready callback, a timer, or pending I/O.
  bool has_work() const noexcept {
    return !ready_.empty() || !timers_.empty() || (io_waiter_ != nullptr && io_waiter_->has_pending());
  }

  // book:run-once
  /// One iteration of the loop; see the top of this file.
  void run_once() {
    wait_for_something();
    if (!timers_.empty()) move_due_timers_to_ready(time());
    // Only what was ready when the iteration began: callbacks scheduled now wait their turn.
    for (std::size_t count = ready_.size(); count > 0; --count) run_callback(ready_.pop());
  }
  // end book:run-once

  /// Runs iterations until `finished()` is true. Throws DeadlockError if the loop runs out of
  /// work first, instead of waiting forever as asyncio would.
  template <class Predicate>
  void run_until(Predicate finished) {
    while (!finished()) {
      if (!has_work()) {
        throw DeadlockError(
            "the event loop has nothing left to run, but the coroutine it runs is still waiting: "
            "it awaits something that nothing will ever complete");
      }
      run_once();
    }
  }

  /// Runs until stop() is called or nothing is left to do.
  void run_forever() {
    stopping_ = false;
    while (!stopping_ && has_work()) run_once();
  }
  void stop() noexcept { stopping_ = true; }

  // ---- debug mode (asyncio's debug=True) -------------------------------------------------
  void set_debug(bool enabled) noexcept { debug_ = enabled; }
  bool get_debug() const noexcept { return debug_; }
  /// In debug mode, a callback or task step that runs longer than this is reported.
  void set_slow_callback_duration(Duration limit) noexcept { slow_callback_duration_ = limit; }
  Duration slow_callback_duration() const noexcept { return slow_callback_duration_; }

  /// Where the loop reports problems (asyncio's loop.call_exception_handler); stderr by default.
  void set_exception_handler(std::function<void(const std::string&)> handler) {
    exception_handler_ = std::move(handler);
  }
  void call_exception_handler(const std::string& message) {
    if (exception_handler_) {
      exception_handler_(message);
    } else {
      std::fprintf(stderr, "%s\n", message.c_str());
    }
  }

  // ---- extension points ------------------------------------------------------------------
  Timeline* timeline() const noexcept { return timeline_; }
  /// Records what tasks do while set; nullptr (the default) records nothing and costs one branch.
  void set_timeline(Timeline* timeline) noexcept { timeline_ = timeline; }
  void set_io_waiter(IoWaiter* waiter) noexcept { io_waiter_ = waiter; }
  IoWaiter* io_waiter() const noexcept { return io_waiter_; }

  /// The task whose step is running now, or nullptr (set by aio/task_base.hpp).
  TaskBase* current_task() const noexcept { return current_task_; }
  void set_current_task(TaskBase* task) noexcept { current_task_ = task; }

  /// Tasks that have not finished (the loop holds a reference to each: asyncio's "the loop keeps
  /// running tasks alive"), and finished tasks whose exception nobody has looked at yet.
  detail::ListHook& pending_tasks() noexcept { return pending_tasks_; }
  detail::ListHook& unretrieved_tasks() noexcept { return unretrieved_tasks_; }

  /// How a ready-queue entry that steps a task describes itself in debug messages.
  using Describe = std::string (*)(void* arg);
  void set_step_description(void (*step)(void*), Describe describe) noexcept {
    task_step_ = step;
    describe_step_ = describe;
  }

private:
  // The new call starts with the one reference that the queue (or the heap) holds until the
  // call has run or was cancelled, whatever the caller does with its Handle.
  template <class F>
  detail::ScheduledCall* make_call(F function) {
    auto* call = new detail::ScheduledCall;
    call->function = std::move(function);
    call->loop = this;
    call->acquire();
    return call;
  }

  static void run_scheduled_call(void* arg);
  static void fire_scheduled_call(detail::TimerNode* node);
  static void fire_timer(void* arg) {
    auto* node = static_cast<detail::TimerNode*>(arg);
    node->fire(node);
  }

  // A loop destroyed with call_soon / call_later callbacks still queued drops them, and the
  // references its queue and heap held.
  void drop_scheduled_calls() noexcept {
    while (!ready_.empty()) {
      const detail::Callback callback = ready_.pop();
      if (callback.run == &run_scheduled_call) {
        static_cast<detail::ScheduledCall*>(callback.arg)->release();
      } else if (callback.run == &fire_timer) {
        release_if_scheduled_call(static_cast<detail::TimerNode*>(callback.arg));
      }
    }
    while (!timers_.empty()) release_if_scheduled_call(timers_.pop());
  }
  static void close_list(detail::ListHook& sentinel) noexcept {
    while (sentinel.linked()) {
      detail::ListHook* hook = sentinel.next;
      hook->unlink();
      if (hook->closing != nullptr) hook->closing(hook);
    }
  }
  static void release_if_scheduled_call(detail::TimerNode* node) noexcept {
    if (node->fire == &fire_scheduled_call) static_cast<detail::ScheduledCall*>(node)->release();
  }

  void move_due_timers_to_ready(Duration now) {
    while (!timers_.empty() && timers_.top()->when <= now) {
      detail::TimerNode* due = timers_.pop();
      ready_.push({&fire_timer, due});
    }
  }

  void wait_for_something() {
    if (!ready_.empty() && io_waiter_ == nullptr) return;  // the busy path: nothing to wait for
    std::optional<Duration> timeout;  // empty: wait until something happens
    if (!ready_.empty()) {
      timeout = Duration{0};
    } else if (!timers_.empty()) {
      timeout = std::max(Duration{0}, timers_.top()->when - time());
    }
    if (io_waiter_ != nullptr) {
      io_waiter_->wait(clock_.is_virtual() && timeout ? Duration{0} : timeout);
    } else if (timeout && !clock_.is_virtual()) {
      std::this_thread::sleep_for(*timeout);
    }
    // Autojump: with nothing ready, virtual time moves straight to the earliest timer.
    if (clock_.is_virtual() && ready_.empty() && !timers_.empty()) clock_.advance_to(timers_.top()->when);
  }

  void run_callback(detail::Callback callback) {
    if (!debug_) {
      invoke(callback);
      return;
    }
    const auto started = std::chrono::steady_clock::now();
    invoke(callback);
    const auto took = std::chrono::steady_clock::now() - started;
    if (took >= slow_callback_duration_) report_slow(callback, took);
  }

  void invoke(detail::Callback callback) {
    try {
      callback.run(callback.arg);
    } catch (const std::exception& error) {
      call_exception_handler(std::string("Exception in callback: ") + error.what());
    }
  }

  void report_slow(detail::Callback callback, std::chrono::steady_clock::duration took) {
    const std::string what = (callback.run == task_step_ && describe_step_ != nullptr)
                                 ? describe_step_(callback.arg)
                                 : std::string("<callback>");
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.3f",
                  std::chrono::duration<double>(took).count());
    call_exception_handler("Executing " + what + " took " + seconds + " seconds");
  }

  Clock clock_;
  detail::ReadyQueue ready_;
  detail::TimerHeap timers_;
  std::uint64_t next_timer_sequence_ = 0;
  bool stopping_ = false;
  bool debug_ = false;
  Duration slow_callback_duration_ = std::chrono::milliseconds(100);
  std::function<void(const std::string&)> exception_handler_;
  Timeline* timeline_ = nullptr;
  IoWaiter* io_waiter_ = nullptr;
  TaskBase* current_task_ = nullptr;
  detail::ListHook pending_tasks_;
  detail::ListHook unretrieved_tasks_;
  void (*task_step_)(void*) = nullptr;
  Describe describe_step_ = nullptr;
};

inline void EventLoop::run_scheduled_call(void* arg) {
  auto* call = static_cast<detail::ScheduledCall*>(arg);
  struct Release {  // the queue's reference goes, even if the function throws
    detail::ScheduledCall* call;
    ~Release() { call->release(); }
  } release{call};
  if (call->cancelled) return;
  call->finished = true;
  call->function();
}

inline void EventLoop::fire_scheduled_call(detail::TimerNode* node) {
  run_scheduled_call(static_cast<detail::ScheduledCall*>(node));
}

inline void Handle::cancel() noexcept {
  if (call_ == nullptr || call_->finished || call_->cancelled) return;
  call_->cancelled = true;
  // A timer still on the heap leaves it now, and the heap's reference goes with it; a call
  // already in the ready queue is skipped when its turn comes.
  if (call_->loop->remove_timer(*call_)) call_->release();
}

}  // namespace aio
