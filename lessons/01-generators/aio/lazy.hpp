// Lazy sequences: values computed only when the consumer asks for them.
//
//   Python                                   aio
//   a generator with `while True: yield`    aio::fibonacci()           an infinite sequence
//   itertools.islice(it, n)                  aio::take(source, n)       the first n values
//   itertools.batched(it, n)  (3.12)         aio::chunks(source, n)     groups of n values
//
// Each adaptor is itself a generator that owns its source (a Generator parameter taken by value
// lives in the adaptor's frame), so a pipeline such as take(fibonacci(), 10) is one chain of
// frames, destroyed together, that computes one value per step of the consumer's loop.
//
// Your exercise in this file (`./learn` shows it, `./learn hint l01.ex4` helps):
//   l01.ex4  take() and chunks(): adaptors that pull from an endless source lazily
// ([[maybe_unused]] only silences a warning until you write the bodies.)
#pragma once

#include <aio/generator.hpp>
#include <aio/not_implemented.hpp>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

namespace aio {

// book:fibonacci
/// 0, 1, 1, 2, 3, 5, 8, ... without end: the consumer decides how many it wants.
/// (The 94th value no longer fits in 64 bits; Python's integers would keep growing.)
inline Generator<std::uint64_t> fibonacci() {
  std::uint64_t current = 0;
  std::uint64_t next = 1;
  while (true) {
    co_yield current;
    current = std::exchange(next, current + next);
  }
}
// end book:fibonacci

// book:take
/// The first `count` values of `source` (fewer if it ends sooner), like itertools.islice.
/// Never asks the source for a value it will not hand out, so it is safe on endless sources.
template <typename T>
Generator<T> take([[maybe_unused]] Generator<T> source, [[maybe_unused]] std::size_t count) {
  AIO_TODO("l01.ex4", "pass on `count` values, and never ask the source for one more "
                      "(see 'Step 6: sequences without end')");
}
// end book:take

// book:chunks
/// The values of `source` in vectors of `size` (the last one may be shorter), like Python
/// 3.12's itertools.batched. A size of 0 throws std::invalid_argument at the first step.
/// Each chunk is valid until the next step of the loop: copy it to keep it.
template <typename T>
Generator<std::vector<T>> chunks([[maybe_unused]] Generator<T> source,
                                 [[maybe_unused]] std::size_t size) {
  AIO_TODO("l01.ex4", "refuse a size of 0; yield each full vector, and what is left at the end "
                      "(see 'Step 6: sequences without end')");
}
// end book:chunks

}  // namespace aio
