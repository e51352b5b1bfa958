// Small helpers shared by the benchmark programs.
#pragma once

#include <benchmark/benchmark.h>

#include <sys/resource.h>

#include <cstdint>
#include <cstdlib>
#include <initializer_list>

namespace aio_bench {

/// True when the benchmarks run as a quick smoke test (AIO_BENCH_SMOKE=1, as CI does): programs
/// then skip their largest sizes so that every benchmark still runs, but briefly.
inline bool smoke() {
  const char* value = std::getenv("AIO_BENCH_SMOKE");
  return value != nullptr && value[0] != '\0' && value[0] != '0';
}

/// Registers each size in `sizes` as an argument of `bench`, leaving out those above `smoke_cap`
/// in a smoke run.
inline benchmark::internal::Benchmark* sizes(benchmark::internal::Benchmark* bench,
                                             std::initializer_list<std::int64_t> all,
                                             std::int64_t smoke_cap = 1000) {
  for (const auto n : all) {
    if (!smoke() || n <= smoke_cap) bench->Arg(n);
  }
  return bench;
}

/// Minor page faults of this process so far: each is a first touch of a page that the kernel had
/// to map (and zero) on the spot. Big arrays that malloc gives back to the kernel between runs
/// fault in again on every run (solutions/04-event-loop/aio/buffer_cache.hpp).
inline std::int64_t page_faults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

/// Counts the page faults of the runs of one benchmark, reported as the counter
/// `faults_per_run` (benchmarks/compare.py prints it).
class FaultCounter {
public:
  explicit FaultCounter(benchmark::State& state) : state_(state), start_(page_faults()) {}
  FaultCounter(const FaultCounter&) = delete;
  FaultCounter& operator=(const FaultCounter&) = delete;
  ~FaultCounter() {
    const auto runs = static_cast<double>(state_.iterations());
    state_.counters["faults_per_run"] = static_cast<double>(page_faults() - start_) / runs;
  }

private:
  benchmark::State& state_;
  std::int64_t start_;
};

}  // namespace aio_bench
