// aio::iter(fn, stop): Python's two-argument iter(callable, sentinel), a range that ends at a value.
//
//   Python                                   aio
//   for line in iter(read_line, "quit"):     for (const auto& line : aio::iter(read_line, "quit"))
//
// Both call read_line() again and again and hand out each result, until one equals "quit"; that
// one is not handed out, and nothing after it is read.
#pragma once

#include <concepts>
#include <cstddef>
#include <iterator>
#include <optional>
#include <type_traits>
#include <utility>

namespace aio {

/// The range that aio::iter(fn, stop) returns: the values of fn(), fn(), ... up to, and not
/// including, the first that equals `stop`.
///
/// Nothing tells in advance how long this range is; only the values say where it ends. So its
/// end() returns a `sentinel` that carries the stop value, and `it == end` asks "is the current
/// value the stop value?". Python's word and C++'s mean the same thing here: the sentinel is
/// what marks the end.
///
/// Single pass: fn usually has side effects (it reads input, pops a queue), so there is no going
/// back. begin() makes the first call; call it once. The iterators point into this object, which
/// must therefore stay where it is while they are in use (a range-for guarantees that).
// book:callable-iterable
template <typename Fn, typename Stop>
class CallableIterable {
public:
  using value_type = std::remove_cvref_t<std::invoke_result_t<Fn&>>;

  /// Where the range ends: not a position, but the value that stops it.
  class sentinel {
  public:
    sentinel() = default;
    explicit sentinel(const Stop* stop) : stop_(stop) {}

    const Stop& stop() const { return *stop_; }

  private:
    const Stop* stop_ = nullptr;
  };

  class iterator {
  public:
    using value_type = CallableIterable::value_type;
    using difference_type = std::ptrdiff_t;

    iterator() = default;
    explicit iterator(CallableIterable* range) : range_(range) {}

    /// The value that the latest call of fn returned.
    const value_type& operator*() const { return *range_->current_; }

    // book:iter-steps
    /// Calls fn for the next value.
    iterator& operator++() {
      range_->current_.emplace(range_->fn_());
      return *this;
    }

    /// True when the current value is the stop value.
    bool operator==(const sentinel& end) const { return *range_->current_ == end.stop(); }
    // end book:iter-steps

    void operator++(int) { ++*this; }

  private:
    CallableIterable* range_ = nullptr;
  };

  CallableIterable(Fn fn, Stop stop) : fn_(std::move(fn)), stop_(std::move(stop)) {}

  // book:iter-begin
  /// Calls fn for the first value, and returns an iterator that stands on it.
  iterator begin() {
    current_.emplace(fn_());
    return iterator(this);
  }
  // end book:iter-begin

  sentinel end() const { return sentinel(&stop_); }

private:
  Fn fn_;
  Stop stop_;
  std::optional<value_type> current_;  // empty until begin(); then the latest value of fn()
};

/// Python's iter(fn, stop). `fn` and `stop` are kept by value, as everything a lazy object
/// needs later should be: the range may outlive the expression that made it.
template <typename Fn, typename Stop>
  requires std::invocable<Fn&> && std::equality_comparable_with<std::invoke_result_t<Fn&>, Stop>
CallableIterable<Fn, Stop> iter(Fn fn, Stop stop) {
  return CallableIterable<Fn, Stop>(std::move(fn), std::move(stop));
}
// end book:callable-iterable

}  // namespace aio
