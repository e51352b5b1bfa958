// Adaptors over async iterators: the C++ counterparts of async generator expressions.
//
//   Python                                            aio
//   (x * 2 async for x in source)                     aio::map(std::move(source), twice)
//   (x async for x in source if x % 2 == 0)           aio::filter(std::move(source), is_even)
//   first n of an async iterator (a loop with break)  aio::take(std::move(source), n)
//   the seeds' buffered generator (lists of n)        aio::batch(std::move(source), n)
//
// Each adaptor is itself an aio::AsyncGenerator that owns its source (moved in) and pulls from
// it only when its own consumer asks: nothing runs ahead, nothing is buffered beyond one batch,
// and everything runs inside the consumer's task. A chain such as
// `take(map(filter(numbers(), even), square), 3)` is one task, one value at a time, each
// value handed up the chain by symmetric transfer.
//
// Closing: an adaptor that is closed (aclose, or destroyed while parked) lets GeneratorExit out
// of its co_yield; its frame then holds its source, still parked, and the source is closed when
// that frame goes (by the finalizer task, see ~AsyncGenerator). take() is the one that stops on
// its own: it closes its source at once, so the source's cleanup has run before take's consumer
// sees the end.
#pragma once

#include <aio/async_generator.hpp>
#include <aio/async_iterator.hpp>
#include <aio/errors.hpp>

#include <cstddef>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace aio {

// book:map
/// f(x) for each x of `source` (`(f(x) async for x in source)`).
template <AsyncIterator Source, class F,
          class R = std::decay_t<std::invoke_result_t<F&, typename Source::value_type&&>>>
AsyncGenerator<R> map(Source source, F f) {
  while (auto item = co_await source.next()) {
    co_yield std::invoke(f, std::move(*item));
  }
}
// end book:map

/// The values of `source` for which keep(x) is true (`(x async for x in source if keep(x))`).
template <AsyncIterator Source, class Keep>
AsyncGenerator<typename Source::value_type> filter(Source source, Keep keep) {
  while (auto item = co_await source.next()) {
    if (std::invoke(keep, std::as_const(*item))) co_yield std::move(*item);
  }
}

/// The first `count` values of `source`; then it closes `source` and ends.
template <AsyncIterator Source>
AsyncGenerator<typename Source::value_type> take(Source source, std::size_t count) {
  for (std::size_t taken = 0; taken < count; ++taken) {
    auto item = co_await source.next();
    if (!item) co_return;  // the source ended first: nothing to close
    co_yield std::move(*item);
  }
  co_await aclose_if_any(source);
}

/// The values of `source` in lists of `size`; the last list holds what is left (never empty).
/// A batch is yielded when it is full, so a consumer gets nothing until then: the trade of the
/// seeds' buffered generator (fewer, larger hand-offs, each later).
template <AsyncIterator Source>
AsyncGenerator<std::vector<typename Source::value_type>> batch(Source source, std::size_t size) {
  if (size == 0) throw ValueError("batch size must be at least 1, not 0");
  std::vector<typename Source::value_type> items;
  items.reserve(size);
  while (auto item = co_await source.next()) {
    items.push_back(std::move(*item));
    if (items.size() == size) {
      std::vector<typename Source::value_type> full = std::move(items);
      items.clear();  // a moved-from vector is valid but unspecified: make it empty
      items.reserve(size);
      co_yield std::move(full);
    }
  }
  if (!items.empty()) co_yield std::move(items);
}

}  // namespace aio
