// aio::sleep: suspend the current task for a while (asyncio.sleep).
//
//   co_await aio::sleep(500ms);   // the task is resumed by the loop once 500 ms have passed
//   co_await aio::sleep(0ms);     // a pure yield: every task that is ready runs first
//
// Where the task resumes: in a later iteration of the loop, from the ready queue. A positive
// delay puts a timer (stored inside this awaiter, so no allocation) on the loop's heap; when it
// is due the loop moves it to the ready queue, and firing it schedules the task's next step,
// the same two hops that asyncio's sleep takes (timer handle, then the task's wake-up).
// sleep(0) schedules the task's next step directly, behind everything already ready.
//
// Cancellation: a sleep whose timer is still on the heap leaves it at once and the task is
// woken with aio::CancelledError.
#pragma once

#include <aio/clock.hpp>
#include <aio/task_base.hpp>

#include <coroutine>
#include <string>

namespace aio {

namespace detail {
/// The task running on this loop, or an error that says which awaitable needs one.
inline TaskBase& current_task_for(const char* what) {
  TaskBase* task = get_running_loop().current_task();
  if (task == nullptr) {
    throw InvalidStateError(std::string(what) +
                            " must be awaited inside a task: run your coroutine with aio::run "
                            "or aio::create_task");
  }
  return *task;
}
}  // namespace detail

// book:sleep
class [[nodiscard]] SleepAwaiter : private detail::TimerNode, private Wait {
public:
  explicit SleepAwaiter(Duration delay) noexcept : delay_(delay) {}

  bool await_ready() const noexcept { return false; }  // even sleep(0) gives the others a turn

  void await_suspend(std::coroutine_handle<> self) {
    task_ = &detail::current_task_for("aio::sleep");
    if (delay_ <= Duration{0}) {
      task_->suspend(self);  // nothing to withdraw: the task is already in the ready queue
      task_->wake();
      return;
    }
    task_->suspend(self, this);
    fire = &on_timer;
    Wait::cancel = &on_cancel;
    EventLoop& loop = task_->loop();
    loop.add_timer(*this, loop.time() + delay_);
  }

  void await_resume() { task_->throw_if_cancelled(); }

private:
  static void on_timer(detail::TimerNode* node) {
    static_cast<SleepAwaiter*>(node)->task_->wake();
  }

  static bool on_cancel(Wait* wait, const std::string& message) {
    auto* self = static_cast<SleepAwaiter*>(wait);
    if (!self->task_->loop().remove_timer(*self)) return false;  // already due: too late
    self->task_->wake_cancelled(message);
    return true;
  }

  Duration delay_;
  TaskBase* task_ = nullptr;
};
// end book:sleep

/// Suspends the current task for `delay`; `sleep(0ms)` just lets every ready task run first.
inline SleepAwaiter sleep(Duration delay) noexcept { return SleepAwaiter(delay); }

}  // namespace aio
