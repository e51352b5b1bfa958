// Tests for aio::ExceptionGroup (lesson 11, ex5): what it says, and matching its exceptions by
// type as Python's except*, split() and subgroup() do. No event loop: a group is plain data.
// CPython gives the same results for the same group: cpython/exception_group_split.py.
#include <aio/errors.hpp>
#include <aio/exception_group.hpp>
#include <aio_test/catch.hpp>

#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace {

/// The error types of the tests, as a program would have them: ConnectionError and TimeoutError
/// both derive from NetworkError.
struct NetworkError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct ConnectionError : NetworkError {
  using NetworkError::NetworkError;
};
struct ReadTimeout : NetworkError {
  using NetworkError::NetworkError;
};

template <class E>
std::exception_ptr error(const std::string& message) {
  return std::make_exception_ptr(E(message));
}

/// A group's shape, as Python's repr shows it, with messages only:
/// "outer[a, b, inner[c]]".
std::string shape(const std::exception_ptr& error);

std::string shape(const aio::ExceptionGroup& group) {
  std::string text = group.message() + "[";
  bool first = true;
  for (const std::exception_ptr& member : group.exceptions()) {
    if (!first) text += ", ";
    first = false;
    text += shape(member);
  }
  return text + "]";
}

std::string shape(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const aio::ExceptionGroup& group) {
    return shape(group);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "?";
  }
}

std::string shape(const std::optional<aio::ExceptionGroup>& group) { return group ? shape(*group) : "none"; }

