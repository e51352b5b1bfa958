// aio::timeout: a deadline for a block of code that runs in the current task (asyncio.timeout).
//
//   asyncio                                       aio
//   async with asyncio.timeout(3):                co_await aio::timeout(3s).run(fetch(url));
//       await fetch(url)
//
//   async with asyncio.timeout(10) as scope:      aio::Timeout scope = aio::timeout(10s);
//       await job(scope)                          co_await scope.run(job(scope));
//   if scope.expired(): ...                       if (scope.expired()) { ... }
//
//   asyncio.timeout_at(loop.time() + 5)           aio::timeout_at(loop.time() + 5s)
//   asyncio.timeout(None)                         aio::timeout(std::nullopt): no deadline (yet)
//   scope.reschedule(loop.time() + 2)             scope.reschedule(loop.time() + 2s)
//   scope.when()                                  scope.when()
//
// C++ has no `async with`, so the block is a coroutine: `co_await scope.run(body)` enters the
// scope, runs `body` in the CURRENT task (no new task, as in asyncio), and leaves the scope when
// the body ends, however it ends. The model is asyncio 3.11's:
//   - entering records the task and its cancelling() count, and puts a timer on the loop;
//   - when the deadline passes while the body runs, the timer CANCELS THE TASK (Task::cancel,
//     lesson 08): the body sees an ordinary CancelledError at its current co_await, and its
//     cleanup runs as the error unwinds;
//   - leaving takes the timer off. If the scope expired, it withdraws its own request
//     (uncancel()), and if a CancelledError comes out of the body and no other request is
//     left standing (uncancel() is back at the count seen on entry), that error is the scope's
//     own: it becomes aio::TimeoutError. A cancellation from outside, even one that arrives
//     together with the deadline, passes through untouched;
//   - so in nested scopes the one whose deadline passed reports TimeoutError, and the others
//     let the CancelledError through (an inner scope never converts an outer scope's request).
//   - a body that swallows the CancelledError finishes normally: no TimeoutError, although
//     expired() is true.
//
// Where the awaiting coroutine resumes: `co_await scope.run(body)` starts the body at once,
// inside the co_await (like awaiting any Coro), and adds no loop iteration on either side. The
// awaiting coroutine resumes, in the same task step in which the body ends, by symmetric
// transfer: with the body's result, with aio::TimeoutError if the scope's own deadline cut the
// body short, or with whatever else the body threw. The timer's callback runs from the loop's
// ready queue, never inside the task; it only asks for the cancellation.
//
// A Timeout holds the timer that points back at it: it neither copies nor moves. timeout() and
// timeout_at() return it by value all the same (C++17 guarantees that no copy is made).
//
// YOUR COPY: ex2 is on_timeout() and exit(), ex3 is reschedule(). enter(), arm() and the
// RunAwaiter are written for you: read them first, they call your code.
#pragma once

#include <aio/cancellation.hpp>
#include <aio/clock.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/event_loop.hpp>
#include <aio/not_implemented.hpp>
#include <aio/sleep.hpp>
#include <aio/task_base.hpp>

#include <coroutine>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace aio {

// book:timeout-class
class Timeout {
public:
  /// The life of a scope, asyncio's _State:
  ///   created   made by timeout() / timeout_at(), not entered yet
  ///   entered   the body runs; the timer (if any) is on the loop      (asyncio: "active")
  ///   expiring  the deadline passed and the task was cancelled; the body is unwinding
  ///   expired   left after the deadline passed
  ///   exited    left before the deadline                              (asyncio: "finished")
  enum class State { created, entered, expiring, expired, exited };

  /// A scope that expires when the loop's clock reaches `when`; never if `when` is empty.
  explicit Timeout(std::optional<Duration> when) noexcept : when_(when) {}
  Timeout(const Timeout&) = delete;
  Timeout& operator=(const Timeout&) = delete;
  ~Timeout() { handle_.cancel(); }  // a frame destroyed inside the scope: the timer must go

  /// The current deadline, on the loop's clock (asyncio's when()).
  std::optional<Duration> when() const noexcept { return when_; }
  /// Did the deadline pass while the body ran? (asyncio's expired())
  bool expired() const noexcept { return state_ == State::expiring || state_ == State::expired; }
  State state() const noexcept { return state_; }
  /// asyncio's names for the states: "created", "active", "expiring", "expired", "finished".
  static const char* state_name(State state) noexcept {
    constexpr const char* names[] = {"created", "active", "expiring", "expired", "finished"};
    return names[static_cast<int>(state)];
  }

  /// Moves the deadline while the body runs: later, earlier (a past deadline fires in the next
  /// loop iteration), or away (std::nullopt). Throws InvalidStateError outside the body.
  void reschedule(std::optional<Duration> when);
  // end book:timeout-class

