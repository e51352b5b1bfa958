// Small helpers shared by the benchmark programs.
#pragma once

#include <benchmark/benchmark.h>

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

}  // namespace aio_bench
