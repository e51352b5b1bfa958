// Tests for the loop's timers, aio::detail::TimerHeap (exercise l04.ex3).
#include <aio/timer_heap.hpp>
#include <aio_test/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <new>
#include <utility>
#include <vector>

using namespace std::chrono_literals;
using aio::detail::TimerHeap;
using aio::detail::TimerNode;

namespace {

// Timers numbered 0, 1, 2, ... in the order they are pushed; their deadlines in milliseconds.
struct Timers {
  explicit Timers(std::vector<int> deadlines_ms)
      : when_ms(std::move(deadlines_ms)), nodes(when_ms.size()) {}

  void push_all(TimerHeap& heap) {
    for (std::size_t i = 0; i < nodes.size(); ++i) heap.push(&nodes[i], std::chrono::milliseconds(when_ms[i]));
  }
  std::size_t number(const TimerNode* node) const { return static_cast<std::size_t>(node - nodes.data()); }

  // Pops everything, as (deadline in ms, number) pairs.
  std::vector<std::pair<int, std::size_t>> drain(TimerHeap& heap) const {
    std::vector<std::pair<int, std::size_t>> order;
    while (!heap.empty()) {
      TimerNode* node = heap.pop();
      CHECK_FALSE(heap.contains(*node));
      order.emplace_back(when_ms[number(node)], number(node));
    }
    return order;
  }
  std::vector<int> drain_deadlines(TimerHeap& heap) const {
    std::vector<int> deadlines;
    for (const auto& [when, number] : drain(heap)) deadlines.push_back(when);
    return deadlines;
  }

  std::vector<int> when_ms;
  std::vector<TimerNode> nodes;
};

}  // namespace

// book:test-heap-order
TEST_CASE("timers leave the heap earliest deadline first", "[l04][ex3]") {
  Timers timers({50, 20, 90, 10, 70, 30, 80, 60, 40, 0});
  TimerHeap heap;
  timers.push_all(heap);
  CHECK(heap.size() == 10);
  CHECK(heap.top() == &timers.nodes[9]);
  CHECK(heap.top_when() == 0ms);

  CHECK(timers.drain_deadlines(heap) == std::vector<int>{0, 10, 20, 30, 40, 50, 60, 70, 80, 90});
}
// end book:test-heap-order

TEST_CASE("timers due at the same time leave in the order they were pushed", "[l04][ex3]") {
  Timers timers({5, 1, 5, 1, 5, 1, 5, 1, 5, 1, 5, 1});
  TimerHeap heap;
  timers.push_all(heap);
  CHECK(timers.drain(heap) == std::vector<std::pair<int, std::size_t>>{
                                  {1, 1}, {1, 3}, {1, 5}, {1, 7}, {1, 9}, {1, 11},
                                  {5, 0}, {5, 2}, {5, 4}, {5, 6}, {5, 8}, {5, 10}});
}

TEST_CASE("equal deadlines keep their push order when a removal moves a slot", "[l04][ex3]") {
  // A removal (and every pop) moves the last slot into the hole, where it may have to rise past
  // parents with the same deadline: rising must compare sequence numbers too, not deadlines only.
  Timers timers({20, 20, 20, 20, 20, 10, 10});
  TimerHeap heap;
  timers.push_all(heap);
  heap.remove(&timers.nodes[3]);
  CHECK(timers.drain(heap) == std::vector<std::pair<int, std::size_t>>{
                                  {10, 5}, {10, 6}, {20, 0}, {20, 1}, {20, 2}, {20, 4}});
}

TEST_CASE("a timer removed from the middle is gone; the others keep their order",
          "[l04][ex3]") {
  Timers timers({50, 20, 90, 10, 70, 30, 80, 60, 40, 0, 25, 65});
  TimerHeap heap;
  timers.push_all(heap);
  for (const std::size_t cancelled : {0u, 3u, 7u, 11u}) {  // 50, 10, 60 and 65 ms
    REQUIRE(heap.contains(timers.nodes[cancelled]));
    heap.remove(&timers.nodes[cancelled]);
    CHECK_FALSE(heap.contains(timers.nodes[cancelled]));
  }
  CHECK(heap.size() == 8);
  CHECK(timers.drain_deadlines(heap) == std::vector<int>{0, 20, 25, 30, 40, 70, 80, 90});
}

TEST_CASE("the heap always knows where each timer is", "[l04][ex3]") {
  Timers timers({9, 8, 7, 6, 5, 4, 3, 2, 1});
  TimerHeap heap;
  for (std::size_t i = 0; i < timers.nodes.size(); ++i) {
    heap.push(&timers.nodes[i], std::chrono::milliseconds(timers.when_ms[i]));
    CHECK(heap.contains(timers.nodes[i]));
    CHECK(heap.top() == &timers.nodes[i]);  // each one is earlier than all before it: it rose to the top
  }
  // Removing finds each node where the sifts left it, at the top, in the middle or at a leaf.
  heap.remove(&timers.nodes[4]);
  CHECK(heap.top() == &timers.nodes[8]);
  for (std::size_t i : {8u, 2u, 6u, 0u}) heap.remove(&timers.nodes[i]);
  CHECK(timers.drain_deadlines(heap) == std::vector<int>{2, 4, 6, 8});
}

