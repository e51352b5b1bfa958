// Tests for aio::sleep and the order in which sleeping tasks come back (exercise l04.ex6).
// The expected orders are CPython's: each test names the program in cpython/ that shows it.
//
// aio::create_task (lesson 05) starts a coroutine as a task of the running loop; these tests
// only need to know that it schedules the task's first step, as aio::run does for main.
#include <aio/errors.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio_test/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

using Log = std::vector<std::string>;

aio::RunOptions on_virtual_clock() {
  aio::RunOptions options;
  options.virtual_clock = true;
  return options;
}

/// "1.5": the running loop's time, in seconds.
std::string now() { return aio::format_seconds(aio::get_running_loop().time()); }

// book:test-round-robin-coro
aio::Coro<void> worker(std::string name, Log* log) {
  for (int i = 1; i <= 3; ++i) {
    log->push_back(name + std::to_string(i));
    co_await aio::sleep(0s);
  }
  log->push_back(name + " done");
}

aio::Coro<void> three_workers(Log* log) {
  std::vector<aio::Task<void>> tasks;
  for (const char* name : {"A", "B", "C"}) tasks.push_back(aio::create_task(worker(name, log)));
  log->push_back("main created");
  co_await aio::sleep(0s);
  log->push_back("main after one yield");
  for (aio::Task<void>& task : tasks) co_await task;
  log->push_back("main done");
}
// end book:test-round-robin-coro

}  // namespace

// book:test-round-robin
TEST_CASE("sleep(0) interleaves tasks round robin, exactly as asyncio does", "[l04][ex6]") {
  Log log;
  aio::run(three_workers(&log), on_virtual_clock());
  // CPython: cpython/round_robin.py
  CHECK(log == Log{"main created", "A1", "B1", "C1", "main after one yield", "A2", "B2", "C2",
                   "A3", "B3", "C3", "A done", "B done", "C done", "main done"});
}
// end book:test-round-robin

namespace {
aio::Coro<Log> sleeps_in_a_row() {
  Log log{now()};
  co_await aio::sleep(1500ms);
  log.push_back(now());
  co_await aio::sleep(250ms);
  log.push_back(aio::format_seconds(aio::get_running_loop().time(), 2));
  co_await aio::sleep(0s);
  log.push_back(aio::format_seconds(aio::get_running_loop().time(), 2));
  co_return log;
}
}  // namespace

TEST_CASE("sleep(d) resumes the task exactly d later on the virtual clock", "[l04][ex6]") {
  CHECK(aio::run(sleeps_in_a_row(), on_virtual_clock()) == Log{"0.0", "1.5", "1.75", "1.75"});
}

namespace {
aio::Coro<void> sleeper(std::string name, aio::Duration delay, Log* log) {
  co_await aio::sleep(delay);
  log->push_back(now() + " " + name);
}

aio::Coro<void> three_sleepers(Log* log) {
  aio::Task<void> a = aio::create_task(sleeper("a", 3s, log));
  aio::Task<void> b = aio::create_task(sleeper("b", 1s, log));
  aio::Task<void> c = aio::create_task(sleeper("c", 2s, log));
  co_await a;
  co_await b;
  co_await c;
  log->push_back(now() + " main");
}
}  // namespace

TEST_CASE("tasks that sleep for different times wake in the order of their deadlines", "[l04][ex6]") {
  Log log;
  aio::run(three_sleepers(&log), on_virtual_clock());
  CHECK(log == Log{"1.0 b", "2.0 c", "3.0 a", "3.0 main"});
}

namespace {
// book:test-two-hops-coro
aio::Coro<void> sleeper_and_callbacks(Log* log) {
  aio::EventLoop& loop = aio::get_running_loop();
  loop.call_later(1s, [log] { log->push_back(now() + " call_later(1) before the sleep"); });
  aio::Task<void> task = aio::create_task(sleeper("sleeper wakes", 1s, log));
  co_await aio::sleep(0s);  // the task's first step runs: its timer is on the heap now
  loop.call_later(1s, [log] { log->push_back(now() + " call_later(1) after the sleep began"); });
  co_await task;
}
// end book:test-two-hops-coro
}  // namespace

// book:test-two-hops
TEST_CASE("a sleeper due at t resumes one iteration after the callbacks due at t",
          "[l04][ex6]") {
  // The sleep's timer fires in the same iteration as the two callbacks (hop 1), but it only
  // schedules the task's next step, which runs in the iteration after (hop 2).
  // CPython: cpython/sleep_two_hops.py
  Log log;
  aio::run(sleeper_and_callbacks(&log), on_virtual_clock());
  CHECK(log == Log{"1.0 call_later(1) before the sleep", "1.0 call_later(1) after the sleep began",
                   "1.0 sleeper wakes"});
}
// end book:test-two-hops

namespace {
aio::Coro<void> yields_between_callbacks(Log* log) {
  aio::EventLoop& loop = aio::get_running_loop();
  loop.call_soon([log, &loop] {
    log->push_back("X, ready before the yield");
    loop.call_soon([log] { log->push_back("Y, scheduled by X"); });
  });
  co_await aio::sleep(0s);
  log->push_back("the task, back from sleep(0)");
}
}  // namespace

