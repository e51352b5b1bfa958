// aio::Future<T>: a result that somebody sets later (asyncio.Future).
//
//   aio::Future<int> answer = aio::create_future<int>();  // pending, on the running loop
//   ...                                                   // elsewhere: answer.set_result(42)
//   int n = co_await answer;                              // any number of tasks may wait
//
// A future is a slot for one outcome, and a list of who waits for it. Whoever holds it ends it
// once: set_result(value), set_exception(error) or cancel(msg). Then every listener is told, in
// the order it came, each through the ready queue: a task waiting in co_await gets its next
// step scheduled, a done callback is scheduled with call_soon. Nobody runs inline.
//
// An aio::Task<T> (aio/task.hpp) is the same idea with one difference: nobody calls set_result
// on it, its coroutine's co_return does. That is asyncio's design too (Task is a subclass of
// Future). In aio the two are siblings with the same members, because a task's slot lives in
// lesson 04's TaskBase, which the loop steps.
//
// States:
//   pending    result() and exception() throw InvalidStateError("Result is not set.", ...)
//   finished   set_result or set_exception was called. result() copies the value or rethrows
//              the exception; exception() returns the exception, or null.
//   cancelled  cancel(msg) was called. result() and exception() throw CancelledError(msg).
// A second set_result or set_exception throws InvalidStateError("invalid state"); a cancel() of
// a finished future returns false and changes nothing, as in asyncio.
//
// Cancellation runs both ways, as in asyncio: cancelling a task that waits in co_await on a
// future cancels the future (with the task's message), and every other waiter sees it too.
//
// Where aio differs from asyncio:
//   - result() copies the value, so T must be copyable (or void).
//   - an exception set on a future that nobody retrieves is not reported (asyncio logs "Future
//     exception was never retrieved"); a task's is (aio/task.hpp).
//   - there is no remove_done_callback: C++ callables cannot be compared for equality.
//
// A future seen as a task. gather, wait, as_completed and shield (lessons 06, 07 and 10) take
// futures as well as tasks, as asyncio's do, and speak to both through lesson 04's TaskBase:
// future.base() is a TaskBase that drives no coroutine (detail::FutureTaskView). It is made on
// first use and lives as long as the future; it ends in the same call as the future (inline, when
// the future tells its listeners), and tells its own listeners then, as a finishing task does;
// its cancel() cancels the future. It takes no Task-N number: an asyncio Future has no name.
#pragma once

#include <aio/errors.hpp>
#include <aio/event_loop.hpp>
#include <aio/not_implemented.hpp>
#include <aio/sleep.hpp>
#include <aio/task_base.hpp>

#include <coroutine>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace aio {

namespace detail {

class FutureTaskView;

/// One who waits for a future: a task suspended in co_await on it, or a done callback. `notify`
/// is called when the future ends; it schedules work and never runs a coroutine inline.
struct FutureListener {
  FutureListener* prev = nullptr;
  FutureListener* next = nullptr;
  void (*notify)(FutureListener* self) = nullptr;
  // For a listener that the future owns (a done callback): frees it when a future that never
  // ended goes away. Null for an awaiter, which lives in the waiting coroutine's frame.
  void (*discard)(FutureListener* self) = nullptr;

  bool listening() const noexcept { return prev != nullptr || next != nullptr; }
};

/// What every Future<T> shares, whatever T is: the state, the error, the listeners, the count
/// of handles. Future<T> adds the value.
class FutureCore {
public:
  enum class State : std::uint8_t { pending, finished, cancelled };

  explicit FutureCore(EventLoop& loop) noexcept : loop_(&loop) {}
  FutureCore(const FutureCore&) = delete;
  FutureCore& operator=(const FutureCore&) = delete;
  virtual ~FutureCore();

  EventLoop& loop() const noexcept { return *loop_; }
  State state() const noexcept { return state_; }
  bool done() const noexcept { return state_ != State::pending; }
  bool cancelled() const noexcept { return state_ == State::cancelled; }
  const std::exception_ptr& error() const noexcept { return error_; }

