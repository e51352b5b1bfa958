// Tests for the loop's timers, aio::detail::TimerHeap (exercise l04.ex2).
#include <aio/timer_heap.hpp>
#include <aio_test/catch.hpp>

#include <chrono>
#include <cstdint>
#include <vector>

using namespace std::chrono_literals;
using aio::detail::TimerHeap;
using aio::detail::TimerNode;

namespace {

// Timers numbered by their sequence; `when` in milliseconds.
std::vector<TimerNode> timers(const std::vector<int>& when_ms) {
  std::vector<TimerNode> nodes(when_ms.size());
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    nodes[i].when = std::chrono::milliseconds(when_ms[i]);
    nodes[i].sequence = i;
  }
  return nodes;
}

// Pops everything, as (when in ms, sequence) pairs.
std::vector<std::pair<int, std::uint64_t>> drain(TimerHeap& heap) {
  std::vector<std::pair<int, std::uint64_t>> order;
  while (!heap.empty()) {
    TimerNode* node = heap.pop();
    CHECK_FALSE(node->in_heap());
    order.emplace_back(static_cast<int>(node->when / 1ms), node->sequence);
  }
  return order;
}

}  // namespace

// book:test-heap-order
TEST_CASE("timers leave the heap earliest deadline first", "[l04][ex2]") {
  std::vector<TimerNode> nodes = timers({50, 20, 90, 10, 70, 30, 80, 60, 40, 0});
  TimerHeap heap;
  for (TimerNode& node : nodes) heap.push(&node);
  CHECK(heap.size() == 10);
  CHECK(heap.top()->when == 0ms);

  std::vector<int> deadlines;
  for (const auto& [when, sequence] : drain(heap)) deadlines.push_back(when);
  CHECK(deadlines == std::vector<int>{0, 10, 20, 30, 40, 50, 60, 70, 80, 90});
}
// end book:test-heap-order

TEST_CASE("timers due at the same time leave in the order they were scheduled", "[l04][ex2]") {
  std::vector<TimerNode> nodes = timers({5, 1, 5, 1, 5, 1, 5, 1, 5, 1, 5, 1});
  TimerHeap heap;
  for (TimerNode& node : nodes) heap.push(&node);
  CHECK(drain(heap) == std::vector<std::pair<int, std::uint64_t>>{
                           {1, 1}, {1, 3}, {1, 5}, {1, 7}, {1, 9}, {1, 11},
                           {5, 0}, {5, 2}, {5, 4}, {5, 6}, {5, 8}, {5, 10}});
}

TEST_CASE("a timer removed from the middle of the heap is gone and the others keep their order",
          "[l04][ex2]") {
  std::vector<TimerNode> nodes = timers({50, 20, 90, 10, 70, 30, 80, 60, 40, 0, 25, 65});
  TimerHeap heap;
  for (TimerNode& node : nodes) heap.push(&node);
  for (const std::size_t cancelled : {0u, 3u, 7u, 11u}) {  // 50, 10, 60 and 65 ms
    REQUIRE(nodes[cancelled].in_heap());
    heap.remove(&nodes[cancelled]);
    CHECK_FALSE(nodes[cancelled].in_heap());
  }
  std::vector<int> deadlines;
  for (const auto& [when, sequence] : drain(heap)) deadlines.push_back(when);
  CHECK(deadlines == std::vector<int>{0, 20, 25, 30, 40, 70, 80, 90});
}

TEST_CASE("every timer in the heap knows its own index", "[l04][ex2]") {
  std::vector<TimerNode> nodes = timers({9, 8, 7, 6, 5, 4, 3, 2, 1});
  TimerHeap heap;
  for (TimerNode& node : nodes) {
    heap.push(&node);
    CHECK(node.in_heap());
  }
  heap.remove(&nodes[4]);
  // The earliest is at index 0, and removing by index finds each node where it really is.
  CHECK(heap.top() == &nodes[8]);
  CHECK(nodes[8].heap_index == 0);
  for (std::size_t i : {2u, 6u, 0u}) heap.remove(&nodes[i]);
  std::vector<int> deadlines;
  for (const auto& [when, sequence] : drain(heap)) deadlines.push_back(when);
  CHECK(deadlines == std::vector<int>{1, 2, 4, 6, 8});
}
