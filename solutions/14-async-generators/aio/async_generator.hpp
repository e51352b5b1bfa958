// aio::AsyncGenerator<T>: Python's async generator, a coroutine that both awaits and yields.
//
//   async def ticks(n):                      aio::AsyncGenerator<int> ticks(int n) {
//       for i in range(n):                     for (int i = 0; i < n; ++i) {
//           await asyncio.sleep(1)               co_await aio::sleep(1s);
//           yield i                              co_yield i;
//                                              }
//                                            }
//   async for x in ticks(3):                 auto numbers = ticks(3);
//       print(x)                             while (auto x = co_await numbers.next()) {
//                                              std::printf("%d\n", *x);
//                                            }
//
// C++ has no `async for`. The loop above is its counterpart: next() gives a std::optional that is
// empty once the body has finished, so the optional's emptiness plays StopAsyncIteration's part
// and the value is scoped to the loop's body. For code that wants Python's exact protocol,
// `co_await gen.anext()` returns the value itself and throws aio::StopAsyncIteration at the end.
//
// Where the body runs: inside the task that awaits next(), like Python's async generators, which
// have no task of their own. next() resumes the body, on top of the consumer's stack, until its
// next co_yield or its end; if the body awaits something on the way, the consumer's task is what
// suspends, and when the loop resumes that task it resumes the body where it waited. When the
// body yields after such a wait, it hands control back to the consumer by symmetric transfer.
// So a cancellation of the consumer's task lands at the co_await inside the body, and an
// exception that escapes the body comes out of the consumer's co_await.
//
// Two-way, as in Python: with AsyncGenerator<T, Sent>, `co_yield x` evaluates to a
// std::optional<Sent>: what asend(v) passed in, or std::nullopt when next() resumed the body
// (Python sends None). athrow(e) raises e at the co_yield; aclose() raises aio::GeneratorExit
// there, so that the body's cleanup runs, including cleanup that awaits.
//
// The pieces:
//   promise_type    lives in the frame: the state, the parked value, the hand-back (hand_back)
//   YieldAwaiter    what `co_yield x` does: park x, hand control to the consumer
//   Step            what next(), anext(), asend() and athrow() return: run the body one step
//   Close           what aclose() returns: raise GeneratorExit at the co_yield, run the cleanup
//   ~AsyncGenerator destroying a generator parked at a co_yield hands it to a new task that
//                   closes it (asyncio's asyncgen finalizer hook)
#pragma once

#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/event_loop.hpp>
#include <aio/frame_allocator.hpp>
#include <aio/stop_async_iteration.hpp>
#include <aio/task.hpp>
#include <aio/task_base.hpp>

#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace aio {

template <class T, class Sent = void>
class AsyncGenerator;

