// aio::wait: wait until some or all of a list of tasks are done (asyncio.wait).
//
//   asyncio                                              aio
//   done, pending = await asyncio.wait(                  aio::WaitResult<int> r = co_await aio::wait(
//       tasks, return_when=asyncio.FIRST_COMPLETED)          tasks, aio::FIRST_COMPLETED);
//   done, pending = await asyncio.wait(tasks, timeout=2) ... co_await aio::wait(tasks, aio::ALL_COMPLETED, 2s);
//
// It takes futures too, as asyncio's does: aio::Future<T> handles (lesson 05), or a mix of
// tasks and futures as aio::TaskRef handles; the result then holds TaskRef handles, which
// compare equal to the future and read its value with result_as<T>().
//
// wait() never raises because of its tasks: a task that failed or was cancelled is simply done.
// It returns two lists, `done` and `pending`, each in the order the tasks were given (asyncio
// returns two sets, whose order is arbitrary). A timeout ends the wait, not the tasks: what is
// still running is returned in `pending` and keeps running. wait() cancels nothing.
//
// When the awaiting task resumes: asyncio's wait registers a done-callback on every task; the
// callback runs one loop iteration after the task finished, counts, and when the condition is met
// completes a future, whose own callback wakes the awaiting task one iteration later. So the task
// resumes TWO iterations after the task that decided it finished. aio keeps both hops: a
// DoneListener (told synchronously when a task finishes) schedules on_completion through the
// ready queue, and on_completion wakes the task through the ready queue. Tasks that are already
// done when the wait starts get their on_completion scheduled at once, so even then the task
// resumes two iterations later, as in asyncio. A timeout works like a sleep: the due timer runs
// from the ready queue and wakes the task, which runs in the next iteration.
//
// Cancellation: cancelling the awaiting task ends the wait at once (its listeners and its timer
// are withdrawn) and the task sees aio::CancelledError at its co_await. The tasks it waited for
// are NOT cancelled, as in asyncio.
//
// Your exercises in this file (./learn shows the first one that fails, ./learn hint l07.ex1 its
// hints; with CMake: ctest --preset learn -R l07.ex1):
//   l07.ex1  await_suspend: listen to every task, then suspend
//   l07.ex2  on_completion and await_resume: count one turn later, then done and pending
//   l07.ex3  returns_early, start_timer and on_timer: the first task, the first failure, the clock
// finish(), withdraw() and on_cancel() are written for you: they run where an exception would
// end the program (a destructor, a cancellation), so they cannot be stubs. Read them first.
// ([[maybe_unused]] only silences a warning until you write the bodies.)
#pragma once

#include <aio/clock.hpp>
#include <aio/errors.hpp>
#include <aio/event_loop.hpp>
#include <aio/future.hpp>
#include <aio/not_implemented.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio/task_base.hpp>
#include <aio/task_ref.hpp>

#include <coroutine>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace aio {

// book:return-when
/// When wait() returns, named after asyncio's constants: aio::FIRST_COMPLETED reads like
/// asyncio.FIRST_COMPLETED; the enumerators are there for code that prefers C++ spelling.
enum class ReturnWhen {
  first_completed,  // as soon as one task is done (returned, failed or was cancelled)
  first_exception,  // as soon as one task fails with an exception; else when all are done
  all_completed,    // when every task is done
};
inline constexpr ReturnWhen FIRST_COMPLETED = ReturnWhen::first_completed;
inline constexpr ReturnWhen FIRST_EXCEPTION = ReturnWhen::first_exception;
inline constexpr ReturnWhen ALL_COMPLETED = ReturnWhen::all_completed;

/// What wait() returns: the tasks that are done and those still pending, each in input order.
template <class T>
struct WaitResult {
  std::vector<Task<T>> done;
  std::vector<Task<T>> pending;
};
// end book:return-when

