// A countdown, written twice: once as a hand-written iterator, once as a generator.
//
//   Python                                      aio
//   class Countdown: __iter__ / __next__        aio::Countdown, aio::Countdown::iterator
//   def countdown(start): ... yield ...         aio::Generator<int> aio::countdown(int start)
//
// Both produce start, start - 1, ..., 1. The class shows every part of the iterator protocol;
// the generator lets the compiler write those parts.
#pragma once

#include <aio/generator.hpp>

#include <cstddef>
#include <iterator>

namespace aio {

/// The numbers from `start` down to 1: `for (int n : aio::Countdown(3))` sees 3, 2, 1.
///
/// Python splits iteration between two objects, and so does C++:
///
///   the iterable   Python: has __iter__, which returns an iterator   C++: has begin() and end()
///   the iterator   Python: has __next__                               C++: has *, ++ and ==
///
/// Python's single __next__ does three jobs that C++ keeps apart:
///
///   Python                                     C++
///   raise StopIteration when nothing is left   it == end is true
///   return the current value                   *it
///   and step past it                           ++it
///
/// end() is not a position here. Where the countdown stops is known only to the iterator (when
/// its number drops below 1), so end() returns std::default_sentinel, an empty tag, and the
/// iterator answers `it == std::default_sentinel` by itself. A type that marks the end like this
/// is a sentinel. It need not be the iterator's type: the range-for accepts that since C++17, the
/// std::ranges algorithms and views since C++20.
// book:countdown
class Countdown {
public:
  class iterator {
  public:
    // std::input_iterator asks for these two names as well as the operators below.
    using value_type = int;
    using difference_type = std::ptrdiff_t;

    iterator() = default;
    explicit iterator(int current) : current_(current) {}

    // book:countdown-operators
    /// The number the iterator stands on. Reading does not move it: *it twice gives the same.
    int operator*() const { return current_; }

    /// Steps to the next number down.
    iterator& operator++() {
      --current_;
      return *this;
    }

    /// True once the count has gone below 1: the C++ spelling of StopIteration. C++20 derives
    /// `it != end`, `end == it` and `end != it` from this one operator.
    bool operator==(std::default_sentinel_t) const { return current_ < 1; }
    // end book:countdown-operators

    /// it++. An input iterator need not return its old position, so this returns nothing.
    void operator++(int) { ++*this; }

  private:
    int current_ = 0;  // the number the iterator stands on
  };

  explicit Countdown(int start) : start_(start) {}

  /// A fresh iterator at `start` on every call, as Python's __iter__ returning a new
  /// CountdownIterator: the same Countdown can be walked again and again.
  iterator begin() const { return iterator(start_); }

  /// The sentinel: "stop when the iterator says it is done".
  std::default_sentinel_t end() const { return std::default_sentinel; }

private:
  int start_;
};
// end book:countdown

// book:countdown-generator
/// The same numbers as Countdown(start), as a generator: the loop keeps its place in `start`,
/// and the compiler writes the iterator. Like every generator it is single-pass: once walked, it
/// is exhausted, exactly as a Python generator object is.
inline Generator<int> countdown(int start) {
  while (start > 0) {
    co_yield start;
    --start;
  }
}
// end book:countdown-generator

}  // namespace aio
