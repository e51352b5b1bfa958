// The shared workloads on aio; benchmarks/workloads.py runs the same ones on CPython's asyncio, and
// benchmarks/compare.py prints both side by side with their ratios, measured in one run.
//
//   W1_spawn_gather  create 200,000 tasks of a trivial coroutine that returns its argument, gather
//   W1_minimal_loop  the same work on the smallest loop that can do it (the floor for W1)
//   W1_pairs         the two above, one run of each in turn: their ratio, pair by pair
//   W2_switch        one task awaiting sleep(0) 1,000,000 times
//   W3_queue         a producer and a consumer through Queue<int>(128), 1,000,000 items
//   W4_timers        100,000 tasks each sleeping a random 0-10 ms (fixed seed), gathered
//   W5_semaphore     100,000 tasks each holding a Semaphore(100) permit across a sleep(0), gathered
//   W6_sequential    three fetches of 100, 200 and 100 ms, one after another
//   W6_gather        the same three fetches, gathered
//
// Every workload runs on the real clock, starting a fresh loop with aio::run each iteration, as
// the Python side does with asyncio.run. Items processed make items_per_second the throughput.
#include <aio/gather.hpp>
#include <aio/queue.hpp>
#include <aio/run.hpp>
#include <aio/semaphore.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>

#include <bench_support.hpp>

#include <algorithm>
#include <chrono>
#include <coroutine>
#include <cstdint>
#include <deque>
#include <exception>
#include <random>
#include <vector>

namespace {

using namespace std::chrono_literals;

constexpr int w1_tasks = 200'000;
constexpr int w2_switches = 1'000'000;
constexpr int w3_items = 1'000'000;
constexpr int w3_maxsize = 128;
constexpr int w4_timers = 100'000;
constexpr int w5_tasks = 100'000;
constexpr int w5_permits = 100;

const aio::RunOptions real_clock{.virtual_clock = false};

aio::Coro<int> identity(int value) { co_return value; }

aio::Coro<std::int64_t> spawn_and_gather(int count) {
  std::vector<aio::Task<int>> tasks;
  tasks.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) tasks.push_back(aio::create_task(identity(i)));
  std::vector<int> results = co_await aio::gather(std::move(tasks));
  co_return results.back();
}

void W1_spawn_gather(benchmark::State& state) {
  aio_bench::FaultCounter faults(state);
  for (auto _ : state) benchmark::DoNotOptimize(aio::run(spawn_and_gather(w1_tasks), real_clock));
  state.SetItemsProcessed(state.iterations() * w1_tasks);
}
BENCHMARK(W1_spawn_gather)->Unit(benchmark::kMillisecond);

