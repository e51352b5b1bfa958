// aio::as_completed: the results of a list of tasks, in the order the tasks finish.
//
//   asyncio                                        aio
//   for next in asyncio.as_completed(tasks):       for (auto next : aio::as_completed(tasks)) {
//       result = await next                            int result = co_await next;
//                                                   }
//   asyncio.as_completed(tasks, timeout=2)         aio::as_completed(tasks, 2s)
//
// or, with the steps spelled out:
//
//   auto completed = aio::as_completed(tasks);
//   while (completed.has_next()) { int result = co_await completed.next(); }
//
// It takes futures too, as asyncio's does: a std::vector<aio::Future<T>> gives their values, a
// std::vector<aio::TaskRef> mixing tasks and futures gives each finished one as a TaskRef.
//
// Each `co_await next` gives the result of the next task to finish, or rethrows its exception
// (a cancelled task's is aio::CancelledError); the loop runs once per task given. With a timeout,
// every result that has not come when the time is up raises aio::TimeoutError instead. Like
// asyncio.wait, as_completed cancels nothing.
//
// Underneath, as asyncio does it: a DoneListener on each task, told when the task finishes,
// schedules on_completion one loop iteration later (asyncio's done-callback); on_completion puts
// the task on a queue of finished tasks (asyncio's Queue `done`) and wakes the task waiting in
// next(), which resumes one iteration after that. When a result is already queued, `co_await`
// does not suspend at all (asyncio's Queue.get returns at once when the queue is not empty).
// Tasks already done when as_completed starts are queued in the order given (asyncio: in the
// order of a set, which is arbitrary).
//
// The state lives on the heap and is reference counted: callbacks already in the ready queue
// may still run after the AsCompleted object is gone (a loop that breaks out after the first
// result), and must find the state alive. Only one task at a time may wait in next().
//
// Your exercises in this file (./learn shows the first one that fails, ./learn hint l07.ex4 its
// hints; with CMake: ctest --preset learn -R l07.ex4):
//   l07.ex4  State::watch, on_completion and take: a queue of finished tasks
//   l07.ex5  NextAwaiter::await_suspend and State::on_timeout: the next result, or the clock
// close(), stop_timer(), wake_waiter(), the *_entry functions and NextAwaiter::on_cancel are
// written for you: they run where an exception would end the program, or keep the shared state
// alive. Read them first.
// ([[maybe_unused]] only silences a warning until you write the bodies.)
#pragma once

#include <aio/clock.hpp>
#include <aio/errors.hpp>
#include <aio/event_loop.hpp>
#include <aio/future.hpp>
#include <aio/not_implemented.hpp>
#include <aio/task.hpp>
#include <aio/task_base.hpp>
#include <aio/task_ref.hpp>

#include <coroutine>
#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace aio {

/// `H` is the handle it holds for each task: a Task<T>, or a Future<T> (each has base(), the
/// task the listeners hang on, and result()).
template <class T, class H = Task<T>>
class AsCompleted {
  class State;

public:
  /// What each co_await gives: the result; for tasks of mixed types (T is AnyResult, the tasks
  /// are TaskRef handles) the finished task itself, to be read with result_as<U>().
  using value_type = std::conditional_t<std::is_same_v<T, AnyResult>, TaskRef, T>;

  // book:next-awaiter
  /// `co_await next`: the next result in completion order. Resumes at once if one is already
  /// queued; otherwise in a later loop iteration, from the ready queue, one iteration after
  /// on_completion queued the next finished task (or after the timeout).
  class [[nodiscard]] NextAwaiter : private Wait {
  public:
    explicit NextAwaiter(State* state) noexcept : state_(state) { state_->acquire(); }
    NextAwaiter(const NextAwaiter&) = delete;
    NextAwaiter& operator=(const NextAwaiter&) = delete;
    ~NextAwaiter() {
      if (state_->waiter_ == this) state_->waiter_ = nullptr;  // destroyed while it waited
      state_->release();
    }

    bool await_ready() const noexcept { return state_->has_result(); }

    // book:next-suspend
    void await_suspend([[maybe_unused]] std::coroutine_handle<> self) {
      AIO_TODO("l07.ex5", "one waiter at a time: refuse a second one; else become the state's "
                          "waiter and suspend (see 'Step 8: waiting for the next result')");
    }
    // end book:next-suspend

    value_type await_resume() {
      if (task_ != nullptr) task_->throw_if_cancelled();
      return state_->take();
    }

