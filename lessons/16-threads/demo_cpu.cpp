// Lesson 16's fourth program: CPU-bound work in threads. mirror_cpu.py is the same program in
// asyncio; both print the same lines. The "~ " lines are measurements on the real clock, compared
// with their numbers masked, so each program prints its own times: in C++ two CPU-bound calls in
// two threads take about half the time on two cores (a speed-up near 2x); in CPython the GIL
// keeps them near the time of one after the other (near 1x).
//
// C++ counts the primes 10 times per call (the same answer each time) so that a call lasts long
// enough to be measured: a single count takes C++ a small fraction of CPython's time.
#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/gather.hpp>
#include <aio/run.hpp>
#include <aio/run_in_executor.hpp>

#include <chrono>
#include <cstdio>

namespace {

using RealClock = std::chrono::steady_clock;

// book:cpu-work
/// Pure computation, no waiting: trial division.
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
// end book:cpu-work

constexpr int limit = 150'000;
constexpr int repeat = 10;

int count_primes_repeatedly(int below) {
  volatile int count = 0;  // volatile: each round really runs
  for (int round = 0; round < repeat; ++round) count = count_primes(below);
  return count;
}

double seconds_since(RealClock::time_point began) {
  return std::chrono::duration<double>(RealClock::now() - began).count();
}

aio::Coro<void> main_coro() {
  std::printf("== count the primes below 150,000, twice\n");
  auto began = RealClock::now();
  const int first = count_primes_repeatedly(limit);
  const int second = count_primes_repeatedly(limit);
  const double sequential = seconds_since(began);
  std::printf("one after the other: %d and %d\n", first, second);
  std::printf("~ one after the other: %.2f s\n", sequential);

  began = RealClock::now();
  auto [a, b] = co_await aio::gather(aio::to_thread(count_primes_repeatedly, limit),
                                     aio::to_thread(count_primes_repeatedly, limit));
  const double threaded = seconds_since(began);
  std::printf("in two threads: %d and %d\n", a, b);
  std::printf("~ in two threads: %.2f s, a speed-up of %.1fx\n", threaded, sequential / threaded);
}

}  // namespace

int main() { aio::run(main_coro()); }