  void acquire() noexcept { ++references_; }
  void release() noexcept {
    if (--references_ == 0) delete this;
  }

  /// Listens until the future ends; listeners are told in the order they were added.
  void add_listener(FutureListener& listener) noexcept {
    listener.prev = last_;
    listener.next = nullptr;
    (last_ != nullptr ? last_->next : first_) = &listener;
    last_ = &listener;
  }
  void remove_listener(FutureListener& listener) noexcept {
    if (!listener.listening() && first_ != &listener) return;
    (listener.prev != nullptr ? listener.prev->next : first_) = listener.next;
    (listener.next != nullptr ? listener.next->prev : last_) = listener.prev;
    listener.prev = listener.next = nullptr;
  }

  bool finish(State how, std::exception_ptr error, const CancelMessage& message);

  /// This future seen as a task (see the top of this file); made on the first call.
  TaskBase& task_view();

private:
  EventLoop* loop_;
  int references_ = 0;
  State state_ = State::pending;
  std::exception_ptr error_;  // set_exception's error, or the CancelledError of cancel()
  FutureListener* first_ = nullptr;
  FutureListener* last_ = nullptr;
  FutureTaskView* view_ = nullptr;  // made by task_view(); holds one reference to it
};

// book:finish
/// Ends the future, `how` being finished (with `error`, or null when the value is in place) or
/// cancelled (with `message`). Returns false and changes nothing if it has ended already: then
/// set_result and set_exception throw, and cancel() returns false.
inline bool FutureCore::finish([[maybe_unused]] State how, [[maybe_unused]] std::exception_ptr error,
                               [[maybe_unused]] const CancelMessage& message) {
  AIO_TODO("l05.ex1", "ended already: false; else the new state, its error, then every listener in "
                      "order (see 'Step 0: Future, a result set from outside')");
}
// end book:finish

/// A future seen as a task: what gather, wait, as_completed and shield hold for a future
/// child. It drives no coroutine and is never stepped. It ends, inline, when its future ends
/// (its listeners are told then, as a finishing task tells them: each only schedules), and a
/// cancel() of it cancels the future, as cancelling a task cancels the future it awaits.
class FutureTaskView final : public TaskBase {
public:
  explicit FutureTaskView(FutureCore& future)
      : TaskBase(future.loop(), NoCoroutine(), "Future"), future_(&future), hooks_(*this) {
    acquire();  // the future's reference, given back when the future goes
    suspend(std::coroutine_handle<>(), &hooks_);  // its "wait": TaskBase::cancel asks it first
    if (future.done()) {
      end();
    } else {
      future.add_listener(hooks_);
    }
  }

  /// The future is being destroyed: nothing may reach it from here on.
  void future_gone() noexcept { future_ = nullptr; }

private:
  // The two hooks the view hangs on: a listener of the future, and the Wait that TaskBase::cancel
  // asks to withdraw (here: to cancel the future).
  struct Hooks : FutureListener, Wait {
    explicit Hooks(FutureTaskView& v) noexcept : view(&v) {
      notify = &on_future_done;
      Wait::cancel = &cancel_future;
    }
    FutureTaskView* view;
  };

  static void on_future_done(FutureListener* self) { static_cast<Hooks*>(self)->view->end(); }
  static bool cancel_future(Wait* self, const CancelMessage& message) {
    FutureCore* future = static_cast<Hooks*>(self)->view->future_;
    return future != nullptr && future->finish(FutureCore::State::cancelled, nullptr, message);
  }

  void end() noexcept {
    acquire();  // finish() gives back the reference that the loop holds for a running task
    finish(future_->error());
    mark_retrieved();  // a future's unretrieved exception is not reported (see the top)
  }

  void destroy_coroutine() noexcept override {}
  void coroutine_finished() noexcept override {}