  private:
    friend class State;

    // The consumer was cancelled while it waited: it stops waiting; the tasks go on, and a
    // result that comes meanwhile stays queued for the next co_await.
    static bool on_cancel(Wait* wait, const CancelMessage& message) {
      auto* self = static_cast<NextAwaiter*>(wait);
      if (self->state_->waiter_ != self) return false;  // already woken: too late
      self->state_->waiter_ = nullptr;
      self->task_->wake_cancelled(message);
      return true;
    }

    State* state_;
    TaskBase* task_ = nullptr;  // the task that waits, once it has suspended
  };
  // end book:next-awaiter

  /// Lets a range-for hand out one awaitable per task, like Python's `for next in ...`.
  class iterator {
  public:
    using difference_type = std::ptrdiff_t;
    using value_type = NextAwaiter;

    explicit iterator(AsCompleted* owner) noexcept : owner_(owner) {}
    NextAwaiter operator*() const { return owner_->next(); }
    iterator& operator++() noexcept { return *this; }  // next() already counted it
    void operator++(int) noexcept {}
    bool operator==(std::default_sentinel_t) const noexcept { return !owner_->has_next(); }

  private:
    AsCompleted* owner_;
  };

  /// Starts watching `tasks`; must run inside the loop (a timeout needs its clock).
  AsCompleted(std::vector<H> tasks, std::optional<Duration> timeout)
      : state_(new State(get_running_loop(), std::move(tasks))) {
    try {
      state_->watch(timeout);
    } catch (...) {
      state_->close();
      throw;
    }
  }
  AsCompleted(AsCompleted&& other) noexcept
      : state_(std::exchange(other.state_, nullptr)), handed_out_(other.handed_out_) {}
  AsCompleted& operator=(AsCompleted&&) = delete;
  ~AsCompleted() {
    if (state_ != nullptr) state_->close();
  }

  /// True while fewer awaitables have been handed out than there are tasks.
  bool has_next() const noexcept { return state_ != nullptr && handed_out_ < state_->size(); }

  /// The awaitable for the next result; throws InvalidStateError once every task had its turn.
  NextAwaiter next() {
    if (!has_next()) throw InvalidStateError("aio::as_completed: every result has been handed out");
    ++handed_out_;
    return NextAwaiter(state_);
  }

  iterator begin() noexcept { return iterator(this); }
  std::default_sentinel_t end() const noexcept { return {}; }

private:
  /// What the tasks' listeners, the timer and the awaiters share. References: one for the
  /// AsCompleted object, one per on_completion in the ready queue, one while the timer is
  /// armed, one per NextAwaiter.
  class State : private detail::TimerNode {
  public:
    State(EventLoop& loop, std::vector<H> tasks)
        : loop_(&loop), tasks_(std::move(tasks)), listeners_(tasks_.size()) {
      order_.reserve(tasks_.size());
    }

    void acquire() noexcept { ++references_; }
    void release() noexcept {
      if (--references_ == 0) delete this;
    }

    std::size_t size() const noexcept { return tasks_.size(); }
    bool has_result() const noexcept { return taken_ < order_.size() || timed_out_; }

    // book:watch
    /// Listens to every task (a task already done is queued at once, in input order), then
    /// arms the timer.
    void watch([[maybe_unused]] std::optional<Duration> timeout) {
      AIO_TODO("l07.ex4", "listen to every task (a done one is queued by schedule_completion); "
                          "arm the timer, with a reference of its own (see 'Step 7: a queue of "
                          "finished tasks')");
    }
    // end book:watch

    /// The AsCompleted object is gone: stop listening, disarm the timer, drop its reference.
    void close() noexcept {
      closed_ = true;
      stop_timer();
      for (std::size_t i = 0; i < listeners_.size(); ++i) tasks_[i].base().remove_done_listener(listeners_[i]);
      release();
    }

    // book:take
    /// The next result in completion order; once the time is up and nothing is left, the
    /// TimeoutError that asyncio raises for each result that never came.
    value_type take() {
      AIO_TODO("l07.ex4", "the next result in completion order; once none is left and the time is "
                          "up, TimeoutError (see 'Step 7: a queue of finished tasks')");
    }
    // end book:take

  private:
    friend class NextAwaiter;

    struct Listener : DoneListener {
      State* state = nullptr;
    };
    struct Release {
      State* state;
      ~Release() { state->release(); }
    };

