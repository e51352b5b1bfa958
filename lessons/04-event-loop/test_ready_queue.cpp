// Tests for the loop's ready queue, aio::detail::ReadyQueue (exercise l04.ex2).
#include <aio/event_loop.hpp>
#include <aio_test/catch.hpp>

#include <cstddef>
#include <vector>

namespace {

void nothing(void*) {}

// A callback whose argument is a pointer into `numbers`: popping it tells which one it was.
struct Numbered {
  std::vector<int> numbers;
  explicit Numbered(int count) : numbers(static_cast<std::size_t>(count)) {
    for (int i = 0; i < count; ++i) numbers[static_cast<std::size_t>(i)] = i;
  }
  aio::detail::Callback callback(int i) { return {&nothing, &numbers[static_cast<std::size_t>(i)]}; }
  // -1 for an entry that was never pushed (a slot the queue should not have handed out).
  static int number_of(aio::detail::Callback callback) {
    return callback.run == &nothing && callback.arg != nullptr ? *static_cast<int*>(callback.arg) : -1;
  }
};

/// Pops until the queue says it is empty, but never more than `at_most` entries: a queue that
/// never empties fails the test instead of hanging it.
std::vector<int> drain(aio::detail::ReadyQueue& queue, std::size_t at_most) {
  std::vector<int> popped;
  while (!queue.empty() && popped.size() <= at_most) popped.push_back(Numbered::number_of(queue.pop()));
  return popped;
}

/// The first i at which popped[i] != i, or -1 if they are 0, 1, 2, ... in order.
int first_out_of_order(const std::vector<int>& popped) {
  for (std::size_t i = 0; i < popped.size(); ++i) {
    if (popped[i] != static_cast<int>(i)) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

// book:test-fifo
TEST_CASE("the ready queue hands callbacks back in the order they were pushed", "[l04][ex2]") {
  Numbered items(3);
  aio::detail::ReadyQueue queue;
  CHECK(queue.empty());

  queue.push(items.callback(0));
  queue.push(items.callback(1));
  queue.push(items.callback(2));
  CHECK(queue.size() == 3);

  CHECK(Numbered::number_of(queue.pop()) == 0);
  CHECK(Numbered::number_of(queue.pop()) == 1);
  CHECK(Numbered::number_of(queue.pop()) == 2);
  CHECK(queue.empty());
}
// end book:test-fifo

TEST_CASE("the ready queue wraps around the end of its ring without losing the order", "[l04][ex2]") {
  // Never more than a few entries, but thousands of pushes: the front and the back chase each
  // other around the ring many times.
  Numbered items(5000);
  aio::detail::ReadyQueue queue;
  std::vector<int> popped;
  int pushed = 0;
  queue.push(items.callback(pushed++));
  queue.push(items.callback(pushed++));
  while (pushed < 5000) {
    queue.push(items.callback(pushed++));
    popped.push_back(Numbered::number_of(queue.pop()));
    REQUIRE(queue.size() == 2);
  }
  for (const int number : drain(queue, 5000)) popped.push_back(number);

  REQUIRE(popped.size() == 5000);
  CHECK(first_out_of_order(popped) == -1);
}

TEST_CASE("the ready queue grows when it is full and keeps the order across the wrap", "[l04][ex2]") {
  Numbered items(1000);
  aio::detail::ReadyQueue queue;
  // Move the front away from slot 0 first, so that the entries wrap around when the ring is
  // full and grow() has to unroll them.
  for (int i = 0; i < 40; ++i) queue.push(items.callback(0));
  for (int i = 0; i < 40; ++i) queue.pop();
  for (int i = 0; i < 1000; ++i) queue.push(items.callback(i));
  CHECK(queue.size() == 1000);

  const std::vector<int> popped = drain(queue, 1000);
  REQUIRE(popped.size() == 1000);
  CHECK(first_out_of_order(popped) == -1);
}

TEST_CASE("a callback popped from the ready queue is the function and argument pushed", "[l04][ex2]") {
  int calls = 0;
  aio::detail::ReadyQueue queue;
  queue.push({[](void* counter) { ++*static_cast<int*>(counter); }, &calls});
  const aio::detail::Callback callback = queue.pop();
  callback.run(callback.arg);
  CHECK(calls == 1);
}
