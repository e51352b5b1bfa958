// The async iterator protocol, and an async range written by hand.
//
//   Python                                   aio
//   __aiter__()                              the object itself (C++ has no `async for` to call it)
//   await it.__anext__()                     co_await it.anext()   (T, or aio::StopAsyncIteration)
//   async for x in it: ...                   while (auto x = co_await it.next()) { ... }
//   (nothing: the loop just stops)           co_await it.aclose()
//
// An aio async iterator is any type with `value_type`, `next()` and `anext()` (the concept
// AsyncIterator below); aio::AsyncGenerator is one, and CountUp is another, written without a
// coroutine: its awaiters are the whole state machine that a generator's compiler-built frame
// would otherwise be. The adaptors of aio/pipeline.hpp accept either.
#pragma once

#include <aio/not_implemented.hpp>
#include <aio/clock.hpp>
#include <aio/errors.hpp>
#include <aio/sleep.hpp>
#include <aio/stop_async_iteration.hpp>

#include <coroutine>
#include <optional>
#include <type_traits>
#include <utility>

namespace aio {

// book:concept
/// What the pipelines accept: `co_await it.next()` gives std::optional<value_type>, empty at
/// the end; `co_await it.anext()` gives value_type or throws aio::StopAsyncIteration.
template <class I>
concept AsyncIterator = requires(I& it) {
  typename I::value_type;
  it.next();
  it.anext();
};
// end book:concept

/// Closes `it` if it can be closed (an AsyncGenerator's aclose(), which runs its cleanup);
/// an async iterator without aclose() has nothing to clean up.
template <class I>
auto aclose_if_any(I& it) {
  if constexpr (requires { it.aclose(); }) {
    return it.aclose();
  } else {
    return std::suspend_never{};
  }
}

// book:count-up
/// The numbers 1, 2, ..., `count`, one every `interval`: each step sleeps, then counts (the
/// same sequence, at the same times, as an async generator that awaits aio::sleep(interval) and
/// yields). A hand-written async iterator: no coroutine frame, only a position and awaiters.
///
/// Where the consumer resumes: as after aio::sleep (one loop iteration after the timer is due);
/// at the end, at once, without suspending.
class CountUp {
public:
  using value_type = int;

  CountUp(int count, Duration interval) noexcept : count_(count), interval_(interval) {}

  /// The awaiter of one step: next() (Raising = false) and anext() (Raising = true).
  template <bool Raising>
  class [[nodiscard]] Step {
  public:
    using Result = std::conditional_t<Raising, int, std::optional<int>>;

    explicit Step(CountUp& range) noexcept : range_(&range) {}

    bool await_ready() {
      AIO_TODO("l14.ex4", "at the end, no wait at all; otherwise this step's wait begins here "
                          "(see 'Step 5: the protocol by hand')");
    }
    void await_suspend([[maybe_unused]] std::coroutine_handle<> consumer) {
      AIO_TODO("l14.ex4", "the wait you began decides how to suspend (see 'Step 5: the protocol by hand')");
    }
    Result await_resume() {
      AIO_TODO("l14.ex4", "finish the wait before you count: a cancelled step counts nothing "
                          "(see 'Step 5: the protocol by hand')");
    }

  private:
    CountUp* range_;
    std::optional<SleepAwaiter> sleep_;  // the wait of this step, once it has begun
  };

  /// The wait before each number.
  Duration interval() const noexcept { return interval_; }

  Step<false> next() noexcept { return Step<false>(*this); }
  Step<true> anext() noexcept { return Step<true>(*this); }
  /// Nothing to clean up: the range just ends.
  std::suspend_never aclose() noexcept {
    position_ = count_;
    return {};
  }

private:
  int count_;
  Duration interval_;
  int position_ = 0;  // how many numbers have been handed out
};
// end book:count-up

}  // namespace aio