/// The awaitable that wait() returns. It holds the tasks (a Task<T> handle each), one
/// DoneListener per task and a timer node, so waiting allocates one vector of listeners and
/// nothing else. Listeners and the timer point into it: it neither copies nor moves.
template <class T>
class [[nodiscard]] WaitAwaiter : private Wait, private detail::TimerNode {
public:
  WaitAwaiter(std::vector<Task<T>> tasks, ReturnWhen return_when, std::optional<Duration> timeout)
      : tasks_(std::move(tasks)), timeout_(timeout), remaining_(tasks_.size()), return_when_(return_when) {
    if (tasks_.empty()) throw std::invalid_argument("aio::wait: the list of tasks is empty");
    for (const Task<T>& task : tasks_) {
      if (!task.valid()) throw std::invalid_argument("aio::wait: a task handle is empty");
    }
  }
  WaitAwaiter(const WaitAwaiter&) = delete;
  WaitAwaiter& operator=(const WaitAwaiter&) = delete;
  ~WaitAwaiter() {
    if (!finished_) withdraw();  // the awaiting coroutine was destroyed while it waited
  }

  bool await_ready() const noexcept { return false; }  // like asyncio, always at least two hops

  // book:wait-suspend
  void await_suspend([[maybe_unused]] std::coroutine_handle<> self) {
    AIO_TODO("l07.ex1", "give every task a listener, or schedule its on_completion if it is "
                        "already done; then suspend the task (see 'Step 2: registering')");
  }
  // end book:wait-suspend

  // book:wait-resume
  WaitResult<T> await_resume() {
    AIO_TODO("l07.ex2", "deliver a cancellation first; then each task goes to done or pending, in "
                        "the order given (see 'Step 4: done and pending')");
  }
  // end book:wait-resume

private:
  /// Watches tasks_[i] for listeners_[i].
  struct Listener : DoneListener {
    WaitAwaiter* owner = nullptr;
  };

  // book:wait-on-done
  // First hop, inside the finishing task's completion: only schedule, never decide here.
  static void on_done(DoneListener* self, TaskBase& finished) {
    finished.loop().schedule({&on_completion, static_cast<Listener*>(self)});
  }
  // end book:wait-on-done

  // book:wait-on-completion
  // One iteration later (asyncio's _on_completion): count, and decide whether the wait is over.
  // The awaiter is still alive here: the awaiting task is only woken by finish(), which stops
  // every listener, so its step always comes after any on_completion already scheduled.
  static void on_completion([[maybe_unused]] void* arg) {
    AIO_TODO("l07.ex2", "unless the wait is over already, count this task and decide whether the "
                        "wait is over now (see 'Step 3: the second hop')");
  }
  // end book:wait-on-completion

  // book:returns-early
  /// FIRST_COMPLETED: any task will do. FIRST_EXCEPTION: a task that failed; a cancelled task
  /// did not fail. Reading the error marks it as retrieved, as asyncio's f.exception() does, so
  /// that a failure wait() has seen is not reported as "never retrieved".
  bool returns_early([[maybe_unused]] TaskBase& finished) {
    AIO_TODO("l07.ex3", "may this finished task end the wait before the others? A cancelled task "
                        "did not fail (see 'Step 5: returning early')");
  }
  // end book:returns-early

  // book:wait-timeout
  void start_timer() {
    AIO_TODO("l07.ex3", "this awaiter is its own timer node: make it fire on_timer, timeout_ from "
                        "now (see 'Step 6: the timeout')");
  }

  // The timer is due: the wait is over, whatever is still pending. The task runs in the next
  // iteration, as after a sleep.
  static void on_timer([[maybe_unused]] detail::TimerNode* node) {
    AIO_TODO("l07.ex3", "the time is up: end the wait, unless something ended it already (see "
                        "'Step 6: the timeout')");
  }
  // end book:wait-timeout

  // book:wait-finish
  /// The one way out: stop listening, then wake the task through the ready queue.
  void finish() {
    finished_ = true;
    withdraw();
    task_->wake();
  }

