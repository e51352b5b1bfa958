// Tests for aio::Scheduler::run() and aio::run_sync (exercise l03.ex4).
#include <aio/awaitable.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/scheduler.hpp>
#include <aio_test/catch.hpp>

#include <coroutine>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using Log = std::vector<std::string>;

aio::Coro<int> count_with_yields(int n, Log* log) {
  for (int i = 1; i <= n; ++i) {
    log->push_back("step " + std::to_string(i));
    co_await aio::yield_now();
  }
  co_return n;
}

aio::Coro<int> fail_after_yield(std::string message) {
  co_await aio::yield_now();
  throw std::runtime_error(message);
}

aio::Coro<int> wait_forever(Log* log) {
  log->push_back("suspending; nobody will schedule it again");
  co_await std::suspend_always{};  // suspends, and puts the handle nowhere
  log->push_back("never printed");
  co_return 0;
}

aio::Coro<void> worker(std::string name, int steps, aio::Latch* done, Log* log) {
  for (int i = 1; i <= steps; ++i) {
    log->push_back(name + " step " + std::to_string(i));
    co_await aio::yield_now();
  }
  co_await done->arrive_and_wait();
}

aio::Coro<std::string> boss(Log* log) {
  aio::Latch done(3);
  aio::Scheduler& scheduler = aio::Scheduler::current();
  scheduler.spawn(worker("a", 2, &done, log));
  scheduler.spawn(worker("b", 1, &done, log));
  log->push_back("boss spawned a and b");
  co_await done.arrive_and_wait();  // the third arrival
  log->push_back("boss passes the latch");
  co_return "all done";
}

aio::Coro<void> failing_worker(std::string message) {
  co_await aio::yield_now();
  throw std::runtime_error(message);
}

aio::Coro<int> spawn_failing_worker(Log* log) {
  aio::Scheduler::current().spawn(failing_worker("worker failed"));
  log->push_back("main finishes first");
  co_return 1;
}

aio::Coro<void> stuck_worker(aio::Latch* latch, Log* log) {
  log->push_back("worker waits at the latch");
  co_await latch->arrive_and_wait();
  log->push_back("never printed");
}

// Holds a copy of `token` in its frame until the frame is destroyed (a parameter lives in the
// frame, not in the body): the token's use_count tells whether the frame still exists.
aio::Coro<void> holds([[maybe_unused]] std::shared_ptr<int> token, aio::Latch* latch) {
  co_await aio::yield_now();
  if (latch != nullptr) co_await latch->arrive_and_wait();
}

aio::Coro<int> inner_steps(Log* log) {
  co_await aio::yield_now();
  log->push_back("inner ran on its own scheduler");
  co_return 7;
}

aio::Coro<int> nested(Log* log) {
  aio::Scheduler* outer = &aio::Scheduler::current();
  const int inner = aio::run_sync(inner_steps(log));  // blocks this step until inner is done
  log->push_back(&aio::Scheduler::current() == outer ? "outer is current again" : "wrong");
  co_await aio::yield_now();
  co_return inner;
}

aio::Coro<int> one() { co_return 1; }

aio::Coro<int> await_many(int count) {
  int total = 0;
  for (int i = 0; i < count; ++i) {
    const int value = co_await one();
    total += value;
  }
  co_return total;
}

}  // namespace

// book:test-run-sync
TEST_CASE("run_sync drives a coroutine through its suspensions to its result", "[l03][ex4]") {
  Log log;
  CHECK(aio::run_sync(count_with_yields(3, &log)) == 3);
  CHECK(log == Log{"step 1", "step 2", "step 3"});
}
// end book:test-run-sync

TEST_CASE("run_sync rethrows the exception that ended the coroutine", "[l03][ex4]") {
  CHECK_THROWS_WITH(aio::run_sync(fail_after_yield("failed after a yield")),
                    "failed after a yield");
}

// CPython has no such check: cpython/waits_forever.py
// book:test-deadlock
TEST_CASE("run_sync throws DeadlockError when nothing will ever resume it", "[l03][ex4]") {
  Log log;
  CHECK_THROWS_AS(aio::run_sync(wait_forever(&log)), aio::DeadlockError);
  CHECK(log == Log{"suspending; nobody will schedule it again"});
}
// end book:test-deadlock

TEST_CASE("coroutines spawned by the running coroutine take turns with it", "[l03][ex4]") {
  Log log;
  CHECK(aio::run_sync(boss(&log)) == "all done");
  CHECK(log == Log{"boss spawned a and b", "a step 1", "b step 1", "a step 2",
                   "boss passes the latch"});
}

TEST_CASE("run reports the exception of a spawned coroutine once nothing is ready",
          "[l03][ex4]") {
  Log log;
  CHECK_THROWS_WITH(aio::run_sync(spawn_failing_worker(&log)), "worker failed");
  CHECK(log == Log{"main finishes first"});
}

TEST_CASE("run throws DeadlockError when a spawned coroutine can never go on", "[l03][ex4]") {
  Log log;
  aio::Latch latch(2);  // two arrivals expected, one will come
  aio::Scheduler scheduler;
  scheduler.spawn(stuck_worker(&latch, &log));
  CHECK_THROWS_AS(scheduler.run(), aio::DeadlockError);
  CHECK(log == Log{"worker waits at the latch"});
}

TEST_CASE("run destroys the spawned coroutines before it returns", "[l03][ex4]") {
  auto token = std::make_shared<int>(0);
  aio::Scheduler scheduler;
  scheduler.spawn(holds(token, nullptr));
  scheduler.spawn(holds(token, nullptr));
  CHECK(token.use_count() == 3);  // one copy in each frame
  scheduler.run();
  CHECK(token.use_count() == 1);  // the frames are gone, though the scheduler is still here

  // And before it throws: a stuck coroutine goes too.
  aio::Latch never_opens(2);
  aio::Scheduler stuck;
  stuck.spawn(holds(token, &never_opens));
  CHECK_THROWS_AS(stuck.run(), aio::DeadlockError);
  CHECK(token.use_count() == 1);
}

TEST_CASE("run_sync inside a coroutine runs a scheduler of its own", "[l03][ex4]") {
  Log log;
  CHECK(aio::run_sync(nested(&log)) == 7);
  CHECK(log == Log{"inner ran on its own scheduler", "outer is current again"});
}

TEST_CASE("a million synchronous completions take one step of the scheduler", "[l03][ex4]") {
  aio::Scheduler scheduler;
  auto coro = await_many(1'000'000);
  scheduler.schedule(coro.handle());
  scheduler.run();
  CHECK(scheduler.steps() == 1);
  CHECK(coro.take_result() == 1'000'000);
}
