// Lesson 02, exercise 4: aio::enumerate, Python's enumerate() as a generator.
#include <aio/enumerate.hpp>
#include <aio/generator.hpp>
#include <aio/std_views.hpp>
#include <aio_test/catch.hpp>

#include <cstddef>
#include <ranges>
#include <string>
#include <utility>
#include <vector>

namespace {

// Python's list(iterable): walks a range once and keeps what it saw.
template <std::ranges::input_range Range>
std::vector<std::ranges::range_value_t<Range>> list(Range&& range) {
  std::vector<std::ranges::range_value_t<Range>> items;
  for (auto&& item : range) items.push_back(item);
  return items;
}

// 0, 1, 2, ... without end, like Python's itertools.count().
aio::Generator<int> naturals() {
  for (int n = 0;; ++n) co_yield n;
}

using Numbered = std::pair<std::size_t, std::string>;

}  // namespace

TEST_CASE("enumerate pairs each item with its index, counting from zero", "[l02][ex4]") {
  const std::vector<std::string> names{"ada", "grace", "linus"};
  CHECK(list(aio::enumerate(names)) ==
        std::vector<Numbered>{{0, "ada"}, {1, "grace"}, {2, "linus"}});
}

TEST_CASE("enumerate counts from the start it is given", "[l02][ex4]") {
  const std::vector<std::string> names{"ada", "grace"};
  std::vector<std::string> lines;
  for (const auto& [number, name] : aio::enumerate(names, 1)) {
    lines.push_back(std::to_string(number) + ". " + name);
  }
  CHECK(lines == std::vector<std::string>{"1. ada", "2. grace"});
}

TEST_CASE("enumerate of an empty range yields nothing", "[l02][ex4]") {
  CHECK(list(aio::enumerate(std::vector<int>{})).empty());
}

TEST_CASE("enumerate takes only what the loop asks for from an endless generator", "[l02][ex4]") {
  std::vector<std::pair<std::size_t, int>> seen;
  for (const auto& pair : aio::enumerate(naturals(), 10)) {
    if (pair.first == 13) break;
    seen.push_back(pair);
  }
  CHECK(seen == std::vector<std::pair<std::size_t, int>>{{10, 0}, {11, 1}, {12, 2}});
}

// book:test-dangling
TEST_CASE("enumerate keeps its own copy of a temporary container", "[l02][ex4]") {
  // The vector is a temporary: it is destroyed at the end of this declaration, before the body
  // of enumerate has run at all. Only a copy inside the generator's frame survives.
  auto numbered = aio::enumerate(std::vector<std::string>{"kept", "alive"});
  CHECK(list(numbered) == std::vector<Numbered>{{0, "kept"}, {1, "alive"}});
}
// end book:test-dangling

#if AIO_HAS_STD_VIEWS
TEST_CASE("standard views compose with enumerate on both sides", "[l02][ex4]") {
  auto first_three = naturals() | std::views::transform([](int n) { return 10 * n; }) |
                     std::views::take(3);
  auto odd_places = aio::enumerate(std::move(first_three)) |
                    std::views::filter([](const auto& pair) { return pair.first % 2 == 1; });
  CHECK(list(odd_places) == std::vector<std::pair<std::size_t, int>>{{1, 10}});
}
#endif
