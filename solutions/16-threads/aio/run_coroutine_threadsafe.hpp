// aio::run_coroutine_threadsafe and aio::LoopThread: a loop in a thread of its own, fed by
// other threads (asyncio.run_coroutine_threadsafe, and the pattern of a loop that runs
// run_forever in a background thread).
//
//   aio::LoopThread background;                        // a loop, running in its own thread
//   auto reply = aio::run_coroutine_threadsafe(fetch(3), background.loop());
//   std::string page = reply.result(5s);               // this thread blocks, the loop runs
//   background.stop();                                 // call_soon_threadsafe(loop.stop), join
//
// The order of events:
//   1. the calling thread posts "start this coroutine as a task" to the loop's inbox and gets a
//      pending ConcurrentFuture at once;
//   2. on the loop's thread, the posted callback creates the task (unless the future was
//      cancelled meanwhile: then the coroutine never starts), and a done callback that copies
//      the task's outcome into the ConcurrentFuture;
//   3. the task runs like any other; when it ends, its done callback ends the ConcurrentFuture,
//      which wakes the threads blocked in result().
// cancel() on the ConcurrentFuture ends it at once, and posts a cancel of the task to the loop.
#pragma once

#include <aio/concurrent_future.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/event_loop.hpp>
#include <aio/inbox.hpp>
#include <aio/run.hpp>
#include <aio/task.hpp>
#include <aio/task_base.hpp>

#include <atomic>
#include <cstdio>
#include <exception>
#include <optional>
#include <future>
#include <memory>
#include <thread>
#include <utility>

namespace aio {

namespace detail {

/// The task behind a ConcurrentFuture, while it runs. Read and written on the loop's thread
/// only; null before the task exists and once it has ended.
struct TaskLink {
  TaskBase* task = nullptr;
};

}  // namespace detail

// book:run-coroutine-threadsafe
/// Schedules `coro` as a task on `loop` from any thread, and returns a thread-safe future of its
/// result. The loop must have its inbox (LoopThread makes it; see call_soon_threadsafe).
template <class T>
ConcurrentFuture<T> run_coroutine_threadsafe(Coro<T> coro, EventLoop& loop) {
  std::shared_ptr<Inbox> inbox = detail::inbox_for_threads(loop, "run_coroutine_threadsafe");
  ConcurrentFuture<T> future;
  auto link = std::make_shared<detail::TaskLink>();
  future.set_on_cancel([inbox, link] {
    try {
      inbox->post([link] {
        if (link->task != nullptr) link->task->cancel();
      });
    } catch (const EventLoopClosed&) {
      // Nothing left to cancel.
    }
  });
  inbox->post([coro = std::move(coro), future, link, &loop]() mutable {
    if (future.cancelled()) return;  // cancelled before the loop got here: never started
    auto* state = detail::CoroTask<T>::spawn(loop, std::move(coro));
    link->task = state;
    Task<T> task(state);
    task.add_done_callback([future, link](Task<T>& done) mutable {
      link->task = nullptr;
      if (done.cancelled()) {
        future.cancel();
      } else if (std::exception_ptr error = done.exception()) {
        future.set_exception(error);
      } else if constexpr (std::is_void_v<T>) {
        future.set_result();
      } else {
        future.set_result(done.result());
      }
    });
  });
  return future;
}
// end book:run-coroutine-threadsafe

// book:loop-thread
/// An event loop running in a thread of its own until stop(). Its inbox exists before the
/// constructor returns, so other threads may post to it at once.
///
/// While it serves, the loop holds an OutsideWork for the threads that may post to it: without
/// it, a loop with nothing to do would find itself idle and end. stop() ends that OutsideWork
/// from the calling thread, which rings the loop's bell; the loop wakes, sees stopping_, and
/// leaves after the iteration it is in, then cancels its remaining tasks.
///
/// The loop lives inside the LoopThread object (made and destroyed on its own thread), and so
/// does a reference to its inbox: after stop(), loop() still names it, and posting to it
/// raises EventLoopClosed, as asyncio's closed loop does.
class LoopThread {
public:
  explicit LoopThread(Clock clock = Clock::real()) {
    std::promise<void> started;
    auto ready = started.get_future();
    thread_ = std::thread([this, clock, &started] { run(clock, started); });
    ready.get();
  }
  LoopThread(const LoopThread&) = delete;
  LoopThread& operator=(const LoopThread&) = delete;
  ~LoopThread() { stop(); }

  EventLoop& loop() noexcept { return *address_; }

  /// Stops the loop, lets its remaining tasks see their cancellation, and joins the thread
  /// (asyncio: loop.call_soon_threadsafe(loop.stop); thread.join()). Any thread but the loop's.
  void stop() {
    if (!thread_.joinable()) return;
    stopping_.store(true);
    serving_.reset();  // the last outside work, ended elsewhere: the loop's bell rings
    thread_.join();
  }

private:
  void run(Clock clock, std::promise<void>& started) {
    EventLoop& loop = loop_.emplace(clock);
    address_ = &loop;
    {
      detail::RunningLoop running(loop);
      inbox_ = inbox_of(loop).shared_from_this();
      serving_.emplace(*inbox_);
      started.set_value();
      try {
        while (!stopping_.load()) loop.run_once();
      } catch (const std::exception& error) {  // an unfinished exercise in the loop's inbox
        std::fprintf(stderr, "aio::LoopThread: the loop stopped: %s\n", error.what());
      }
      detail::cancel_remaining_tasks(loop);
    }
    loop_.reset();  // on the loop's own thread; the inbox is closed from now on
  }

  std::optional<EventLoop> loop_;       // made and destroyed on the loop's thread
  EventLoop* address_ = nullptr;        // where it is, or was
  std::shared_ptr<Inbox> inbox_;        // outlives the loop: later posts raise EventLoopClosed
  std::optional<OutsideWork> serving_;  // made on the loop's thread, ended by stop()
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};
// end book:loop-thread

}  // namespace aio
