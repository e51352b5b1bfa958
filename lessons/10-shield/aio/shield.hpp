// aio::shield: await a task without passing your cancellation on to it (asyncio.shield).
//
//   asyncio                                      aio
//   write = asyncio.create_task(save(r))         auto write = aio::create_task(save(r));
//   status = await asyncio.shield(write)         std::string status = co_await aio::shield(write);
//   await asyncio.shield(save(r))                co_await aio::shield(save(r));   // a task is made for it
//   await asyncio.shield(fut)                    co_await aio::shield(fut);       // an aio::Future<T>
//
// `co_await task` forwards a cancellation of the awaiting task into the task it awaits (lesson
// 08). Awaiting through shield does not: the rules are CPython 3.11's.
//   - If the AWAITING task is cancelled, it gets CancelledError at once, at this co_await; the
//     inner task is not told and runs on. A Task handle still reaches it: await it later (with
//     or without a shield) and its result is still there. If nobody ever retrieves a failure of
//     the inner task, the loop reports it ("Task exception was never retrieved"), as asyncio
//     does.
//   - If the INNER task is cancelled (by anyone else), the awaiting task gets CancelledError
//     too, without a message, as asyncio's shield cancels its outer future; the awaiting task
//     itself was not cancelled (its cancelling() does not go up).
//   - Otherwise the awaiting task gets the inner task's result, or its exception.
//   - A coroutine is wrapped in a task when shield() is called (asyncio's ensure_future), so it
//     starts running even before the co_await. Keep a Task handle if you want to await it again.
//
// A future (aio::Future<T>, lesson 05) is shielded the same way: the shield listens to the
// future's view of itself as a task (future.base()), so "the inner task" below is the future.
//
// Where the awaiting coroutine resumes, from the loop's ready queue:
//   - the inner task finishes: two loop iterations later, as in asyncio, where the inner task's
//     done callback (one call_soon) completes the shield's outer future, whose callback wakes
//     the awaiting task (a second call_soon);
//   - the awaiting task is cancelled: one iteration after cancel(), like a cancelled sleep;
//   - the inner task is done already: at once, without suspending (asyncio's shield returns the
//     inner task itself then).
//
// YOUR COPY: ex1 is await_suspend, on_completion and await_resume; ex2 is on_cancel.
// on_inner_done is written for you: it runs inside the inner task's completion, which must not
// throw, so it cannot be a stub. It only schedules on_completion.
#pragma once

#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/event_loop.hpp>
#include <aio/future.hpp>
#include <aio/not_implemented.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio/task_base.hpp>

#include <coroutine>
#include <stdexcept>
#include <string>
#include <utility>

namespace aio {

// book:shield-class
/// What shield() returns: co_await it once, at once. It plays the part of asyncio's outer
/// future: a DoneListener on the inner task, and a Wait that the awaiting task's cancel() finds.
/// The listener points into it, so it neither copies nor moves. `H` is the inner handle: a
/// Task<T>, or a Future<T>.
template <class T, class H = Task<T>>
class [[nodiscard]] Shield : private DoneListener, private Wait {
public:
  explicit Shield(H inner) : inner_(std::move(inner)) {
    if (!inner_.valid()) throw std::invalid_argument("aio::shield: the task handle is empty");
  }
  Shield(const Shield&) = delete;
  Shield& operator=(const Shield&) = delete;
  ~Shield() {
    // The awaiting frame died while it waited: the inner task must not call back into it.
    if (state_ == State::waiting) inner_.base().remove_done_listener(*this);
  }

  /// An inner task that is done already needs no waiting at all.
  bool await_ready() const noexcept { return inner_.done(); }
  void await_suspend(std::coroutine_handle<> caller);
  T await_resume();

private:
  /// Where the wait stands (asyncio: the outer future and the inner task's done callback):
  ///   idle        not suspended (yet, or at all: the inner task was done already)
  ///   waiting     listening to the inner task
  ///   completing  the inner task finished; on_completion is scheduled
  ///   resolved    on_completion ran and woke the awaiting task (the outer future is done)
  ///   cancelled   the awaiting task was cancelled first; the inner task runs on, unwatched
  enum class State { idle, waiting, completing, resolved, cancelled };

  static void on_inner_done(DoneListener* self, TaskBase& inner);
  static void on_completion(void* self);
  static bool on_cancel(Wait* self, const CancelMessage& message);

  H inner_;
  TaskBase* waiter_ = nullptr;  // the task that awaits; null until it suspends
  State state_ = State::idle;
};
// end book:shield-class

// book:shield-suspend
template <class T, class H>
void Shield<T, H>::await_suspend([[maybe_unused]] std::coroutine_handle<> caller) {
  AIO_TODO("l10.ex1", "note the caller; be the inner task's listener and the caller's Wait; then suspend "
                      "(see 'Step 1: waiting without forwarding')");
}

// Inside the inner task's completion: only schedule (hop 1, asyncio's done callback).
template <class T, class H>
void Shield<T, H>::on_inner_done(DoneListener* self, TaskBase& inner) {
  auto* shield = static_cast<Shield*>(self);
  shield->state_ = State::completing;
  inner.loop().schedule({&on_completion, shield});
}

// One iteration later (asyncio's _inner_done_callback): wake the awaiting task (hop 2). If its
// cancellation came first, it has been woken already; the inner task's failure, which nobody
// awaits now, counts as retrieved, as asyncio's callback reads inner.exception().
template <class T, class H>
void Shield<T, H>::on_completion([[maybe_unused]] void* self) {
  AIO_TODO("l10.ex1", "hop 2: wake the caller, unless its cancel came first (then the inner failure only "
                      "counts as read) (see 'Step 1: waiting without forwarding')");
}

template <class T, class H>
T Shield<T, H>::await_resume() {
  AIO_TODO("l10.ex1", "the caller's own cancel first, then a cancelled inner task (no message), then the "
                      "result (see 'Step 1: waiting without forwarding')");
}
// end book:shield-suspend

// book:shield-cancel
/// The awaiting task is cancelled: it stops waiting at once, and the inner task is NOT
/// cancelled. Too late (false) once the awaiting task has been woken with the result: the
/// cancellation then comes at its next co_await, as in asyncio.
template <class T, class H>
bool Shield<T, H>::on_cancel([[maybe_unused]] Wait* self, [[maybe_unused]] const CancelMessage& message) {
  AIO_TODO("l10.ex2", "the cancel stops here, never at the inner task; too late once resolved "
                      "(see 'Step 2: the caller is cancelled')");
}
// end book:shield-cancel

// book:shield
/// Awaits `inner` without forwarding a cancellation of the awaiting task to it.
template <class T>
Shield<T> shield(Task<T> inner) {
  return Shield<T>(std::move(inner));
}

/// Runs `coro` as a task now, and awaits it without forwarding a cancellation to it.
template <class T>
Shield<T> shield(Coro<T> coro) {
  return Shield<T>(create_task(std::move(coro)));
}

/// Awaits the future `inner` without cancelling it when the awaiting task is cancelled.
template <class T>
Shield<T, Future<T>> shield(Future<T> inner) {
  return Shield<T, Future<T>>(std::move(inner));
}
// end book:shield

}  // namespace aio
