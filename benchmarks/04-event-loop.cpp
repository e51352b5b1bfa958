// Lesson 04: what the event loop's machinery costs, in items per second.
//
//   BM_schedule/N          N raw ready-queue entries ({function, argument}) scheduled, then run by
//                          one iteration: the floor under everything else
//   BM_call_soon/N         N loop.call_soon(lambda) scheduled, then run by one iteration: per
//                          callback a recycled ScheduledCall, a std::function and a Handle
//   BM_sleep0_switch/N     one task awaiting sleep(0) N times: per switch, the task suspends,
//                          goes to the back of the ready queue, and the next iteration resumes it
//   BM_sleep0_timeline/N   the same with a Timeline recording every step (two events a switch)
//   BM_timer_nodes/N       N timers (TimerNodes, no allocation) with shuffled deadlines pushed
//                          on the heap, then fired in order on the virtual clock
//   BM_call_later/N        the same through loop.call_later(delay, lambda)
//
// The naive loop of the lesson's first exercise (aio/naive_loop.hpp: a std::deque of
// std::function and a std::priority_queue), doing the same work, for the chapter's "making it
// fast":
//   BM_naive_call_soon/N   as BM_call_soon
//   BM_naive_switch/N      as BM_sleep0_switch: a coroutine that yields through call_soon
//   BM_naive_call_later/N  as BM_call_later
// And many sleeping coroutines, the shape of W4_timers in workloads.cpp, on the virtual clock;
// each sleeps a random 0 to 10 ms once:
//   BM_naive_sleepers/N    N coroutines, resumed by a lambda through the naive loop's call_later
//   BM_loop_sleepers/N     N coroutines on aio::EventLoop, each awaiter its own timer node (as
//                          sleep's is), resumed when the timer fires: no allocation per sleep
//   BM_task_sleepers/N     N tasks awaiting aio::sleep, awaited in turn by main: what a program
//                          pays, tasks included
// And the ready queue alone, a ring of 16-byte entries against a std::deque of the same entries:
//   BM_ready_ring/N, BM_ready_deque/N   N entries pushed, then popped and run
// And what a page fault costs ("Page faults: the cost that does not show in the code"):
//   BM_page_fault          16 MiB of fresh memory mapped, one byte written in each 4 KiB page,
//                          the memory given back: per page, the fault that the first write takes
//                          (with its share of the mmap and munmap around it)
//   BM_page_mapped         the same writes to memory that stays mapped: per page, no fault
//
// Everything runs on the virtual clock, so no benchmark waits: the numbers are the mechanism.
#include "bench_support.hpp"

#include <aio/event_loop.hpp>
#include <aio/naive_loop.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>  // aio::create_task, lesson 05's, used here as a black box
#include <aio/timeline.hpp>

#include <sys/mman.h>

#include <algorithm>
#include <chrono>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <numeric>
#include <random>
#include <vector>

