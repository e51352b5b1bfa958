// aio::run_in_executor and aio::to_thread: a blocking function in a worker thread, its result
// back in the loop as a future (loop.run_in_executor, asyncio.to_thread).
//
//   aio::Future<int> f = aio::run_in_executor(loop, pool, slow_square, 7);  // submitted now
//   int n = co_await aio::to_thread(slow_square, 7);  // the loop's default executor
//
// The round trip, in order:
//   1. on the loop's thread: a pending Future, and a job holding the function and its
//      arguments, counted as outside work (the virtual clock waits for it), go to the executor;
//   2. on a worker thread: the job calls the function, keeps its value or its exception, and
//      posts itself to the loop's inbox (the job is the node of both queues: one allocation);
//   3. on the loop's thread, in a later iteration: the delivery sets the future (unless it was
//      cancelled meanwhile), which wakes the awaiting task through the ready queue; the outside
//      work ends with the job.
// The future is touched on the loop's thread only: a worker never copies, sets or destroys it.
//
// Cancellation, as asyncio: cancelling the awaiting task cancels the future at once, so the
// await ends with CancelledError in the same iteration; the function cannot be interrupted
// (C++ has no way to stop a thread from outside) and keeps running until it returns; its result
// is then dropped. A job that had not started yet never starts. A function whose first
// parameter is a std::stop_token is told: the token's stop_requested() turns true when the
// future is cancelled, so the function can end early.
//
// Where the awaiting coroutine is resumed: on the loop's thread, in the iteration after the one
// that drained the delivery from the inbox.
#pragma once

#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/event_loop.hpp>
#include <aio/future.hpp>
#include <aio/inbox.hpp>
#include <aio/not_implemented.hpp>
#include <aio/task_base.hpp>
#include <aio/thread_pool.hpp>

#include <cstdio>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <tuple>
#include <type_traits>
#include <utility>

namespace aio {

namespace detail {

/// What calling F with Args returns; F may take a std::stop_token first.
template <class F, class... Args>
using ThreadResult = typename std::conditional_t<std::is_invocable_v<F&, std::stop_token, Args&...>,
                                                 std::invoke_result<F&, std::stop_token, Args&...>,
                                                 std::invoke_result<F&, Args&...>>::type;

// book:executor-job
/// One call handed to a worker thread, and its outcome on the way back. The job is its own node
/// in both queues: the pool's queue takes it to a worker, and the worker posts the same object
/// to the loop's inbox. It runs twice, once on each side (run(), under "run-in-worker").
template <class R, class F, class... Args>
struct ExecutorJob final : Posted {
  ExecutorJob(Inbox& inbox, F f, Args... args)
      : future(inbox.loop()), inbox(inbox.shared_from_this()), call(std::move(f), std::move(args)...) {
    inbox.begin_outside_work();  // what an OutsideWork does, without a second shared_ptr
  }
  ExecutorJob(const ExecutorJob&) = delete;
  ExecutorJob& operator=(const ExecutorJob&) = delete;
  ~ExecutorJob() override { end_outside_work(); }

  /// On a worker thread: calls the function and posts the job back. Then on the loop's thread:
  /// delivers. `self` owns the job, and passes it on the first time.
  void run(std::unique_ptr<Posted> self) override;

  /// The job is work outside the loop from its making until it ends (normally on the loop's
  /// thread, once delivered): until then the virtual clock waits for it.
  void end_outside_work() noexcept {
    if (std::exchange(outside_, false)) inbox->end_outside_work();
  }

  /// Calls the function on the worker's thread and keeps its value.
  void call_function() {
    auto invoke = [&](F& f, Args&... args) -> R {
      if constexpr (std::is_invocable_v<F&, std::stop_token, Args&...>) {
        return std::invoke(f, stop.get_token(), args...);
      } else {
        return std::invoke(f, args...);
      }
    };
    if constexpr (std::is_void_v<R>) {
      std::apply(invoke, call);
      value = true;
    } else {
      value.emplace(std::apply(invoke, call));
    }
  }

