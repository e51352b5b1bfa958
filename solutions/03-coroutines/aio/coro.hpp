// aio::Coro<T>: a lazy coroutine, the C++ counterpart of a Python coroutine object.
//
//   async def add(a, b): return a + b        aio::Coro<int> add(int a, int b) { co_return a + b; }
//   c = add(1, 2)      # nothing runs yet     auto c = add(1, 2);   // nothing runs yet
//   x = await c                               int x = co_await std::move(c);
//
// Calling a Coro function allocates its frame and stops before the first line (initial_suspend
// is suspend_always). `co_await` starts it, inside the co_await. If it finishes without waiting
// for anything, the awaiting coroutine simply goes on, without ever suspending; if it suspends,
// the awaiting coroutine suspends too and is resumed by symmetric transfer, on the same thread,
// at the moment the Coro finishes. The result is a value or an exception, and the exception is
// rethrown at the co_await.
//
// A Coro owns its frame and destroys it in its destructor; it is move-only. A Coro that is never
// awaited is simply destroyed with its frame, body unrun: Python warns at run time ("coroutine
// ... was never awaited"), C++ at compile time when the call's result is discarded ([[nodiscard]]).
//
// The pieces, in the order the compiler uses them:
//   Promise<T>     lives in the frame: get_return_object (the Coro the caller receives),
//                  initial_suspend (lazy start), return_value / unhandled_exception (the
//                  outcome), final_suspend (FinalAwaiter), take (the outcome, for the awaiter)
//   Coro::Awaiter  what `co_await coro` does: run the callee; if it suspended, leave the
//                  caller's handle with it
//   FinalAwaiter   what the callee does last: jump back to the caller, if one is waiting
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

// book:promise-base
/// The parts of a Coro's promise that do not depend on T.
///
/// Who is told when the coroutine finishes (FinalAwaiter reads these two, in this order):
///   owner != nullptr   a task drives it (lesson 04): the task is told, nobody is resumed
///   continuation       a coroutine awaits it and suspended meanwhile: that coroutine is resumed,
///                      by symmetric transfer
///   neither            it was resumed by hand, by a scheduler, or by an awaiter that is still
///                      inside co_await: control returns there
struct PromiseBase {
  std::coroutine_handle<> continuation;  // the coroutine to resume when this one finishes
  CoroOwner* owner = nullptr;            // the task that drives this coroutine, if any
  std::exception_ptr exception;          // what escaped the body, if anything

  // Lazy: the body does not start when the function is called, only when first resumed.
  std::suspend_always initial_suspend() const noexcept { return {}; }
  // Suspend at the end rather than free the frame: the result is read from it, then the Coro
  // destroys it.
  FinalAwaiter final_suspend() const noexcept { return {}; }

  // Frames come from a recycling allocator (aio/frame_allocator.hpp): most are reused blocks.
  static void* operator new(std::size_t size) { return FrameAllocator::allocate(size); }
  static void operator delete(void* frame, std::size_t size) noexcept {
    FrameAllocator::deallocate(frame, size);
  }
  void unhandled_exception() noexcept { exception = std::current_exception(); }
};
// end book:promise-base

// book:promise
template <class T>
struct Promise : PromiseBase {
  std::optional<T> value;

  Coro<T> get_return_object() noexcept;

  // `co_return expr;`
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
// end book:promise

// book:promise-void
template <>
struct Promise<void> : PromiseBase {
  Coro<void> get_return_object() noexcept;
  void return_void() noexcept {}
  void take() {
    if (exception) std::rethrow_exception(exception);
  }
};
// end book:promise-void

}  // namespace detail

// book:coro
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
  // end book:coro

  // book:awaiter
  /// `co_await coro`: run the callee at once, on top of the caller's stack, until it suspends or
  /// finishes; then return its result or rethrow its exception.
  ///
  /// - It finished without suspending (the common case: a coroutine with nothing to wait for):
  ///   await_ready() says so, the caller never suspends, and the call has returned, so a loop
  ///   of a million such awaits runs at one depth of the stack, whatever the compiler.
  /// - It suspended (it waits for something): the caller suspends too, and leaves its handle in
  ///   the callee's promise. When the callee finishes, much later, its FinalAwaiter resumes the
  ///   caller by symmetric transfer.
  ///
  /// The textbook version starts the callee by symmetric transfer as well (await_suspend returns
  /// `frame`), and relies on the compiler to turn both transfers into jumps. GCC 12 makes them
  /// calls at -O0 and -O1, and under AddressSanitizer at any level: every synchronous completion
  /// then leaves two frames on the stack, and a loop overflows it (book/03-coroutines.md).
  struct Awaiter {
    std::coroutine_handle<promise_type> frame;

    bool await_ready() const noexcept {
      frame.resume();  // a call: it returns when the callee has suspended or finished
      return frame.done();
    }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<> caller) noexcept {
      frame.promise().continuation = caller;  // the callee's FinalAwaiter resumes the caller
      return std::noop_coroutine();           // the callee is parked already: back to the loop
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
