// aio::EventLoop: one thread, a FIFO ready queue and a heap of timers.
//
// asyncio's loop, reduced to its two data structures:
//   ready   callbacks to run soon, in the order they were scheduled (loop.call_soon).
//   timers  callbacks to run at a time, earliest first (loop.call_later / call_at, sleep).
//
// One iteration (run_once), in the order of asyncio's BaseEventLoop._run_once:
//   1. if nothing is ready, wait until the earliest timer is due (the virtual clock just jumps
//      there: "autojump"); with something ready, do not wait at all;
//   2. move every timer that is due to the back of the ready queue;
//   3. count the callbacks that are ready now, due timers included, and run that many; whatever
//      they schedule runs in the next iteration, so one busy task cannot starve the others.
//
// Where a callback runs: on the thread that runs the loop, inside run_once, never inside the
// call_soon / call_later that scheduled it.
//
// Everything that resumes a coroutine goes through the ready queue: a waiter is never resumed
// inline from the code that wakes it. That keeps the order deterministic (and equal to
// CPython's), and the stack flat however many wake-ups chain.
//
// Extension points: a Timeline records what tasks do (aio/timeline.hpp); an IoWaiter lets later
// lessons wait for threads and sockets instead of sleeping (lessons 16 and 17).
//
// Your exercises in this file (run them with: ctest --preset learn -R "l04.ex[245]"):
//   l04.ex2  ReadyQueue::push and ReadyQueue::pop: a FIFO ring buffer
//   l04.ex4  EventLoop::run_once and EventLoop::wait_for_something: one iteration, and autojump
//   l04.ex5  EventLoop::run_until and EventLoop::run_forever: iterations until done or stopped
// ([[maybe_unused]] only silences a warning until you write the bodies.)
#pragma once

#include <aio/buffer_cache.hpp>
#include <aio/clock.hpp>
#include <aio/not_implemented.hpp>
#include <aio/errors.hpp>
#include <aio/frame_allocator.hpp>
#include <aio/timer_heap.hpp>

#include <algorithm>
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
/// On the virtual clock the loop only polls it (timeout 0) while a timer is pending, and lets
/// time jump to the timer if the poll brought nothing; but while has_pending() says that work
/// outside the loop is under way, it waits for it in real time, as on the real clock, so that
/// time does not jump past a result that is still coming.
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

/// What run_until and aio::run throw when the loop runs out of work before the coroutine it runs
/// has finished.
[[noreturn]] inline void throw_deadlock() {
  throw DeadlockError(
      "the event loop has nothing left to run, but the coroutine it runs is still waiting: "
      "it awaits something that nothing will ever complete");
}

/// One entry of the ready queue: a function and its argument; 16 bytes, no allocation.
/// (asyncio's ready queue holds Handle objects, each one an allocation.)
struct Callback {
  void (*run)(void*);
  void* arg;
};

// book:ready-queue
/// A FIFO ring buffer of callbacks whose capacity doubles when full and never shrinks.
///
/// The entries live in slots_[head_], slots_[head_ + 1], ... (size_ of them), wrapping around
/// the end of the array. The capacity is always a power of two, so "wrap around" is a mask:
/// (i & (capacity - 1)) == i % capacity, without a division.
class ReadyQueue {
public:
  bool empty() const noexcept { return size_ == 0; }
  std::size_t size() const noexcept { return size_; }

  /// Adds `callback` at the back.
  void push([[maybe_unused]] Callback callback) {
    AIO_TODO("l04.ex2", "grow() when full, then store the entry just behind the last one, "
                        "wrapping with the mask (see 'The ready queue: a ring of plain entries')");
  }

  /// Takes the callback at the front; the queue must not be empty.
  Callback pop() {
    AIO_TODO("l04.ex2", "hand out the front entry and move the front one slot on, wrapping "
                        "(see 'The ready queue: a ring of plain entries')");
  }
  // end book:ready-queue

  /// The entry `i` places behind the front; i must be less than size().
  const Callback& peek(std::size_t i) const noexcept { return slots_[(head_ + i) & (slots_.size() - 1)]; }

