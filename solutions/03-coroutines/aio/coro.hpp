// aio::Coro<T>: a lazy coroutine, the C++ counterpart of a Python coroutine object.
//
//   async def add(a, b): return a + b        aio::Coro<int> add(int a, int b) { co_return a + b; }
//   c = add(1, 2)      # nothing runs yet     auto c = add(1, 2);   // nothing runs yet
//   x = await c                               int x = co_await std::move(c);
//
// Calling a Coro function allocates its frame and stops before the first line (initial_suspend
// is suspend_always). `co_await` starts it; the awaiting coroutine is suspended and is resumed by
// symmetric transfer, on the same thread and without growing the stack, at the moment the Coro
// finishes. The result is a value or an exception, and the exception is rethrown at the co_await.
//
// A Coro owns its frame and destroys it in its destructor; it is move-only.
#pragma once

#include <aio/frame_allocator.hpp>

#include <coroutine>
#include <cstddef>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

namespace aio {

template <class T = void>
class Coro;

namespace detail {

/// Told when a coroutine that a task drives reaches its end (see aio/task.hpp). Coroutines that
/// are simply awaited never see one.
class CoroOwner {
public:
  virtual void coroutine_finished() noexcept = 0;

protected:
  ~CoroOwner() = default;
};

// book:final-awaiter
/// What a finished coroutine does last: hand control straight to whoever awaited it (symmetric
/// transfer), or tell the task that drives it, or, if nobody did, return to whoever resumed it.
struct FinalAwaiter {
  bool await_ready() const noexcept { return false; }

  template <class Promise>
  std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> self) const noexcept {
    auto& promise = self.promise();
    if (promise.owner != nullptr) {
      promise.owner->coroutine_finished();
      return std::noop_coroutine();
    }
    if (promise.continuation) return promise.continuation;
    return std::noop_coroutine();
  }

  void await_resume() const noexcept {}
};
// end book:final-awaiter

/// The parts of a Coro's promise that do not depend on T.
struct PromiseBase {
  std::coroutine_handle<> continuation;  // the coroutine to resume when this one finishes
  CoroOwner* owner = nullptr;            // the task that drives this coroutine, if any
  std::exception_ptr exception;

  std::suspend_always initial_suspend() const noexcept { return {}; }
  FinalAwaiter final_suspend() const noexcept { return {}; }

  // Frames come from a recycling allocator (aio/frame_allocator.hpp): most are reused blocks.
  static void* operator new(std::size_t size) { return FrameAllocator::allocate(size); }
  static void operator delete(void* frame, std::size_t size) noexcept {
    FrameAllocator::deallocate(frame, size);
  }
  void unhandled_exception() noexcept { exception = std::current_exception(); }
};

template <class T>
struct Promise : PromiseBase {
  std::optional<T> value;

  Coro<T> get_return_object() noexcept;

  template <class U = T>
    requires std::is_convertible_v<U&&, T>
  void return_value(U&& result) noexcept(std::is_nothrow_constructible_v<T, U&&>) {
    value.emplace(std::forward<U>(result));
  }

  /// The result, or the exception rethrown. Moves the value out.
  T take() {
    if (exception) std::rethrow_exception(exception);
    return std::move(*value);
  }
};

template <>
struct Promise<void> : PromiseBase {
  Coro<void> get_return_object() noexcept;
  void return_void() noexcept {}
  void take() {
    if (exception) std::rethrow_exception(exception);
  }
};

}  // namespace detail

template <class T>
class [[nodiscard]] Coro {
public:
  using promise_type = detail::Promise<T>;
  using value_type = T;

  Coro() noexcept = default;
  explicit Coro(std::coroutine_handle<promise_type> frame) noexcept : frame_(frame) {}
  Coro(Coro&& other) noexcept : frame_(std::exchange(other.frame_, {})) {}
  Coro& operator=(Coro&& other) noexcept {
    if (this != &other) {
      destroy();
      frame_ = std::exchange(other.frame_, {});
    }
    return *this;
  }
  Coro(const Coro&) = delete;
  Coro& operator=(const Coro&) = delete;
  ~Coro() { destroy(); }

  bool valid() const noexcept { return static_cast<bool>(frame_); }
  bool done() const noexcept { return frame_ && frame_.done(); }

  // book:awaiter
  /// `co_await coro`: start it, suspend the caller, and come back by symmetric transfer when it
  /// finishes; then return its result or rethrow its exception.
  struct Awaiter {
    std::coroutine_handle<promise_type> frame;

    bool await_ready() const noexcept { return false; }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<> caller) noexcept {
      frame.promise().continuation = caller;
      return frame;  // symmetric transfer: resume the callee without growing the stack
    }
    T await_resume() { return frame.promise().take(); }
  };
  // end book:awaiter

  Awaiter operator co_await() && noexcept { return Awaiter{frame_}; }
  Awaiter operator co_await() & noexcept { return Awaiter{frame_}; }

  /// The frame, for the code that drives coroutines (tasks, drivers); ownership stays here.
  std::coroutine_handle<promise_type> handle() const noexcept { return frame_; }

  /// The result of a finished coroutine, or its exception rethrown.
  T take_result() { return frame_.promise().take(); }

private:
  void destroy() noexcept {
    if (frame_) frame_.destroy();
    frame_ = {};
  }

  std::coroutine_handle<promise_type> frame_;
};

namespace detail {
template <class T>
Coro<T> Promise<T>::get_return_object() noexcept {
  return Coro<T>{std::coroutine_handle<Promise<T>>::from_promise(*this)};
}
inline Coro<void> Promise<void>::get_return_object() noexcept {
  return Coro<void>{std::coroutine_handle<Promise<void>>::from_promise(*this)};
}
}  // namespace detail

}  // namespace aio
