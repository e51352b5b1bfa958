// Lesson 09's benchmarks: what a time limit costs, per operation.
//
// One benchmark iteration is one operation, done inside a single aio::run on the virtual clock
// (so nothing really sleeps; the numbers are the mechanism alone). Items: operations.
//
//   BM_await/immediate            co_await a coroutine that returns at once: the floor
//   BM_await/yield                co_await a coroutine that yields once (sleep(0)) first
//   BM_create_task_await/...      the same coroutine run as a task and awaited: the part of
//                                 wait_for's cost that asyncio pays too (wait_for makes a task)
//   BM_wait_for/...               co_await aio::wait_for(coroutine, 1 h): it finishes in time
//   BM_wait_for_task/...          aio::wait_for on a task made beforehand
//   BM_timeout_scope/...          co_await aio::timeout(1 h).run(coroutine): no task, a timer
//   BM_wait_for_expires           the time runs out: the inner task (asleep) is cancelled and
//                                 waited for, then TimeoutError
//   BM_timeout_scope_expires      the same with a scope: the task itself is cancelled, and the
//                                 CancelledError becomes TimeoutError
#include "bench_support.hpp"

#include <aio/errors.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio/timeout.hpp>
#include <aio/wait_for.hpp>

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>

using namespace std::chrono_literals;

namespace {

enum class Inner : std::int64_t { immediate = 0, yield = 1 };

// book:bench-inner
aio::Coro<int> immediate() { co_return 1; }

aio::Coro<int> yielding() {
  co_await aio::sleep(0ms);
  co_return 1;
}

aio::Coro<int> inner(Inner kind) {
  if (kind == Inner::yield) {
    int value = co_await yielding();
    co_return value;
  }
  int value = co_await immediate();
  co_return value;
}
// end book:bench-inner

aio::Coro<int> asleep() {
  co_await aio::sleep(24h);
  co_return 1;
}

template <class Body>
void run_benchmark(benchmark::State& state, Body body) {
  aio::run(body(&state, static_cast<Inner>(state.range(0))), {.virtual_clock = true});
  state.SetItemsProcessed(state.iterations());
}

// book:bench-wait-for
aio::Coro<void> bench_await(benchmark::State* state, Inner kind) {
  for (auto _ : *state) {
    int value = co_await inner(kind);
    benchmark::DoNotOptimize(value);
  }
}

aio::Coro<void> bench_create_task_await(benchmark::State* state, Inner kind) {
  for (auto _ : *state) {
    int value = co_await aio::create_task(inner(kind));
    benchmark::DoNotOptimize(value);
  }
}

aio::Coro<void> bench_wait_for(benchmark::State* state, Inner kind) {
  for (auto _ : *state) {
    int value = co_await aio::wait_for(inner(kind), 1h);
    benchmark::DoNotOptimize(value);
  }
}

aio::Coro<void> bench_wait_for_task(benchmark::State* state, Inner kind) {
  for (auto _ : *state) {
    aio::Task<int> task = aio::create_task(inner(kind));
    int value = co_await aio::wait_for(task, 1h);
    benchmark::DoNotOptimize(value);
  }
}

aio::Coro<void> bench_timeout_scope(benchmark::State* state, Inner kind) {
  for (auto _ : *state) {
    int value = co_await aio::timeout(1h).run(inner(kind));
    benchmark::DoNotOptimize(value);
  }
}
// end book:bench-wait-for

aio::Coro<void> bench_wait_for_expires(benchmark::State* state, Inner) {
  for (auto _ : *state) {
    try {
      co_await aio::wait_for(asleep(), 1ms);
    } catch (const aio::TimeoutError& error) {
      benchmark::DoNotOptimize(&error);
    }
  }
}

aio::Coro<void> bench_timeout_scope_expires(benchmark::State* state, Inner) {
  for (auto _ : *state) {
    try {
      co_await aio::timeout(1ms).run(asleep());
    } catch (const aio::TimeoutError& error) {
      benchmark::DoNotOptimize(&error);
    }
  }
}

void BM_await(benchmark::State& state) { run_benchmark(state, bench_await); }
void BM_create_task_await(benchmark::State& state) { run_benchmark(state, bench_create_task_await); }
void BM_wait_for(benchmark::State& state) { run_benchmark(state, bench_wait_for); }
void BM_wait_for_task(benchmark::State& state) { run_benchmark(state, bench_wait_for_task); }
void BM_timeout_scope(benchmark::State& state) { run_benchmark(state, bench_timeout_scope); }
void BM_wait_for_expires(benchmark::State& state) { run_benchmark(state, bench_wait_for_expires); }
void BM_timeout_scope_expires(benchmark::State& state) { run_benchmark(state, bench_timeout_scope_expires); }

void kinds(benchmark::internal::Benchmark* bench) {
  bench->ArgName("yield")->Arg(static_cast<std::int64_t>(Inner::immediate))->Arg(static_cast<std::int64_t>(Inner::yield));
}

}  // namespace

BENCHMARK(BM_await)->Apply(kinds);
BENCHMARK(BM_create_task_await)->Apply(kinds);
BENCHMARK(BM_wait_for)->Apply(kinds);
BENCHMARK(BM_wait_for_task)->Apply(kinds);
BENCHMARK(BM_timeout_scope)->Apply(kinds);
BENCHMARK(BM_wait_for_expires)->Arg(0);
BENCHMARK(BM_timeout_scope_expires)->Arg(0);

BENCHMARK_MAIN();
