// Lesson 06's benchmarks: what gather buys, and what it costs.
//
// What it buys: N "fetches" that each wait 10 ms on the real clock (UseRealTime):
//   BM_fetch_sequential/N  co_await one fetch after another: N x 10 ms. Up to N = 1,000 (10 s);
//                          10,000 would take 100 s.
//   BM_fetch_gather/N      all N at once with aio::gather: about 10 ms, whatever N.
//   BM_fetch_threads/N     one std::thread per fetch, each std::this_thread::sleep_for(10ms),
//                          then join them all: also about 10 ms, plus a thread's creation per
//                          fetch. Up to N = 1,000.
// Items are fetches, so items_per_second is fetches per second.
//
// What it costs: N trivial coroutines (they return their argument at once) on the virtual clock,
// nothing sleeps, so the numbers are the mechanism alone. Items are children.
//   BM_await_each/N        create N tasks, then co_await each in turn: the baseline.
//   BM_gather/N            co_await aio::gather(N coroutines): N tasks plus one listener and
//                          one ready-queue callback per child, the results in a vector.
//   BM_gather_tasks/N      the same, from N tasks created one by one with create_task (as
//                          BM_await_each does) instead of a vector of N coroutines.
//   BM_gather_tuple        co_await aio::gather(a(), b(), c()): the variadic form, 3 children.
//
// The chapter's plot (book/06-gather.svg) is drawn from this program's JSON output:
//   bench_06-gather --benchmark_format=json > gather.json
//   python3 tools/plot_benchmark.py gather.json --filter BM_fetch --out book/06-gather.svg
#include "bench_support.hpp"

#include <aio/gather.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <thread>
#include <tuple>
#include <vector>

using namespace std::chrono_literals;

namespace {

constexpr auto kFetchTime = 10ms;

// ---- what it buys ----------------------------------------------------------------------------

aio::Coro<int> fetch(int id) {
  co_await aio::sleep(kFetchTime);
  co_return id;
}

// book:bench-sequential
aio::Coro<void> fetch_sequential(benchmark::State* state, int count) {
  for (auto _ : *state) {
    std::int64_t total = 0;
    for (int i = 0; i < count; ++i) {
      const int page = co_await fetch(i);
      total += page;
    }
    benchmark::DoNotOptimize(total);
  }
}
// end book:bench-sequential

// book:bench-gather
aio::Coro<void> fetch_gather(benchmark::State* state, int count) {
  for (auto _ : *state) {
    std::vector<aio::Coro<int>> fetches;
    fetches.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) fetches.push_back(fetch(i));
    std::vector<int> pages = co_await aio::gather(std::move(fetches));
    benchmark::DoNotOptimize(pages.data());
  }
}
// end book:bench-gather

template <class Body>
void run_on_real_clock(benchmark::State& state, Body body) {
  aio::run(body(&state, static_cast<int>(state.range(0))), {.virtual_clock = false});
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_fetch_sequential(benchmark::State& state) { run_on_real_clock(state, fetch_sequential); }
void BM_fetch_gather(benchmark::State& state) { run_on_real_clock(state, fetch_gather); }

// book:bench-threads
void BM_fetch_threads(benchmark::State& state) {
  const auto count = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    std::vector<std::thread> threads;
    threads.reserve(count);
    for (std::size_t i = 0; i < count; ++i) threads.emplace_back([] { std::this_thread::sleep_for(kFetchTime); });
    for (std::thread& thread : threads) thread.join();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
// end book:bench-threads

// ---- what it costs ---------------------------------------------------------------------------

aio::Coro<int> quick(int value) { co_return value; }

aio::Coro<void> await_each(benchmark::State* state, int count) {
  for (auto _ : *state) {
    std::vector<aio::Task<int>> tasks;
    tasks.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) tasks.push_back(aio::create_task(quick(i)));
    std::vector<int> results;
    results.reserve(tasks.size());
    for (const aio::Task<int>& task : tasks) {
      const int result = co_await task;
      results.push_back(result);
    }
    benchmark::DoNotOptimize(results.data());
  }
}

// book:bench-gather-trivial
aio::Coro<void> gather_trivial(benchmark::State* state, int count) {
  for (auto _ : *state) {
    std::vector<aio::Coro<int>> coros;
    coros.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) coros.push_back(quick(i));
    std::vector<int> results = co_await aio::gather(std::move(coros));
    benchmark::DoNotOptimize(results.data());
  }
}
// end book:bench-gather-trivial

aio::Coro<void> gather_tasks(benchmark::State* state, int count) {
  for (auto _ : *state) {
    std::vector<aio::Task<int>> tasks;
    tasks.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) tasks.push_back(aio::create_task(quick(i)));
    std::vector<int> results = co_await aio::gather(tasks);
    benchmark::DoNotOptimize(results.data());
  }
}

aio::Coro<void> gather_tuple(benchmark::State* state, int) {
  for (auto _ : *state) {
    std::tuple<int, int, int> results = co_await aio::gather(quick(1), quick(2), quick(3));
    benchmark::DoNotOptimize(results);
  }
}

template <class Body>
void run_on_virtual_clock(benchmark::State& state, Body body, std::int64_t children) {
  aio::run(body(&state, static_cast<int>(children)), {.virtual_clock = true});
  state.SetItemsProcessed(state.iterations() * children);
}

void BM_await_each(benchmark::State& state) { run_on_virtual_clock(state, await_each, state.range(0)); }
void BM_gather(benchmark::State& state) { run_on_virtual_clock(state, gather_trivial, state.range(0)); }
void BM_gather_tasks(benchmark::State& state) { run_on_virtual_clock(state, gather_tasks, state.range(0)); }
void BM_gather_tuple(benchmark::State& state) { run_on_virtual_clock(state, gather_tuple, 3); }

}  // namespace

// Sleeping benchmarks: a few iterations are plenty (each one lasts at least 10 ms), wall-clock time.
BENCHMARK(BM_fetch_sequential)
    ->Apply([](auto* b) { aio_bench::sizes(b, {1, 10, 100, 1'000}, 100); })
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_fetch_gather)
    ->Apply([](auto* b) { aio_bench::sizes(b, {1, 10, 100, 1'000, 10'000}); })
    ->Iterations(5)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_fetch_threads)
    ->Apply([](auto* b) { aio_bench::sizes(b, {1, 10, 100, 1'000}, 100); })
    ->Iterations(5)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

BENCHMARK(BM_await_each)->Apply([](auto* b) { aio_bench::sizes(b, {1'000, 10'000, 100'000}); });
BENCHMARK(BM_gather)->Apply([](auto* b) { aio_bench::sizes(b, {1'000, 10'000, 100'000}); });
BENCHMARK(BM_gather_tasks)->Apply([](auto* b) { aio_bench::sizes(b, {1'000, 10'000, 100'000}); });
BENCHMARK(BM_gather_tuple);

BENCHMARK_MAIN();
