// aio::wait_for: await a coroutine or a task, but give up after a while (asyncio.wait_for).
//
//   asyncio                                          aio
//   page = await asyncio.wait_for(fetch(url), 3)     std::string page = co_await aio::wait_for(fetch(url), 3s);
//   page = await asyncio.wait_for(task, 3)           std::string page = co_await aio::wait_for(task, 3s);
//   except TimeoutError: ...                         catch (const aio::TimeoutError&) { ... }
//
// The rules are CPython 3.11's:
//   - A coroutine is wrapped in a task first (asyncio's ensure_future), so that it can be
//     cancelled and waited for on its own; a task is used as it is.
//   - If the task is done in time, wait_for returns its result (or rethrows its exception).
//   - If the time runs out, the task is cancelled, and wait_for WAITS until the task has really
//     ended, cleanup included, before it throws aio::TimeoutError. When wait_for is over, the
//     work is over too: nothing of it still runs in the background.
//   - If the task swallows that cancellation and returns a value, wait_for returns the value,
//     late: the task's word is final. If its cleanup fails, that exception comes out instead.
//   - If the task awaiting wait_for is cancelled, the inner task is cancelled as well, waited for
//     in the same way, and then the CancelledError goes on. (3.11 quirk, kept: if the inner task
//     happens to be done already when that cancellation arrives, wait_for returns its result and
//     the cancellation is dropped. Python 3.12 rewrote wait_for on top of asyncio.timeout.)
//   - No timeout (std::nullopt, Python's None) is a plain co_await. A timeout of zero or less
//     gives the task no time at all: its result if it is already done, otherwise it is
//     cancelled (a new task never even starts) and TimeoutError follows.
//
// Where the awaiting coroutine resumes: always from the loop's ready queue. As in asyncio, whose
// wait_for waits on a "waiter" future that a done callback of the task resolves, it resumes two
// loop iterations after the task finished; when the time runs out, one iteration after the timer
// is due (the timer resolves the waiter), and then, after the cancelled task has ended, again two
// iterations later. detail::UntilDone is that waiter.
#pragma once

#include <aio/cancellation.hpp>
#include <aio/clock.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/event_loop.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio/task_base.hpp>

#include <coroutine>
#include <exception>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace aio {

namespace detail {

// book:until-done
/// `co_await UntilDone(task, deadline)`: suspends the current task until `task` is done or the
/// loop's clock reaches `deadline`, whichever comes first; it never cancels `task`. This is the
/// "waiter" future of asyncio's wait_for with its two callbacks (the task's done callback and
/// the timer), without a future: a DoneListener and a timer node, both inside the awaiter, so
/// waiting allocates nothing.
///
/// Where the awaiting task resumes, from the ready queue:
///   task done      two iterations after it finished: the listener schedules on_completion
///                  (asyncio's done callback, one call_soon), which wakes the task (a second)
///   deadline       one iteration after the timer is due, like a sleep
///   cancelled      the wait is withdrawn (listener and timer) and the task sees
///                  CancelledError at its next step; `task` is left alone
class [[nodiscard]] UntilDone : private DoneListener, private Wait, private TimerNode {
public:
  explicit UntilDone(TaskBase& task, std::optional<Duration> deadline = std::nullopt) noexcept
      : task_(task), deadline_(deadline) {}
  UntilDone(const UntilDone&) = delete;
  UntilDone& operator=(const UntilDone&) = delete;
  ~UntilDone() {
    if (waiter_ != nullptr && !finished_) withdraw();  // the awaiting frame died while it waited
  }

  bool await_ready() const noexcept { return false; }  // like asyncio: even a done task takes two hops

  void await_suspend(std::coroutine_handle<> self) {
    waiter_ = &current_task_for("aio::wait_for");
    EventLoop& loop = waiter_->loop();
    if (deadline_) {
      fire = &on_timer;
      loop.add_timer(*this, *deadline_);
    }
    if (task_.done()) {
      loop.schedule({&on_completion, this});  // asyncio: add_done_callback on a done future
    } else {
      on_done = &on_task_done;
      task_.add_done_listener(*this);
    }
    Wait::cancel = &on_cancel;
    waiter_->suspend(self, this);
  }

