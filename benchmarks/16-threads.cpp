// Lesson 16's benchmarks: what threads buy for blocking calls, and what the bridge between a
// thread and the loop costs. Everything here runs on the real clock (UseRealTime): threads do.
//
// What threads buy:
//   BM_blocking_sequential          four blocking 100 ms calls, one after the other, on the
//                                   loop: about 400 ms.
//   BM_blocking_to_thread_gather    the same four calls with to_thread + gather: about 100 ms.
//   BM_cpu_sequential               two CPU-bound calls (prime counting), one after the other.
//   BM_cpu_threads                  the same two in two threads: about half on two free cores.
//
// What the bridge costs, per round trip (time per iteration is the round trip):
//   BM_to_thread_round_trip         co_await aio::to_thread(trivial function): the job to a
//                                   pool worker (a mutex, and the worker's semaphore), its
//                                   result back through the loop's inbox (eventfd), the await
//                                   resumed.
//   BM_call_soon_threadsafe_round_trip
//                                   the loop wakes a waiting thread (mutex + condition variable),
//                                   which answers with call_soon_threadsafe; the loop resumes.
//   BM_baseline_round_trip          the least C++ can do for the same trip, with no loop at all:
//                                   one worker on a std::mutex + std::condition_variable, the
//                                   result sent back through an eventfd that the caller reads.
// lessons/16-threads/measure_cpython.py measures CPython's to_thread and call_soon_threadsafe
// round trips the same way.
#include "bench_support.hpp"

#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/future.hpp>
#include <aio/gather.hpp>
#include <aio/inbox.hpp>
#include <aio/run.hpp>
#include <aio/run_in_executor.hpp>
#include <aio/task.hpp>

#include <benchmark/benchmark.h>

#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

using namespace std::chrono_literals;

namespace {

// ---- what threads buy ------------------------------------------------------------------------

int blocking_call(int n) {
  std::this_thread::sleep_for(100ms);
  return n;
}

aio::Coro<void> blocking_sequential(benchmark::State* state) {
  for (auto _ : *state) {
    int sum = 0;
    for (int n = 0; n < 4; ++n) sum += blocking_call(n);
    benchmark::DoNotOptimize(sum);
  }
  co_return;
}

aio::Coro<void> blocking_to_thread_gather(benchmark::State* state) {
  for (auto _ : *state) {
    auto [a, b, c, d] = co_await aio::gather(aio::to_thread(blocking_call, 0), aio::to_thread(blocking_call, 1),
                                             aio::to_thread(blocking_call, 2), aio::to_thread(blocking_call, 3));
    benchmark::DoNotOptimize(a + b + c + d);
  }
}

void BM_blocking_sequential(benchmark::State& state) { aio::run(blocking_sequential(&state)); }
void BM_blocking_to_thread_gather(benchmark::State& state) { aio::run(blocking_to_thread_gather(&state)); }

int count_primes(int below) {
  int count = 0;
  for (int n = 2; n < below; ++n) {
    bool prime = true;
    for (int d = 2; d * d <= n; ++d) {
      if (n % d == 0) {
        prime = false;
        break;
      }
    }
    count += prime ? 1 : 0;
  }
  return count;
}

constexpr int kPrimesBelow = 400'000;

aio::Coro<void> cpu_sequential(benchmark::State* state) {
  for (auto _ : *state) {
    benchmark::DoNotOptimize(count_primes(kPrimesBelow) + count_primes(kPrimesBelow));
  }
  co_return;
}

aio::Coro<void> cpu_threads(benchmark::State* state) {
  for (auto _ : *state) {
    auto [a, b] = co_await aio::gather(aio::to_thread(count_primes, kPrimesBelow), aio::to_thread(count_primes, kPrimesBelow));
    benchmark::DoNotOptimize(a + b);
  }
}

void BM_cpu_sequential(benchmark::State& state) { aio::run(cpu_sequential(&state)); }
void BM_cpu_threads(benchmark::State& state) { aio::run(cpu_threads(&state)); }

// ---- what the bridge costs -------------------------------------------------------------------

// book:bench-to-thread
int trivial(int n) { return n + 1; }

aio::Coro<void> to_thread_round_trips(benchmark::State* state) {
  int n = 0;
  for (auto _ : *state) n = co_await aio::to_thread(trivial, n);
  benchmark::DoNotOptimize(n);
}
// end book:bench-to-thread

void BM_to_thread_round_trip(benchmark::State& state) { aio::run(to_thread_round_trips(&state)); }

aio::Coro<void> one_worker_round_trips(benchmark::State* state) {
  aio::EventLoop& loop = aio::get_running_loop();
  aio::ThreadPoolExecutor pool(1);
  int n = 0;
  for (auto _ : *state) n = co_await aio::run_in_executor(loop, pool, trivial, n);
  benchmark::DoNotOptimize(n);
}

void BM_run_in_executor_one_worker(benchmark::State& state) { aio::run(one_worker_round_trips(&state)); }

/// A thread that waits for a request and answers each one with call_soon_threadsafe.
class Answerer {
public:
  explicit Answerer(aio::EventLoop& loop) : loop_(loop), thread_([this] { serve(); }) {}
  ~Answerer() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wakeup_.notify_one();
    thread_.join();
  }

