// aio::cancel_and_wait: cancel a task and wait until it has really ended.
//
//   co_await aio::cancel_and_wait(worker, "shutting down");   // true if it ended cancelled
//
// asyncio has no such function; every asyncio program that stops a task writes it by hand:
//
//   task.cancel()
//   try:
//       await task
//   except asyncio.CancelledError:
//       pass              # wrong: this also swallows a cancellation of the task that waits
//
// The hand-written version has a trap: if the *waiting* task is cancelled while it waits, the
// CancelledError it receives looks exactly like the one it expected from `task`, and `pass`
// swallows it. cancelling() tells the two apart: it counts the requests made against the task
// that asks, so if it went up while we waited, the error is ours and must go on.
//
// Where the caller resumes: once `task` has ended, one loop iteration after it (as for any
// awaited task); at once if `task` had already finished.
#pragma once

#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/not_implemented.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>

#include <string>
#include <utility>

namespace aio {

// book:cancel-and-wait
/// Cancels `task`, waits until it has ended and says whether it ended cancelled (false: it had
/// already finished, or it caught the CancelledError and returned). The task's own failure, and
/// a cancellation of the task that calls this, propagate.
template <class T>
Coro<bool> cancel_and_wait([[maybe_unused]] Task<T> task,
                           [[maybe_unused]] CancelMessage message = std::nullopt) {
  AIO_TODO("l08.ex3", "a CancelledError is yours to pass on only if your own count rose while you "
                      "waited (see 'Step 3: cancel_and_wait, and whose cancellation it is')");
}
// end book:cancel-and-wait

}  // namespace aio
