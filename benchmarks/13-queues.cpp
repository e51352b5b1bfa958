// Lesson 13's benchmarks: what a queue costs per item. Items are the items that go through the
// queue, so items_per_second is items per second; a smaller time per item is better.
//
// A producer and a consumer, each a task, hand N items through one queue (the W3 workload of
// benchmarks/workloads.cpp is BM_queue/128 at a million items):
//   BM_queue/M                 aio::Queue<int>(M): the producer fills the queue and waits; each
//                              get frees a slot and wakes it, once per M items or so
//   BM_queue_unbounded         aio::Queue<int>(): the producer never waits; the consumer gets
//                              everything after it (the ring buffer grows once to N, then keeps it)
//   BM_lifo_queue/M            aio::LifoQueue<int>(M): the same waiting, a stack for storage
//   BM_priority_queue/M        aio::PriorityQueue<int>(M): the same, a heap for storage
//   BM_nowait                  put_nowait then get_nowait in one task: the storage and the
//                              bookkeeping alone, no waiting
//
// The same hand-over with threads, for comparison: two std::threads and a bounded queue of the
// same capacity guarded by a std::mutex, with one std::condition_variable for "not empty" and
// one for "not full". Real threads on real cores, so it is timed on the wall clock:
//   BM_threads_mutex_condvar/M
#include "bench_support.hpp"

#include <aio/coro.hpp>
#include <aio/lifo_queue.hpp>
#include <aio/priority_queue.hpp>
#include <aio/queue.hpp>
#include <aio/run.hpp>
#include <aio/task.hpp>

#include <benchmark/benchmark.h>

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

namespace {

std::int64_t items_per_run() { return aio_bench::smoke() ? 10'000 : 1'000'000; }

// ---- aio: two tasks ----------------------------------------------------------------------------

// book:bench-queue
template <class Queue>
aio::Coro<void> consume(Queue* queue, std::int64_t count, std::int64_t* sum) {
  for (std::int64_t i = 0; i < count; ++i) {
    int item = co_await queue->get();
    *sum += item;
  }
}

template <class Queue>
aio::Coro<void> produce_and_consume(benchmark::State* state, int maxsize) {
  const std::int64_t count = items_per_run();
  Queue queue(maxsize);
  for (auto _ : *state) {
    std::int64_t sum = 0;
    aio::Task<void> consumer = aio::create_task(consume(&queue, count, &sum));
    for (std::int64_t i = 0; i < count; ++i) co_await queue.put(static_cast<int>(i & 0xffff));
    co_await consumer;
    benchmark::DoNotOptimize(sum);
  }
  state->SetItemsProcessed(state->iterations() * count);
}
// end book:bench-queue

template <class Queue>
void BM_through(benchmark::State& state) {
  aio::run(produce_and_consume<Queue>(&state, static_cast<int>(state.range(0))), {.virtual_clock = true});
}

void BM_queue(benchmark::State& state) { BM_through<aio::Queue<int>>(state); }
void BM_lifo_queue(benchmark::State& state) { BM_through<aio::LifoQueue<int>>(state); }
void BM_priority_queue(benchmark::State& state) { BM_through<aio::PriorityQueue<int>>(state); }
void BM_queue_unbounded(benchmark::State& state) {
  aio::run(produce_and_consume<aio::Queue<int>>(&state, 0), {.virtual_clock = true});
}

void BM_nowait(benchmark::State& state) {
  aio::Queue<int> queue(128);
  std::int64_t sum = 0;
  for (auto _ : state) {
    queue.put_nowait(1);
    sum += queue.get_nowait();
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}

// ---- threads: a mutex and two condition variables ----------------------------------------------

// book:bench-threads
/// A bounded queue for two threads, the textbook way.
class LockedQueue {
public:
  explicit LockedQueue(std::size_t maxsize) : maxsize_(maxsize) {}

  void put(int item) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [this] { return items_.size() < maxsize_; });
    items_.push_back(item);
    lock.unlock();
    not_empty_.notify_one();
  }

  int get() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [this] { return !items_.empty(); });
    int item = items_.front();
    items_.pop_front();
    lock.unlock();
    not_full_.notify_one();
    return item;
  }

private:
  std::mutex mutex_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::deque<int> items_;
  std::size_t maxsize_;
};
// end book:bench-threads

void BM_threads_mutex_condvar(benchmark::State& state) {
  const std::int64_t count = items_per_run();
  LockedQueue queue(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    std::int64_t sum = 0;
    std::thread consumer([&queue, &sum, count] {
      for (std::int64_t i = 0; i < count; ++i) sum += queue.get();
    });
    for (std::int64_t i = 0; i < count; ++i) queue.put(static_cast<int>(i & 0xffff));
    consumer.join();
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * count);
}

}  // namespace

BENCHMARK(BM_queue)->Arg(1)->Arg(128)->Arg(4096)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_queue_unbounded)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_lifo_queue)->Arg(128)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_priority_queue)->Arg(128)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_nowait);
BENCHMARK(BM_threads_mutex_condvar)->Arg(1)->Arg(128)->UseRealTime()->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
