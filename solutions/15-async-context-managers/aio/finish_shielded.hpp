// aio::finish_shielded: await a coroutine to its end, whatever cancellations arrive meanwhile;
// a cancellation that did arrive is delivered afterwards. The teardown of an async context
// manager runs this way (aio/async_with.hpp).
//
//   asyncio (by hand)                                   aio
//   task = asyncio.create_task(disconnect())            co_await aio::finish_shielded(disconnect());
//   cancelled = None
//   while not task.done():
//       try:
//           await asyncio.shield(task)
//       except asyncio.CancelledError as error:
//           cancelled = error
//   if cancelled: raise cancelled
//   return task.result()
//
// asyncio has no such helper, and its `async with` does not shield __aexit__: a cancellation
// that reaches the task during the teardown interrupts the teardown at its next await
// (lessons/15-async-context-managers/cpython/cancel_during_aexit.py). Lesson 10's shield alone
// does not do it either: it lets the CancelledError out at once and leaves the inner task
// running, so the scope would end before its teardown. finish_shielded keeps both promises:
//   - the coroutine runs to its end, as a task of its own, which no cancel() of the awaiting
//     task reaches (lesson 10's aio::shield, awaited again after every cancellation);
//   - the awaiting task does not go on before that end, and then a cancellation that arrived
//     meanwhile leaves as CancelledError, whatever the coroutine returned or threw: a
//     cancellation is a request that must not be lost (its cancelling() count is untouched).
//     An error the coroutine threw is then dropped (read, so that nobody reports it).
//   - without a cancellation, the coroutine's value is returned, or its exception rethrown.
//
// Where the awaiting coroutine resumes: two loop iterations after the coroutine's task finished
// (lesson 10's two hops), and that task takes its first step one iteration after the call. So a
// coroutine with nothing to wait for costs three loop iterations instead of none: the price of
// the guarantee (benchmarks/15-async-context-managers.cpp measures it). Must be awaited inside
// a task.
#pragma once

#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/shield.hpp>
#include <aio/task.hpp>

#include <exception>
#include <utility>

namespace aio {

// book:finish-shielded
/// Runs `coro` to its end, shielded from cancellation, and waits for that end; then delivers a
/// cancellation that arrived meanwhile (see the top of this file).
template <class T>
Coro<T> finish_shielded(Coro<T> coro) {
  Task<T> task = create_task(std::move(coro), "teardown");
  std::exception_ptr cancellation;
  while (!task.done()) {
    try {
      co_await shield(task);
    } catch (const CancelledError&) {
      // Ours: keep it, and wait on. (Unless the coroutine itself ended cancelled: then
      // result() below throws its own CancelledError, message and all.)
      if (!task.cancelled()) cancellation = std::current_exception();
    } catch (...) {
      // The coroutine's own error: its task keeps it, and result() below throws it again,
      // unless a cancellation came too.
    }
  }
  if (cancellation) {
    // The cancellation wins. The coroutine's own error, if any, is dropped: read it, so that
    // the loop does not report it as never retrieved (lesson 10's shield reads it the same way).
    if (!task.cancelled()) (void)task.exception();
    std::rethrow_exception(cancellation);
  }
  co_return task.result();
}
// end book:finish-shielded

}  // namespace aio
