// Adaptors over async iterators: the C++ counterparts of async generator expressions.
//
//   Python                                            aio
//   (x * 2 async for x in source)                     aio::map(std::move(source), twice)
//   (x async for x in source if x % 2 == 0)           aio::filter(std::move(source), is_even)
//   the first n values (a loop with break)            aio::take(std::move(source), n)
//   a generator that yields lists of n                aio::batch(std::move(source), n)
//
// Each adaptor is itself an aio::AsyncGenerator that owns its source (moved in) and pulls from
// it only when its own consumer asks: nothing runs ahead, nothing is buffered beyond one batch,
// and everything runs inside the consumer's task. A chain such as
// `take(map(filter(numbers(), is_odd), square), 3)` is one task, one value at a time, each
// value handed up the chain by symmetric transfer.
//
// Closing: an adaptor closes its source whatever ends it: the source ran out (then aclose()
// does nothing), take() has enough, the consumer closed the adaptor (GeneratorExit at its
// co_yield), an error or a cancellation came through. So closing the outermost adaptor runs the
// cleanup of the whole chain, innermost last, before aclose() returns. C++ forbids co_await in
// a catch handler, hence the shape of each body: remember what is leaving, close, let it out.
#pragma once

#include <aio/not_implemented.hpp>
#include <aio/async_generator.hpp>
#include <aio/async_iterator.hpp>
#include <aio/errors.hpp>

#include <cstddef>
#include <exception>
#include <functional>
#include <type_traits>
#include <utility>
#include <vector>

namespace aio {

// book:map
/// f(x) for each x of `source` (`(f(x) async for x in source)`).
template <AsyncIterator Source, class F,
          class R = std::decay_t<std::invoke_result_t<F&, typename Source::value_type&&>>>
AsyncGenerator<R> map(Source source, F f) {
  std::exception_ptr leaving;  // what ends the loop, if not the end of the source
  try {
    while (auto item = co_await source.next()) co_yield std::invoke(f, std::move(*item));
  } catch (...) {
    leaving = std::current_exception();
  }
  co_await aclose_if_any(source);
  if (leaving) std::rethrow_exception(leaving);
}
// end book:map

/// The values of `source` for which keep(x) is true (`(x async for x in source if keep(x))`).
template <AsyncIterator Source, class Keep>
AsyncGenerator<typename Source::value_type> filter(Source source, Keep keep) {
  std::exception_ptr leaving;
  try {
    while (auto item = co_await source.next()) {
      if (std::invoke(keep, std::as_const(*item))) co_yield std::move(*item);
    }
  } catch (...) {
    leaving = std::current_exception();
  }
  co_await aclose_if_any(source);
  if (leaving) std::rethrow_exception(leaving);
}

// book:take
/// The first `count` values of `source`; then it closes `source` (its cleanup runs before the
/// consumer sees the end) and ends.
template <AsyncIterator Source>
AsyncGenerator<typename Source::value_type> take(Source source, std::size_t count) {
  std::exception_ptr leaving;
  try {
    for (std::size_t taken = 0; taken < count; ++taken) {
      auto item = co_await source.next();
      if (!item) break;
      co_yield std::move(*item);
    }
  } catch (...) {
    leaving = std::current_exception();
  }
  co_await aclose_if_any(source);
  if (leaving) std::rethrow_exception(leaving);
}
// end book:take

// book:batch
/// The values of `source` in lists of `size`; the last list holds what is left (never empty).
/// A list is yielded when it is full, so the consumer waits for `size` values each time: fewer,
/// larger hand-offs, each one later (the trade of a buffered generator).
template <AsyncIterator Source>
AsyncGenerator<std::vector<typename Source::value_type>> batch([[maybe_unused]] Source source,
                                                               [[maybe_unused]] std::size_t size) {
  AIO_TODO("l14.ex5", "full lists as they fill, the rest at the end, never an empty one; close the source "
                      "on every way out (see 'Step 6: adaptors, and batches')");
}
// end book:batch

}  // namespace aio