  FutureCore* future_;
  Hooks hooks_;
};

inline TaskBase& FutureCore::task_view() {
  if (view_ == nullptr) view_ = new FutureTaskView(*this);
  return *view_;
}

inline FutureCore::~FutureCore() {
  for (FutureListener* listener = first_; listener != nullptr;) {
    FutureListener* next = listener->next;
    if (listener->discard != nullptr) listener->discard(listener);
    listener = next;
  }
  if (view_ != nullptr) {
    view_->future_gone();
    view_->release();
  }
}

/// A future's shared state: the core and the value (nothing for void).
template <class T>
class FutureState final : public FutureCore {
public:
  using FutureCore::FutureCore;
  std::optional<std::conditional_t<std::is_void_v<T>, bool, T>> value;
};

}  // namespace detail

template <class T = void>
class Future {
public:
  static_assert(std::is_void_v<T> || std::is_copy_constructible_v<T>,
                "a future's result is copied out each time it is read, so T must be copyable");
  using value_type = T;
  using State = detail::FutureCore::State;

  /// A pending future on `loop` (asyncio.Future(loop=loop)); see also aio::create_future.
  explicit Future(EventLoop& loop) : state_(new detail::FutureState<T>(loop)) { state_->acquire(); }
  Future(const Future& other) noexcept : state_(other.state_) { state_->acquire(); }
  Future(Future&& other) noexcept : state_(other.state_) { state_->acquire(); }  // stays valid
  Future& operator=(Future other) noexcept {
    std::swap(state_, other.state_);
    return *this;
  }
  ~Future() { state_->release(); }

  /// Always true: a Future always has its state, even a moved-from one. For code written for
  /// Task and Future handles alike.
  bool valid() const noexcept { return true; }

  // book:future-state
  bool done() const noexcept { return state_->done(); }
  bool cancelled() const noexcept { return state_->cancelled(); }
  EventLoop& get_loop() const noexcept { return state_->loop(); }

  /// Sets the value and tells the listeners; InvalidStateError if the future has ended already.
  template <class U = T>
    requires(!std::is_void_v<U>)
  void set_result(U value) {
    if (done()) throw ended_already();
    state_->value.emplace(std::move(value));
    state_->finish(State::finished, nullptr, std::nullopt);
  }
  /// For Future<void>: ends it with no value.
  void set_result()
    requires std::is_void_v<T>
  {
    if (!state_->finish(State::finished, nullptr, std::nullopt)) throw ended_already();
  }
  /// Ends it with `error`, which result() and co_await rethrow.
  void set_exception(std::exception_ptr error) {
    if (!error) throw std::invalid_argument("aio::Future::set_exception needs an exception, not null");
    if (!state_->finish(State::finished, std::move(error), std::nullopt)) throw ended_already();
  }
  /// Cancels it: false, and no change, if it has ended already (asyncio's Future.cancel).
  bool cancel(CancelMessage message = std::nullopt) {
    return state_->finish(State::cancelled, nullptr, message);
  }

  /// A copy of the value, or the exception rethrown (CancelledError if cancelled);
  /// InvalidStateError while pending.
  T result() const {
    if (!done()) throw InvalidStateError("Result is not set.");
    if (state_->error()) std::rethrow_exception(state_->error());
    if (cancelled()) throw CancelledError();  // only if finish() kept no CancelledError
    if constexpr (!std::is_void_v<T>) {
      if (!state_->value) throw InvalidStateError("aio::Future: finished without a value or an exception");
      return *state_->value;
    }
  }
  /// The exception, or null if it has a value; CancelledError if cancelled, InvalidStateError
  /// while pending.
  std::exception_ptr exception() const {
    if (!done()) throw InvalidStateError("Exception is not set.");
    if (cancelled()) (void)result();  // throws its CancelledError
    return state_->error();
  }
  // end book:future-state