namespace {

using namespace std::chrono_literals;

const aio::RunOptions virtual_clock{.virtual_clock = true};

void count_call(void* counter) { ++*static_cast<std::int64_t*>(counter); }

// ---- the ready queue ----------------------------------------------------------------------------

void BM_schedule(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  aio::EventLoop loop(aio::Clock::virtual_time());
  std::int64_t calls = 0;
  for (auto _ : state) {
    for (std::int64_t i = 0; i < n; ++i) loop.schedule({&count_call, &calls});
    loop.run_once();
  }
  benchmark::DoNotOptimize(calls);
  state.SetItemsProcessed(state.iterations() * n);
}

// book:bench-call-soon
void BM_call_soon(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  aio::EventLoop loop(aio::Clock::virtual_time());
  std::int64_t calls = 0;
  for (auto _ : state) {
    for (std::int64_t i = 0; i < n; ++i) loop.call_soon([&calls] { ++calls; });
    loop.run_once();
  }
  benchmark::DoNotOptimize(calls);
  state.SetItemsProcessed(state.iterations() * n);
}
// end book:bench-call-soon

// ---- sleep(0): one task switch ------------------------------------------------------------------

// book:bench-switch
aio::Coro<std::int64_t> yield_many(std::int64_t count) {
  for (std::int64_t i = 0; i < count; ++i) co_await aio::sleep(0ms);
  co_return count;
}
// end book:bench-switch

void BM_sleep0_switch(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  for (auto _ : state) benchmark::DoNotOptimize(aio::run(yield_many(n), virtual_clock));
  state.SetItemsProcessed(state.iterations() * n);
}

void BM_sleep0_timeline(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  for (auto _ : state) {
    aio::Timeline timeline;
    benchmark::DoNotOptimize(
        aio::run(yield_many(n), {.virtual_clock = true, .timeline = &timeline}));
    state.PauseTiming();  // freeing the recorded events is not the recording's cost
    timeline = aio::Timeline();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * n);
}

// ---- timers -------------------------------------------------------------------------------------

// Deadlines 1 us apart, in a shuffled order (fixed seed): every push and pop does real sifting.
std::vector<aio::Duration> shuffled_deadlines(std::int64_t n) {
  std::vector<aio::Duration> deadlines(static_cast<std::size_t>(n));
  for (std::size_t i = 0; i < deadlines.size(); ++i) deadlines[i] = aio::Duration{(i + 1) * 1000};
  std::shuffle(deadlines.begin(), deadlines.end(), std::mt19937(42));
  return deadlines;
}

// A timer that counts how often it fired; `fire` finds the count next to the node.
struct CountingTimer : aio::detail::TimerNode {
  std::int64_t fired = 0;
};

void count_fired(aio::detail::TimerNode* node) { ++static_cast<CountingTimer*>(node)->fired; }

void BM_timer_nodes(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  const std::vector<aio::Duration> deadlines = shuffled_deadlines(n);
  std::vector<CountingTimer> timers(static_cast<std::size_t>(n));
  for (auto _ : state) {
    aio::EventLoop loop(aio::Clock::virtual_time());
    for (std::size_t i = 0; i < timers.size(); ++i) {
      timers[i].fire = &count_fired;
      loop.add_timer(timers[i], deadlines[i]);
    }
    loop.run_forever();
  }
  benchmark::DoNotOptimize(timers.data());
  state.SetItemsProcessed(state.iterations() * n);
}

void BM_call_later(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  const std::vector<aio::Duration> deadlines = shuffled_deadlines(n);
  std::int64_t calls = 0;
  for (auto _ : state) {
    aio::EventLoop loop(aio::Clock::virtual_time());
    for (const aio::Duration delay : deadlines) loop.call_later(delay, [&calls] { ++calls; });
    loop.run_forever();
  }
  benchmark::DoNotOptimize(calls);
  state.SetItemsProcessed(state.iterations() * n);
}

// ---- the naive loop, doing the same work --------------------------------------------------------

void BM_naive_call_soon(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  aio::NaiveLoop loop;
  std::int64_t calls = 0;
  for (auto _ : state) {
    for (std::int64_t i = 0; i < n; ++i) loop.call_soon([&calls] { ++calls; });
    loop.run_once();
  }
  benchmark::DoNotOptimize(calls);
  state.SetItemsProcessed(state.iterations() * n);
}

// A task switch on the naive loop: the coroutine's next step is a call_soon of a lambda that
// resumes it (what sleep(0) does on the real loop, with a 16-byte entry instead).
struct NaiveYield {
  aio::NaiveLoop* loop;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> self) const {
    loop->call_soon([self] { self.resume(); });
  }
  void await_resume() const noexcept {}
};

aio::Coro<std::int64_t> naive_yield_many(aio::NaiveLoop* loop, std::int64_t count) {
  for (std::int64_t i = 0; i < count; ++i) co_await NaiveYield{loop};
  co_return count;
}

void BM_naive_switch(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  for (auto _ : state) {
    aio::NaiveLoop loop;
    aio::Coro<std::int64_t> coro = naive_yield_many(&loop, n);
    coro.handle().resume();  // the first step; every later one comes from the loop
    loop.run();
    benchmark::DoNotOptimize(coro.take_result());
  }
  state.SetItemsProcessed(state.iterations() * n);
}

