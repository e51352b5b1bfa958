// Tests for aio::fibonacci, aio::take and aio::chunks (exercise l01.ex4).
#include <aio/lazy.hpp>
#include <aio_test/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace {

template <typename T>
std::vector<T> collect(aio::Generator<T> generator) {
  std::vector<T> values;
  for (const T& value : generator) values.push_back(value);
  return values;
}

aio::Generator<int> count_up_to(int limit) {
  for (int i = 1; i <= limit; ++i) co_yield i;
}

// 1, 2, 3, ... without end, counting in `*produced` how many values it has computed.
aio::Generator<int> counted_naturals(int* produced) {
  for (int i = 1;; ++i) {
    ++*produced;
    co_yield i;
  }
}

using Chunks = std::vector<std::vector<int>>;

}  // namespace

TEST_CASE("take hands out the first values of an endless sequence", "[l01][ex4]") {
  CHECK(collect(aio::take(aio::fibonacci(), 10)) ==
        std::vector<std::uint64_t>{0, 1, 1, 2, 3, 5, 8, 13, 21, 34});
}

TEST_CASE("take never asks its source for a value it will not hand out", "[l01][ex4]") {
  int produced = 0;
  CHECK(collect(aio::take(counted_naturals(&produced), 3)) == std::vector<int>{1, 2, 3});
  CHECK(produced == 3);

  produced = 0;
  CHECK(collect(aio::take(counted_naturals(&produced), 0)).empty());
  CHECK(produced == 0);
}

TEST_CASE("take stops early when its source runs out", "[l01][ex4]") {
  CHECK(collect(aio::take(count_up_to(2), 5)) == std::vector<int>{1, 2});
}

TEST_CASE("chunks groups values, and the last chunk holds what is left", "[l01][ex4]") {
  CHECK(collect(aio::chunks(count_up_to(7), 3)) == Chunks{{1, 2, 3}, {4, 5, 6}, {7}});
  CHECK(collect(aio::chunks(count_up_to(4), 2)) == Chunks{{1, 2}, {3, 4}});
  CHECK(collect(aio::chunks(count_up_to(0), 2)).empty());
}

TEST_CASE("chunks of an endless sequence are computed one chunk at a time", "[l01][ex4]") {
  int produced = 0;
  CHECK(collect(aio::take(aio::chunks(counted_naturals(&produced), 4), 2)) ==
        Chunks{{1, 2, 3, 4}, {5, 6, 7, 8}});
  CHECK(produced == 8);
}

TEST_CASE("chunks refuses a size of zero", "[l01][ex4]") {
  auto zero = aio::chunks(count_up_to(3), 0);
  CHECK_THROWS_AS(zero.begin(), std::invalid_argument);
}
