// Lesson 08: what a cancellation costs. Cancellation is exception-based: the co_await where a
// task is suspended throws aio::CancelledError, and every frame between it and the task unwinds.
// Each benchmark runs N tasks on a virtual-clock loop and reports tasks per second:
//
//   BM_task_completes            each task sleeps, wakes and returns: the baseline
//   BM_task_cancelled_sleeping   each task sleeps and is cancelled: its sleep leaves the timer
//                                heap and throws CancelledError, which ends the task
//   BM_task_cancelled_unstarted  each task is cancelled before its first step: the body never
//                                runs, but a CancelledError is still made and stored
//   BM_cancel_through_frames/D   the cancelled sleep sits D coroutines deep, and each frame
//                                catches and rethrows on the way out (cleanup with try/catch)
//
// and BM_throw_catch, one CancelledError thrown and caught in plain code, for scale.
#include "bench_support.hpp"

#include <aio/cancellation.hpp>
#include <aio/errors.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>

#include <chrono>
#include <cstdint>
#include <vector>

using namespace std::chrono_literals;

namespace {

aio::Coro<int> sleeper() {
  co_await aio::sleep(1s);
  co_return 1;
}

aio::Coro<int> nested(int depth) {
  if (depth <= 1) {
    co_await aio::sleep(1h);
    co_return 1;
  }
  try {
    int value = co_await nested(depth - 1);
    co_return value;
  } catch (const aio::CancelledError&) {
    throw;  // the shape of a cleanup handler: catch, (clean up,) rethrow
  }
}

enum class Ending { completes, cancelled_sleeping, cancelled_unstarted };

aio::Coro<void> run_tasks(int count, Ending ending, int depth) {
  std::vector<aio::Task<int>> tasks;
  tasks.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    tasks.push_back(aio::create_task(ending == Ending::completes ? sleeper() : nested(depth)));
    if (ending == Ending::cancelled_unstarted) tasks.back().cancel();
  }
  if (ending == Ending::cancelled_sleeping) {
    co_await aio::sleep(0ms);  // every task runs to its sleep
    for (auto& task : tasks) task.cancel();
  }
  for (auto& task : tasks) {
    try {
      int value = co_await task;
      benchmark::DoNotOptimize(value);
    } catch (const aio::CancelledError&) {
    }
  }
}

void run_benchmark(benchmark::State& state, Ending ending, int depth) {
  const int count = static_cast<int>(state.range(0));
  for (auto _ : state) {
    aio::run(run_tasks(count, ending, depth), {.virtual_clock = true});
  }
  state.SetItemsProcessed(state.iterations() * count);
}

void BM_task_completes(benchmark::State& state) { run_benchmark(state, Ending::completes, 1); }
void BM_task_cancelled_sleeping(benchmark::State& state) { run_benchmark(state, Ending::cancelled_sleeping, 1); }
void BM_task_cancelled_unstarted(benchmark::State& state) { run_benchmark(state, Ending::cancelled_unstarted, 1); }

void BM_cancel_through_frames(benchmark::State& state) {
  const int depth = static_cast<int>(state.range(0));
  for (auto _ : state) {
    aio::run(run_tasks(100, Ending::cancelled_sleeping, depth), {.virtual_clock = true});
  }
  state.SetItemsProcessed(state.iterations() * 100);
}

[[gnu::noinline]] void throw_cancelled() { throw aio::CancelledError("benchmark"); }

void BM_throw_catch(benchmark::State& state) {
  for (auto _ : state) {
    try {
      throw_cancelled();
    } catch (const aio::CancelledError& error) {
      benchmark::DoNotOptimize(&error);
    }
  }
  state.SetItemsProcessed(state.iterations());
}

void sizes(benchmark::internal::Benchmark* bench) { aio_bench::sizes(bench, {1'000, 100'000}); }

}  // namespace

BENCHMARK(BM_throw_catch);
BENCHMARK(BM_task_completes)->Apply(sizes);
BENCHMARK(BM_task_cancelled_sleeping)->Apply(sizes);
BENCHMARK(BM_task_cancelled_unstarted)->Apply(sizes);
BENCHMARK(BM_cancel_through_frames)->Arg(1)->Arg(4)->Arg(16);

BENCHMARK_MAIN();