void BM_naive_call_later(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  const std::vector<aio::Duration> deadlines = shuffled_deadlines(n);
  std::int64_t calls = 0;
  for (auto _ : state) {
    aio::NaiveLoop loop;
    for (const aio::Duration delay : deadlines) loop.call_later(delay, [&calls] { ++calls; });
    loop.run();
  }
  benchmark::DoNotOptimize(calls);
  state.SetItemsProcessed(state.iterations() * n);
}

// ---- many sleeping coroutines --------------------------------------------------------------------

// Delays of 0 to 10 ms in whole microseconds (fixed seed), as in W4_timers.
std::vector<aio::Duration> random_delays(std::int64_t n) {
  std::mt19937_64 random(42);
  std::uniform_int_distribution<std::int64_t> microseconds(0, 10'000);
  std::vector<aio::Duration> delays;
  for (std::int64_t i = 0; i < n; ++i) delays.push_back(std::chrono::microseconds(microseconds(random)));
  return delays;
}

aio::Coro<void> nap(aio::Duration delay) { co_await aio::sleep(delay); }

aio::Coro<void> sleepers(std::vector<aio::Duration> delays) {
  std::vector<aio::Task<void>> tasks;
  tasks.reserve(delays.size());
  for (const aio::Duration delay : delays) tasks.push_back(aio::create_task(nap(delay)));
  for (aio::Task<void>& task : tasks) co_await task;
}

void BM_task_sleepers(benchmark::State& state) {
  const std::vector<aio::Duration> delays = random_delays(state.range(0));
  for (auto _ : state) aio::run(sleepers(delays), virtual_clock);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

struct NaiveSleep {
  aio::NaiveLoop* loop;
  aio::Duration delay;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> self) const {
    loop->call_later(delay, [self] { self.resume(); });
  }
  void await_resume() const noexcept {}
};

aio::Coro<void> naive_nap(aio::NaiveLoop* loop, aio::Duration delay) { co_await NaiveSleep{loop, delay}; }

// The real loop's timer path without tasks: the awaiter, in the coroutine's frame, is the node.
struct NodeSleep : aio::detail::TimerNode {
  aio::EventLoop* loop;
  aio::Duration delay;
  std::coroutine_handle<> waiter;

  NodeSleep(aio::EventLoop* l, aio::Duration d) : loop(l), delay(d) {}
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> self) {
    waiter = self;
    fire = [](aio::detail::TimerNode* node) { static_cast<NodeSleep*>(node)->waiter.resume(); };
    loop->add_timer(*this, loop->time() + delay);
  }
  void await_resume() const noexcept {}
};

aio::Coro<void> node_nap(aio::EventLoop* loop, aio::Duration delay) { co_await NodeSleep(loop, delay); }

