// Lesson 10's benchmarks: what awaiting through a shield costs, against awaiting the task.
//
// One benchmark iteration is one operation, inside a single aio::run on the virtual clock.
// Items: operations.
//
//   BM_await_task/pending:1       create a task that yields once, co_await it: the baseline
//   BM_await_shield/pending:1     the same task, awaited through aio::shield: one more loop
//                                 iteration (asyncio's two hops) and a listener
//   BM_await_task/pending:0       the task has finished before it is awaited (one sleep(0) in
//   BM_await_shield/pending:0     between): neither suspends
//   BM_shield_caller_cancelled    a helper task awaits a sleeping task through a shield and is
//                                 cancelled: the caller's CancelledError, the inner task untouched
#include "bench_support.hpp"

#include <aio/errors.hpp>
#include <aio/run.hpp>
#include <aio/shield.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>

using namespace std::chrono_literals;

namespace {

aio::Coro<int> yielding() {
  co_await aio::sleep(0ms);
  co_return 1;
}

aio::Coro<int> asleep() {
  co_await aio::sleep(24h);
  co_return 1;
}

template <class Body>
void run_benchmark(benchmark::State& state, Body body) {
  aio::run(body(&state, state.range(0) == 1), {.virtual_clock = true});
  state.SetItemsProcessed(state.iterations());
}

// book:bench-shield
aio::Coro<void> bench_await_task(benchmark::State* state, bool pending) {
  for (auto _ : *state) {
    aio::Task<int> task = aio::create_task(yielding());
    if (!pending) co_await aio::sleep(0ms);  // let it finish first
    int value = co_await task;
    benchmark::DoNotOptimize(value);
  }
}

aio::Coro<void> bench_await_shield(benchmark::State* state, bool pending) {
  for (auto _ : *state) {
    aio::Task<int> task = aio::create_task(yielding());
    if (!pending) co_await aio::sleep(0ms);
    int value = co_await aio::shield(task);
    benchmark::DoNotOptimize(value);
  }
}
// end book:bench-shield

aio::Coro<int> shielded(aio::Task<int> task) {
  int value = co_await aio::shield(task);
  co_return value;
}

aio::Coro<void> bench_shield_caller_cancelled(benchmark::State* state, bool) {
  aio::Task<int> inner = aio::create_task(asleep());
  for (auto _ : *state) {
    aio::Task<int> caller = aio::create_task(shielded(inner));
    co_await aio::sleep(0ms);  // the caller reaches the shield
    caller.cancel();
    try {
      co_await caller;
    } catch (const aio::CancelledError& error) {
      benchmark::DoNotOptimize(&error);
    }
  }
  inner.cancel();
}

void BM_await_task(benchmark::State& state) { run_benchmark(state, bench_await_task); }
void BM_await_shield(benchmark::State& state) { run_benchmark(state, bench_await_shield); }
void BM_shield_caller_cancelled(benchmark::State& state) { run_benchmark(state, bench_shield_caller_cancelled); }

void pending(benchmark::internal::Benchmark* bench) { bench->ArgName("pending")->Arg(1)->Arg(0); }

}  // namespace

BENCHMARK(BM_await_task)->Apply(pending);
BENCHMARK(BM_await_shield)->Apply(pending);
BENCHMARK(BM_shield_caller_cancelled)->Arg(1);

BENCHMARK_MAIN();