/// errors[reset, slow, inner[refused, bad input]]
aio::ExceptionGroup sample() {
  aio::ExceptionGroup inner("inner", {error<ConnectionError>("refused"), error<std::invalid_argument>("bad input")});
  return aio::ExceptionGroup("errors", {error<ConnectionError>("reset"), error<ReadTimeout>("slow"),
                                        std::make_exception_ptr(inner)});
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Not an exercise: the group itself is written for you (the task group needs it from ex4 on).

TEST_CASE("what() says how many exceptions the group holds, as Python's str() does", "[l11][ex4]") {
  aio::ExceptionGroup two("unhandled errors in a TaskGroup", {error<std::runtime_error>("a"), error<std::logic_error>("b")});
  aio::ExceptionGroup one("unhandled errors in a TaskGroup", {error<std::runtime_error>("a")});
  REQUIRE(std::string(two.what()) == "unhandled errors in a TaskGroup (2 sub-exceptions)");
  REQUIRE(std::string(one.what()) == "unhandled errors in a TaskGroup (1 sub-exception)");
  REQUIRE(two.message() == "unhandled errors in a TaskGroup");
  REQUIRE(two.size() == 2);
  REQUIRE(std::string(sample().what()) == "errors (3 sub-exceptions)");  // direct members only
  REQUIRE_THROWS_AS(aio::ExceptionGroup("empty", {}), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// l11.ex5: matching by type, through nested groups

TEST_CASE("leaves() lists every exception that is not a group, depth first", "[l11][ex5]") {
  std::vector<std::string> found;
  for (const std::exception_ptr& leaf : sample().leaves()) found.push_back(shape(leaf));
  REQUIRE(found == std::vector<std::string>{"reset", "slow", "refused", "bad input"});
}

TEST_CASE("split<E>() keeps the nesting and the messages on both sides", "[l11][ex5]") {
  auto [matching, rest] = sample().split<ConnectionError>();
  // CPython: cpython/exception_group_split.py gives the same two shapes.
  REQUIRE(shape(matching) == "errors[reset, inner[refused]]");
  REQUIRE(shape(rest) == "errors[slow, inner[bad input]]");
}

TEST_CASE("split<E>() matches derived types, and leaves a side empty when nothing goes there", "[l11][ex5]") {
  auto [network, others] = sample().split<NetworkError>();
  REQUIRE(shape(network) == "errors[reset, slow, inner[refused]]");
  REQUIRE(shape(others) == "errors[inner[bad input]]");

  auto [everything, nothing] = sample().split<std::exception>();
  REQUIRE(shape(everything) == "errors[reset, slow, inner[refused, bad input]]");
  REQUIRE_FALSE(nothing.has_value());

  auto [none, all] = sample().split<std::out_of_range>();
  REQUIRE_FALSE(none.has_value());
  REQUIRE(shape(all) == "errors[reset, slow, inner[refused, bad input]]");
}

TEST_CASE("subgroup<E>() and contains<E>() look through nested groups", "[l11][ex5]") {
  REQUIRE(shape(sample().subgroup<std::invalid_argument>()) == "errors[inner[bad input]]");
  REQUIRE_FALSE(sample().subgroup<std::out_of_range>().has_value());
  REQUIRE(sample().contains<ReadTimeout>());
  REQUIRE_FALSE(sample().contains<std::out_of_range>());
}

TEST_CASE("a leaf that is not a std::exception can be matched too", "[l11][ex5]") {
  aio::ExceptionGroup odd("odd", {std::make_exception_ptr(42), error<std::runtime_error>("plain")});
  auto [numbers, rest] = odd.split<int>();
  REQUIRE(numbers.has_value());
  REQUIRE(numbers->size() == 1);
  REQUIRE(shape(rest) == "odd[plain]");
}

// book:test-handle
TEST_CASE("handle<E>(fn) calls fn for each matching leaf, in order, and returns the rest", "[l11][ex5]") {
  std::vector<std::string> seen;
  aio::Unhandled rest = sample()
      .handle<ConnectionError>([&seen](const ConnectionError& e) { seen.push_back("connection: " + std::string(e.what())); })
      .handle<std::invalid_argument>([&seen](const std::invalid_argument& e) { seen.push_back("input: " + std::string(e.what())); });
  REQUIRE(seen == std::vector<std::string>{"connection: reset", "connection: refused", "input: bad input"});
  REQUIRE_FALSE(rest.empty());
  REQUIRE(shape(rest.group()) == "errors[slow]");
  try {
    rest.rethrow();
    FAIL("rethrow() with something left must throw");
  } catch (const aio::ExceptionGroup& left) {
    REQUIRE(std::string(left.what()) == "errors (1 sub-exception)");
  }
}
// end book:test-handle

TEST_CASE("when every leaf is handled, rethrow() does nothing", "[l11][ex5]") {
  int handled = 0;
  aio::Unhandled rest = sample()
      .handle<NetworkError>([&handled](const NetworkError&) { ++handled; })
      .handle<std::exception>([&handled](const std::exception&) { ++handled; });
  REQUIRE(handled == 4);
  REQUIRE(rest.empty());
  REQUIRE_NOTHROW(rest.rethrow());
  // Handling more on an empty rest is allowed and calls nothing.
  aio::Unhandled none = std::move(rest).handle<std::exception>([&handled](const std::exception&) { ++handled; });
  REQUIRE(handled == 4);
  REQUIRE(none.empty());
}

TEST_CASE("each leaf goes to the first handler that matches it, as with except* clauses", "[l11][ex5]") {
  std::vector<std::string> seen;
  aio::Unhandled rest = sample()
      .handle<ReadTimeout>([&seen](const ReadTimeout& e) { seen.push_back(std::string("timeout: ") + e.what()); })
      .handle<NetworkError>([&seen](const NetworkError& e) { seen.push_back(std::string("network: ") + e.what()); });
  REQUIRE(seen == std::vector<std::string>{"timeout: slow", "network: reset", "network: refused"});
  REQUIRE(shape(rest.group()) == "errors[inner[bad input]]");
}

TEST_CASE("an exception thrown by a handler leaves handle() at once", "[l11][ex5]") {
  int calls = 0;
  auto handler = [&calls](const ConnectionError&) {
    ++calls;
    throw std::runtime_error("handler failed");
  };
  REQUIRE_THROWS_WITH((void)sample().handle<ConnectionError>(handler), "handler failed");
  REQUIRE(calls == 1);
}
