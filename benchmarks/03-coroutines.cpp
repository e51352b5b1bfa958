// Lesson 03: what a coroutine costs. Every benchmark reports items per second; one item is one
// call, one awaited coroutine, one trip through the scheduler, or one allocation.
//
//   BM_plain_call               a function call that the compiler may not inline: the floor
//   BM_await_coro               co_await of an aio::Coro<int> that finishes at once: frame from
//                               the recycling allocator, callee started inside await_ready
//   BM_await_coro_plain_new     the same coroutine with its frame from plain operator new
//   BM_await_coro_textbook      the same with the textbook Awaiter: the callee is started by
//                               symmetric transfer from await_suspend (recycled frames)
//   BM_create_and_destroy       making a Coro and destroying it unawaited: the frame alone
//   BM_yield_now                co_await aio::yield_now(): one trip through Scheduler's deque
//   BM_hand_off                 co_await aio::hand_off() alone in the deque: a transfer to itself
//   BM_frame_allocator          FrameAllocator::allocate + deallocate of a 128-byte block
//   BM_operator_new             ::operator new + delete of the same block
//
// The awaiting loops run inside a coroutine that owns the benchmark's `for (auto _ : state)`
// loop, so each iteration is exactly one co_await.
#include "bench_support.hpp"

#include <aio/awaitable.hpp>
#include <aio/coro.hpp>
#include <aio/frame_allocator.hpp>
#include <aio/scheduler.hpp>

#include <coroutine>
#include <cstddef>
#include <new>
#include <utility>

namespace {

// ---------------------------------------------------------------------------------------------
// Local variants of aio::Coro, for comparison. They reuse aio's promise (and with it FinalAwaiter,
// return_value and take) and change one thing each: where the frame comes from, or how co_await
// starts the callee.

enum class Frames { recycled, plain_new };
enum class Start { inside_await_ready, symmetric_transfer };

template <Frames F, Start S>
class Variant {
public:
  struct promise_type : aio::detail::Promise<int> {
    Variant get_return_object() noexcept {
      return Variant(std::coroutine_handle<promise_type>::from_promise(*this));
    }
    static void* operator new(std::size_t size) {
      if constexpr (F == Frames::recycled) return aio::detail::FrameAllocator::allocate(size);
      return ::operator new(size);
    }
    static void operator delete(void* frame, std::size_t size) noexcept {
      if constexpr (F == Frames::recycled) {
        aio::detail::FrameAllocator::deallocate(frame, size);
      } else {
        static_cast<void>(size);
        ::operator delete(frame);
      }
    }
  };

  struct Awaiter {
    std::coroutine_handle<promise_type> frame;

    bool await_ready() const noexcept {
      if constexpr (S == Start::inside_await_ready) {
        frame.resume();
        return frame.done();
      }
      return false;
    }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<> caller) noexcept {
      frame.promise().continuation = caller;
      if constexpr (S == Start::inside_await_ready) return std::noop_coroutine();
      return frame;
    }
    int await_resume() { return frame.promise().take(); }
  };

  explicit Variant(std::coroutine_handle<promise_type> frame) noexcept : frame_(frame) {}
  Variant(Variant&& other) noexcept : frame_(std::exchange(other.frame_, {})) {}
  Variant& operator=(Variant&&) = delete;
  ~Variant() {
    if (frame_) frame_.destroy();
  }

  Awaiter operator co_await() && noexcept { return Awaiter{frame_}; }

private:
  std::coroutine_handle<promise_type> frame_;
};

using PlainNewCoro = Variant<Frames::plain_new, Start::inside_await_ready>;
using TextbookCoro = Variant<Frames::recycled, Start::symmetric_transfer>;

// The callees: each returns 1 without suspending.
[[gnu::noinline]] int plain_one() {
  int one = 1;
  benchmark::DoNotOptimize(one);
  return one;
}

aio::Coro<int> coro_one() { co_return 1; }
PlainNewCoro plain_new_one() { co_return 1; }
TextbookCoro textbook_one() { co_return 1; }

// The callers: one co_await per iteration of the benchmark's loop.
template <class Callee>
aio::Coro<void> await_each_iteration(benchmark::State* state, Callee (*make)()) {
  for (auto _ : *state) {
    const int value = co_await make();
    benchmark::DoNotOptimize(value);
  }
}

template <class Callee>
void run_awaits(benchmark::State& state, Callee (*make)()) {
  auto driver = await_each_iteration(&state, make);
  driver.handle().resume();  // the whole benchmark loop runs inside this call
  driver.take_result();
  state.SetItemsProcessed(state.iterations());
}

void BM_plain_call(benchmark::State& state) {
  for (auto _ : state) {
    const int value = plain_one();
    benchmark::DoNotOptimize(value);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_await_coro(benchmark::State& state) { run_awaits(state, &coro_one); }
void BM_await_coro_plain_new(benchmark::State& state) { run_awaits(state, &plain_new_one); }
void BM_await_coro_textbook(benchmark::State& state) { run_awaits(state, &textbook_one); }

void BM_create_and_destroy(benchmark::State& state) {
  for (auto _ : state) {
    auto coro = coro_one();
    benchmark::DoNotOptimize(coro);
  }
  state.SetItemsProcessed(state.iterations());
}

aio::Coro<void> yield_each_iteration(benchmark::State* state) {
  for (auto _ : *state) co_await aio::yield_now();
}

aio::Coro<void> hand_off_each_iteration(benchmark::State* state) {
  for (auto _ : *state) co_await aio::hand_off();
}

void BM_yield_now(benchmark::State& state) {
  aio::run_sync(yield_each_iteration(&state));
  state.SetItemsProcessed(state.iterations());
}

void BM_hand_off(benchmark::State& state) {
  aio::run_sync(hand_off_each_iteration(&state));
  state.SetItemsProcessed(state.iterations());
}

void BM_frame_allocator(benchmark::State& state) {
  for (auto _ : state) {
    void* block = aio::detail::FrameAllocator::allocate(128);
    benchmark::DoNotOptimize(block);
    aio::detail::FrameAllocator::deallocate(block, 128);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_operator_new(benchmark::State& state) {
  for (auto _ : state) {
    void* block = ::operator new(128);
    benchmark::DoNotOptimize(block);
    ::operator delete(block);
  }
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

BENCHMARK(BM_plain_call);
BENCHMARK(BM_await_coro);
BENCHMARK(BM_await_coro_plain_new);
BENCHMARK(BM_await_coro_textbook);
BENCHMARK(BM_create_and_destroy);
BENCHMARK(BM_yield_now);
BENCHMARK(BM_hand_off);
BENCHMARK(BM_frame_allocator);
BENCHMARK(BM_operator_new);

BENCHMARK_MAIN();
