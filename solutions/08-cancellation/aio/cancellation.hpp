// Cancellation, asyncio's model: a request, delivered as an exception at a suspension point.
//
//   task.cancel("why")     asks; returns false only if the task has already finished
//   CancelledError("why")  is thrown from the co_await at which the task is suspended (a sleep,
//                          an awaited task, gather, wait, a queue, ...), so RAII destructors and
//                          catch blocks run as the exception unwinds; cleanup may even await
//                          (outside the catch block: see the chapter)
//   task.cancelling()      how many requests are outstanding; uncancel() withdraws one
//
// How a request reaches the co_await (TaskBase in aio/task_base.hpp keeps the state):
//   - if the task waits on something that can be withdrawn (a Wait), cancel() asks the Wait to
//     withdraw. A sleep leaves the timer heap and wakes the task with the error; an awaited task
//     is cancelled in turn, and our task wakes when that one ends.
//   - otherwise (the task is already scheduled, or it is the task running now) the request is
//     remembered in must_cancel_ and delivered at the next step, or used to cancel the next wait
//     the task enters.
//   - a task cancelled before its first step never runs its body (TaskBase::step): CPython 3.11
//     throws the error into the coroutine before its first line, so no line of it runs, not
//     even a `finally`.
//
// Where the cancelled task resumes: like every wake-up, in a later iteration of the loop, from
// the ready queue; cancel() itself never runs any of the task's code.
//
// These bodies are the lesson's exercises; aio/task_base.hpp declares them.
#pragma once

#include <aio/errors.hpp>
#include <aio/task_base.hpp>

#include <optional>
#include <string>
#include <utility>

namespace aio {

// book:cancel
inline bool TaskBase::cancel(CancelMessage message) {
  if (done()) return false;  // too late: asyncio's cancel() of a finished task does nothing
  ++cancel_requests_;
  Wait* wait = current_wait();
  if (wait != nullptr && wait->cancel(wait, message)) return true;  // withdrawn or forwarded
  // The task is scheduled, running, or its wait is already being woken: the next step delivers.
  must_cancel_ = true;
  // A CancelledError already on its way (a withdrawn sleep) keeps its message, as in asyncio,
  // where the cancelled future carries the first message and a later one is dropped.
  if (!cancel_due_) cancel_message_ = std::move(message);
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
/// Called first thing in every await_resume: the co_await where the task stopped throws.
inline void TaskBase::throw_if_cancelled() {
  if (cancel_due_) [[unlikely]] {
    cancel_due_ = false;
    throw CancelledError(cancel_message_.get());
  }
}

/// Called by a Wait that has withdrawn itself: the task's next step throws CancelledError.
inline void TaskBase::wake_cancelled(const CancelMessage& message) {
  cancel_message_ = message;
  cancel_due_ = true;
  wake();  // through the ready queue, like every wake-up
}
// end book:deliver

}  // namespace aio
