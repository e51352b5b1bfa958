// aio::as_completed_stream: as_completed (lesson 07) as an async generator of results.
//
//   Python 3.13                                       aio
//   async for task in asyncio.as_completed(tasks):    auto results = aio::as_completed_stream(tasks);
//       print(await task)                             while (auto result = co_await results.next()) {
//                                                       std::printf("%d\n", *result);
//                                                     }
//
// Up to Python 3.12, as_completed() is a plain iterator of awaitables (`for next in ...:
// await next`), which lesson 07 rebuilt as aio::as_completed. Python 3.13 made it an async
// iterator as well, whose values are the tasks themselves (lessons/14-async-generators/cpython/
// as_completed_async_for.py). This one yields each task's result, in the order the tasks finish;
// a task that failed ends the stream with its exception (the other tasks go on, as with
// as_completed: nothing is cancelled). It is a five-line generator over lesson 07's object: the
// waiting, the wake-ups and the timeout are all as_completed's, and they happen inside the task
// that consumes the stream.
#pragma once

#include <aio/as_completed.hpp>
#include <aio/async_generator.hpp>
#include <aio/clock.hpp>
#include <aio/task.hpp>

#include <optional>
#include <utility>
#include <vector>

namespace aio {

// book:as-completed-stream
/// The results of `tasks` in the order the tasks finish. With a `timeout`, a result that has
/// not come when it passes ends the stream with aio::TimeoutError.
template <class T>
AsyncGenerator<T> as_completed_stream(std::vector<Task<T>> tasks, std::optional<Duration> timeout = std::nullopt) {
  AsCompleted<T> completed = as_completed(std::move(tasks), timeout);
  while (completed.has_next()) {
    T result = co_await completed.next();
    co_yield std::move(result);
  }
}
// end book:as-completed-stream

}  // namespace aio