  /// Empties the queue, calling `each(callback)` for every entry, front to back. For the loop's
  /// destructor: it reads the array directly, so it can never throw.
  template <class F>
  void clear(F each) noexcept {
    for (std::size_t i = 0; i < size_; ++i) each(slots_[(head_ + i) & (slots_.size() - 1)]);
    head_ = size_ = 0;
  }

private:
  // Moves the entries, in order, to the front of an array twice as large. The arrays come from
  // the thread's BufferCache and go back to it: the next loop on this thread reuses them instead
  // of asking the kernel for fresh pages (aio/buffer_cache.hpp).
  void grow() {
    std::vector<Callback, CachedAllocator<Callback>> bigger(slots_.empty() ? first_capacity() : slots_.size() * 2);
    for (std::size_t i = 0; i < size_; ++i) bigger[i] = slots_[(head_ + i) & (slots_.size() - 1)];
    slots_ = std::move(bigger);
    head_ = 0;
    last_capacity() = slots_.size();
  }

  // 64 slots; or, if the cache still keeps the array of the last queue on this thread, that
  // array whole: a program that runs loop after loop (tests, benchmarks) then neither regrows
  // its queue nor copies it, and holds no memory that the cache did not hold already.
  static std::size_t first_capacity() noexcept {
    const std::size_t last = last_capacity();
    return last > 64 && BufferCache::keeps(last * sizeof(Callback)) ? last : 64;
  }
  static std::size_t& last_capacity() noexcept {
    thread_local std::size_t capacity = 0;
    return capacity;
  }

  std::vector<Callback, CachedAllocator<Callback>> slots_;
  std::size_t head_ = 0;  // index of the front entry
  std::size_t size_ = 0;  // number of entries
};

/// The state behind a Handle returned by call_soon / call_later / call_at. Reference counted by
/// hand: one reference per Handle, plus one while the loop's queue or heap points at it.
///
///   cancelled  Handle::cancel() was called (before or after the call ran, as in asyncio)
///   finished   the loop has started the call; cancelling it now changes nothing
struct ScheduledCall : TimerNode {  // the TimerNode part is used by call_later / call_at only
  std::function<void()> function;
  Duration when{0};  // when a call_later / call_at is due
  aio::EventLoop* loop = nullptr;
  int references = 0;
  bool cancelled = false;
  bool finished = false;

  // Like coroutine frames, these come and go at a high rate in a few sizes: recycle them.
  static void* operator new(std::size_t size) { return FrameAllocator::allocate(size); }
  static void operator delete(void* call, std::size_t size) noexcept {
    FrameAllocator::deallocate(call, size);
  }

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
  Handle(Handle&& other) noexcept : call_(std::exchange(other.call_, nullptr)) {}
  Handle& operator=(Handle other) noexcept {
    std::swap(call_, other.call_);
    return *this;
  }
  ~Handle() {
    if (call_) call_->release();
  }

  /// Makes sure the callback will not run (a timer leaves the heap at once) and drops what the
  /// callback holds. Once the callback has run it changes nothing, but cancelled() still turns
  /// true, as in asyncio.
  inline void cancel();
  bool cancelled() const noexcept { return call_ && call_->cancelled; }
  /// When a timer handle is due, on the loop's clock.
  Duration when() const noexcept { return call_ ? call_->when : Duration{0}; }

private:
  friend class EventLoop;
  detail::ScheduledCall* call_ = nullptr;
};

/// The event loop (asyncio's BaseEventLoop); see the top of this file. One per thread at a
/// time: aio::run creates it, makes it the running loop, and destroys it at the end.
class EventLoop {
public:
  explicit EventLoop(Clock clock = Clock::real()) : clock_(clock) {}
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;
  /// Drops the callbacks and timers still scheduled, then reports and destroys the tasks that
  /// are still pending ("Task was destroyed but it is pending") and reports failed tasks whose
  /// exception nobody retrieved.
  ~EventLoop() {
    drop_scheduled_calls();
    close_list(pending_tasks_);
    close_list(unretrieved_tasks_);
    io_waiter_ = nullptr;
    owned_io_waiter_.reset();  // last: closing tasks may still withdraw their interest in I/O
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
    Handle handle(make_call(std::move(function)));
    ready_.push({&run_scheduled_call, handle.call_});
    handle.call_->acquire();  // the queue's reference, dropped once the call has run
    return handle;
  }
  // end book:call-soon