// CPython: cpython/sleep_zero.py
TEST_CASE("sleep(0) comes back in the very next iteration", "[l04][ex6]") {
  // One hop: the task's step goes straight to the ready queue. A timer would take two, and the
  // task would come back after Y.
  Log log;
  aio::run(yields_between_callbacks(&log), on_virtual_clock());
  CHECK(log == Log{"X, ready before the yield", "the task, back from sleep(0)", "Y, scheduled by X"});
}

namespace {
aio::Coro<void> negative_sleep(Log* log) {
  aio::EventLoop& loop = aio::get_running_loop();
  loop.call_soon([log] { log->push_back("callback"); });
  co_await aio::sleep(-5s);  // like asyncio.sleep(-5): a plain yield, no timer
  log->push_back("after sleep(-5s) at " + now());
}
}  // namespace

// CPython: cpython/sleep_two_hops.py
TEST_CASE("a negative delay yields like sleep(0)", "[l04][ex6]") {
  Log log;
  aio::run(negative_sleep(&log), on_virtual_clock());
  CHECK(log == Log{"callback", "after sleep(-5s) at 0.0"});
}

namespace {
aio::Coro<int> sleep_without_a_loop() {
  co_await aio::sleep(1s);
  co_return 1;
}
}  // namespace

TEST_CASE("sleeping outside a task is an InvalidStateError", "[l04][ex6]") {
  aio::Coro<int> coro = sleep_without_a_loop();
  coro.handle().resume();  // driven by hand: no loop, no task
  REQUIRE(coro.done());
  CHECK_THROWS_AS(coro.take_result(), aio::InvalidStateError);
}

// ---- how aio::run ends ------------------------------------------------------------------------
// At the end aio::run cancels the tasks still pending, as asyncio.run does. cancel() and
// CancelledError are lesson 08's: here they are the finished ones, used as a black box.

namespace {
// book:test-run-ends-coro
aio::Coro<void> background(Log* log) {
  try {
    for (int i = 0; i < 5; ++i) {
      log->push_back("background " + std::to_string(i));
      co_await aio::sleep(0s);
    }
  } catch (const aio::CancelledError&) {
    log->push_back("background cancelled");
    throw;
  }
}

aio::Coro<void> main_leaves_a_task_behind(Log* log) {
  aio::create_task(background(log));
  co_await aio::sleep(0s);
  log->push_back("main done");
}
// end book:test-run-ends-coro
}  // namespace

// book:test-run-ends
TEST_CASE("aio::run gives the ready tasks one more step after main, then cancels them", "[l04][ex6]") {
  Log log;
  aio::run(main_leaves_a_task_behind(&log), on_virtual_clock());
  // asyncio stops the loop from a done callback of main, one iteration after main finished.
  // CPython: cpython/run_epilogue.py
  CHECK(log == Log{"background 0", "main done", "background 1", "background cancelled"});
}
// end book:test-run-ends

namespace {
aio::Coro<void> cleans_up_slowly(Log* log) {
  bool cancelled = false;
  try {
    co_await aio::sleep(10s);
  } catch (const aio::CancelledError&) {
    cancelled = true;  // C++ allows no co_await inside a catch block: clean up after it
  }
  if (cancelled) {
    log->push_back(now() + " cleanup starts");
    co_await aio::sleep(1s);  // cleanup may await
    log->push_back(now() + " cleanup ends");
    throw aio::CancelledError();
  }
}

aio::Coro<int> main_returns_early(Log* log) {
  aio::create_task(cleans_up_slowly(log));
  co_await aio::sleep(2s);
  log->push_back(now() + " main done");
  co_return 7;
}
}  // namespace

// CPython: cpython/run_epilogue.py (the cancellation at the end is aio::run's, a black box here)
TEST_CASE("aio::run returns main's result after the cancelled tasks have cleaned up", "[l04][ex6]") {
  Log log;
  CHECK(aio::run(main_returns_early(&log), on_virtual_clock()) == 7);
  CHECK(log == Log{"2.0 main done", "2.0 cleanup starts", "3.0 cleanup ends"});
}

namespace {
aio::Coro<std::string> sleeps_a_second() {
  co_await aio::sleep(1s);
  co_return now();
}
}  // namespace

TEST_CASE("run_until_complete keeps the loop's clock between runs", "[l04][ex6]") {
  aio::EventLoop loop(aio::Clock::virtual_time());
  CHECK(aio::run_until_complete(loop, sleeps_a_second()) == "1.0");
  CHECK(aio::run_until_complete(loop, sleeps_a_second()) == "2.0");
}

// ---- the real clock ---------------------------------------------------------------------------

namespace {
aio::Coro<aio::Duration> sleeps_20ms() {
  co_await aio::sleep(20ms);
  co_return aio::get_running_loop().time();
}
}  // namespace

// The one test that reads real time: the real clock really waits.
TEST_CASE("on the real clock, sleep really waits", "[l04][ex6]") {
  const auto began = std::chrono::steady_clock::now();
  aio::RunOptions options;
  options.virtual_clock = false;
  const aio::Duration loop_time = aio::run(sleeps_20ms(), options);
  CHECK(std::chrono::steady_clock::now() - began >= 20ms);
  CHECK(loop_time >= 20ms);
}
