// Tests for aio::Generator<T> (exercises l01.ex1 and l01.ex2).
#include <aio/generator.hpp>
#include <aio_test/catch.hpp>

#include <iterator>
#include <ranges>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

using Log = std::vector<std::string>;

aio::Generator<int> count_up_to(int limit) {
  for (int i = 1; i <= limit; ++i) co_yield i;
}

// Writes what its body does to `log`, so that a test can see when the body runs.
aio::Generator<int> logged_countdown(int from, Log* log) {
  log->push_back("body starts");
  for (int i = from; i > 0; --i) {
    log->push_back("yield " + std::to_string(i));
    co_yield i;
  }
  log->push_back("body ends");
}

aio::Generator<std::string> words() {
  co_yield "lazy";
  std::string second = "values";
  co_yield second;
}

aio::Generator<int> nothing() { co_return; }

template <typename T>
std::vector<T> collect(aio::Generator<T> generator) {
  std::vector<T> values;
  for (const T& value : generator) values.push_back(value);
  return values;
}

// book:guarded
// Records its own destruction: the stand-in for a file, a lock, a connection.
class Resource {
public:
  explicit Resource(Log* log) : log_(log) { log_->push_back("acquire"); }
  Resource(const Resource&) = delete;
  Resource& operator=(const Resource&) = delete;
  ~Resource() { log_->push_back("release"); }

private:
  Log* log_;
};

aio::Generator<int> guarded(int limit, Log* log) {
  Resource resource{log};
  for (int i = 1; i <= limit; ++i) {
    co_yield i;
    log->push_back("after yield " + std::to_string(i));
  }
}
// end book:guarded

aio::Generator<int> fails_after(int good_values, std::string message) {
  for (int i = 1; i <= good_values; ++i) co_yield i;
  throw std::runtime_error(message);
}

aio::Generator<int> guarded_then_fails(Log* log) {
  Resource resource{log};
  co_yield 1;
  throw std::runtime_error("sensor went offline");
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// l01.ex1: values, one at a time

TEST_CASE("a generator yields its values in order", "[l01][ex1]") {
  CHECK(collect(count_up_to(4)) == std::vector<int>{1, 2, 3, 4});
}

TEST_CASE("calling a generator function runs none of its body", "[l01][ex1]") {
  Log log;
  auto countdown = logged_countdown(2, &log);
  CHECK(log.empty());

  auto it = countdown.begin();
  CHECK(log == Log{"body starts", "yield 2"});
  CHECK(*it == 2);
}

TEST_CASE("each step of the loop runs the body up to its next co_yield", "[l01][ex1]") {
  Log log;
  for (int value : logged_countdown(2, &log)) log.push_back("loop got " + std::to_string(value));
  CHECK(log == Log{"body starts", "yield 2", "loop got 2", "yield 1", "loop got 1", "body ends"});
}

TEST_CASE("a generator that yields nothing gives an empty loop", "[l01][ex1]") {
  CHECK(collect(nothing()).empty());
}

TEST_CASE("a generator yields temporaries and locals alike", "[l01][ex1]") {
  CHECK(collect(words()) == std::vector<std::string>{"lazy", "values"});
}

TEST_CASE("a generator moves to a new owner but cannot be copied", "[l01][ex1]") {
  STATIC_REQUIRE_FALSE(std::is_copy_constructible_v<aio::Generator<int>>);
  STATIC_REQUIRE_FALSE(std::is_copy_assignable_v<aio::Generator<int>>);
  STATIC_REQUIRE(std::is_nothrow_move_constructible_v<aio::Generator<int>>);
  STATIC_REQUIRE(std::is_nothrow_move_assignable_v<aio::Generator<int>>);

  auto first = count_up_to(3);
  auto it = first.begin();
  CHECK(*it == 1);
  aio::Generator<int> second = std::move(first);  // the frame changes owner, not place
  ++it;
  CHECK(*it == 2);
  ++it;
  ++it;
  CHECK(it == second.end());
}

TEST_CASE("a generator is a std::ranges::input_range", "[l01][ex1]") {
  STATIC_REQUIRE(std::ranges::input_range<aio::Generator<int>>);
  STATIC_REQUIRE(std::input_iterator<aio::Generator<int>::iterator>);
  STATIC_REQUIRE(std::sentinel_for<std::default_sentinel_t, aio::Generator<int>::iterator>);
  STATIC_REQUIRE(std::is_same_v<std::ranges::range_value_t<aio::Generator<int>>, int>);
  STATIC_REQUIRE(std::is_same_v<std::ranges::range_reference_t<aio::Generator<int>>, const int&>);

  auto numbers = count_up_to(3);
  int sum = 0;
  for (auto it = std::ranges::begin(numbers); it != std::ranges::end(numbers); ++it) sum += *it;
  CHECK(sum == 6);
}

// ---------------------------------------------------------------------------------------------
// l01.ex1 as well: leaving early. The destructor is given; these pass once the body can be driven.

// book:test-early-exit
TEST_CASE("breaking out of the loop destroys the frame and releases its locals", "[l01][ex1]") {
  Log log;
  for (int value : guarded(5, &log)) {
    log.push_back("loop got " + std::to_string(value));
    if (value == 2) break;
  }
  log.push_back("after the loop");
  CHECK(log ==
        Log{"acquire", "loop got 1", "after yield 1", "loop got 2", "release", "after the loop"});
}
// end book:test-early-exit

TEST_CASE("a generator destroyed before it starts runs none of its body", "[l01][ex1]") {
  Log log;
  { auto unused = guarded(3, &log); }
  CHECK(log.empty());

  // And one that ran to its end has released everything by the time the loop ends.
  for (int value : guarded(1, &log)) log.push_back("loop got " + std::to_string(value));
  CHECK(log == Log{"acquire", "loop got 1", "after yield 1", "release"});
}

// ---------------------------------------------------------------------------------------------
// l01.ex2: errors reach the consumer

TEST_CASE("an exception in the body comes out of the step that ran into it", "[l01][ex2]") {
  std::vector<int> received;
  auto consume = [&received] {
    for (int value : fails_after(2, "sensor went offline")) received.push_back(value);
  };
  CHECK_THROWS_WITH(consume(), aio_test::contains("sensor went offline"));
  CHECK(received == std::vector<int>{1, 2});
}

TEST_CASE("an exception before the first co_yield comes out of begin()", "[l01][ex2]") {
  auto failing = fails_after(0, "no data at all");
  CHECK_THROWS_WITH(failing.begin(), aio_test::contains("no data at all"));
}

TEST_CASE("after an exception the sequence is over and its locals are released",
          "[l01][ex2]") {
  Log log;
  auto generator = guarded_then_fails(&log);
  auto it = generator.begin();
  CHECK(*it == 1);
  CHECK_THROWS_WITH(++it, aio_test::contains("sensor went offline"));
  CHECK(it == generator.end());
  CHECK(log == Log{"acquire", "release"});
}
