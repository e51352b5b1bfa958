// Tests for run_coroutine_threadsafe, ConcurrentFuture (exercise l16.ex3) and LoopThread: a
// loop in a background thread fed by this one. These run on the real clock (a thread blocks
// here), with short waits.
#include <aio/cancellation.hpp>
#include <aio/concurrent_future.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/run_coroutine_threadsafe.hpp>
#include <aio/sleep.hpp>
#include <aio_test/catch.hpp>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

using namespace std::chrono_literals;

namespace {

aio::Coro<int> answer_after(std::chrono::milliseconds delay) {
  co_await aio::sleep(delay);
  co_return 42;
}

aio::Coro<int> fails() {
  co_await aio::sleep(1ms);
  throw aio::ValueError("no answer");
}

aio::Coro<void> sleeps_until_cancelled(std::atomic<bool>* cancelled) {
  try {
    co_await aio::sleep(30s);
  } catch (const aio::CancelledError&) {
    cancelled->store(true);
    throw;
  }
}

aio::Coro<void> counts(std::atomic<int>* runs) {
  runs->fetch_add(1);
  co_return;
}

bool wait_until(const std::atomic<bool>& flag) {
  const auto limit = std::chrono::steady_clock::now() + 5s;
  while (!flag.load() && std::chrono::steady_clock::now() < limit) std::this_thread::sleep_for(1ms);
  return flag.load();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// l16.ex3: the thread-safe future
// CPython: cpython/threadsafe_future.py

TEST_CASE("run_coroutine_threadsafe hands the coroutine's result to this thread", "[l16][ex3]") {
  aio::LoopThread background;
  auto future = aio::run_coroutine_threadsafe(answer_after(5ms), background.loop());
  CHECK(future.result(5s) == 42);
  CHECK(future.done());
  CHECK_FALSE(future.cancelled());
  CHECK(future.result() == 42);  // asked again: the same value
}

TEST_CASE("result raises the coroutine's exception in the waiting thread", "[l16][ex3]") {
  aio::LoopThread background;
  auto future = aio::run_coroutine_threadsafe(fails(), background.loop());
  CHECK_THROWS_WITH(future.result(5s), "no answer");
  CHECK_FALSE(future.cancel());  // finished: nothing to cancel
  CHECK_FALSE(future.cancelled());
}

TEST_CASE("result(timeout) raises TimeoutError and the future stays pending", "[l16][ex3]") {
  aio::LoopThread background;
  auto future = aio::run_coroutine_threadsafe(answer_after(200ms), background.loop());
  CHECK_THROWS_AS(future.result(10ms), aio::TimeoutError);
  CHECK_FALSE(future.done());
  CHECK(future.result(5s) == 42);  // asking again with more time gets it
}

TEST_CASE("cancel ends the future at once and cancels the task on the loop", "[l16][ex3]") {
  aio::LoopThread background;
  std::atomic<bool> task_cancelled{false};
  auto future = aio::run_coroutine_threadsafe(sleeps_until_cancelled(&task_cancelled), background.loop());
  CHECK_THROWS_AS(future.result(20ms), aio::TimeoutError);
  CHECK(future.cancel());
  CHECK(future.done());
  CHECK(future.cancelled());
  CHECK_THROWS_AS(future.result(), aio::CancelledError);
  CHECK(wait_until(task_cancelled));  // the loop delivered the cancellation into the task
  CHECK(future.cancel());             // still cancelled: Python's cancel() says True again
}

TEST_CASE("a thread blocked in result() wakes when another thread cancels", "[l16][ex3]") {
  aio::LoopThread background;
  std::atomic<bool> task_cancelled{false};
  auto future = aio::run_coroutine_threadsafe(sleeps_until_cancelled(&task_cancelled), background.loop());
  std::atomic<bool> woke{false};
  std::jthread waiter([future, &woke] {
    try {
      future.result(3s);
    } catch (const aio::CancelledError&) {
      woke = true;
    } catch (...) {
    }
  });
  std::this_thread::sleep_for(10ms);
  future.cancel();
  CHECK(wait_until(woke));
}

TEST_CASE("a coroutine cancelled before the loop starts it never runs", "[l16][ex3]") {
  aio::LoopThread background;
  std::atomic<bool> release{false};
  std::atomic<int> runs{0};
  // The loop is busy in this callback while the coroutine is submitted and cancelled.
  aio::call_soon_threadsafe(background.loop(), [&release] { (void)wait_until(release); });
  auto future = aio::run_coroutine_threadsafe(counts(&runs), background.loop());
  CHECK(future.cancel());
  release = true;
  auto after = aio::run_coroutine_threadsafe(answer_after(1ms), background.loop());
  CHECK(after.result(5s) == 42);  // the loop has gone past the cancelled one
  CHECK(runs == 0);
}

// ---------------------------------------------------------------------------------------------
// The loop in a background thread

TEST_CASE("a LoopThread stops cleanly and cancels the tasks still pending", "[l16][loop_thread]") {
  std::atomic<bool> task_cancelled{false};
  {
    aio::LoopThread background;
    auto future = aio::run_coroutine_threadsafe(sleeps_until_cancelled(&task_cancelled), background.loop());
    std::this_thread::sleep_for(5ms);
    background.stop();
    CHECK(task_cancelled);
    CHECK(future.cancelled());
  }
}

// CPython: cpython/closed_loop.py
TEST_CASE("posting to a stopped LoopThread raises EventLoopClosed", "[l16][loop_thread]") {
  aio::LoopThread background;
  background.stop();
  CHECK_THROWS_AS(aio::call_soon_threadsafe(background.loop(), [] {}), aio::EventLoopClosed);
  CHECK_THROWS_WITH(aio::run_coroutine_threadsafe(answer_after(1ms), background.loop()), "Event loop is closed");
}

TEST_CASE("result() on the loop's own thread is refused instead of blocking forever",
          "[l16][loop_thread]") {
  aio::LoopThread background;
  std::atomic<bool> refused{false};
  auto never = aio::run_coroutine_threadsafe(sleeps_until_cancelled(&refused), background.loop());
  auto inner = std::make_shared<aio::ConcurrentFuture<int>>();
  std::atomic<bool> saw{false};
  aio::call_soon_threadsafe(background.loop(), [inner, &saw] {
    try {
      inner->result();
    } catch (const aio::RuntimeError&) {
      saw = true;
    }
  });
  CHECK(wait_until(saw));
  never.cancel();
}
