// Lesson 15's benchmarks: what entering and leaving a scope costs, with a manager whose enter()
// and exit() have nothing to wait for, so that the numbers are the mechanism alone. Everything
// runs on the virtual clock, inside one aio::run per benchmark. Items are scopes (or entries, for
// the stack), so items_per_second is scopes (entries) per second.
//
//   BM_raii                 the C++ baseline: a guard whose destructor does the teardown, around
//                           a co_await of the body. Cannot await in its teardown.
//   BM_by_hand              co_await enter(), the body in a try, then co_await exit(error) directly:
//                           what you write without async_with. Not shielded.
//   BM_async_with           co_await aio::async_with(manager, body): the same, plus the shielded
//                           teardown: a task for exit(), and three turns of the loop
//   BM_exit_stack/N         N managers entered on an AsyncExitStack under async_with, unwound
//                           as one shielded teardown; items are entries
#include "bench_support.hpp"

#include <aio/async_exit_stack.hpp>
#include <aio/async_with.hpp>
#include <aio/coro.hpp>
#include <aio/run.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <exception>

namespace {

/// A manager with nothing to wait for: it counts its enters and exits.
struct Counter {
  std::int64_t* count;

  aio::Coro<Counter*> enter() {
    ++*count;
    co_return this;
  }
  aio::Coro<void> exit(std::exception_ptr) {
    ++*count;
    co_return;
  }
};

/// The RAII version: the teardown in a destructor, synchronous.
struct Guard {
  explicit Guard(std::int64_t* counted) : count(counted) { ++*count; }
  Guard(const Guard&) = delete;
  Guard& operator=(const Guard&) = delete;
  ~Guard() { ++*count; }
  std::int64_t* count;
};

aio::Coro<void> body(Counter* counter) {
  benchmark::DoNotOptimize(counter->count);
  co_return;
}

// book:bench-scopes
aio::Coro<void> raii(benchmark::State* state, std::int64_t*, std::int64_t* count) {
  for (auto _ : *state) {
    Guard guard(count);
    Counter counter{count};
    co_await body(&counter);
  }
}

aio::Coro<void> by_hand(benchmark::State* state, std::int64_t*, std::int64_t* count) {
  for (auto _ : *state) {
    Counter counter{count};
    Counter* entered = co_await counter.enter();
    std::exception_ptr error;
    try {
      co_await body(entered);
    } catch (...) {
      error = std::current_exception();
    }
    co_await counter.exit(error);  // not shielded: a cancel here cuts the teardown
    if (error) std::rethrow_exception(error);
  }
}

aio::Coro<void> with(benchmark::State* state, std::int64_t*, std::int64_t* count) {
  for (auto _ : *state) {
    Counter counter{count};
    co_await aio::async_with(counter, body);
  }
}
// end book:bench-scopes

// book:bench-stack
aio::Coro<void> enter_all(aio::AsyncExitStack* stack, std::int64_t entries, std::int64_t* count) {
  for (std::int64_t i = 0; i < entries; ++i) {
    Counter counter{count};
    co_await stack->enter_async_context(counter);
  }
}

aio::Coro<void> stack(benchmark::State* state, std::int64_t* entries, std::int64_t* count) {
  for (auto _ : *state) {
    co_await aio::async_with(aio::AsyncExitStack(), enter_all, *entries, count);
  }
}
// end book:bench-stack

template <class Run>
void run_on_virtual_clock(benchmark::State& state, Run run, std::int64_t items_per_scope) {
  std::int64_t entries = state.range(0);
  std::int64_t count = 0;
  aio::run(run(&state, &entries, &count), {.virtual_clock = true});
  if (count != 2 * state.iterations() * (items_per_scope == 0 ? entries : 1)) {
    state.SkipWithError("a teardown did not run");
  }
  state.SetItemsProcessed(state.iterations() * (items_per_scope == 0 ? entries : 1));
}

void BM_raii(benchmark::State& state) { run_on_virtual_clock(state, raii, 1); }
void BM_by_hand(benchmark::State& state) { run_on_virtual_clock(state, by_hand, 1); }
void BM_async_with(benchmark::State& state) { run_on_virtual_clock(state, with, 1); }
void BM_exit_stack(benchmark::State& state) { run_on_virtual_clock(state, stack, 0); }

}  // namespace

BENCHMARK(BM_raii)->Arg(1);
BENCHMARK(BM_by_hand)->Arg(1);
BENCHMARK(BM_async_with)->Arg(1);
BENCHMARK(BM_exit_stack)->Apply([](benchmark::internal::Benchmark* bench) { aio_bench::sizes(bench, {1, 10, 100, 1'000}); });

BENCHMARK_MAIN();
