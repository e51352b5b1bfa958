// Cancellation, asyncio's model: a request, delivered as an exception at a suspension point.
//
//   task.cancel("why")     asks; returns false only if the task has already finished
//   CancelledError("why")  is thrown from the co_await at which the task is suspended (a sleep,
//                          an awaited task, gather, wait, a queue, ...), so RAII destructors and
//                          catch blocks run as the exception unwinds, and cleanup may even await
//   task.cancelling()      how many requests are outstanding; uncancel() withdraws one
//
// How a request reaches the co_await (TaskBase in aio/task_base.hpp keeps the state):
//   - if the task waits on something that can be withdrawn (a Wait), cancel() asks the Wait to
//     withdraw. A sleep leaves the timer heap and wakes the task with the error; an awaited task
//     is cancelled in turn, and our task wakes when that one ends.
//   - otherwise (the task is already scheduled, or it is the task running now) the request is
//     remembered in must_cancel_ and delivered at the next step, or used to cancel the next wait
//     the task enters.
//
// These bodies are the lesson's exercises; aio/task_base.hpp declares them.
#pragma once

#include <aio/errors.hpp>
#include <aio/task_base.hpp>

#include <string>
#include <utility>

namespace aio {

// book:cancel
inline bool TaskBase::cancel(std::string message) {
  if (done()) return false;
  ++cancel_requests_;
  Wait* wait = current_wait();
  if (wait != nullptr && wait->cancel(wait, message)) return true;
  must_cancel_ = true;  // delivered when the task next runs (see TaskBase::step)
  cancel_message_ = std::move(message);
  return true;
}
// end book:cancel

// book:uncancel
inline int TaskBase::uncancel() noexcept {
  if (cancel_requests_ > 0) --cancel_requests_;
  return cancel_requests_;
}
// end book:uncancel

// book:deliver
inline void TaskBase::throw_if_cancelled() {
  if (cancel_due_) [[unlikely]] {
    cancel_due_ = false;
    throw CancelledError(cancel_message_);
  }
}

inline void TaskBase::wake_cancelled(const std::string& message) {
  cancel_message_ = message;
  cancel_due_ = true;
  wake();
}
// end book:deliver

}  // namespace aio
