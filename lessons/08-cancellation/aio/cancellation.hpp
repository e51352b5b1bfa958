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
// YOUR COPY: ex1 is cancel(), ex2 is throw_if_cancelled() and wake_cancelled(). uncancel() is
// written for you: TaskBase declares it noexcept, and a stub that throws there would end the
// whole test program instead of failing one test. Read it anyway: it is two lines.
#pragma once

#include <aio/errors.hpp>
#include <aio/not_implemented.hpp>
#include <aio/task_base.hpp>

#include <optional>
#include <string>
#include <utility>

namespace aio {

// book:cancel
inline bool TaskBase::cancel([[maybe_unused]] CancelMessage message) {
  AIO_TODO("l08.ex1", "too late, counted, then withdrawn or remembered: three questions in order "
                      "(see 'Step 1: cancel(), the request')");
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
  AIO_TODO("l08.ex2", "a cancellation due at this co_await comes out here, once "
                      "(see 'Step 2: delivery at the suspension point')");
}

/// Called by a Wait that has withdrawn itself: the task's next step throws CancelledError.
inline void TaskBase::wake_cancelled([[maybe_unused]] const CancelMessage& message) {
  AIO_TODO("l08.ex2", "the next step must throw, with this message; wake like any wake-up "
                      "(see 'Step 2: delivery at the suspension point')");
}
// end book:deliver

}  // namespace aio
