// Lesson 14's benchmarks: what one value costs through an async generator, next to a plain
// generator and a queue between two tasks; and how batching changes a pipeline's throughput.
// Everything runs inside one aio::run per benchmark, on the virtual clock (nothing sleeps), so
// the numbers are the mechanism alone. Items are values: items_per_second is values per second.
//
// Per-value cost, N values that are ready at once:
//   BM_sync_generator/N       aio::Generator<int> (lesson 01) in a range-for: a resume and a
//                             suspend per value, no loop at all
//   BM_async_generator/N      aio::AsyncGenerator<int>, `while (auto x = co_await g.next())`:
//                             the same resume and suspend, plus the step's bookkeeping (state,
//                             std::optional); the consumer never suspends
//   BM_hand_written/N         aio::CountUp with no interval: no frame at all, but each step is
//                             a sleep(0), so one turn of the loop per value
//   BM_queue_pipeline/N       a producer task puts each value in an aio::Queue(64) and the
//                             consumer gets it: two tasks, wake-ups through the ready queue
//   BM_buffered/N             aio::buffered(generator, 64): the same queue behind a generator
//
// Batch size: 100,000 values from a generator, through a stage, to a consumer that adds them up:
//   BM_batches_in_task/B      batch(source, B), flattened by the consumer: one task
//   BM_batches_through_queue/B  buffered(batch(source, B), 4): each hand-off between the two
//                             tasks carries B values, so its cost is shared by B values
#include "bench_support.hpp"

#include <aio/async_generator.hpp>
#include <aio/async_iterator.hpp>
#include <aio/buffered.hpp>
#include <aio/generator.hpp>
#include <aio/pipeline.hpp>
#include <aio/queue.hpp>
#include <aio/run.hpp>
#include <aio/task.hpp>

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <utility>
#include <vector>

using namespace std::chrono_literals;

namespace {

aio::RunOptions on_virtual_clock() {
  aio::RunOptions options;
  options.virtual_clock = true;
  return options;
}

// ---- per-value cost ---------------------------------------------------------------------------

aio::Generator<int> sync_numbers(int count) {
  for (int i = 0; i < count; ++i) co_yield i;
}

// book:bench-async-generator
aio::AsyncGenerator<int> numbers(int count) {
  for (int i = 0; i < count; ++i) co_yield i;
}

aio::Coro<void> drain_generator(benchmark::State* state, int count) {
  for (auto _ : *state) {
    auto values = numbers(count);
    std::int64_t sum = 0;
    while (auto value = co_await values.next()) sum += *value;
    benchmark::DoNotOptimize(sum);
  }
}
// end book:bench-async-generator

void BM_sync_generator(benchmark::State& state) {
  const int count = static_cast<int>(state.range(0));
  for (auto _ : state) {
    std::int64_t sum = 0;
    for (int value : sync_numbers(count)) sum += value;
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_async_generator(benchmark::State& state) {
  aio::run(drain_generator(&state, static_cast<int>(state.range(0))), on_virtual_clock());
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

aio::Coro<void> drain_count_up(benchmark::State* state, int count) {
  for (auto _ : *state) {
    aio::CountUp values(count, aio::Duration{0});
    std::int64_t sum = 0;
    while (auto value = co_await values.next()) sum += *value;
    benchmark::DoNotOptimize(sum);
  }
}

void BM_hand_written(benchmark::State& state) {
  aio::run(drain_count_up(&state, static_cast<int>(state.range(0))), on_virtual_clock());
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

// book:bench-queue
aio::Coro<void> produce(aio::Queue<int>* queue, int count) {
  for (int i = 0; i < count; ++i) co_await queue->put(i);
  co_await queue->put(-1);  // the end
}

aio::Coro<void> queue_pipeline(benchmark::State* state, int count) {
  for (auto _ : *state) {
    aio::Queue<int> queue(64);
    aio::Task<void> producer = aio::create_task(produce(&queue, count));
    std::int64_t sum = 0;
    while (true) {
      int value = co_await queue.get();
      if (value < 0) break;
      sum += value;
    }
    co_await producer;
    benchmark::DoNotOptimize(sum);
  }
}
// end book:bench-queue

void BM_queue_pipeline(benchmark::State& state) {
  aio::run(queue_pipeline(&state, static_cast<int>(state.range(0))), on_virtual_clock());
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

aio::Coro<void> drain_buffered(benchmark::State* state, int count) {
  for (auto _ : *state) {
    auto values = aio::buffered(numbers(count), 64);
    std::int64_t sum = 0;
    while (auto value = co_await values.next()) sum += *value;
    benchmark::DoNotOptimize(sum);
  }
}

void BM_buffered(benchmark::State& state) {
  aio::run(drain_buffered(&state, static_cast<int>(state.range(0))), on_virtual_clock());
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

// ---- batch size ---------------------------------------------------------------------------------

int batch_total() { return aio_bench::smoke() ? 10'000 : 100'000; }

// book:bench-batches
aio::Coro<void> batches(benchmark::State* state, std::size_t size, bool through_queue) {
  const int total = batch_total();
  for (auto _ : *state) {
    auto lists = through_queue ? aio::buffered(aio::batch(numbers(total), size), 4)
                               : aio::batch(numbers(total), size);
    std::int64_t sum = 0;
    while (auto list = co_await lists.next()) {
      for (int value : *list) sum += value;
    }
    benchmark::DoNotOptimize(sum);
  }
}
// end book:bench-batches

void BM_batches_in_task(benchmark::State& state) {
  aio::run(batches(&state, static_cast<std::size_t>(state.range(0)), false), on_virtual_clock());
  state.SetItemsProcessed(state.iterations() * batch_total());
}

void BM_batches_through_queue(benchmark::State& state) {
  aio::run(batches(&state, static_cast<std::size_t>(state.range(0)), true), on_virtual_clock());
  state.SetItemsProcessed(state.iterations() * batch_total());
}

}  // namespace

// N = 1,000 (everything in the caches) and 100,000.
void value_counts(benchmark::internal::Benchmark* bench) { aio_bench::sizes(bench, {1'000, 100'000}); }

BENCHMARK(BM_sync_generator)->Apply(value_counts);
BENCHMARK(BM_async_generator)->Apply(value_counts);
BENCHMARK(BM_hand_written)->Apply(value_counts);
BENCHMARK(BM_queue_pipeline)->Apply(value_counts);
BENCHMARK(BM_buffered)->Apply(value_counts);
BENCHMARK(BM_batches_in_task)->Arg(1)->Arg(2)->Arg(5)->Arg(10)->Arg(20)->Arg(50)->Arg(100)->Arg(200)->Arg(500)->Arg(1000);
BENCHMARK(BM_batches_through_queue)->Arg(1)->Arg(2)->Arg(5)->Arg(10)->Arg(20)->Arg(50)->Arg(100)->Arg(200)->Arg(500)->Arg(1000);

BENCHMARK_MAIN();
