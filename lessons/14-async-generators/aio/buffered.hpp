// aio::buffered: a bounded buffer between a fast producer and a slow consumer.
//
//   auto rows = aio::buffered(fetch_rows(), 10);   // up to 10 rows fetched ahead
//   while (auto row = co_await rows.next()) { co_await slow_work(*row); }
//
// Every other adaptor (aio/pipeline.hpp) runs inside its consumer's task and pulls one value
// when asked, so the source waits while the consumer works and the consumer waits while the
// source works. buffered() decouples the two: a producer task pulls from the source as fast as
// it can and puts each value in an aio::Queue of `maxsize` (lesson 13); the generator gets from
// the queue. When the consumer is slow, the queue fills and the producer waits at its put():
// that wait is the backpressure, and it bounds the memory to `maxsize` values (plus the one
// the producer holds while it waits). When the source is slow, the consumer waits at get().
//
// What travels through the queue is a Delivery: a value, or the end, or the error that ended
// the source. The producer owns the source and closes it on every way out; the generator owns
// the producer task and, on every way out (the end, an error, aclose, a cancellation),
// cancels it and waits until it has ended, because the queue lives in the generator's frame.
#pragma once

#include <aio/not_implemented.hpp>
#include <aio/async_generator.hpp>
#include <aio/async_iterator.hpp>
#include <aio/cancel_and_wait.hpp>
#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/queue.hpp>
#include <aio/task.hpp>

#include <cstddef>
#include <exception>
#include <optional>
#include <utility>

namespace aio {

namespace detail {

// book:delivery
/// One message from the producer: a value, or the error that ended the source, or (neither)
/// the end.
template <class T>
struct Delivery {
  std::optional<T> value;
  std::exception_ptr error;
};
// end book:delivery

// book:pump
/// The producer task: moves the values of `source` into `queue` as fast as the queue takes
/// them, then delivers the end (or the source's error). A cancellation ends it without a
/// delivery; the source is closed in every case.
template <AsyncIterator Source>
Coro<void> pump(Source source, Queue<Delivery<typename Source::value_type>>* queue) {
  Delivery<typename Source::value_type> delivery;
  try {
    while (auto item = co_await source.next()) {
      delivery.value = std::move(item);
      co_await queue->put(std::move(delivery));  // waits while the queue is full
      delivery.value.reset();                    // moved from, but still engaged
    }
  } catch (...) {
    delivery.error = std::current_exception();
  }
  co_await aclose_if_any(source);
  if (is_cancelled_error(delivery.error)) std::rethrow_exception(delivery.error);
  co_await queue->put(std::move(delivery));  // the end, or the source's error
}
// end book:pump

}  // namespace detail

// book:buffered
/// The values of `source`, pulled ahead by a producer task into a queue of `maxsize`; see the
/// top of this file. The producer starts at the first step.
template <AsyncIterator Source>
AsyncGenerator<typename Source::value_type> buffered([[maybe_unused]] Source source,
                                                     [[maybe_unused]] std::size_t maxsize) {
  AIO_TODO("l14.ex6", "a queue, a producer task that pumps into it, then yield what arrives; the producer "
                      "must end before the queue does (see 'Step 7: a bounded buffer')");
}
// end book:buffered

}  // namespace aio
