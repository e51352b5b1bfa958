// Lesson 02: what each way of writing an iterator costs, in items per second.
//
//   countdown/...        walking n numbers, each handed to DoNotOptimize so none is skipped
//     plain_loop         for (int i = n; i > 0; --i): the floor
//     hand_written       aio::Countdown, the hand-written iterator
//     generator          aio::countdown, the same numbers from a coroutine
//   even_squares/...     the same n numbers, keeping the even ones and squaring them
//     plain_loop         a for loop with an if
//     views_hand_written aio::Countdown(n) | std::views::filter(...) | std::views::transform(...)
//     views_generator    aio::countdown(n) | the same two views
//     generator_chain    a generator that reads aio::countdown(n): Python's generator expression
//
// Items are the numbers the source produces (n per walk), whatever the pipeline keeps of them.
#include <aio/countdown.hpp>
#include <aio/generator.hpp>
#include <aio/std_views.hpp>

#include <bench_support.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <ranges>

namespace {

int count_of(const benchmark::State& state) { return static_cast<int>(state.range(0)); }

void finish(benchmark::State& state) {
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

// Lambdas rather than functions: a view stores a function as a pointer, which the optimiser may not
// see through, but a lambda's type names its body, so every call can be inlined.
constexpr auto is_even = [](int n) { return n % 2 == 0; };
constexpr auto square = [](int n) { return n * n; };

// ---- countdown: one number after another ----------------------------------------------------------

void countdown_plain_loop(benchmark::State& state) {
  const int n = count_of(state);
  for (auto _ : state) {
    for (int i = n; i > 0; --i) benchmark::DoNotOptimize(i);
  }
  finish(state);
}

void countdown_hand_written(benchmark::State& state) {
  const int n = count_of(state);
  for (auto _ : state) {
    for (int i : aio::Countdown(n)) benchmark::DoNotOptimize(i);
  }
  finish(state);
}

void countdown_generator(benchmark::State& state) {
  const int n = count_of(state);
  for (auto _ : state) {
    for (int i : aio::countdown(n)) benchmark::DoNotOptimize(i);
  }
  finish(state);
}

// ---- even_squares: a two-stage pipeline on top -------------------------------------------------

void even_squares_plain_loop(benchmark::State& state) {
  const int n = count_of(state);
  for (auto _ : state) {
    for (int i = n; i > 0; --i) {
      if (is_even(i)) {
        int s = square(i);
        benchmark::DoNotOptimize(s);
      }
    }
  }
  finish(state);
}

#if AIO_HAS_STD_VIEWS
void even_squares_views_hand_written(benchmark::State& state) {
  const int n = count_of(state);
  for (auto _ : state) {
    for (int s : aio::Countdown(n) | std::views::filter(is_even) | std::views::transform(square)) {
      benchmark::DoNotOptimize(s);
    }
  }
  finish(state);
}

void even_squares_views_generator(benchmark::State& state) {
  const int n = count_of(state);
  for (auto _ : state) {
    for (int s : aio::countdown(n) | std::views::filter(is_even) | std::views::transform(square)) {
      benchmark::DoNotOptimize(s);
    }
  }
  finish(state);
}
#endif

// (n * n for n in numbers if n % 2 == 0), one coroutine reading another.
aio::Generator<int> even_squares(aio::Generator<int> numbers) {
  for (int n : numbers) {
    if (is_even(n)) co_yield square(n);
  }
}

void even_squares_generator_chain(benchmark::State& state) {
  const int n = count_of(state);
  for (auto _ : state) {
    for (int s : even_squares(aio::countdown(n))) benchmark::DoNotOptimize(s);
  }
  finish(state);
}

void register_all() {
  const auto sizes = {std::int64_t{10}, std::int64_t{1'000}, std::int64_t{100'000}};
  aio_bench::sizes(benchmark::RegisterBenchmark("countdown/plain_loop", countdown_plain_loop), sizes);
  aio_bench::sizes(benchmark::RegisterBenchmark("countdown/hand_written", countdown_hand_written), sizes);
  aio_bench::sizes(benchmark::RegisterBenchmark("countdown/generator", countdown_generator), sizes);
  aio_bench::sizes(benchmark::RegisterBenchmark("even_squares/plain_loop", even_squares_plain_loop), sizes);
#if AIO_HAS_STD_VIEWS
  aio_bench::sizes(benchmark::RegisterBenchmark("even_squares/views_hand_written",
                                                even_squares_views_hand_written), sizes);
  aio_bench::sizes(benchmark::RegisterBenchmark("even_squares/views_generator",
                                                even_squares_views_generator), sizes);
#endif
  aio_bench::sizes(benchmark::RegisterBenchmark("even_squares/generator_chain",
                                                even_squares_generator_chain), sizes);
}

}  // namespace

int main(int argc, char** argv) {
  register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