  void await_resume() { waiter_->throw_if_cancelled(); }

private:
  // Inside the task's completion: only schedule (hop 1).
  static void on_task_done(DoneListener* self, TaskBase& finished) {
    finished.loop().schedule({&on_completion, static_cast<UntilDone*>(self)});
  }

  // One iteration later: resolve the waiter (hop 2 is the waiter's own step). Still alive here:
  // the waiter can only be woken by finish() or on_cancel, which stop the listener, so its step
  // always comes after an on_completion that was already scheduled.
  static void on_completion(void* self) {
    auto* waiter = static_cast<UntilDone*>(self);
    if (!waiter->finished_) waiter->finish();
  }

  static void on_timer(TimerNode* node) {
    auto* waiter = static_cast<UntilDone*>(node);
    if (!waiter->finished_) waiter->finish();
  }

  void finish() {
    finished_ = true;
    withdraw();
    waiter_->wake();
  }

  void withdraw() noexcept {
    if (deadline_) waiter_->loop().remove_timer(*this);
    task_.remove_done_listener(*this);
  }

  // The waiting task is cancelled: stop waiting, leave `task` alone (wait_for decides what
  // happens to it). Too late once the waiter has been woken.
  static bool on_cancel(Wait* wait, const CancelMessage& message) {
    auto* waiter = static_cast<UntilDone*>(wait);
    if (waiter->finished_) return false;
    waiter->finished_ = true;
    waiter->withdraw();
    waiter->waiter_->wake_cancelled(message);
    return true;
  }

  TaskBase& task_;
  std::optional<Duration> deadline_;
  TaskBase* waiter_ = nullptr;  // the task that awaits; null until await_suspend
  bool finished_ = false;       // woken, or withdrawn by a cancellation
};
// end book:until-done

/// The result of a task that wait_for cancelled and waited for: its value if it swallowed the
/// cancellation, its exception if its cleanup failed, and TimeoutError if it ended cancelled.
template <class T>
T result_or_timeout(const Task<T>& task) {
  try {
    return task.result();
  } catch (const CancelledError&) {
    throw TimeoutError();
  }
}

}  // namespace detail

// book:wait-for
/// Awaits `task` for at most `timeout`; see the top of this file. On timeout the task is
/// cancelled and waited for, then aio::TimeoutError is thrown.
template <class T>
Coro<T> wait_for(Task<T> task, std::optional<Duration> timeout) {
  if (!timeout) {  // no limit: a plain await (which forwards a cancellation, as always)
    co_await task;
    co_return task.result();
  }
  if (*timeout <= Duration{0}) {  // no time at all
    if (task.done()) co_return task.result();
    task.cancel();
    co_await detail::UntilDone(task.base());
    co_return detail::result_or_timeout(task);
  }

  const Duration deadline = get_running_loop().time() + *timeout;
  std::exception_ptr cancelled;  // the awaiting task's own cancellation, if it comes
  try {
    co_await detail::UntilDone(task.base(), deadline);
  } catch (const CancelledError&) {
    cancelled = std::current_exception();  // no co_await in a handler: remember, leave, then await
  }
  if (task.done()) co_return task.result();  // in time (3.11: even if we were just cancelled)

  // Out of time, or cancelled ourselves: the task must not outlive wait_for. Cancel it and wait
  // until its cleanup has run (a second cancellation of ours would end this wait early).
  task.cancel();
  co_await detail::UntilDone(task.base());
  if (cancelled) std::rethrow_exception(cancelled);
  co_return detail::result_or_timeout(task);
}
// end book:wait-for

// book:wait-for-coro
/// Runs `coro` as a task and awaits it for at most `timeout` (asyncio.wait_for(coro, timeout)).
/// The task is created when wait_for starts, that is when it is awaited; without a timeout the
/// coroutine is simply awaited, with no task.
template <class T>
Coro<T> wait_for(Coro<T> coro, std::optional<Duration> timeout) {
  if (!timeout) {
    if constexpr (std::is_void_v<T>) {
      co_await std::move(coro);
      co_return;
    } else {
      T value = co_await std::move(coro);
      co_return value;
    }
  }
  Task<T> task = create_task(std::move(coro));
  if constexpr (std::is_void_v<T>) {
    co_await wait_for(std::move(task), timeout);
  } else {
    T value = co_await wait_for(std::move(task), timeout);
    co_return value;
  }
}
// end book:wait-for-coro

}  // namespace aio