    // Inside the finishing task's completion: only schedule (the first hop).
    static void on_done(DoneListener* self, TaskBase&) {
      auto* listener = static_cast<Listener*>(self);
      listener->state->schedule_completion(*listener);
    }
    void schedule_completion(Listener& listener) {
      loop_->schedule({&completion_entry, &listener});
      acquire();  // this callback's reference (after schedule: it may throw)
    }
    static void completion_entry(void* arg) {
      auto* listener = static_cast<Listener*>(arg);
      State* state = listener->state;
      Release release{state};
      if (!state->closed_) state->on_completion(static_cast<std::size_t>(listener - state->listeners_.data()));
    }
    static void timer_entry(detail::TimerNode* node) {
      auto* state = static_cast<State*>(node);
      Release release{state};  // the timer's reference
      if (!state->closed_) state->on_timeout();
    }

    // book:on-completion
    /// One iteration after tasks_[index] finished (asyncio's _on_completion): queue it and
    /// wake the task waiting in next(), if any.
    void on_completion([[maybe_unused]] std::size_t index) {
      AIO_TODO("l07.ex4", "unless the time is up: queue the task, disarm the timer after the last "
                          "one, wake the waiter (see 'Step 7: a queue of finished tasks')");
    }
    // end book:on-completion

    // book:on-timeout
    /// The time is up (asyncio's _on_timeout): stop listening; every result still to come
    /// will raise TimeoutError.
    void on_timeout() {
      AIO_TODO("l07.ex5", "stop listening; from now on each missing result is a TimeoutError; "
                          "wake the waiter (see 'Step 8: waiting for the next result')");
    }
    // end book:on-timeout

    void wake_waiter() {
      if (waiter_ == nullptr) return;
      TaskBase* task = std::exchange(waiter_, nullptr)->task_;
      task->wake();  // through the ready queue, never inline
    }

    // Takes the timer off the heap, and with it the heap's reference. Only called while another
    // reference is held (the AsCompleted's, or a running callback's), so it never frees.
    void stop_timer() noexcept {
      if (loop_->remove_timer(*this)) --references_;
    }

    // book:state
    EventLoop* loop_;
    std::vector<H> tasks_;
    std::vector<Listener> listeners_;  // listeners_[i] watches tasks_[i]
    std::vector<std::size_t> order_;   // indices of finished tasks, in completion order
    std::size_t taken_ = 0;            // how many of order_ have been handed out
    std::size_t watching_ = 0;         // tasks not yet queued (asyncio's `todo`)
    NextAwaiter* waiter_ = nullptr;    // the co_await waiting for the next result, if any
    int references_ = 1;               // the AsCompleted object's
    bool timed_out_ = false;
    bool closed_ = false;
    // end book:state
  };

  State* state_;
  std::size_t handed_out_ = 0;
};

// book:as-completed
/// The results of `tasks` in the order the tasks finish; see the top of this file. With a
/// `timeout`, each result that has not come when it passes raises aio::TimeoutError.
template <class T>
AsCompleted<T> as_completed(std::vector<Task<T>> tasks, std::optional<Duration> timeout = std::nullopt) {
  return AsCompleted<T>(std::move(tasks), timeout);
}

/// as_completed on coroutines: each one is wrapped in a task first, in the order given, as
/// asyncio's as_completed does with ensure_future (which goes through a set, so in no fixed order).
template <class T>
AsCompleted<T> as_completed(std::vector<Coro<T>> coros, std::optional<Duration> timeout = std::nullopt) {
  std::vector<Task<T>> tasks;
  tasks.reserve(coros.size());
  for (Coro<T>& coro : coros) tasks.push_back(create_task(std::move(coro)));
  return AsCompleted<T>(std::move(tasks), timeout);
}

/// as_completed on tasks of different result types: each co_await gives the next task to finish
/// (its exception rethrown, as asyncio's await does), whose value result_as<U>() reads.
inline AsCompleted<AnyResult> as_completed(std::vector<TaskRef> tasks, std::optional<Duration> timeout = std::nullopt) {
  return AsCompleted<AnyResult>(std::move(tasks), timeout);
}

/// as_completed on futures: each co_await gives the next value to be set (or the exception).
template <class T>
AsCompleted<T, Future<T>> as_completed(std::vector<Future<T>> futures, std::optional<Duration> timeout = std::nullopt) {
  return AsCompleted<T, Future<T>>(std::move(futures), timeout);
}
// end book:as-completed

}  // namespace aio