  /// Asks for one answer: `future` is set on the loop's thread.
  void ask(aio::Future<int>* future) {
    {
      std::lock_guard lock(mutex_);
      pending_ = future;
    }
    wakeup_.notify_one();
  }

private:
  void serve() {
    for (;;) {
      aio::Future<int>* future = nullptr;
      {
        std::unique_lock lock(mutex_);
        wakeup_.wait(lock, [this] { return pending_ != nullptr || stopping_; });
        if (stopping_) return;
        future = std::exchange(pending_, nullptr);
      }
      aio::call_soon_threadsafe(loop_, [future] { future->set_result(1); });
    }
  }

  aio::EventLoop& loop_;
  std::mutex mutex_;
  std::condition_variable wakeup_;
  aio::Future<int>* pending_ = nullptr;
  bool stopping_ = false;
  std::thread thread_;
};

// book:bench-call-soon-threadsafe
aio::Coro<void> call_soon_threadsafe_round_trips(benchmark::State* state) {
  aio::EventLoop& loop = aio::get_running_loop();
  aio::OutsideWork answers_may_come(aio::inbox_of(loop));
  Answerer answerer(loop);
  int sum = 0;
  for (auto _ : *state) {
    aio::Future<int> answer(loop);
    answerer.ask(&answer);
    sum += co_await answer;
  }
  benchmark::DoNotOptimize(sum);
}
// end book:bench-call-soon-threadsafe

void BM_call_soon_threadsafe_round_trip(benchmark::State& state) {
  aio::run(call_soon_threadsafe_round_trips(&state));
}

// book:bench-baseline
/// One worker on a mutex and a condition variable; each result goes back through an eventfd,
/// which the caller reads (blocking) as the loop would wait on it.
void BM_baseline_round_trip(benchmark::State& state) {
  std::mutex mutex;
  std::condition_variable wakeup;
  int job = -1;  // -1: none; -2: stop
  std::atomic<int> result{0};
  const int done = ::eventfd(0, EFD_CLOEXEC);
  std::thread worker([&] {
    for (;;) {
      int n = 0;
      {
        std::unique_lock lock(mutex);
        wakeup.wait(lock, [&] { return job != -1; });
        n = std::exchange(job, -1);
      }
      if (n == -2) return;
      result.store(n + 1, std::memory_order_release);
      const std::uint64_t one = 1;
      [[maybe_unused]] const auto written = ::write(done, &one, sizeof one);
    }
  });
  int n = 0;
  for (auto _ : state) {
    {
      std::lock_guard lock(mutex);
      job = n;
    }
    wakeup.notify_one();
    std::uint64_t count = 0;
    [[maybe_unused]] const auto read = ::read(done, &count, sizeof count);
    n = result.load(std::memory_order_acquire);
  }
  {
    std::lock_guard lock(mutex);
    job = -2;
  }
  wakeup.notify_one();
  worker.join();
  ::close(done);
  benchmark::DoNotOptimize(n);
}
// end book:bench-baseline

}  // namespace

BENCHMARK(BM_blocking_sequential)->Iterations(3)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_blocking_to_thread_gather)->Iterations(3)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_cpu_sequential)->Iterations(3)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_cpu_threads)->Iterations(3)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_baseline_round_trip)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_to_thread_round_trip)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_run_in_executor_one_worker)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_call_soon_threadsafe_round_trip)->UseRealTime()->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
