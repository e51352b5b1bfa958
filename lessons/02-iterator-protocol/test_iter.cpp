// Lesson 02, exercise 2: aio::iter(fn, stop), a range that a sentinel value ends.
#include <aio/iter.hpp>
#include <aio/std_views.hpp>
#include <aio_test/catch.hpp>

#include <iterator>
#include <ranges>
#include <sstream>
#include <string>
#include <vector>

namespace {

// Python's list(iterable): walks a range once and keeps what it saw.
template <std::ranges::input_range Range>
std::vector<std::ranges::range_value_t<Range>> list(Range&& range) {
  std::vector<std::ranges::range_value_t<Range>> items;
  for (auto&& item : range) items.push_back(item);
  return items;
}

}  // namespace

// book:test-iter
TEST_CASE("iter calls the function until it returns the stop value", "[l02][ex2]") {
  int calls = 0;
  auto next_number = [&calls] { return ++calls; };

  CHECK(list(aio::iter(next_number, 4)) == std::vector{1, 2, 3});
  CHECK(calls == 4);  // the call that returned the stop value was the last one
}
// end book:test-iter

TEST_CASE("iter reads lines up to the stop line and leaves the rest unread", "[l02][ex2]") {
  std::istringstream input("ls\ncd /tmp\nquit\nrm -rf /\n");
  auto read_line = [&input] {
    std::string line;
    std::getline(input, line);
    return line;
  };

  CHECK(list(aio::iter(read_line, "quit")) == std::vector<std::string>{"ls", "cd /tmp"});
  CHECK(read_line() == "rm -rf /");
}

TEST_CASE("++ on an iter iterator gives back the same iterator, moved on", "[l02][ex2]") {
  int calls = 0;
  auto next_number = [&calls] { return ++calls; };
  auto numbers = aio::iter(next_number, 100);
  auto it = numbers.begin();
  auto& same = ++it;  // ++it is an expression: it must give back the iterator itself
  CHECK(&same == &it);
  CHECK(*++it == 3);
}

TEST_CASE("iter yields nothing when the first value is the stop value", "[l02][ex2]") {
  auto always_zero = [] { return 0; };
  auto zeros = aio::iter(always_zero, 0);
  CHECK(zeros.begin() == zeros.end());
}

TEST_CASE("reading an iter iterator does not call the function; ++ does", "[l02][ex2]") {
  int calls = 0;
  auto next_number = [&calls] { return ++calls; };
  auto numbers = aio::iter(next_number, 100);

  auto it = numbers.begin();
  CHECK(calls == 1);
  CHECK(*it == 1);
  CHECK(*it == 1);
  CHECK(calls == 1);
  ++it;
  CHECK(*it == 2);
  CHECK(calls == 2);
}

TEST_CASE("the end of an iter range is a sentinel that carries the stop value", "[l02][ex2]") {
  using Range = aio::CallableIterable<int (*)(), int>;
  static_assert(std::input_iterator<Range::iterator>);
  static_assert(std::sentinel_for<Range::sentinel, Range::iterator>);
  static_assert(std::ranges::input_range<Range>);
  static_assert(!std::ranges::forward_range<Range>);

  int calls = 0;
  auto next_number = [&calls] { return ++calls; };
  auto numbers = aio::iter(next_number, 3);
  CHECK(numbers.end().stop() == 3);
  CHECK(std::ranges::distance(numbers) == 2);
}

#if AIO_HAS_STD_VIEWS
TEST_CASE("standard views read an iter range", "[l02][ex2]") {
  int calls = 0;
  auto next_number = [&calls] { return ++calls; };
  auto numbers = aio::iter(next_number, 6);
  auto odd = numbers | std::views::filter([](int n) { return n % 2 == 1; });
  CHECK(list(odd) == std::vector{1, 3, 5});
}
#endif