  Future<R> future;       // the loop's thread only
  std::stop_source stop;  // any thread: cancelled before or while it runs
  std::shared_ptr<Inbox> inbox;
  std::tuple<F, Args...> call;  // the worker's
  bool outside_ = true;         // still counted as outside work
  bool returning = false;       // set by the worker before it posts the job back
  std::optional<std::conditional_t<std::is_void_v<R>, bool, R>> value;  // worker, then loop
  std::exception_ptr error;                                             // worker, then loop
};
// end book:executor-job

// book:run-job
/// Step 2 of the round trip, on a worker thread: calls the function, unless the job was
/// stopped before it started, and keeps what it returned or threw in the job.
template <class Job>
void run_job([[maybe_unused]] Job& job) {
  AIO_TODO("l16.ex2", "a job stopped before it starts never starts; keep what the function returns or throws (see 'Step 2: the round trip')");
}
// end book:run-job

// book:deliver
/// Step 3 of the round trip, on the loop's thread.
template <class Job>
void deliver([[maybe_unused]] Job& job) {
  AIO_TODO("l16.ex2", "on the loop's thread: set the future, unless its await was cancelled meanwhile (see 'Step 2: the round trip')");
}
// end book:deliver

// book:run-in-worker
/// The job's two runs. First on a worker thread: run the function, then post the job back to
/// the loop's thread. There it runs again: the delivery sets the future, and the job (with the
/// future in it) is destroyed. A worker never destroys a future: its count of references belongs
/// to the loop's thread.
template <class R, class F, class... Args>
void ExecutorJob<R, F, Args...>::run(std::unique_ptr<Posted> self) {
  if (returning) {
    deliver(*this);
    return;  // `self` destroys the job, on the loop's thread
  }
  try {
    run_job(*this);
  } catch (const NotImplemented&) {
    error = std::current_exception();  // an unfinished exercise: the test shows it
  } catch (...) {
    error = std::make_exception_ptr(
        RuntimeError("an exception escaped run_job in a worker thread instead of travelling to the awaiting coroutine"));
  }
  returning = true;  // the inbox's lock hands it to the loop's thread with the rest of the job
  // Once posted, the job may be delivered and gone before post_node returns: hold the inbox.
  const std::shared_ptr<Inbox> holder = inbox;
  try {
    holder->post_node(std::move(self));
  } catch (const EventLoopClosed&) {
    // The loop is gone, and whoever awaited the result with it: the job dies here.
  } catch (const std::exception& failure) {
    // The job could not go back (an unfinished inbox). Its future must not be destroyed on this
    // thread: leave it, but end the outside work, so that the loop stops waiting for it.
    std::fprintf(stderr, "aio::run_in_executor: the result could not be posted to the loop: %s\n", failure.what());
    end_outside_work();
    (void)self.release();
  }
}
// end book:run-in-worker

}  // namespace detail

namespace detail {

/// A submitted job: the future of its result, and what stops it.
template <class R>
struct Submitted {
  Future<R> future;
  std::stop_source stop;
};

/// Step 1 of the round trip, on the loop's thread: the job goes to `executor`.
template <class F, class... Args>
auto submit(Inbox& inbox, ThreadPoolExecutor& executor, F f, Args... args) -> Submitted<ThreadResult<F, Args...>> {
  using Job = ExecutorJob<ThreadResult<F, Args...>, F, Args...>;
  auto job = std::make_unique<Job>(inbox, std::move(f), std::move(args)...);
  Submitted<ThreadResult<F, Args...>> submitted{job->future, job->stop};
  executor.submit_node(std::move(job));
  return submitted;
}

}  // namespace detail

// book:run-in-executor
/// Runs `f(args...)` in one of `executor`'s threads and returns a future of its result on
/// `loop` (loop.run_in_executor(executor, f, *args)); the job is submitted at once. Call it on
/// the loop's thread.
template <class F, class... Args>
auto run_in_executor(EventLoop& loop, ThreadPoolExecutor& executor, F f, Args... args)
    -> Future<detail::ThreadResult<F, Args...>> {
  using R = detail::ThreadResult<F, Args...>;
  auto [future, stop] = detail::submit(inbox_of(loop), executor, std::move(f), std::move(args)...);
  // Whoever cancels this future (its awaiting task, or anyone holding it) stops the job: before
  // it starts, or through its stop_token.
  future.add_done_callback([stop = stop](Future<R>& done) mutable {
    if (done.cancelled()) stop.request_stop();
  });
  return future;
}
// end book:run-in-executor

/// The loop's default executor: a ThreadPoolExecutor of default_workers() threads, made on
/// first use and shut down (waiting for its jobs) when the loop closes. Call it on the loop's
/// thread.
inline ThreadPoolExecutor& default_executor(Inbox& inbox) {
  if (!inbox.default_executor) inbox.default_executor = std::make_shared<ThreadPoolExecutor>();
  return *inbox.default_executor;
}
inline ThreadPoolExecutor& default_executor(EventLoop& loop) { return default_executor(inbox_of(loop)); }

// book:to-thread
/// `co_await aio::to_thread(f, args...)`: `f(args...)` in the running loop's default executor,
/// its result or its exception back in the awaiting coroutine (asyncio.to_thread). Nothing is
/// submitted until it is awaited.
template <class F, class... Args>
Coro<detail::ThreadResult<F, Args...>> to_thread(F f, Args... args) {
  Inbox& inbox = inbox_of(get_running_loop());
  auto submitted = detail::submit(inbox, default_executor(inbox), std::move(f), std::move(args)...);
  try {
    co_return co_await submitted.future;
  } catch (const CancelledError&) {
    // Only this coroutine holds the future, so only its cancellation can cancel it: stop the
    // job here, without the done callback that run_in_executor needs (one allocation less).
    submitted.stop.request_stop();
    throw;
  }
}
// end book:to-thread

}  // namespace aio
