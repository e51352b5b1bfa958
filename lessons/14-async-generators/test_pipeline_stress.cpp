// A randomized test of pipelines: random chains of map, filter, take, batch and buffered over a
// source with random delays, read by a consumer that waits at random, stops early at random, or
// is cancelled at random. Each run checks the values against the same chain computed on a plain
// vector, and that every source's cleanup ran exactly once and no generator frame is left once
// the loop has closed. A failure names the seed that reproduces it.
#include <aio/async_generator.hpp>
#include <aio/buffered.hpp>
#include <aio/cancellation.hpp>
#include <aio/clock.hpp>
#include <aio/coro.hpp>
#include <aio/pipeline.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/stress.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;
using aio_test::stress::Random;

namespace {

struct Counts {
  int frames_alive = 0;   // source frames not yet destroyed
  int cleanups = 0;       // source cleanups that ran
  int started = 0;        // sources whose body began (an unstarted one has nothing to clean)
};

/// Counts the frames that hold it: passed by value, it lives exactly as long as the frame.
struct FrameCount {
  Counts* counts;
  explicit FrameCount(Counts* c) : counts(c) { ++counts->frames_alive; }
  FrameCount(const FrameCount& other) : counts(other.counts) { ++counts->frames_alive; }
  FrameCount& operator=(const FrameCount&) = delete;
  ~FrameCount() { --counts->frames_alive; }
};

aio::AsyncGenerator<int> source(FrameCount frame, std::vector<aio::Duration> delays) {
  ++frame.counts->started;
  std::exception_ptr leaving;
  try {
    for (std::size_t i = 0; i < delays.size(); ++i) {
      if (delays[i] > aio::Duration{0}) co_await aio::sleep(delays[i]);
      co_yield static_cast<int>(i);
    }
  } catch (...) {
    leaving = std::current_exception();
  }
  ++frame.counts->cleanups;
  if (leaving) std::rethrow_exception(leaving);
}

aio::AsyncGenerator<int> flatten(aio::AsyncGenerator<std::vector<int>> lists) {
  std::exception_ptr leaving;
  try {
    while (auto list = co_await lists.next()) {
      for (int value : *list) co_yield value;
    }
  } catch (...) {
    leaving = std::current_exception();
  }
  co_await lists.aclose();
  if (leaving) std::rethrow_exception(leaving);
}

enum class Stage { map, filter, take, batch, buffered };

struct Plan {
  std::vector<aio::Duration> delays;
  std::vector<std::pair<Stage, int>> stages;
  std::vector<aio::Duration> work;  // the consumer's wait after each value
  int stop_after = -1;              // aclose after this many values (-1: read to the end)
  aio::Duration cancel_at{-1};      // cancel the consumer at this time (negative: never)
};

Plan draw(Random& random) {
  Plan plan;
  const int length = random.below(12);
  for (int i = 0; i < length; ++i) plan.delays.push_back(random.delay());
  const int stages = random.below(5);
  for (int i = 0; i < stages; ++i) {
    plan.stages.emplace_back(static_cast<Stage>(random.below(5)), 1 + random.below(4));
  }
  for (int i = 0; i < 12; ++i) plan.work.push_back(random.delay());
  if (random.percent(30)) plan.stop_after = 1 + random.below(5);
  if (random.percent(25)) plan.cancel_at = std::chrono::milliseconds(random.below(400));
  return plan;
}

std::vector<int> expected(const Plan& plan) {
  std::vector<int> values;
  for (std::size_t i = 0; i < plan.delays.size(); ++i) values.push_back(static_cast<int>(i));
  for (auto [stage, n] : plan.stages) {
    std::vector<int> next;
    for (int v : values) {
      if (stage == Stage::map) next.push_back(v * 3 + n);
      if (stage == Stage::filter && v % (n + 1) != 0) next.push_back(v);
      if (stage == Stage::batch || stage == Stage::buffered) next.push_back(v);
      if (stage == Stage::take && static_cast<int>(next.size()) < n) next.push_back(v);
    }
    values = next;
  }
  return values;
}

aio::AsyncGenerator<int> build(const Plan& plan, Counts* counts) {
  aio::AsyncGenerator<int> chain = source(FrameCount(counts), plan.delays);
  for (const auto& [stage, size] : plan.stages) {
    const int n = size;  // a plain variable: lambdas cannot capture a structured binding in C++20
    switch (stage) {
      case Stage::map:
        chain = aio::map(std::move(chain), [n](int v) { return v * 3 + n; });
        break;
      case Stage::filter:
        chain = aio::filter(std::move(chain), [n](int v) { return v % (n + 1) != 0; });
        break;
      case Stage::take:
        chain = aio::take(std::move(chain), static_cast<std::size_t>(n));
        break;
      case Stage::batch:
        chain = flatten(aio::batch(std::move(chain), static_cast<std::size_t>(n)));
        break;
      case Stage::buffered:
        chain = aio::buffered(std::move(chain), static_cast<std::size_t>(n));
        break;
    }
  }
  return chain;
}

aio::Coro<void> consume(const Plan* plan, aio::AsyncGenerator<int> chain, std::vector<int>* got) {
  std::size_t step = 0;
  while (auto value = co_await chain.next()) {
    got->push_back(*value);
    if (plan->stop_after > 0 && static_cast<int>(got->size()) >= plan->stop_after) break;
    co_await aio::sleep(plan->work[step++ % plan->work.size()]);
  }
  co_await chain.aclose();
}

aio::Coro<void> run_plan(const Plan* plan, Counts* counts, std::vector<int>* got, bool* cancelled) {
  aio::Task<void> reader = aio::create_task(consume(plan, build(*plan, counts), got));
  if (plan->cancel_at >= aio::Duration{0}) {
    co_await aio::sleep(plan->cancel_at);
    reader.cancel();
  }
  try {
    co_await reader;
  } catch (const aio::CancelledError&) {
    *cancelled = true;
  }
  reader = aio::Task<void>();  // the reader's frame goes: a parked chain goes to the finalizer
  co_await aio::sleep(10s);    // time for every closing task
}

}  // namespace

TEST_CASE("random pipelines give the values of the plain computation", "[l14][stress]") {
  for (std::uint64_t seed = 1; seed <= 400; ++seed) {
    Random random(seed);
    const Plan plan = draw(random);
    Counts counts;
    std::vector<int> got;
    bool cancelled = false;
    aio::run(run_plan(&plan, &counts, &got, &cancelled), {.virtual_clock = true});

    std::vector<int> want = expected(plan);
    if (plan.stop_after > 0 && static_cast<int>(want.size()) > plan.stop_after) {
      want.resize(static_cast<std::size_t>(plan.stop_after));
    }
    INFO("seed " << seed);
    if (cancelled) {
      // A prefix of the values, whatever the moment of the cancel.
      REQUIRE(got.size() <= want.size());
      CHECK(std::vector<int>(want.begin(), want.begin() + static_cast<std::ptrdiff_t>(got.size())) == got);
    } else {
      CHECK(got == want);
    }
    CHECK(counts.cleanups == counts.started);
    CHECK(counts.frames_alive == 0);
  }
}
