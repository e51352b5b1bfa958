// Lesson 01: what a generator costs. Sums 0, 1, ..., N-1 three ways and reports, for each, the
// time per element (items per second) and the peak heap memory of one pass (peak_bytes):
//
//   BM_sum_plain_loop   the numbers computed in the loop itself: the floor
//   BM_sum_vector       all_numbers(N) fills a std::vector, then the loop sums it
//   BM_sum_generator    numbers(N) yields them, one resume of the coroutine per element
//
// plus BM_first_value: making a generator, reading its first value and destroying it (one frame
// allocated and freed, one resume).
//
// Every loop body is the same `total += value; DoNotOptimize(total);`, so that the compiler
// cannot replace a loop by the formula for its sum, and the three differ only in where the values
// come from.
#include "bench_support.hpp"

#include <aio/generator.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <vector>

// Counting allocator: every operator new of the program keeps track of the bytes in use and
// their peak. Each block carries its size in a header as large as the strictest alignment.
namespace heap {
std::size_t in_use = 0;
std::size_t peak = 0;
}  // namespace heap

namespace {
constexpr std::size_t kHeader = sizeof(std::max_align_t);
}

[[gnu::noinline]] void* operator new(std::size_t size) {
  void* block = std::malloc(kHeader + size);
  if (block == nullptr) throw std::bad_alloc();
  *static_cast<std::size_t*>(block) = size;
  heap::in_use += size;
  heap::peak = std::max(heap::peak, heap::in_use);
  return static_cast<char*>(block) + kHeader;
}

[[gnu::noinline]] void operator delete(void* pointer) noexcept {
  if (pointer == nullptr) return;
  void* block = static_cast<char*>(pointer) - kHeader;
  heap::in_use -= *static_cast<std::size_t*>(block);
  std::free(block);
}

void operator delete(void* pointer, std::size_t) noexcept { operator delete(pointer); }

namespace {

// The peak heap memory of one pass of a benchmark's loop, above what was in use when the pass
// began, reported as the counter peak_bytes (the highest of all passes). Bracketing each pass
// leaves out what the benchmark library allocates between passes.
class PeakMemory {
public:
  void start_pass() {
    before_ = heap::in_use;
    heap::peak = heap::in_use;
  }

  void end_pass() { highest_ = std::max(highest_, heap::peak - before_); }

  void report(benchmark::State& state) const {
    state.counters["peak_bytes"] = benchmark::Counter(
        static_cast<double>(highest_), benchmark::Counter::kDefaults, benchmark::Counter::kIs1024);
  }

private:
  std::size_t before_ = 0;
  std::size_t highest_ = 0;
};

std::vector<std::int64_t> all_numbers(std::int64_t n) {
  std::vector<std::int64_t> numbers;
  for (std::int64_t i = 0; i < n; ++i) numbers.push_back(i);
  return numbers;
}

aio::Generator<std::int64_t> numbers(std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) co_yield i;
}

void BM_sum_plain_loop(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  PeakMemory memory;
  for (auto _ : state) {
    memory.start_pass();
    std::int64_t total = 0;
    for (std::int64_t value = 0; value < n; ++value) {
      total += value;
      benchmark::DoNotOptimize(total);
    }
    memory.end_pass();
  }
  state.SetItemsProcessed(state.iterations() * n);
  memory.report(state);
}

void BM_sum_vector(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  PeakMemory memory;
  for (auto _ : state) {
    memory.start_pass();
    std::int64_t total = 0;
    for (std::int64_t value : all_numbers(n)) {
      total += value;
      benchmark::DoNotOptimize(total);
    }
    memory.end_pass();
  }
  state.SetItemsProcessed(state.iterations() * n);
  memory.report(state);
}

void BM_sum_generator(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  PeakMemory memory;
  for (auto _ : state) {
    memory.start_pass();
    std::int64_t total = 0;
    for (std::int64_t value : numbers(n)) {
      total += value;
      benchmark::DoNotOptimize(total);
    }
    memory.end_pass();
  }
  state.SetItemsProcessed(state.iterations() * n);
  memory.report(state);
}

void BM_first_value(benchmark::State& state) {
  PeakMemory memory;
  for (auto _ : state) {
    memory.start_pass();
    auto generator = numbers(1'000'000);
    benchmark::DoNotOptimize(*generator.begin());
    memory.end_pass();
  }
  state.SetItemsProcessed(state.iterations());
  memory.report(state);
}

}  // namespace

// N = 1000 (the values fit in the caches), a million, and ten million (as in the demo).
void sizes(benchmark::internal::Benchmark* bench) {
  aio_bench::sizes(bench, {1'000, 1'000'000, 10'000'000});
}

BENCHMARK(BM_sum_plain_loop)->Apply(sizes);
BENCHMARK(BM_sum_vector)->Apply(sizes);
BENCHMARK(BM_sum_generator)->Apply(sizes);
BENCHMARK(BM_first_value);

BENCHMARK_MAIN();
