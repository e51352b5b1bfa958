// aio::sleep: suspend the current task for a while (asyncio.sleep).
//
//   co_await aio::sleep(500ms);   // the task is resumed by the loop once 500 ms have passed
//   co_await aio::sleep(0ms);     // a pure yield: every task that is ready runs first
//
// Where the task resumes: in a later iteration of the loop, from the ready queue, on the loop's
// thread. A positive delay puts a timer (stored inside this awaiter, so no allocation) on the
// loop's heap; when it is due the loop moves it to the ready queue, and firing it schedules the
// task's next step: two hops, as in asyncio, where the timer handle completes a future whose
// done callback then schedules the task. So a task that sleeps until t resumes one iteration
// after the callbacks that call_at(t) scheduled. sleep(0) (or a negative delay) schedules the
// task's next step directly, behind everything already ready: one hop.
//
// Cancellation: a sleep whose timer is still on the heap leaves it at once and the task is
// woken with aio::CancelledError.
#pragma once

#include <aio/clock.hpp>
#include <aio/task_base.hpp>

#include <cassert>
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
  // The awaiter is also the task's Wait: on_cancel is how lesson 08's cancellation withdraws a
  // sleep. Setting it here keeps await_suspend about the loop alone.
  explicit SleepAwaiter(Duration delay) noexcept : Wait{&on_cancel}, delay_(delay) {}

  bool await_ready() const noexcept { return false; }  // even sleep(0) gives the others a turn

  // book:sleep-suspend
  void await_suspend(std::coroutine_handle<> self) {
    task_ = &detail::current_task_for("aio::sleep");
    if (delay_ <= Duration{0}) {
      // A pure yield: the task's next step goes straight to the back of the ready queue.
      task_->suspend(self);  // nothing to withdraw on cancellation: it is already scheduled
      task_->wake();
      return;
    }
    // A timer (this awaiter is the node) that the loop moves to the ready queue once it is due.
    // Register it first: if that throws, the task is not left marked as waiting.
    fire = &on_timer;
    loop_ = &task_->loop();
    loop_->add_timer(*this, loop_->time() + delay_);
    task_->suspend(self, this);
  }
  // end book:sleep-suspend

  void await_resume() { task_->throw_if_cancelled(); }

private:
  // Hop 1: the iteration in which the timer is due moves it to the ready queue and runs this,
  // which schedules the task's next step. Hop 2 is that step, in the following iteration. It
  // reads only this awaiter, not the task: with many sleepers the task's memory is cold here, and
  // the step will fetch it soon enough.
  static void on_timer(detail::TimerNode* node) {
    auto* self = static_cast<SleepAwaiter*>(node);
    assert(self->loop_ != nullptr && "await_suspend must keep the task's loop in loop_");
    self->loop_->schedule(self->task_->next_step());
  }

  static bool on_cancel(Wait* wait, const CancelMessage& message) {
    auto* self = static_cast<SleepAwaiter*>(wait);
    if (!self->task_->loop().remove_timer(*self)) return false;  // already due: too late
    self->task_->wake_cancelled(message);
    return true;
  }

  Duration delay_;
  TaskBase* task_ = nullptr;
  EventLoop* loop_ = nullptr;  // the task's loop, kept here so that on_timer need not read the task
};
// end book:sleep

/// Suspends the current task for `delay`; `sleep(0ms)` just lets every ready task run first.
inline SleepAwaiter sleep(Duration delay) noexcept { return SleepAwaiter(delay); }

}  // namespace aio