  // book:call-later
  /// Runs `function()` once `delay` has passed.
  template <class F>
  Handle call_later(Duration delay, F function) {
    return call_at(time() + delay, std::move(function));
  }

  /// Runs `function()` once the loop's clock reaches `when` (a time from loop.time()).
  template <class F>
  Handle call_at(Duration when, F function) {
    Handle handle(make_call(std::move(function)));
    handle.call_->fire = &fire_scheduled_call;
    handle.call_->when = when;
    add_timer(*handle.call_, when);
    handle.call_->acquire();  // the heap's reference, dropped once the call has run
    return handle;
  }
  // end book:call-later

  /// The allocation-free path under sleep and tasks: run `callback` in a later iteration.
  void schedule(detail::Callback callback) { ready_.push(callback); }

  // book:add-timer
  /// Puts `node` on the timer heap, due at `when`; once it is due, the loop moves it to the
  /// ready queue and its `fire` runs from there.
  void add_timer(detail::TimerNode& node, Duration when) { timers_.push(&node, when); }
  // end book:add-timer

  /// Takes a timer off the heap before it is due; false if it already left the heap (it is
  /// due, or has fired).
  bool remove_timer(detail::TimerNode& node) {
    if (!timers_.contains(node)) return false;
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
    AIO_TODO("l04.ex4", "the three steps of an iteration, in CPython's order, as in your naive "
                        "loop (see 'One iteration of the real loop')");
  }
  // end book:run-once

  // book:run-until
  /// Runs iterations until `finished()` is true. Throws DeadlockError if the loop runs out of
  /// work first, instead of waiting forever as asyncio would.
  template <class Predicate>
  void run_until([[maybe_unused]] Predicate finished) {
    AIO_TODO("l04.ex5", "iterate until finished(); if the loop runs out of work first, that is a "
                        "deadlock (see 'Running the loop')");
  }
  // end book:run-until

  // book:run-forever
  /// Runs iterations until one of them calls stop() (asyncio's loop.run_forever), or until
  /// nothing is left that could ever happen (where asyncio would wait forever). A stop()
  /// requested before the call ends it after one iteration, as in asyncio.
  void run_forever() {
    AIO_TODO("l04.ex5", "iterate while there is work, until an iteration ends with stop() "
                        "requested; then clear the request (see 'Running the loop')");
  }
  /// Makes run_forever return at the end of the current iteration.
  void stop() noexcept { stopping_ = true; }
  // end book:run-forever

  // ---- debug mode (asyncio's debug=True) -------------------------------------------------
  void set_debug(bool enabled) noexcept { debug_ = enabled; }
  bool get_debug() const noexcept { return debug_; }
  /// In debug mode, a callback or task step that runs longer than this is reported.
  void set_slow_callback_duration(Duration limit) noexcept { slow_callback_duration_ = limit; }
  Duration slow_callback_duration() const noexcept { return slow_callback_duration_; }

  /// Where the loop reports problems (asyncio's loop.call_exception_handler): slow steps in
  /// debug mode, exceptions thrown by callbacks, tasks destroyed while pending, exceptions never
  /// retrieved. Without a handler the message goes to stderr, one line each.
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
  /// Makes `waiter` the loop's IoWaiter and the loop its owner: it is destroyed with the loop,
  /// after the pending tasks, or when another one is adopted. (Lessons 16 and 17 install theirs
  /// this way, the first time a program needs one.)
  void adopt_io_waiter(std::unique_ptr<IoWaiter> waiter) {
    io_waiter_ = waiter.get();
    owned_io_waiter_ = std::move(waiter);
  }

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

