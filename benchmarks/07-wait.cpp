// Lesson 07's benchmarks: what wait() and as_completed() cost, per task they watch.
//
//   BM_wait_first_completed/N  N tasks that stay pending plus one that finishes at once; each
//                              iteration waits with FIRST_COMPLETED and gets the N back pending:
//                              N listeners added and N removed. Items: tasks watched.
//   BM_wait_all_completed/N    N tasks that finish at once, then wait(ALL_COMPLETED) on them.
//   BM_await_each/N            the same N tasks awaited one after the other (the simplest way
//                              to collect results in order): the baseline for the two around it.
//   BM_as_completed/N          the same N tasks, their results taken with as_completed.
//
// Every program runs on the virtual clock, so nothing sleeps: the numbers are the mechanism
// alone (task creation included where the benchmark creates tasks; compare with await_each).
#include "bench_support.hpp"

#include <aio/as_completed.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio/wait.hpp>

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <vector>

using namespace std::chrono_literals;

namespace {

aio::Coro<int> quick(int value) { co_return value; }

aio::Coro<int> idle() {
  co_await aio::sleep(24h);
  co_return 0;
}

template <class Body>
void run_benchmark(benchmark::State& state, Body body) {
  aio::run(body(&state, state.range(0)), {.virtual_clock = true});
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

std::vector<aio::Task<int>> quick_tasks(std::int64_t count) {
  std::vector<aio::Task<int>> tasks;
  tasks.reserve(static_cast<std::size_t>(count));
  for (std::int64_t i = 0; i < count; ++i) tasks.push_back(aio::create_task(quick(static_cast<int>(i))));
  return tasks;
}

// book:bench-first-completed
aio::Coro<void> bench_wait_first_completed(benchmark::State* state, std::int64_t count) {
  std::vector<aio::Task<int>> watched;
  for (std::int64_t i = 0; i < count; ++i) watched.push_back(aio::create_task(idle()));
  for (auto _ : *state) {
    watched.push_back(aio::create_task(quick(1)));  // the one that will finish first
    aio::WaitResult<int> result = co_await aio::wait(std::move(watched), aio::FIRST_COMPLETED);
    benchmark::DoNotOptimize(result.done.data());
    watched = std::move(result.pending);  // the N idle tasks, listeners removed
  }
}
// end book:bench-first-completed

aio::Coro<void> bench_wait_all_completed(benchmark::State* state, std::int64_t count) {
  for (auto _ : *state) {
    aio::WaitResult<int> result = co_await aio::wait(quick_tasks(count));
    benchmark::DoNotOptimize(result.done.data());
  }
}

aio::Coro<void> bench_await_each(benchmark::State* state, std::int64_t count) {
  for (auto _ : *state) {
    std::vector<aio::Task<int>> tasks = quick_tasks(count);
    std::int64_t sum = 0;
    for (auto& task : tasks) {
      int value = co_await task;
      sum += value;
    }
    benchmark::DoNotOptimize(sum);
  }
}

aio::Coro<void> bench_as_completed(benchmark::State* state, std::int64_t count) {
  for (auto _ : *state) {
    std::int64_t sum = 0;
    for (auto next : aio::as_completed(quick_tasks(count))) {
      int value = co_await next;
      sum += value;
    }
    benchmark::DoNotOptimize(sum);
  }
}

void BM_wait_first_completed(benchmark::State& state) { run_benchmark(state, bench_wait_first_completed); }
void BM_wait_all_completed(benchmark::State& state) { run_benchmark(state, bench_wait_all_completed); }
void BM_await_each(benchmark::State& state) { run_benchmark(state, bench_await_each); }
void BM_as_completed(benchmark::State& state) { run_benchmark(state, bench_as_completed); }

void sizes(benchmark::internal::Benchmark* bench) { aio_bench::sizes(bench, {10, 100, 1'000, 10'000}); }

}  // namespace

BENCHMARK(BM_wait_first_completed)->Apply(sizes);
BENCHMARK(BM_wait_all_completed)->Apply(sizes);
BENCHMARK(BM_await_each)->Apply(sizes);
BENCHMARK(BM_as_completed)->Apply(sizes);

BENCHMARK_MAIN();
