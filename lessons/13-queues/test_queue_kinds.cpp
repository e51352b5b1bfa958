// Tests for aio::LifoQueue and aio::PriorityQueue (lesson 13, ex6): the same waiting logic as
// aio::Queue (BasicQueue), with another storage.
#include <aio/coro.hpp>
#include <aio/lifo_queue.hpp>
#include <aio/priority_queue.hpp>
#include <aio/queue.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;
using aio_test::join;
using aio_test::Log;

namespace {

template <class Queue>
std::vector<int> drain(Queue& queue) {
  std::vector<int> out;
  while (!queue.empty()) out.push_back(queue.get_nowait());
  return out;
}

/// A job compared by its priority alone, so that two jobs can tie.
struct Job {
  int priority;
  int number;
  bool operator<(const Job& other) const { return priority < other.priority; }
};

}  // namespace

TEST_CASE("a LifoQueue gives the newest item first", "[l13][ex6]") {
  aio::LifoQueue<int> queue;
  for (int i : {1, 2, 3}) queue.put_nowait(i);
  CHECK(queue.get_nowait() == 3);
  queue.put_nowait(4);
  CHECK(drain(queue) == std::vector<int>{4, 2, 1});
}

TEST_CASE("a PriorityQueue gives the smallest item first", "[l13][ex6]") {
  aio::PriorityQueue<int> queue;
  for (int i : {5, 1, 4, 1, 3, 9, 2, 6}) queue.put_nowait(i);
  CHECK(queue.qsize() == 8);
  CHECK(drain(queue) == std::vector<int>{1, 1, 2, 3, 4, 5, 6, 9});
}

TEST_CASE("a PriorityQueue with std::greater gives the largest first", "[l13][ex6]") {
  aio::PriorityQueue<int, std::greater<int>> queue;
  for (int i : {5, 1, 4, 3}) queue.put_nowait(i);
  CHECK(drain(queue) == std::vector<int>{5, 4, 3, 1});
}

// asyncio's heap promises no order among equal priorities: cpython/priority_ties.py prints
// 0:4 1:2 1:5 1:6 1:1 1:0 1:3 for the same puts. aio gives equal ones first in, first out.
TEST_CASE("equal priorities come out in the order they were put", "[l13][ex6]") {
  aio::PriorityQueue<Job> queue;
  int number = 0;
  for (int priority : {1, 1, 1, 1, 0, 1, 1}) queue.put_nowait(Job{priority, number++});
  std::string order;
  while (!queue.empty()) {
    Job job = queue.get_nowait();
    order += (order.empty() ? "" : " ") + std::to_string(job.priority) + ":" + std::to_string(job.number);
  }
  CHECK(order == "0:4 1:0 1:1 1:2 1:3 1:5 1:6");
}

TEST_CASE("ties stay in order across many pushes and pops", "[l13][ex6]") {
  aio::PriorityQueue<Job> queue;
  int number = 0;
  std::vector<std::vector<int>> seen(3);  // numbers seen per priority, in the order they came out
  for (int round = 0; round < 50; ++round) {
    for (int k = 0; k < 3; ++k) queue.put_nowait(Job{(round + k) % 3, number++});
    Job job = queue.get_nowait();
    seen[static_cast<std::size_t>(job.priority)].push_back(job.number);
  }
  while (!queue.empty()) {
    Job job = queue.get_nowait();
    seen[static_cast<std::size_t>(job.priority)].push_back(job.number);
  }
  for (const auto& numbers : seen) {
    for (std::size_t i = 1; i < numbers.size(); ++i) CHECK(numbers[i - 1] < numbers[i]);
  }
}

TEST_CASE("a PriorityQueue and a LifoQueue hold move-only items", "[l13][ex6]") {
  aio::LifoQueue<std::unique_ptr<int>> stack;
  stack.put_nowait(std::make_unique<int>(1));
  stack.put_nowait(std::make_unique<int>(2));
  CHECK(*stack.get_nowait() == 2);
  struct ByValue {
    bool operator()(const std::unique_ptr<int>& a, const std::unique_ptr<int>& b) const { return *a < *b; }
  };
  aio::PriorityQueue<std::unique_ptr<int>, ByValue> heap;
  for (int i : {3, 1, 2}) heap.put_nowait(std::make_unique<int>(i));
  CHECK(*heap.get_nowait() == 1);
  CHECK(*heap.get_nowait() == 2);
}

template <class Queue>
aio::Coro<void> getter(Log* log, Queue* queue, std::string name) {
  int item = co_await queue->get();
  log->push_back(name + " got " + std::to_string(item));
}

// CPython: cpython/getter_takes_the_smallest.py
template <class Queue>
aio::Coro<void> takes_first_when_it_runs(Log* log, std::string name, Queue* queue_) {
  Queue& queue = *queue_;
  aio::Task<void> task = aio::create_task(getter(log, &queue, name));
  co_await aio::sleep(0s);
  for (int i : {5, 1, 3}) queue.put_nowait(i);  // 5 wakes the getter; it runs after 1 and 3 came
  co_await task;
  int first = queue.get_nowait();
  int second = queue.get_nowait();
  log->push_back("left: " + std::to_string(first) + " " + std::to_string(second));
}

TEST_CASE("a woken getter takes the item first in order when it runs", "[l13][ex6]") {
  Log log;
  aio::PriorityQueue<int> heap;  // outside aio::run: it outlives the tasks that wait on it
  aio::LifoQueue<int> stack;
  aio::run(takes_first_when_it_runs(&log, "PriorityQueue", &heap), {.virtual_clock = true});
  aio::run(takes_first_when_it_runs(&log, "LifoQueue", &stack), {.virtual_clock = true});
  CHECK(join(log) == "PriorityQueue got 1 | left: 3 5 | LifoQueue got 3 | left: 1 5");
}

aio::Coro<void> bounded_lifo(Log* log, aio::LifoQueue<int>* queue_) {
  aio::LifoQueue<int>& queue = *queue_;
  aio::Task<void> producer = aio::create_task([](Log* log, aio::LifoQueue<int>* queue) -> aio::Coro<void> {
    for (int i = 1; i <= 4; ++i) {
      co_await queue->put(i);
      log->push_back("put " + std::to_string(i));
    }
  }(log, &queue));
  co_await aio::sleep(0s);
  for (int i = 0; i < 4; ++i) {
    int item = co_await queue.get();
    log->push_back("got " + std::to_string(item));
    co_await aio::sleep(0s);
  }
  co_await producer;
}

TEST_CASE("a bounded LifoQueue holds a producer back like a Queue", "[l13][ex6]") {
  Log log;
  aio::LifoQueue<int> queue(2);
  aio::run(bounded_lifo(&log, &queue), {.virtual_clock = true});
  CHECK(join(log) == "put 1 | put 2 | got 2 | put 3 | got 3 | put 4 | got 4 | got 1");
}