  /// Takes the timer off the heap and the listeners off the tasks still pending, so that no
  /// task finishing later can reach this awaiter once it is gone. Runs from the destructor and
  /// from a cancellation, so it must not throw.
  void withdraw() noexcept {
    if (task_ == nullptr) return;  // never suspended: nothing was registered
    if (timeout_) task_->loop().remove_timer(*this);
    for (std::size_t i = 0; i < listeners_.size(); ++i) tasks_[i].base().remove_done_listener(listeners_[i]);
  }

  /// Cancelling the awaiting task ends the wait, never its tasks. Too late (false) once the
  /// task has been woken: then the CancelledError comes at its next step.
  static bool on_cancel(Wait* wait, const CancelMessage& message) {
    auto* self = static_cast<WaitAwaiter*>(wait);
    if (self->finished_) return false;
    self->finished_ = true;
    self->withdraw();
    self->task_->wake_cancelled(message);
    return true;
  }
  // end book:wait-finish

  std::vector<Task<T>> tasks_;
  std::vector<Listener> listeners_;  // listeners_[i] watches tasks_[i]
  std::optional<Duration> timeout_;
  TaskBase* task_ = nullptr;         // the task that awaits; null until await_suspend
  std::size_t remaining_;            // tasks whose completion has not been counted yet
  ReturnWhen return_when_;
  bool finished_ = false;            // the wait is over: the task is woken (or cancelled)
};

// book:wait
/// Waits until the tasks satisfy `return_when`, or until `timeout` has passed, and returns
/// which are done and which are still pending, both in the order given. Cancels nothing.
/// Throws std::invalid_argument if `tasks` is empty (asyncio raises ValueError).
template <class T>
WaitAwaiter<T> wait(std::vector<Task<T>> tasks, ReturnWhen return_when = ALL_COMPLETED,
                    std::optional<Duration> timeout = std::nullopt) {
  return WaitAwaiter<T>(std::move(tasks), return_when, timeout);
}
// end book:wait

// book:wait-mixed
/// wait() on tasks of different result types, or on futures: a std::vector<aio::TaskRef> (a
/// TaskRef is made from any Task<T> or Future<T>). The result holds TaskRef handles;
/// task.result_as<T>() reads one typed.
inline WaitAwaiter<AnyResult> wait(std::vector<TaskRef> tasks, ReturnWhen return_when = ALL_COMPLETED,
                                   std::optional<Duration> timeout = std::nullopt) {
  return WaitAwaiter<AnyResult>(std::move(tasks), return_when, timeout);
}

/// wait() on futures: as on TaskRef handles, which the result holds (each compares equal to
/// its future; as_future<T>() gives the future back).
template <class T>
WaitAwaiter<AnyResult> wait(const std::vector<Future<T>>& futures, ReturnWhen return_when = ALL_COMPLETED,
                            std::optional<Duration> timeout = std::nullopt) {
  return WaitAwaiter<AnyResult>(std::vector<TaskRef>(futures.begin(), futures.end()), return_when, timeout);
}

namespace detail {
template <class T>
inline constexpr bool always_false = false;
}  // namespace detail

/// Coroutines are refused, as asyncio.wait() has refused them since Python 3.11 (TypeError:
/// "Passing coroutines is forbidden, use tasks explicitly."): wait() returns the tasks, and a
/// coroutine wrapped on the way would leave the caller no handle to find its result with.
template <class T>
void wait(std::vector<Coro<T>>, ReturnWhen = ALL_COMPLETED, std::optional<Duration> = std::nullopt) {
  static_assert(detail::always_false<T>,
                "aio::wait takes tasks, not coroutines (asyncio.wait raises TypeError for them since "
                "Python 3.11): wrap each one in aio::create_task and keep the handles");
}
// end book:wait-mixed

}  // namespace aio