  /// Numbers the tasks of this loop 1, 2, 3, ... ("Task-1" is the task of aio::run's main).
  std::uint64_t next_task_number() noexcept { return ++tasks_created_; }

private:
  // A new call has no reference yet: the Handle that wraps it takes the first one, and the
  // queue (or the heap) takes another once the call is in it. If scheduling throws, the
  // Handle's destructor frees the call.
  template <class F>
  detail::ScheduledCall* make_call(F function) {
    auto* call = new detail::ScheduledCall;
    call->function = std::move(function);
    call->loop = this;
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
    ready_.clear([](detail::Callback callback) {
      if (callback.run == &run_scheduled_call) {
        static_cast<detail::ScheduledCall*>(callback.arg)->release();
      } else if (callback.run == &fire_timer) {
        release_if_scheduled_call(static_cast<detail::TimerNode*>(callback.arg));
      }
    });
    timers_.clear([](detail::TimerNode* node) { release_if_scheduled_call(node); });
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

  // book:move-due
  // Step 2 of an iteration: every timer due by `now` goes to the back of the ready queue, in
  // heap order (deadline, then sequence). Its `fire` runs when the queue reaches it.
  void move_due_timers_to_ready(Duration now) {
    timers_.pop_due(now, [this](detail::TimerNode* due) { ready_.push({&fire_timer, due}); });
  }
  // end book:move-due

  // book:wait
  // Step 1 of an iteration: if nothing is ready, wait until the earliest timer is due.
  void wait_for_something() {
    AIO_TODO("l04.ex4", "how long to wait: 0, until the earliest timer, or no limit; then "
                        "sleep, ask io_waiter_, or jump (see 'One iteration of the real loop')");
  }
  // end book:wait

  void run_callback(detail::Callback callback) {
    // With thousands of callbacks ready, the memory each one touches (a task, a coroutine frame)
    // is likely cold. A prefetch asks the CPU to start loading the argument of a callback a few
    // places behind this one, so that its cache miss overlaps with the work in between instead
    // of stalling when its turn comes (W4_timers in benchmarks/workloads.cpp). It never faults.
    // (Written here, not in a helper of its own: GCC may drop a call to a function that only
    // prefetches, since such a function has no visible effect.)
    constexpr std::size_t prefetch_distance = 6;
    if (ready_.size() > prefetch_distance) __builtin_prefetch(ready_.peek(prefetch_distance).arg);
    if (!debug_) {
      invoke(callback);
      return;
    }
    const auto started = std::chrono::steady_clock::now();
    invoke(callback);
    const auto took = std::chrono::steady_clock::now() - started;
    if (took >= slow_callback_duration_) report_slow(callback, took);
  }

  // An exception that escapes a callback is reported and the loop goes on, as in asyncio. (A task
  // step never throws: the task keeps its coroutine's exception.)
  void invoke(detail::Callback callback) {
    try {
      callback.run(callback.arg);
    } catch (const std::exception& error) {
      call_exception_handler(std::string("Exception in callback: ") + error.what());
    } catch (const CancelledError& error) {
      call_exception_handler(std::string("Exception in callback: CancelledError: ") + error.what());
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
  std::uint64_t tasks_created_ = 0;
  bool stopping_ = false;
  bool debug_ = false;
  Duration slow_callback_duration_ = std::chrono::milliseconds(100);
  std::function<void(const std::string&)> exception_handler_;
  Timeline* timeline_ = nullptr;
  IoWaiter* io_waiter_ = nullptr;
  std::unique_ptr<IoWaiter> owned_io_waiter_;
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

inline void Handle::cancel() {
  if (call_ == nullptr || call_->cancelled) return;
  call_->cancelled = true;
  if (call_->finished) return;  // it ran (or is running): nothing left to stop
  call_->function = nullptr;    // what the callback captured goes now, as in asyncio
  // A timer still on the heap leaves it now, and the heap's reference goes with it; a call
  // already in the ready queue is skipped when its turn comes.
  if (call_->loop->remove_timer(*call_)) call_->release();
}

}  // namespace aio