  template <class T>
  class RunAwaiter;

  /// `co_await scope.run(body)`: runs `body` inside the scope; see the top of this file. The
  /// scope must outlive the co_await: await the result at once.
  template <class T>
  RunAwaiter<T> run(Coro<T> body) {
    return RunAwaiter<T>(*this, std::move(body));
  }

private:
  // book:enter
  /// asyncio's __aenter__: only once, only inside a task; notes the task's cancelling() count
  /// and puts the timer on the loop.
  void enter() {
    if (state_ != State::created) throw InvalidStateError("Timeout has already been entered");
    task_ = &detail::current_task_for("aio::timeout");
    state_ = State::entered;
    cancelling_ = task_->cancelling();
    arm();
  }

  /// Puts the timer for when_ on the loop: in the next iteration if the deadline has passed
  /// already (call_soon, as asyncio does), at the deadline otherwise, not at all without one.
  void arm() {
    if (!when_) return;
    EventLoop& loop = task_->loop();
    if (*when_ <= loop.time()) {
      handle_ = loop.call_soon([this] { on_timeout(); });
    } else {
      handle_ = loop.call_at(*when_, [this] { on_timeout(); });
    }
  }
  // end book:enter

  void on_timeout();
  void exit(const std::exception_ptr& error);

  std::optional<Duration> when_;
  Handle handle_;             // the timer, while one is on the loop
  TaskBase* task_ = nullptr;  // the task that entered the scope
  int cancelling_ = 0;        // its cancelling() when it entered
  State state_ = State::created;
};

// book:on-timeout
/// The timer's callback, from the loop's ready queue: the deadline has passed while the body
/// runs. Cancel the task that entered the scope (the body sees CancelledError at its co_await)
/// and remember that this scope did it.
inline void Timeout::on_timeout() {
  AIO_TODO("l09.ex2", "only while entered: ask for the cancellation, and remember the scope did it "
                      "(see 'Step 2: the two ends of a scope')");
}
// end book:on-timeout

// book:exit
/// asyncio's __aexit__: the body has ended, with `error` (null if it returned). Takes the timer
/// off; if the scope expired, withdraws the scope's own cancellation request, and turns the
/// CancelledError into TimeoutError when that request is the only reason for it.
inline void Timeout::exit([[maybe_unused]] const std::exception_ptr& error) {
  AIO_TODO("l09.ex2", "timer off now; an expiring scope always withdraws its request, and converts only "
                      "its own CancelledError (see 'Step 2: the two ends of a scope')");
}
// end book:exit

// book:reschedule
inline void Timeout::reschedule([[maybe_unused]] std::optional<Duration> when) {
  AIO_TODO("l09.ex3", "only while entered (asyncio's messages otherwise); then the new deadline, the old "
                      "timer off, arm() (see 'Step 3: reschedule')");
}
// end book:reschedule

// book:run-awaiter
/// What scope.run(body) returns: the body's own Coro awaiter (lesson 03), with the scope's
/// entry before the body starts and its exit after the body ends.
template <class T>
class [[nodiscard]] Timeout::RunAwaiter {
public:
  RunAwaiter(Timeout& scope, Coro<T> body) : scope_(scope), body_(std::move(body)) {
    if (!body_.valid()) throw std::invalid_argument("aio::Timeout::run: the body is an empty Coro");
  }

  /// Enters the scope, then runs the body until it first suspends (or ends).
  bool await_ready() {
    scope_.enter();
    return awaiter().await_ready();
  }
  /// The body suspended: the awaiting coroutine suspends too, and the body's end resumes it.
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> caller) noexcept {
    return awaiter().await_suspend(caller);
  }
  /// The body ended: leave the scope (which may turn the body's CancelledError into
  /// TimeoutError), then hand over the body's result or rethrow its exception.
  T await_resume() {
    scope_.exit(body_.handle().promise().exception);
    return awaiter().await_resume();
  }

private:
  typename Coro<T>::Awaiter awaiter() noexcept { return typename Coro<T>::Awaiter{body_.handle()}; }

  Timeout& scope_;
  Coro<T> body_;
};
// end book:run-awaiter

// book:factories
/// A scope whose deadline is `delay` from now (asyncio.timeout(delay)); std::nullopt: none yet.
inline Timeout timeout(std::optional<Duration> delay) {
  if (!delay) return Timeout(std::nullopt);
  return Timeout(get_running_loop().time() + *delay);
}

/// A scope whose deadline is `when` on the loop's clock (asyncio.timeout_at(when)).
inline Timeout timeout_at(std::optional<Duration> when) noexcept { return Timeout(when); }
// end book:factories

}  // namespace aio
