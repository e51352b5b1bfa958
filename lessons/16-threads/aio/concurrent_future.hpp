// aio::ConcurrentFuture<T>: a result that another thread waits for by blocking
// (Python's concurrent.futures.Future, which run_coroutine_threadsafe returns).
//
//   auto answer = aio::run_coroutine_threadsafe(compute(), loop);   // from any thread
//   int n = answer.result(2s);       // blocks this thread; TimeoutError after 2 s
//
// aio::Future (lesson 05) belongs to one loop's thread and is awaited; a ConcurrentFuture is
// shared by threads and waited for with a mutex and a condition variable. One side (the loop)
// ends it once, with set_result / set_exception; any thread may read it, block on it, or
// cancel it.
//
// States, guarded by the mutex:
//   pending    result() blocks; done() is false
//   finished   a value or an exception is in place
//   cancelled  cancel() came first: result() throws CancelledError, and the loop is asked to
//              cancel the work behind it (through the on_cancel function, see below)
// A finished or cancelled future never changes again: set_result after cancel() is ignored;
// cancel() returns false on a finished future and true on a cancelled one (as Python's).
//
// Where a waiting thread wakes: in result(), on its own thread, once the loop's thread has
// ended the future (notify_all wakes every waiter).
#pragma once

#include <aio/clock.hpp>
#include <aio/errors.hpp>
#include <aio/not_implemented.hpp>
#include <aio/task_base.hpp>

#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>

namespace aio {

namespace detail {

template <class T>
struct ConcurrentState {
  enum class State { pending, finished, cancelled };

  std::mutex mutex;
  std::condition_variable ended;  // notified once, when state leaves pending
  State state = State::pending;
  std::optional<std::conditional_t<std::is_void_v<T>, bool, T>> value;
  std::exception_ptr error;
  // Called once, outside the lock, by the cancel() that ends the future: asks the loop to
  // cancel the work (run_coroutine_threadsafe posts a cancel of the task to the loop).
  std::function<void()> on_cancel;
};

}  // namespace detail

// book:concurrent-api
template <class T = void>
class ConcurrentFuture {
public:
  using State = typename detail::ConcurrentState<T>::State;

  ConcurrentFuture() : state_(std::make_shared<detail::ConcurrentState<T>>()) {}

  // ---- any thread --------------------------------------------------------------------------
  bool done() const {
    std::lock_guard lock(state_->mutex);
    return state_->state != State::pending;
  }
  bool cancelled() const {
    std::lock_guard lock(state_->mutex);
    return state_->state == State::cancelled;
  }

  /// Blocks until the future ends, at most `timeout` (forever when empty); then returns a copy
  /// of the value, or rethrows the exception, or throws CancelledError. Throws TimeoutError if
  /// the time runs out first (the future stays pending: ask again, or cancel it).
  /// On a thread that runs an event loop it would freeze every task of that loop, and if the
  /// result comes from that loop, forever: there it raises RuntimeError instead of blocking.
  T result(std::optional<Duration> timeout = std::nullopt) const {
    if (detail::running_loop != nullptr && !done()) {
      throw RuntimeError("ConcurrentFuture::result would block the thread of a running event loop; "
                         "co_await the work on the loop instead");
    }
    return wait_for_outcome(timeout);
  }

  /// Ends a pending future as cancelled, wakes every thread blocked in result(), and asks the
  /// loop to cancel the work behind it. Returns true if the future is cancelled (now or before),
  /// false if it has finished with a value or an exception: then it changes nothing.
  bool cancel();
// end book:concurrent-api

  // ---- the side that computes it (the loop's thread) ---------------------------------------
  /// Ends it with a value; ignored if it was cancelled first.
  template <class U = T>
    requires(!std::is_void_v<U>)
  void set_result(U value) {
    end([&] { state_->value.emplace(std::move(value)); });
  }
  void set_result()
    requires std::is_void_v<T>
  {
    end([&] { state_->value = true; });
  }
  void set_exception(std::exception_ptr error) {
    end([&] { state_->error = std::move(error); });
  }
  /// What cancel() calls to stop the work; set before the future is handed out.
  void set_on_cancel(std::function<void()> on_cancel) {
    std::lock_guard lock(state_->mutex);
    state_->on_cancel = std::move(on_cancel);
  }

private:
  T wait_for_outcome(std::optional<Duration> timeout) const;

  template <class Fill>
  void end(Fill fill) {
    {
      std::lock_guard lock(state_->mutex);
      if (state_->state != State::pending) return;
      fill();
      state_->state = State::finished;
    }
    state_->ended.notify_all();
  }

  std::shared_ptr<detail::ConcurrentState<T>> state_;
};

// book:concurrent-result
template <class T>
T ConcurrentFuture<T>::wait_for_outcome([[maybe_unused]] std::optional<Duration> timeout) const {
  AIO_TODO("l16.ex3", "wait on the condition variable until the state leaves pending, at most timeout (see 'Step 4: futures across threads')");
}

template <class T>
bool ConcurrentFuture<T>::cancel() {
  AIO_TODO("l16.ex3", "end a pending future as cancelled, wake the waiters, then ask the loop to stop the work (see 'Step 4: futures across threads')");
}
// end book:concurrent-result

}  // namespace aio
