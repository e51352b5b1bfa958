// Lesson 11's benchmarks: what a task group costs next to gather, when everything goes well and
// when a child fails. Everything runs on the virtual clock (nothing really sleeps), inside one
// aio::run per benchmark, so the numbers are the mechanism alone. Items are children, so
// items_per_second is children per second.
//
// Spawning N children that return at once:
//   BM_gather/N                co_await aio::gather(N coroutines): the lesson 06 baseline
//   BM_task_group/N            co_await aio::task_group(body), the body creating the N children
//                              with group.create_task: one Child node (a done listener) per child
//                              plus the scope's own state
//
// The failure path: one child fails at once, the N-1 others are asleep (for an hour) and have
// to be stopped:
//   BM_task_group_failure/N    the group cancels the N-1 siblings and its body; the scope waits
//                              for them and lets out an ExceptionGroup, which is caught
//   BM_gather_failure/N        what you write without a group: gather raises the first error
//                              and leaves the others running, so cancel them by hand and wait
//                              for them (a second gather, with return_exceptions)
#include "bench_support.hpp"

#include <aio/errors.hpp>
#include <aio/exception_group.hpp>
#include <aio/gather.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio/task_group.hpp>

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <vector>

using namespace std::chrono_literals;

namespace {

aio::Coro<int> quick(int value) { co_return value; }

aio::Coro<int> asleep(int value) {
  co_await aio::sleep(1h);
  co_return value;
}

aio::Coro<int> broken(int) {
  throw std::runtime_error("broken");
  co_return 0;
}

// ---- spawning ----------------------------------------------------------------------------------

aio::Coro<void> gather_children(benchmark::State* state, int count) {
  for (auto _ : *state) {
    std::vector<aio::Coro<int>> coros;
    coros.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) coros.push_back(quick(i));
    std::vector<int> results = co_await aio::gather(std::move(coros));
    benchmark::DoNotOptimize(results.data());
  }
}

// book:bench-task-group
aio::Coro<void> group_children(benchmark::State* state, int count) {
  for (auto _ : *state) {
    co_await aio::task_group(
        [](aio::TaskGroup group, int count) -> aio::Coro<void> {
          for (int i = 0; i < count; ++i) group.create_task(quick(i));
          co_return;
        },
        count);
  }
}
// end book:bench-task-group

// ---- the failure path --------------------------------------------------------------------------

// book:bench-failure
aio::Coro<void> group_failure(benchmark::State* state, int count) {
  for (auto _ : *state) {
    try {
      co_await aio::task_group(
          [](aio::TaskGroup group, int count) -> aio::Coro<void> {
            group.create_task(broken(0));
            for (int i = 1; i < count; ++i) group.create_task(asleep(i));
            co_return;
          },
          count);
    } catch (const aio::ExceptionGroup& errors) {
      benchmark::DoNotOptimize(errors.size());
    }
  }
}

aio::Coro<void> gather_failure(benchmark::State* state, int count) {
  for (auto _ : *state) {
    std::vector<aio::Task<int>> tasks;
    tasks.reserve(static_cast<std::size_t>(count));
    tasks.push_back(aio::create_task(broken(0)));
    for (int i = 1; i < count; ++i) tasks.push_back(aio::create_task(asleep(i)));
    try {
      co_await aio::gather(tasks);
    } catch (const std::runtime_error& error) {
      benchmark::DoNotOptimize(error.what());
    }
    for (aio::Task<int>& task : tasks) task.cancel();  // by hand: gather left them running
    auto outcomes = co_await aio::gather(aio::return_exceptions, tasks);
    benchmark::DoNotOptimize(outcomes.data());
  }
}
// end book:bench-failure

template <class Body>
void run_on_virtual_clock(benchmark::State& state, Body body) {
  aio::run(body(&state, static_cast<int>(state.range(0))), {.virtual_clock = true});
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_gather(benchmark::State& state) { run_on_virtual_clock(state, gather_children); }
void BM_task_group(benchmark::State& state) { run_on_virtual_clock(state, group_children); }
void BM_task_group_failure(benchmark::State& state) { run_on_virtual_clock(state, group_failure); }
void BM_gather_failure(benchmark::State& state) { run_on_virtual_clock(state, gather_failure); }

void sizes(benchmark::internal::Benchmark* bench) { aio_bench::sizes(bench, {10, 1'000, 100'000}); }

}  // namespace

BENCHMARK(BM_gather)->Apply(sizes);
BENCHMARK(BM_task_group)->Apply(sizes);
BENCHMARK(BM_task_group_failure)->Apply(sizes);
BENCHMARK(BM_gather_failure)->Apply(sizes);

BENCHMARK_MAIN();