TEST_CASE("a thousand timers pushed, removed and pushed again come out in order", "[l04][ex3]") {
  // Deadlines 0..999 ms in a scrambled order (7 and 1000 share no factor: i * 7 % 1000 visits all).
  std::vector<int> deadlines;
  for (int i = 0; i < 1000; ++i) deadlines.push_back(i * 7 % 1000);
  Timers timers(deadlines);
  TimerHeap heap;
  timers.push_all(heap);
  for (std::size_t i = 0; i < 1000; i += 3) heap.remove(&timers.nodes[i]);  // ids are recycled...
  for (std::size_t i = 0; i < 1000; i += 3) {                               // ...by these pushes
    heap.push(&timers.nodes[i], std::chrono::milliseconds(timers.when_ms[i]));
  }
  std::vector<int> expected(1000);
  for (int i = 0; i < 1000; ++i) expected[static_cast<std::size_t>(i)] = i;
  CHECK(timers.drain_deadlines(heap) == expected);
}

TEST_CASE("a timer that left is not in the heap, even once its id serves another",
          "[l04][ex3]") {
  Timers timers({10, 20});
  TimerHeap heap;
  heap.push(&timers.nodes[0], 10ms);
  CHECK(heap.pop() == &timers.nodes[0]);
  CHECK_FALSE(heap.contains(timers.nodes[0]));
  heap.push(&timers.nodes[1], 20ms);  // takes the id that nodes[0] still holds
  CHECK(timers.nodes[1].id == timers.nodes[0].id);
  CHECK(heap.contains(timers.nodes[1]));
  CHECK_FALSE(heap.contains(timers.nodes[0]));
}

TEST_CASE("pop_due hands out every due timer in order, one by one or in bulk", "[l04][ex3]") {
  // 20,000 timers on 500 distinct deadlines (many ties); 0..249 ms are due. Past the first
  // thousand pops, pop_due sorts the rest of the due timers in one go: same order.
  const int count = 20'000;
  std::vector<int> deadlines;
  for (int i = 0; i < count; ++i) deadlines.push_back(i * 7919 % 500);
  Timers timers(deadlines);
  TimerHeap heap;
  timers.push_all(heap);

  std::vector<std::pair<int, std::size_t>> popped;
  heap.pop_due(249ms, [&](TimerNode* node) { popped.emplace_back(timers.when_ms[timers.number(node)], timers.number(node)); });

  std::vector<std::pair<int, std::size_t>> expected;
  for (std::size_t i = 0; i < deadlines.size(); ++i) {
    if (deadlines[i] <= 249) expected.emplace_back(deadlines[i], i);
  }
  std::sort(expected.begin(), expected.end());  // by deadline, then by push order
  CHECK(popped == expected);
  CHECK(heap.size() == deadlines.size() - expected.size());
  CHECK_FALSE(heap.contains(timers.nodes[expected.front().second]));

  // What is left is still a heap, and every timer in it can still be found and removed.
  heap.remove(&timers.nodes[1]);  // deadline 7919 % 500 = 419
  const std::vector<int> rest = timers.drain_deadlines(heap);
  CHECK(rest.size() == deadlines.size() - expected.size() - 1);
  CHECK(std::is_sorted(rest.begin(), rest.end()));
  CHECK(rest.front() == 250);
}

TEST_CASE("a pop_due that throws keeps the timers it did not hand out", "[l04][ex3]") {
  std::vector<int> deadlines;
  for (int i = 0; i < 10'000; ++i) deadlines.push_back(i % 100);
  Timers timers(deadlines);
  TimerHeap heap;
  timers.push_all(heap);
  std::size_t handed = 0;
  CHECK_THROWS_AS(heap.pop_due(1000ms,
                               [&](TimerNode*) {
                                 if (handed == 5000) throw std::bad_alloc();
                                 ++handed;
                               }),
                  std::bad_alloc);
  CHECK(heap.size() == 5000);
  const std::vector<int> rest = timers.drain_deadlines(heap);
  CHECK(std::is_sorted(rest.begin(), rest.end()));
  CHECK(rest.front() == 50);
}

TEST_CASE("a pop_due of a few timers that throws keeps the timer it failed on",
          "[l04][ex3]") {
  Timers timers({4, 3, 2, 1, 0});
  TimerHeap heap;
  timers.push_all(heap);
  std::vector<int> handed;
  CHECK_THROWS_AS(heap.pop_due(10ms,
                               [&](TimerNode* node) {
                                 if (handed.size() == 2) throw std::bad_alloc();
                                 handed.push_back(timers.when_ms[timers.number(node)]);
                               }),
                  std::bad_alloc);
  CHECK(handed == std::vector<int>{0, 1});
  CHECK(timers.drain_deadlines(heap) == std::vector<int>{2, 3, 4});
}
