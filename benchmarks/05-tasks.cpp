// Lesson 05: what a task costs. Each benchmark runs N trivial coroutines (they return their
// argument at once) inside one aio::run, and reports coroutines per second:
//
//   BM_await_coro                 co_await each coroutine directly: a frame and two symmetric
//                                 transfers, no loop involved. The floor.
//   BM_create_task_await_each     create_task, then co_await it, one at a time: a frame, a task,
//                                 and two trips through the ready queue per coroutine (the task's
//                                 step, then the awaiting task's wake-up).
//   BM_create_tasks_then_await    create all N tasks first, then await them in order: the tasks'
//                                 steps run back to back in one iteration, and the awaiting task
//                                 finds all but the first already done.
//   BM_done_callbacks             one task with N done callbacks: per callback, a listener,
//                                 a call_soon (a ScheduledCall and a std::function) and the call.
//
// Every run uses a fresh loop on the real clock; nothing sleeps, so no timer is involved.
#include "bench_support.hpp"

#include <aio/run.hpp>
#include <aio/task.hpp>

#include <cstdint>
#include <vector>

namespace {

const aio::RunOptions real_clock{.virtual_clock = false};

aio::Coro<std::int64_t> identity(std::int64_t value) { co_return value; }

// book:bench-await-coro
aio::Coro<std::int64_t> await_coros(std::int64_t count) {
  std::int64_t total = 0;
  for (std::int64_t i = 0; i < count; ++i) total += co_await identity(i);
  co_return total;
}
// end book:bench-await-coro

// book:bench-await-task
aio::Coro<std::int64_t> create_and_await_each(std::int64_t count) {
  std::int64_t total = 0;
  for (std::int64_t i = 0; i < count; ++i) {
    aio::Task<std::int64_t> task = aio::create_task(identity(i));
    total += co_await task;
  }
  co_return total;
}
// end book:bench-await-task

aio::Coro<std::int64_t> create_all_then_await(std::int64_t count) {
  std::vector<aio::Task<std::int64_t>> tasks;
  tasks.reserve(static_cast<std::size_t>(count));
  for (std::int64_t i = 0; i < count; ++i) tasks.push_back(aio::create_task(identity(i)));
  std::int64_t total = 0;
  for (auto& task : tasks) total += co_await task;
  co_return total;
}

aio::Coro<std::int64_t> many_done_callbacks(std::int64_t count) {
  std::int64_t calls = 0;
  aio::Task<std::int64_t> task = aio::create_task(identity(1));
  for (std::int64_t i = 0; i < count; ++i) {
    task.add_done_callback([&calls](const aio::Task<std::int64_t>&) { ++calls; });
  }
  co_await task;  // main listens last, so it resumes after every callback has run
  co_return calls;
}

template <aio::Coro<std::int64_t> (*Workload)(std::int64_t)>
void run_workload(benchmark::State& state) {
  const std::int64_t count = state.range(0);
  for (auto _ : state) benchmark::DoNotOptimize(aio::run(Workload(count), real_clock));
  state.SetItemsProcessed(state.iterations() * count);
}

void BM_await_coro(benchmark::State& state) { run_workload<&await_coros>(state); }
void BM_create_task_await_each(benchmark::State& state) { run_workload<&create_and_await_each>(state); }
void BM_create_tasks_then_await(benchmark::State& state) { run_workload<&create_all_then_await>(state); }
void BM_done_callbacks(benchmark::State& state) { run_workload<&many_done_callbacks>(state); }

void sizes(benchmark::internal::Benchmark* bench) {
  aio_bench::sizes(bench, {1'000, 10'000, 100'000, 200'000});
}

}  // namespace

BENCHMARK(BM_await_coro)->Apply(sizes);
BENCHMARK(BM_create_task_await_each)->Apply(sizes);
BENCHMARK(BM_create_tasks_then_await)->Apply(sizes);
BENCHMARK(BM_done_callbacks)->Apply(sizes);

BENCHMARK_MAIN();