  /// Schedules `callback(future)` with call_soon once the future has ended, after every listener
  /// that came before it; if it has ended already, schedules it now. Never runs it inline.
  template <class F>
  void add_done_callback(F callback) {
    static_assert(std::is_invocable_v<F&, Future&>, "a done callback is called as callback(future)");
    if (done()) {
      get_loop().call_soon([callback = std::move(callback), future = *this]() mutable { callback(future); });
      return;
    }
    state_->add_listener(*new CallbackListener<F>(std::move(callback), state_));
  }

  // book:await-future
  /// `co_await future`: at once if it has ended (no suspension, as in asyncio), else in the
  /// iteration after the one in which it ends.
  class Awaiter : private detail::FutureListener, private Wait {
  public:
    explicit Awaiter(detail::FutureState<T>* state) noexcept : state_(state) {
      notify = &wake_waiter;
      Wait::cancel = &cancel_future;
    }
    Awaiter(const Awaiter&) = delete;
    Awaiter& operator=(const Awaiter&) = delete;
    ~Awaiter() { state_->remove_listener(*this); }  // a frame destroyed while it waits

    bool await_ready() const noexcept { return state_->done(); }
    void await_suspend(std::coroutine_handle<> self) {
      waiter_ = &detail::current_task_for("co_await on a future");
      waiter_->suspend(self, this);  // a cancel of the waiter comes to cancel_future
      state_->add_listener(*this);
    }
    T await_resume() {
      if (waiter_ != nullptr) waiter_->throw_if_cancelled();
      return Future(state_).result();
    }

  private:
    static void wake_waiter(detail::FutureListener* self) { static_cast<Awaiter*>(self)->waiter_->wake(); }
    // asyncio's Task.cancel cancels the future its task waits on: every waiter sees it.
    static bool cancel_future(Wait* self, const CancelMessage& message) {
      return static_cast<Awaiter*>(self)->state_->finish(State::cancelled, nullptr, message);
    }

    detail::FutureState<T>* state_;  // the Future being awaited holds it for the whole co_await
    TaskBase* waiter_ = nullptr;
  };
  // end book:await-future

  Awaiter operator co_await() const noexcept { return Awaiter(state_); }

  /// This future seen as a task, for what waits on tasks and futures alike (gather, wait,
  /// as_completed, shield): see the top of this file. Made on the first call.
  TaskBase& base() const { return state_->task_view(); }
  /// The shared state, for a handle that refers to futures of any T (aio::TaskRef); share()
  /// makes a Future of it again.
  detail::FutureState<T>& shared_state() const noexcept { return *state_; }
  static Future share(detail::FutureState<T>& state) noexcept { return Future(&state); }

  friend bool operator==(const Future& a, const Future& b) noexcept { return a.state_ == b.state_; }

private:
  explicit Future(detail::FutureState<T>* state) noexcept : state_(state) { state_->acquire(); }

  static InvalidStateError ended_already() { return InvalidStateError("invalid state"); }

  // A done callback waiting for the future: told inside finish(), so it only schedules the
  // callback (with a handle of its own) and frees itself.
  template <class F>
  struct CallbackListener : detail::FutureListener {
    CallbackListener(F f, detail::FutureState<T>* s) : callback(std::move(f)), state(s) {
      notify = &on_done;
      discard = [](detail::FutureListener* self) { delete static_cast<CallbackListener*>(self); };
    }
    static void on_done(detail::FutureListener* self) {
      std::unique_ptr<CallbackListener> listener(static_cast<CallbackListener*>(self));
      Future future(listener->state);
      future.get_loop().call_soon(
          [callback = std::move(listener->callback), future]() mutable { callback(future); });
    }
    F callback;
    detail::FutureState<T>* state;
  };

  detail::FutureState<T>* state_;
};

/// A pending Future<T> on the running loop (asyncio's loop.create_future()).
template <class T = void>
Future<T> create_future() {
  return Future<T>(get_running_loop());
}

}  // namespace aio
