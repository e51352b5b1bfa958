// aio::enumerate(range, start): Python's enumerate(), written as a generator.
//
//   Python                                      aio
//   for i, name in enumerate(names, start=1):   for (const auto& [i, name] : aio::enumerate(names, 1))
//
// It accepts any input range (a vector, a Generator, a std::views pipeline) and is one itself, so
// it composes both ways: std::views can feed it, and std::views can read from it.
#pragma once

#include <aio/generator.hpp>
#include <aio/not_implemented.hpp>

#include <cstddef>
#include <ranges>
#include <utility>

namespace aio {

// book:enumerate
/// The pairs (start, first item), (start + 1, second item), ... of `range`, made as they are
/// asked for.
///
/// `range` is taken by value, as every coroutine parameter must be: the body runs later, long
/// after the call returned, and only what the frame holds is still there by then. To walk a
/// container without copying it, pass a view of it: aio::enumerate(std::views::all(names)).
template <std::ranges::input_range Range>
Generator<std::pair<std::size_t, std::ranges::range_value_t<Range>>> enumerate(
    [[maybe_unused]] Range range, [[maybe_unused]] std::size_t start = 0) {
  AIO_TODO("l02.ex4", "a pair (index, item) for each item, the index counting up from start "
                      "(see 'Step 5: composing')");
}
// end book:enumerate

}  // namespace aio