namespace detail {

/// What a co_yield evaluates to: the value asend() passed in, or std::nullopt (Python's None).
template <class Sent>
struct SentValue {
  std::optional<Sent> value;
  bool has_value() const noexcept { return value.has_value(); }
  std::optional<Sent> take() { return std::exchange(value, std::nullopt); }
};

/// A generator that receives nothing: `co_yield x` is a statement.
template <>
struct SentValue<void> {
  bool has_value() const noexcept { return false; }
  void take() noexcept {}
};

inline bool is_generator_exit(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const GeneratorExit&) {
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace detail

/// An async generator; see the top of this file.
///
/// Contract:
/// - Calling the coroutine runs nothing. Each co_await of next() (anext(), asend(), athrow())
///   runs the body, inside the awaiting task, up to its next co_yield (the value comes back) or
///   its end (std::nullopt; anext() throws aio::StopAsyncIteration). If it finishes without
///   waiting, the consumer never suspends.
/// - An exception that escapes the body is rethrown from that co_await; the generator is then
///   finished, and the next step gives std::nullopt.
/// - One step at a time: a second step while one is under way (another task awaits next() while
///   the body waits) throws aio::RuntimeError, as Python does.
/// - aclose(): see Close. Destroying a generator parked at a co_yield does not skip the cleanup
///   that awaits: it hands the frame to a new task that closes it (see ~AsyncGenerator).
/// - T and Sent are value types; a yielded value is moved (or copied) into the frame once, and
///   moved out to the consumer.
template <class T, class Sent>
class [[nodiscard]] AsyncGenerator {
  static_assert(!std::is_reference_v<T>, "AsyncGenerator<T> yields values: T must not be a reference");

public:
  class promise_type;
  using handle_type = std::coroutine_handle<promise_type>;
  using value_type = T;
  /// What `co_yield x` evaluates to inside the body: void, or std::optional<Sent>.
  using Received = std::conditional_t<std::is_void_v<Sent>, void, std::optional<Sent>>;

  // book:state
  /// Where the body is, as the consumer's side sees it:
  ///   created    the body has not run a line yet
  ///   running    a step is under way: the body runs, or waits inside an awaitable, and the
  ///              consumer that asked for the step waits with it
  ///   parked     stopped at a co_yield; `current` holds the value
  ///   finished   it returned, threw or was closed: no step will resume it again
  enum class State : std::uint8_t { created, running, parked, finished };
  // end book:state

  // book:promise
  class promise_type {
  public:
    State state = State::created;
    std::optional<T> current;                   // the value parked at the co_yield
    std::coroutine_handle<> consumer;           // who to resume at the next co_yield or at the end,
                                                // if it suspended while the step ran
    std::exception_ptr error;                   // what escaped the body, until the consumer takes it
    std::exception_ptr thrown;                  // athrow's (or aclose's) exception, for the co_yield
    detail::SentValue<Sent> sent;               // asend's value, for the co_yield
    bool handed_to_finalizer = false;           // ~AsyncGenerator did it once already

    AsyncGenerator get_return_object() noexcept { return AsyncGenerator(handle_type::from_promise(*this)); }
    // Lazy, like every aio coroutine: the body starts at the first step.
    std::suspend_always initial_suspend() const noexcept { return {}; }

    class YieldAwaiter;
    // `co_yield x;` parks x in the frame and suspends the body (YieldAwaiter).
    template <class U = T>
      requires std::is_convertible_v<U&&, T>
    YieldAwaiter yield_value(U&& value) {
      current.emplace(std::forward<U>(value));
      state = State::parked;
      return YieldAwaiter{*this};
    }

    void return_void() noexcept {}
    void unhandled_exception() noexcept { error = std::current_exception(); }

    struct FinalAwaiter {
      bool await_ready() const noexcept { return false; }
      std::coroutine_handle<> await_suspend(handle_type self) const noexcept {
        promise_type& promise = self.promise();
        promise.state = State::finished;
        return promise.hand_back();
      }
      void await_resume() const noexcept {}
    };
    // Suspend at the end rather than free the frame: the AsyncGenerator still owns it.
    FinalAwaiter final_suspend() const noexcept { return {}; }

    static void* operator new(std::size_t size) { return detail::FrameAllocator::allocate(size); }
    static void operator delete(void* frame, std::size_t size) noexcept {
      detail::FrameAllocator::deallocate(frame, size);
    }
    // end book:promise

    // book:hand-back
    /// Where control goes when the body stops (at a co_yield or at its end).
    std::coroutine_handle<> hand_back() noexcept {
      // The consumer suspended during this step (the body waited on the way): resume it now, by
      // symmetric transfer. Otherwise the step is still inside Step::await_ready's resume(), and
      // returning there is the hand-back: the consumer goes on without ever suspending.
      if (consumer) return std::exchange(consumer, {});
      return std::noop_coroutine();
    }
    // end book:hand-back

    // book:run-step
    /// Runs the body from where it stopped until it parks, ends or waits. True if it stopped
    /// (parked or finished): the consumer can go on at once. False if it waits: the consumer's
    /// task is suspended inside the body, and the consumer must suspend too.
    bool run_step(handle_type self) {
      state = State::running;
      current.reset();
      self.resume();
      return state != State::running;
    }
    // end book:run-step

    /// Refuses a second step while one is under way (Python's "already running").
    void check_idle(const char* what) const {
      if (state == State::running) {
        throw RuntimeError(std::string(what) +
                           ": asynchronous generator is already running (another task awaits its "
                           "next value: one consumer at a time)");
      }
    }

    // book:take
    /// What the step that just ended gives the consumer: the parked value, std::nullopt once
    /// the body has finished, or the exception that escaped it.
    std::optional<T> take() {
      if (error) std::rethrow_exception(std::exchange(error, nullptr));
      if (state != State::parked) return std::nullopt;
      std::optional<T> value = std::move(current);
      current.reset();
      return value;
    }
    // end book:take

    // book:yield-awaiter
    /// What `co_yield x` does after parking x.
    class YieldAwaiter {
    public:
      explicit YieldAwaiter(promise_type& promise) noexcept : promise_(promise) {}
      bool await_ready() const noexcept { return false; }
      std::coroutine_handle<> await_suspend(handle_type) const noexcept { return promise_.hand_back(); }

      /// The body goes on: with what asend() sent, or with athrow's (aclose's) exception.
      Received await_resume() {
        if (promise_.thrown) std::rethrow_exception(std::exchange(promise_.thrown, nullptr));
        return promise_.sent.take();
      }

    private:
      promise_type& promise_;
    };
    // end book:yield-awaiter
  };

  // book:step
  /// One step of the body: what next() (Raising = false: std::optional<T>) and anext()
  /// (Raising = true: T, or aio::StopAsyncIteration) return; asend() and athrow() too, with
  /// something to deliver at the co_yield. Resumes at once if the body parks or ends without
  /// waiting; otherwise the consumer is resumed by symmetric transfer when it does.
  template <bool Raising>
  class [[nodiscard]] Step {
  public:
    using Result = std::conditional_t<Raising, T, std::optional<T>>;

    Step(handle_type frame, const char* what, detail::SentValue<Sent> send = {},
         std::exception_ptr to_throw = nullptr)
        : frame_(frame), what_(what), send_(std::move(send)), to_throw_(std::move(to_throw)) {}

    bool await_ready() {
      promise_type& promise = frame_.promise();
      promise.check_idle(what_);
      if (promise.state == State::finished) return true;
      if (send_.has_value() || to_throw_) deliver(promise);  // asend() and athrow() only
      return promise.run_step(frame_);
    }
    void await_suspend(std::coroutine_handle<> consumer) noexcept { frame_.promise().consumer = consumer; }

    // book:step-resume
    Result await_resume() {
      std::optional<T> value = frame_.promise().take();
      if constexpr (Raising) {
        if (!value) throw StopAsyncIteration();
        return std::move(*value);
      } else {
        return value;
      }
    }
    // end book:step-resume

  private:
    // book:deliver
    /// Leaves asend's value or athrow's exception where the co_yield will find it. Before the
    /// first line there is no co_yield yet: athrow() closes the generator and its exception
    /// comes straight back, unseen by the body, as in Python; asend() is refused (Python raises
    /// TypeError).
    void deliver(promise_type& promise) {
      if (promise.state == State::created) {
        if (to_throw_) {
          promise.state = State::finished;
          std::rethrow_exception(std::exchange(to_throw_, nullptr));
        }
        throw RuntimeError(std::string(what_) +
                           ": can't send a value to a just-started async generator: start it "
                           "with next() first (Python's asend(None))");
      }
      promise.sent = std::move(send_);
      promise.thrown = std::exchange(to_throw_, nullptr);
    }
    // end book:deliver

    handle_type frame_;
    const char* what_;
    detail::SentValue<Sent> send_;
    std::exception_ptr to_throw_;
  };
  // end book:step

  // book:close
  /// What aclose() returns. If the body is parked at a co_yield, GeneratorExit is raised there
  /// and the body runs to its end, inside the awaiting task, awaiting what its cleanup awaits;
  /// the awaiting task resumes when the body has finished. A generator that has not started, or
  /// has finished, is simply marked finished. The co_await rethrows what the cleanup threw
  /// (other than GeneratorExit), and throws aio::RuntimeError if the body yields again instead
  /// of ending.
  class [[nodiscard]] Close {
  public:
    explicit Close(handle_type frame) noexcept : frame_(frame) {}

    bool await_ready() {
      promise_type& promise = frame_.promise();
      promise.check_idle("aclose()");
      if (promise.state != State::parked) {
        promise.state = State::finished;  // nothing to clean up: it never started, or it ended
        return true;
      }
      promise.thrown = std::make_exception_ptr(GeneratorExit{});
      return promise.run_step(frame_);
    }
    void await_suspend(std::coroutine_handle<> consumer) noexcept { frame_.promise().consumer = consumer; }

    void await_resume() {
      promise_type& promise = frame_.promise();
      if (promise.state == State::parked) {
        promise.current.reset();
        promise.state = State::finished;  // closed, though its frame still sits at that co_yield
        throw RuntimeError("async generator ignored GeneratorExit: its cleanup must not co_yield");
      }
      std::exception_ptr error = std::exchange(promise.error, nullptr);
      if (error && !detail::is_generator_exit(error)) std::rethrow_exception(error);
    }

  private:
    handle_type frame_;
  };
  // end book:close

  AsyncGenerator() noexcept = default;
  explicit AsyncGenerator(handle_type frame) noexcept : frame_(frame) {}
  AsyncGenerator(AsyncGenerator&& other) noexcept : frame_(std::exchange(other.frame_, {})) {}
  AsyncGenerator& operator=(AsyncGenerator&& other) noexcept {
    if (this != &other) {
      AsyncGenerator old(std::move(*this));  // closes (or hands on) what this one held
      frame_ = std::exchange(other.frame_, {});
    }
    return *this;
  }
  AsyncGenerator(const AsyncGenerator&) = delete;
  AsyncGenerator& operator=(const AsyncGenerator&) = delete;

  // book:destructor
  /// A C++ destructor cannot await, so it cannot run cleanup that awaits. asyncio has the same
  /// problem when an async generator is garbage-collected unfinished (a `break` out of
  /// `async for`): its loop's finalizer hook schedules `aclose()` in a new task, one loop
  /// iteration later. aio does the same: a generator parked at a co_yield is handed, by
  /// call_soon, to a new task that awaits its aclose(). Anything else is destroyed on the spot
  /// (the destructors of its locals run): a generator that never started or has finished, one
  /// whose task is being destroyed by a closing loop, one destroyed outside a running loop.
  /// Call `co_await gen.aclose()` yourself to have the cleanup done by the time you go on.
  ~AsyncGenerator() {
    if (!frame_) return;
    promise_type& promise = frame_.promise();
#ifndef NDEBUG
    if (promise.state == State::running && !detail::destroying_pending_task) destroyed_while_running();
#endif
    if (promise.state == State::parked && !promise.handed_to_finalizer && finalizer_available()) {
      hand_to_finalizer(std::exchange(frame_, {}));
    } else {
      frame_.destroy();
    }
  }
  // end book:destructor

  // ---- the consumer's side --------------------------------------------------------------
  /// The next value, or std::nullopt once the body has finished (`async for`'s step).
  Step<false> next() noexcept { return Step<false>(frame_, "next()"); }
  /// The next value; throws aio::StopAsyncIteration once the body has finished (`__anext__`).
  Step<true> anext() noexcept { return Step<true>(frame_, "anext()"); }

  // book:asend-athrow
  /// Resumes the body with `value` as what its co_yield evaluates to; gives the next value,
  /// or std::nullopt once the body has finished (Python's asend, which raises
  /// StopAsyncIteration instead).
  template <class S = Sent>
    requires(!std::is_void_v<S>)
  Step<false> asend(S value) {
    return Step<false>(frame_, "asend()", detail::SentValue<Sent>{std::move(value)});
  }

  /// Raises `error` at the co_yield where the body is parked. Gives the value the body yields
  /// next (if it caught the error), std::nullopt if it then finished, and rethrows what escapes
  /// it. On a generator that has not started, the body never runs: the generator is closed and
  /// the error comes straight back, as in Python.
  template <class E>
  Step<false> athrow(E error) {
    std::exception_ptr to_throw;
    if constexpr (std::is_same_v<std::decay_t<E>, std::exception_ptr>) {
      to_throw = std::move(error);
    } else {
      to_throw = std::make_exception_ptr(std::move(error));
    }
    return Step<false>(frame_, "athrow()", {}, std::move(to_throw));
  }

  // end book:asend-athrow

  /// Runs the body's cleanup now (see Close); afterwards every step gives std::nullopt.
  Close aclose() noexcept { return Close(frame_); }

  bool valid() const noexcept { return static_cast<bool>(frame_); }
  State state() const noexcept { return frame_.promise().state; }
  bool finished() const noexcept { return state() == State::finished; }

private:
  /// Checked builds: a task is suspended inside the body, and would resume a dead frame.
  [[noreturn]] static void destroyed_while_running() noexcept {
    std::fprintf(stderr,
                 "aio: an AsyncGenerator was destroyed while a task was suspended inside its body.\n"
                 "  That task would resume a destroyed frame. Keep the generator alive until the\n"
                 "  step that task awaits (next, asend, athrow, aclose) has ended: await that task\n"
                 "  before the generator's scope ends, on every path, errors included.\n");
    std::fflush(stderr);
    std::abort();
  }

  // book:finalizer
  static bool finalizer_available() noexcept {
    return detail::running_loop != nullptr && !detail::destroying_pending_task;
  }

  /// The frame, held by a ready-queue callback until it starts the closing task. If the loop is
  /// destroyed before the callback runs, the holder destroys the frame.
  struct Orphan {
    handle_type frame;
    explicit Orphan(handle_type f) noexcept : frame(f) {}
    Orphan(const Orphan&) = delete;
    Orphan& operator=(const Orphan&) = delete;
    ~Orphan() {
      if (frame) frame.destroy();
    }
  };

  static Coro<void> close_orphan(AsyncGenerator generator) { co_await generator.aclose(); }

  static void hand_to_finalizer(handle_type frame) noexcept {
    frame.promise().handed_to_finalizer = true;
    std::shared_ptr<Orphan> orphan;
    try {
      orphan = std::make_shared<Orphan>(frame);
    } catch (...) {
      frame.destroy();  // no memory for the hand-over: the locals' destructors still run
      return;
    }
    try {
      get_running_loop().call_soon([orphan] {
        AsyncGenerator generator(std::exchange(orphan->frame, {}));
        create_task(close_orphan(std::move(generator)));  // what it throws is reported by the loop
      });
    } catch (...) {
      // Not scheduled: the holder, about to go, destroys the frame.
    }
  }
  // end book:finalizer

  handle_type frame_;
};

}  // namespace aio
