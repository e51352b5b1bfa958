// Lesson 02, exercises 1 and 3: the countdown, as a hand-written iterator and as a generator.
#include <aio/countdown.hpp>
#include <aio/std_views.hpp>
#include <aio_test/catch.hpp>

#include <algorithm>
#include <iterator>
#include <ranges>
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

// ---- Exercise 1: the hand-written iterator -----------------------------------------------------

// book:test-countdown
TEST_CASE("a countdown from three yields three, two, one", "[l02][ex1]") {
  CHECK(list(aio::Countdown(3)) == std::vector{3, 2, 1});
}
// end book:test-countdown

TEST_CASE("a countdown from zero is empty from the start", "[l02][ex1]") {
  const aio::Countdown none(0);
  CHECK(none.begin() == none.end());
  CHECK(list(aio::Countdown(-2)).empty());
}

TEST_CASE("reading a countdown iterator does not move it; ++ does", "[l02][ex1]") {
  const aio::Countdown countdown(2);
  auto it = countdown.begin();
  CHECK(*it == 2);
  CHECK(*it == 2);
  CHECK(it != countdown.end());
  ++it;
  CHECK(*it == 1);
  it++;
  CHECK(it == countdown.end());
  CHECK(countdown.end() == it);  // C++20 also derives the mirrored comparison
}

TEST_CASE("++it gives back the same iterator, already moved on", "[l02][ex1]") {
  const aio::Countdown countdown(3);
  auto it = countdown.begin();
  auto& same = ++it;  // ++it is an expression: it must give back the iterator itself
  CHECK(&same == &it);
  CHECK(*it == 2);
  CHECK(*++it == 1);
}

TEST_CASE("a Countdown can be walked twice: each walk gets a fresh iterator", "[l02][ex1]") {
  const aio::Countdown countdown(4);
  CHECK(list(countdown) == std::vector{4, 3, 2, 1});
  CHECK(list(countdown) == std::vector{4, 3, 2, 1});
}

// book:test-concepts
TEST_CASE("a Countdown is an input range that the std::ranges algorithms accept", "[l02][ex1]") {
  static_assert(std::input_iterator<aio::Countdown::iterator>);
  static_assert(std::sentinel_for<std::default_sentinel_t, aio::Countdown::iterator>);
  static_assert(std::ranges::input_range<aio::Countdown>);
  // Not a forward range: its iterators can be compared only with the end, not with each other,
  // and it++ does not return the old position.
  static_assert(!std::ranges::forward_range<aio::Countdown>);

  const aio::Countdown countdown(5);
  CHECK(std::ranges::distance(countdown) == 5);
  CHECK(std::ranges::count_if(countdown, [](int n) { return n % 2 == 1; }) == 3);
  CHECK(*std::ranges::find(countdown, 2) == 2);
}
// end book:test-concepts

#if AIO_HAS_STD_VIEWS
TEST_CASE("standard views read a Countdown", "[l02][ex1]") {
  auto doubled = aio::Countdown(3) | std::views::transform([](int n) { return 2 * n; });
  CHECK(list(doubled) == std::vector{6, 4, 2});
}
#endif

// ---- Exercise 3: the same countdown as a generator ---------------------------------------------

TEST_CASE("the generator countdown yields the numbers of the hand-written one", "[l02][ex3]") {
  CHECK(list(aio::countdown(3)) == std::vector{3, 2, 1});
  CHECK(list(aio::countdown(6)) == std::vector{6, 5, 4, 3, 2, 1});
}

TEST_CASE("a generator countdown from zero or below yields nothing", "[l02][ex3]") {
  CHECK(list(aio::countdown(0)).empty());
  CHECK(list(aio::countdown(-1)).empty());
}

TEST_CASE("a generator countdown is an input range, and only that", "[l02][ex3]") {
  static_assert(std::ranges::input_range<aio::Generator<int>>);
  static_assert(!std::ranges::forward_range<aio::Generator<int>>);

  auto countdown = aio::countdown(5);
  CHECK(std::ranges::count_if(countdown, [](int n) { return n % 2 == 0; }) == 2);
}

TEST_CASE("a loop can leave a generator countdown early", "[l02][ex3]") {
  std::vector<int> seen;
  for (int n : aio::countdown(1'000'000)) {
    if (n < 999'998) break;
    seen.push_back(n);
  }
  CHECK(seen == std::vector{1'000'000, 999'999, 999'998});
}

#if AIO_HAS_STD_VIEWS
TEST_CASE("standard views compose with a generator countdown", "[l02][ex3]") {
  auto even_squares = aio::countdown(10) | std::views::filter([](int n) { return n % 2 == 0; }) |
                      std::views::transform([](int n) { return n * n; });
  CHECK(list(even_squares) == std::vector{100, 64, 36, 16, 4});

  CHECK(list(aio::countdown(1'000'000) | std::views::take(2)) == std::vector{1'000'000, 999'999});
}
#endif