void BM_loop_sleepers(benchmark::State& state) {
  const std::vector<aio::Duration> delays = random_delays(state.range(0));
  for (auto _ : state) {
    aio::EventLoop loop(aio::Clock::virtual_time());
    std::vector<aio::Coro<void>> naps;
    naps.reserve(delays.size());
    for (const aio::Duration delay : delays) {
      naps.push_back(node_nap(&loop, delay));
      naps.back().handle().resume();  // runs to its sleep
    }
    loop.run_forever();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_naive_sleepers(benchmark::State& state) {
  const std::vector<aio::Duration> delays = random_delays(state.range(0));
  for (auto _ : state) {
    aio::NaiveLoop loop;
    std::vector<aio::Coro<void>> naps;
    naps.reserve(delays.size());
    for (const aio::Duration delay : delays) {
      naps.push_back(naive_nap(&loop, delay));
      naps.back().handle().resume();  // runs to its sleep
    }
    loop.run();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

// ---- the ready queue alone ----------------------------------------------------------------------

template <class Queue, class Push, class Pop>
void push_then_run(benchmark::State& state, Queue& queue, Push push, Pop pop) {
  const std::int64_t n = state.range(0);
  std::int64_t calls = 0;
  for (auto _ : state) {
    for (std::int64_t i = 0; i < n; ++i) push(queue, aio::detail::Callback{&count_call, &calls});
    for (std::int64_t i = 0; i < n; ++i) {
      const aio::detail::Callback callback = pop(queue);
      callback.run(callback.arg);
    }
  }
  benchmark::DoNotOptimize(calls);
  state.SetItemsProcessed(state.iterations() * n);
}

void BM_ready_ring(benchmark::State& state) {
  aio::detail::ReadyQueue queue;
  push_then_run(
      state, queue, [](auto& q, aio::detail::Callback c) { q.push(c); }, [](auto& q) { return q.pop(); });
}

void BM_ready_deque(benchmark::State& state) {
  std::deque<aio::detail::Callback> queue;
  push_then_run(
      state, queue, [](auto& q, aio::detail::Callback c) { q.push_back(c); },
      [](auto& q) {
        const aio::detail::Callback front = q.front();
        q.pop_front();
        return front;
      });
}

// ---- page faults ---------------------------------------------------------------------------------

// A big block that malloc gives back goes to the kernel (munmap); asking for it again maps fresh
// pages (mmap), and the first write to each one faults. The same calls here, without malloc's
// thresholds in between, so that every run of BM_page_fault faults on every page.
constexpr std::size_t fault_bytes = std::size_t{16} << 20;
// x86-64's page size; where pages are bigger, a page is written more than once (and faults once).
constexpr std::size_t page_bytes = 4096;
constexpr std::int64_t pages_per_run = fault_bytes / page_bytes;

void* map_fresh() {
  return mmap(nullptr, fault_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

void write_each_page(void* memory) {
  auto* bytes = static_cast<volatile char*>(memory);
  for (std::size_t at = 0; at < fault_bytes; at += page_bytes) bytes[at] = 1;
}

void BM_page_fault(benchmark::State& state) {
  aio_bench::FaultCounter faults(state);
  for (auto _ : state) {
    void* memory = map_fresh();
    if (memory == MAP_FAILED) {
      state.SkipWithError("mmap failed");
      return;
    }
    write_each_page(memory);
    munmap(memory, fault_bytes);
  }
  state.SetItemsProcessed(state.iterations() * pages_per_run);
}

void BM_page_mapped(benchmark::State& state) {
  void* memory = map_fresh();
  if (memory == MAP_FAILED) {
    state.SkipWithError("mmap failed");
    return;
  }
  write_each_page(memory);  // the faults happen here, once, before the timing
  aio_bench::FaultCounter faults(state);
  for (auto _ : state) write_each_page(memory);
  munmap(memory, fault_bytes);
  state.SetItemsProcessed(state.iterations() * pages_per_run);
}

void queue_sizes(benchmark::internal::Benchmark* bench) {
  aio_bench::sizes(bench, {1'000, 100'000});
}
void switch_sizes(benchmark::internal::Benchmark* bench) {
  aio_bench::sizes(bench, {1'000, 1'000'000});
}
void timer_sizes(benchmark::internal::Benchmark* bench) {
  aio_bench::sizes(bench, {1'000, 100'000});
}

}  // namespace

BENCHMARK(BM_schedule)->Apply(queue_sizes);
BENCHMARK(BM_call_soon)->Apply(queue_sizes);
BENCHMARK(BM_sleep0_switch)->Apply(switch_sizes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_sleep0_timeline)->Apply(switch_sizes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_timer_nodes)->Apply(timer_sizes);
BENCHMARK(BM_call_later)->Apply(timer_sizes);
BENCHMARK(BM_naive_call_soon)->Apply(queue_sizes);
BENCHMARK(BM_naive_switch)->Apply(switch_sizes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_naive_call_later)->Apply(timer_sizes);
BENCHMARK(BM_naive_sleepers)->Apply(timer_sizes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_loop_sleepers)->Apply(timer_sizes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_task_sleepers)->Apply(timer_sizes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ready_ring)->Apply(queue_sizes);
BENCHMARK(BM_ready_deque)->Apply(queue_sizes);
BENCHMARK(BM_page_fault);
BENCHMARK(BM_page_mapped);

BENCHMARK_MAIN();
