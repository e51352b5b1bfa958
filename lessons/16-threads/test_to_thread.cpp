// Tests for run_in_executor and to_thread (exercise l16.ex2): the round trip, exceptions,
// cancellation across the bridge, and the virtual clock around thread jobs.
#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/future.hpp>
#include <aio/gather.hpp>
#include <aio/run.hpp>
#include <aio/run_in_executor.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio/thread_pool.hpp>
#include <aio/wait_for.hpp>
#include <aio_test/catch.hpp>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

int slow_square(int x) {
  std::this_thread::sleep_for(5ms);
  return x * x;
}

/// Sleeps `ms` milliseconds of real time, then sets `finished`.
void blocking_job(int ms, std::atomic<bool>* finished) {
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  finished->store(true);
}

/// Sets `started`, then does what blocking_job does.
void started_job(int ms, std::atomic<bool>* started, std::atomic<bool>* finished) {
  started->store(true);
  blocking_job(ms, finished);
}

/// Spins (real time) until `flag` is true, at most 2 s (a worker starts in microseconds; an
/// unfinished exercise never sets it, and its test must still end quickly); true if it came.
bool wait_until(const std::atomic<bool>& flag) {
  const auto limit = std::chrono::steady_clock::now() + 2s;
  while (!flag.load() && std::chrono::steady_clock::now() < limit) std::this_thread::sleep_for(1ms);
  return flag.load();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// l16.ex2: the round trip

TEST_CASE("to_thread runs the function in another thread and returns its result", "[l16][ex2]") {
  auto main = []() -> aio::Coro<std::string> {
    const std::thread::id loop_thread = std::this_thread::get_id();
    const int value = co_await aio::to_thread(slow_square, 7);
    const std::thread::id worker = co_await aio::to_thread([] { return std::this_thread::get_id(); });
    co_return std::to_string(value) + (worker != loop_thread ? " from a worker" : " from the loop's thread") +
        " at " + aio::format_seconds(aio::get_running_loop().time(), 3);
  };
  CHECK(aio::run(main(), {.virtual_clock = true}) == "49 from a worker at 0.000");
}

// CPython: cpython/submit_at_once.py
TEST_CASE("an exception thrown in the worker reaches the awaiting coroutine", "[l16][ex2]") {
  auto main = []() -> aio::Coro<std::string> {
    try {
      co_await aio::to_thread([](int x) -> int { throw aio::ValueError("bad value " + std::to_string(x)); }, 3);
    } catch (const aio::ValueError& error) {
      co_return std::string("caught: ") + error.what();
    }
    co_return "nothing thrown";
  };
  CHECK(aio::run(main(), {.virtual_clock = true}) == "caught: bad value 3");
}

// CPython: cpython/submit_at_once.py
TEST_CASE("run_in_executor submits at once to the executor it is given", "[l16][ex2]") {
  aio::ThreadPoolExecutor pool(2);
  auto main = [](aio::ThreadPoolExecutor* pool) -> aio::Coro<int> {
    aio::EventLoop& loop = aio::get_running_loop();
    std::atomic<bool> started{false};
    auto future = aio::run_in_executor(loop, *pool, [](std::atomic<bool>* started) {
      started->store(true);
      return 5;
    }, &started);
    CHECK(wait_until(started));  // running before anyone awaits it, as asyncio's future
    co_return co_await future;
  };
  CHECK(aio::run(main(&pool), {.virtual_clock = true}) == 5);
}

TEST_CASE("gather takes two run_in_executor futures and gives both results", "[l16][ex2]") {
  // A future is a child like a task (lesson 06): no wrapper task, the results in argument order.
  aio::ThreadPoolExecutor pool(2);
  auto main = [](aio::ThreadPoolExecutor* pool) -> aio::Coro<int> {
    aio::EventLoop& loop = aio::get_running_loop();
    auto [a, b] = co_await aio::gather(aio::run_in_executor(loop, *pool, slow_square, 3),
                                       aio::run_in_executor(loop, *pool, slow_square, 4));
    co_return a * 100 + b;
  };
  CHECK(aio::run(main(&pool), {.virtual_clock = true}) == 916);
}

TEST_CASE("wait_for around a 50 ms to_thread job with a 1 s limit succeeds", "[l16][ex2]") {
  auto main = []() -> aio::Coro<std::string> {
    std::atomic<bool> finished{false};
    co_await aio::wait_for(aio::to_thread(blocking_job, 50, &finished), 1s);
    co_return (finished ? "finished at " : "not finished at ") + aio::format_seconds(aio::get_running_loop().time(), 3);
  };
  CHECK(aio::run(main(), {.virtual_clock = true}) == "finished at 0.000");
}

TEST_CASE("a 10 ms limit on a 200 ms job times out at exactly 0.010", "[l16][ex2]") {
  auto main = []() -> aio::Coro<std::string> {
    std::atomic<bool> finished{false};
    std::string seen;
    try {
      co_await aio::wait_for(aio::to_thread(blocking_job, 200, &finished), 10ms);
    } catch (const aio::TimeoutError&) {
      seen = "timed out at " + aio::format_seconds(aio::get_running_loop().time(), 3);
    }
    seen += finished ? ", job finished" : ", job still running";
    co_await aio::sleep(10s);  // the loop waits for the job in real time, then jumps
    seen += finished ? ", then finished" : ", then lost";
    co_return seen;
  };
  CHECK(aio::run(main(), {.virtual_clock = true}) ==
        "timed out at 0.010, job still running, then finished");
}

// ---------------------------------------------------------------------------------------------
// Cancellation across the bridge

// CPython: cpython/cancel_keeps_running.py
TEST_CASE("a cancelled await stops at once while the function keeps running", "[l16][ex2]") {
  std::vector<std::string> reports;  // what the loop reports: nothing, when the result is dropped
  auto main = [](std::vector<std::string>* reports) -> aio::Coro<std::string> {
    aio::get_running_loop().set_exception_handler([reports](const std::string& message) { reports->push_back(message); });
    std::atomic<bool> started{false};
    std::atomic<bool> finished{false};
    auto task = aio::create_task(aio::to_thread(started_job, 100, &started, &finished));
    co_await aio::sleep(0ms);
    REQUIRE(wait_until(started));  // (a job cancelled before it starts never runs: see below)
    task.cancel();
    std::string seen;
    try {
      co_await task;
    } catch (const aio::CancelledError&) {
      seen = "cancelled at " + aio::format_seconds(aio::get_running_loop().time(), 3);
    }
    seen += finished ? ", job finished" : ", job running";
    co_await aio::sleep(1s);
    seen += finished ? ", then finished" : ", then lost";
    co_return seen;
  };
  CHECK(aio::run(main(&reports), {.virtual_clock = true}) == "cancelled at 0.000, job running, then finished");
  for (const auto& report : reports) UNSCOPED_INFO(report);
  CHECK(reports.empty());
}

// CPython: cpython/cancel_keeps_running.py
TEST_CASE("a function that takes a stop_token ends early when its await is cancelled",
          "[l16][ex2]") {
  auto main = []() -> aio::Coro<std::string> {
    std::atomic<bool> started{false};
    std::atomic<bool> stopped{false};
    auto work = [](std::stop_token stop, std::atomic<bool>* started, std::atomic<bool>* stopped) {
      started->store(true);
      const auto limit = std::chrono::steady_clock::now() + 5s;
      while (!stop.stop_requested() && std::chrono::steady_clock::now() < limit) std::this_thread::sleep_for(1ms);
      stopped->store(stop.stop_requested());
      return 0;
    };
    auto task = aio::create_task(aio::to_thread(work, &started, &stopped));
    co_await aio::sleep(0ms);
    REQUIRE(wait_until(started));
    task.cancel();
    try {
      co_await task;
    } catch (const aio::CancelledError&) {
    }
    const auto before = std::chrono::steady_clock::now();
    co_await aio::sleep(10s);  // waits (in real time) until the job has delivered
    const auto waited = std::chrono::steady_clock::now() - before;
    co_return stopped && waited < 2s ? "stopped early" : "ran to its end";
  };
  CHECK(aio::run(main(), {.virtual_clock = true}) == "stopped early");
}

// CPython: cpython/cancel_before_start.py
TEST_CASE("a job whose future is cancelled before it starts never runs", "[l16][ex2]") {
  aio::ThreadPoolExecutor pool(1);
  auto main = [](aio::ThreadPoolExecutor* pool) -> aio::Coro<int> {
    aio::EventLoop& loop = aio::get_running_loop();
    std::atomic<bool> release{false};
    std::atomic<int> ran{0};
    auto blocker = aio::run_in_executor(loop, *pool, [](std::atomic<bool>* release) { (void)wait_until(*release); }, &release);
    auto queued = aio::run_in_executor(loop, *pool, [](std::atomic<int>* ran) { ran->fetch_add(1); }, &ran);
    queued.cancel();
    co_await aio::sleep(0ms);  // the done callback tells the job
    release = true;
    co_await blocker;
    pool->shutdown(true);  // every job has been taken and handled
    co_return ran.load();
  };
  CHECK(aio::run(main(&pool), {.virtual_clock = true}) == 0);
}