// The floor for W1: the smallest loop that does its work. A FIFO of coroutine handles, and tasks
// that only keep their result: no names, no cancellation, no done listeners, no recycled frames.
namespace minimal {

struct Task {
  struct promise_type {
    int value = 0;
    Task get_return_object() { return Task{std::coroutine_handle<promise_type>::from_promise(*this)}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_value(int result) noexcept { value = result; }
    void unhandled_exception() noexcept { std::terminate(); }
  };
  std::coroutine_handle<promise_type> handle;
};

Task identity(int value) { co_return value; }

int spawn_and_gather(int count) {
  std::vector<std::coroutine_handle<Task::promise_type>> tasks;
  tasks.reserve(static_cast<std::size_t>(count));
  std::deque<std::coroutine_handle<>> ready;
  for (int i = 0; i < count; ++i) {
    tasks.push_back(identity(i).handle);
    ready.push_back(tasks.back());
  }
  while (!ready.empty()) {
    std::coroutine_handle<> next = ready.front();
    ready.pop_front();
    next.resume();
  }
  std::vector<int> results;
  results.reserve(tasks.size());
  for (auto task : tasks) {
    results.push_back(task.promise().value);
    task.destroy();
  }
  return results.back();
}

}  // namespace minimal

void W1_minimal_loop(benchmark::State& state) {
  aio_bench::FaultCounter faults(state);
  for (auto _ : state) benchmark::DoNotOptimize(minimal::spawn_and_gather(w1_tasks));
  state.SetItemsProcessed(state.iterations() * w1_tasks);
}
BENCHMARK(W1_minimal_loop)->Unit(benchmark::kMillisecond);

// W1 against its floor, measured in pairs: each iteration runs W1_spawn_gather once and
// W1_minimal_loop once, back to back, taking turns at going first. A ratio of two separate rows
// divides seconds measured at different moments, and on a shared host a busy second can fall
// on one row and not the other; the two runs of a pair are a few milliseconds apart, so
// whatever the host is doing then, both of them feel it. Counters: the median, lowest and
// highest of the pairs' ratios (W1_spawn_gather / W1_minimal_loop), read by compare.py.
constexpr int w1_pairs = 21;

void W1_pairs(benchmark::State& state) {
  using Clock = std::chrono::steady_clock;
  const auto run_aio = [] { benchmark::DoNotOptimize(aio::run(spawn_and_gather(w1_tasks), real_clock)); };
  const auto run_minimal = [] { benchmark::DoNotOptimize(minimal::spawn_and_gather(w1_tasks)); };
  const auto seconds_of = [](auto run) {
    const auto start = Clock::now();
    run();
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  // One untimed run of each first: the first run in a process pays for touching its memory for
  // the first time (page faults), which the rows above spread over all their runs.
  run_aio();
  run_minimal();
  aio_bench::FaultCounter faults(state);
  std::vector<double> ratios;
  for (auto _ : state) {
    double aio_seconds = 0;
    double minimal_seconds = 0;
    if (ratios.size() % 2 == 0) {
      aio_seconds = seconds_of(run_aio);
      minimal_seconds = seconds_of(run_minimal);
    } else {
      minimal_seconds = seconds_of(run_minimal);
      aio_seconds = seconds_of(run_aio);
    }
    ratios.push_back(aio_seconds / minimal_seconds);
  }
  std::sort(ratios.begin(), ratios.end());
  state.counters["ratio_median"] = ratios[ratios.size() / 2];
  state.counters["ratio_lowest"] = ratios.front();
  state.counters["ratio_highest"] = ratios.back();
  state.counters["pairs"] = static_cast<double>(ratios.size());
}
// A fixed, odd number of pairs: the median is one of them, and a slow host measures as many
// pairs as a fast one.
BENCHMARK(W1_pairs)->Iterations(w1_pairs)->Unit(benchmark::kMillisecond)->UseRealTime();

aio::Coro<void> switch_many(int count) {
  for (int i = 0; i < count; ++i) co_await aio::sleep(0ms);
}

void W2_switch(benchmark::State& state) {
  aio_bench::FaultCounter faults(state);
  for (auto _ : state) aio::run(switch_many(w2_switches), real_clock);
  state.SetItemsProcessed(state.iterations() * w2_switches);
}
BENCHMARK(W2_switch)->Unit(benchmark::kMillisecond);

aio::Coro<void> produce(aio::Queue<int>* queue, int count) {
  for (int i = 0; i < count; ++i) co_await queue->put(i);
}

aio::Coro<std::int64_t> consume(aio::Queue<int>* queue, int count) {
  std::int64_t total = 0;
  for (int i = 0; i < count; ++i) total += co_await queue->get();
  co_return total;
}

aio::Coro<std::int64_t> through_queue(int count) {
  aio::Queue<int> queue(w3_maxsize);
  auto producer = aio::create_task(produce(&queue, count));
  std::int64_t total = co_await consume(&queue, count);
  co_await producer;
  co_return total;
}

void W3_queue(benchmark::State& state) {
  aio_bench::FaultCounter faults(state);
  for (auto _ : state) benchmark::DoNotOptimize(aio::run(through_queue(w3_items), real_clock));
  state.SetItemsProcessed(state.iterations() * w3_items);
}
BENCHMARK(W3_queue)->Unit(benchmark::kMillisecond);

aio::Coro<int> nap(aio::Duration delay) {
  co_await aio::sleep(delay);
  co_return 0;
}

aio::Coro<void> many_timers(std::vector<aio::Duration> delays) {
  std::vector<aio::Task<int>> tasks;
  tasks.reserve(delays.size());
  for (const auto delay : delays) tasks.push_back(aio::create_task(nap(delay)));
  std::vector<int> done = co_await aio::gather(std::move(tasks));
  benchmark::DoNotOptimize(done.data());
}

void W4_timers(benchmark::State& state) {
  aio_bench::FaultCounter faults(state);
  std::mt19937_64 random(42);
  std::uniform_int_distribution<std::int64_t> microseconds(0, 10'000);
  std::vector<aio::Duration> delays;
  for (int i = 0; i < w4_timers; ++i) delays.push_back(std::chrono::microseconds(microseconds(random)));
  for (auto _ : state) aio::run(many_timers(delays), real_clock);
  state.SetItemsProcessed(state.iterations() * w4_timers);
}
BENCHMARK(W4_timers)->Unit(benchmark::kMillisecond)->UseRealTime();

aio::Coro<int> hold_permit(aio::Semaphore* semaphore) {
  auto permit = co_await semaphore->acquire();
  co_await aio::sleep(0ms);
  co_return 0;
}

aio::Coro<void> many_permits(int count) {
  aio::Semaphore semaphore(w5_permits);
  std::vector<aio::Task<int>> tasks;
  tasks.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) tasks.push_back(aio::create_task(hold_permit(&semaphore)));
  std::vector<int> done = co_await aio::gather(std::move(tasks));
  benchmark::DoNotOptimize(done.data());
}

void W5_semaphore(benchmark::State& state) {
  aio_bench::FaultCounter faults(state);
  for (auto _ : state) aio::run(many_permits(w5_tasks), real_clock);
  state.SetItemsProcessed(state.iterations() * w5_tasks);
}
BENCHMARK(W5_semaphore)->Unit(benchmark::kMillisecond);

aio::Coro<int> fetch(aio::Duration delay) {
  co_await aio::sleep(delay);
  co_return 1;
}

aio::Coro<void> fetch_sequentially() {
  co_await fetch(100ms);
  co_await fetch(200ms);
  co_await fetch(100ms);
}

aio::Coro<void> fetch_together() {
  std::vector<aio::Task<int>> tasks;
  tasks.push_back(aio::create_task(fetch(100ms)));
  tasks.push_back(aio::create_task(fetch(200ms)));
  tasks.push_back(aio::create_task(fetch(100ms)));
  std::vector<int> done = co_await aio::gather(std::move(tasks));
  benchmark::DoNotOptimize(done.data());
}

void W6_sequential(benchmark::State& state) {
  aio_bench::FaultCounter faults(state);
  for (auto _ : state) aio::run(fetch_sequentially(), real_clock);
  state.SetItemsProcessed(state.iterations() * 3);
}
BENCHMARK(W6_sequential)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

void W6_gather(benchmark::State& state) {
  aio_bench::FaultCounter faults(state);
  for (auto _ : state) aio::run(fetch_together(), real_clock);
  state.SetItemsProcessed(state.iterations() * 3);
}
BENCHMARK(W6_gather)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
