// Lesson 12's benchmarks: what the primitives cost, and what a semaphore buys.
//
// The mechanism, on the virtual clock (nothing really sleeps):
//   BM_lock_uncontended            one task: co_await lock.acquire() and the guard's release, N
//                                  times; the lock is always free, so nothing ever suspends.
//                                  Items are acquire/release pairs.
//   BM_semaphore_uncontended       the same with a Semaphore(1).
//   BM_lock_handoff/T              T tasks take turns: each acquires, yields once (sleep(0))
//                                  holding the lock, and releases, 1,000 times. With T >= 2
//                                  every release hands the lock to a waiting task, which the
//                                  loop resumes from the ready queue. Items are acquisitions.
//   BM_event_fanout/N              N tasks wait on one Event; set() wakes them all; gather waits
//                                  for them. Items are waiters (each one a task: its creation,
//                                  its wait and its wake-up).
//   BM_spawn_only/N                the same N tasks, without the event: what the tasks alone
//                                  cost, to subtract from BM_event_fanout.
//
// What a semaphore buys, on the real clock (UseRealTime): 100 requests that each take 10 ms.
//   BM_requests_unbounded          all at once (gather): about 10 ms, with 100 in flight.
//   BM_requests_bounded/K          the same under Semaphore(K): about 100/K x 10 ms, never more
//                                  than K in flight.
#include "bench_support.hpp"

#include <aio/event.hpp>
#include <aio/gather.hpp>
#include <aio/lock.hpp>
#include <aio/run.hpp>
#include <aio/semaphore.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <vector>

using namespace std::chrono_literals;

namespace {

// ---- uncontended --------------------------------------------------------------------------

constexpr int kBatch = 1000;  // acquire/release pairs per benchmark iteration

// book:bench-uncontended
aio::Coro<void> lock_uncontended(benchmark::State* state) {
  aio::Lock lock;
  for (auto _ : *state) {
    for (int i = 0; i < kBatch; ++i) {
      aio::Guard<aio::Lock> held = co_await lock.acquire();  // free: no suspension
      benchmark::DoNotOptimize(&held);
    }
  }
}
// end book:bench-uncontended

aio::Coro<void> semaphore_uncontended(benchmark::State* state) {
  aio::Semaphore semaphore(1);
  for (auto _ : *state) {
    for (int i = 0; i < kBatch; ++i) {
      aio::Guard<aio::Semaphore> permit = co_await semaphore.acquire();
      benchmark::DoNotOptimize(&permit);
    }
  }
}

void BM_lock_uncontended(benchmark::State& state) {
  aio::run(lock_uncontended(&state), {.virtual_clock = true});
  state.SetItemsProcessed(state.iterations() * kBatch);
}

void BM_semaphore_uncontended(benchmark::State& state) {
  aio::run(semaphore_uncontended(&state), {.virtual_clock = true});
  state.SetItemsProcessed(state.iterations() * kBatch);
}

// ---- contended: the hand-over -----------------------------------------------------------------

// book:bench-handoff
aio::Coro<void> take_turns(aio::Lock* lock, int rounds) {
  for (int i = 0; i < rounds; ++i) {
    aio::Guard<aio::Lock> held = co_await lock->acquire();
    co_await aio::sleep(0ms);  // hold it across a suspension: the others queue up
  }
}

aio::Coro<void> lock_handoff(benchmark::State* state, int tasks) {
  const int rounds = kBatch / tasks;
  for (auto _ : *state) {
    aio::Lock lock;
    std::vector<aio::Coro<void>> turns;
    for (int t = 0; t < tasks; ++t) turns.push_back(take_turns(&lock, rounds));
    co_await aio::gather(std::move(turns));
  }
}
// end book:bench-handoff

void BM_lock_handoff(benchmark::State& state) {
  const int tasks = static_cast<int>(state.range(0));
  aio::run(lock_handoff(&state, tasks), {.virtual_clock = true});
  state.SetItemsProcessed(state.iterations() * (kBatch / tasks) * tasks);
}

// ---- fan-out ----------------------------------------------------------------------------------

aio::Coro<void> wait_on(aio::Event* event) { co_await event->wait(); }
aio::Coro<void> nothing() { co_return; }

aio::Coro<void> event_fanout(benchmark::State* state, int waiters) {
  for (auto _ : *state) {
    aio::Event event;
    std::vector<aio::Task<void>> tasks;
    tasks.reserve(static_cast<std::size_t>(waiters));
    for (int i = 0; i < waiters; ++i) tasks.push_back(aio::create_task(wait_on(&event)));
    co_await aio::sleep(0ms);  // every waiter runs to its wait() and suspends
    event.set();               // wakes them all, oldest first
    co_await aio::gather(tasks);
  }
}

aio::Coro<void> spawn_only(benchmark::State* state, int count) {
  for (auto _ : *state) {
    std::vector<aio::Task<void>> tasks;
    tasks.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) tasks.push_back(aio::create_task(nothing()));
    co_await aio::sleep(0ms);
    co_await aio::gather(tasks);
  }
}

void BM_event_fanout(benchmark::State& state) {
  aio::run(event_fanout(&state, static_cast<int>(state.range(0))), {.virtual_clock = true});
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_spawn_only(benchmark::State& state) {
  aio::run(spawn_only(&state, static_cast<int>(state.range(0))), {.virtual_clock = true});
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

// ---- what a semaphore buys: real sleeps ------------------------------------------------------------

constexpr int kRequests = 100;

aio::Coro<void> request() { co_await aio::sleep(10ms); }

// book:bench-bounded
aio::Coro<void> bounded_request(aio::Semaphore* limit) {
  aio::Guard<aio::Semaphore> permit = co_await limit->acquire();
  co_await request();
}

aio::Coro<void> requests_bounded(benchmark::State* state, int limit) {
  for (auto _ : *state) {
    aio::Semaphore semaphore(limit);
    std::vector<aio::Coro<void>> requests;
    for (int i = 0; i < kRequests; ++i) requests.push_back(bounded_request(&semaphore));
    co_await aio::gather(std::move(requests));
  }
}
// end book:bench-bounded

aio::Coro<void> requests_unbounded(benchmark::State* state) {
  for (auto _ : *state) {
    std::vector<aio::Coro<void>> requests;
    for (int i = 0; i < kRequests; ++i) requests.push_back(request());
    co_await aio::gather(std::move(requests));
  }
}

void BM_requests_unbounded(benchmark::State& state) {
  aio::run(requests_unbounded(&state), {.virtual_clock = false});
  state.SetItemsProcessed(state.iterations() * kRequests);
}

void BM_requests_bounded(benchmark::State& state) {
  aio::run(requests_bounded(&state, static_cast<int>(state.range(0))), {.virtual_clock = false});
  state.SetItemsProcessed(state.iterations() * kRequests);
}

}  // namespace

BENCHMARK(BM_lock_uncontended);
BENCHMARK(BM_semaphore_uncontended);
BENCHMARK(BM_lock_handoff)->Arg(1)->Arg(2)->Arg(100);
BENCHMARK(BM_event_fanout)->Apply([](auto* b) { aio_bench::sizes(b, {10, 1'000, 100'000}); });
BENCHMARK(BM_spawn_only)->Apply([](auto* b) { aio_bench::sizes(b, {10, 1'000, 100'000}); });
BENCHMARK(BM_requests_unbounded)->Iterations(5)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_requests_bounded)->Arg(10)->Arg(50)->Iterations(5)->UseRealTime()->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
