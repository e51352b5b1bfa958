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
//   - without a cancellation, the coroutine's value is returned, or its exception rethrown.
//
// Where the awaiting coroutine resumes: two loop iterations after the coroutine's task finished
// (lesson 10's two hops), and that task takes its first step one iteration after the call. So a
// coroutine with nothing to wait for costs three loop iterations instead of none: the price of
// the guarantee (benchmarks/15-async-context-managers.cpp measures it). Must be awaited inside
// a task.
//
// Your exercise in this file (./learn shows the next one; ctest --preset learn -R l15.ex1 runs it):
//   l15.ex1  a teardown that runs to its end: finish_shielded
// ([[maybe_unused]] only silences a warning until you write the body.)
#pragma once

#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/not_implemented.hpp>
#include <aio/shield.hpp>
#include <aio/task.hpp>

#include <exception>
#include <utility>

namespace aio {

// book:finish-shielded
/// Runs `coro` to its end, shielded from cancellation, and waits for that end; then delivers a
/// cancellation that arrived meanwhile (see the top of this file).
template <class T>
Coro<T> finish_shielded([[maybe_unused]] Coro<T> coro) {
  AIO_TODO("l15.ex1", "run it as a task, await it through shield until it is done, keep a cancellation "
                      "for the end (see 'Step 2: a teardown that runs to its end')");
}
// end book:finish-shielded

}  // namespace aio
