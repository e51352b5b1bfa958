// Tests for aio::Barrier (exercise l12.ex6).
//
// Every expected log is what CPython 3.11 prints for the same program with asyncio.Barrier
// (3.12 and 3.13 print the same); the comment above a test names the program in cpython/.
#include <aio/barrier.hpp>
#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/gather.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>

#include <chrono>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using aio_test::Log;
using aio_test::at;
using aio_test::join;
using aio_test::py;
using aio_test::ticker;

namespace {

aio::Coro<void> party(Log* log, std::string name, aio::Barrier* barrier) {
  log->push_back(name + " arrives, n_waiting = " + std::to_string(barrier->n_waiting()));
  const std::size_t index = co_await barrier->wait();
  log->push_back(name + " passes with index " + std::to_string(index));
}

/// A party that logs a broken barrier or a cancellation, with the time.
aio::Coro<void> careful_party(Log* log, std::string name, aio::Barrier* barrier) {
  try {
    const std::size_t index = co_await barrier->wait();
    log->push_back(at(name + " passes with index " + std::to_string(index)));
  } catch (const aio::BrokenBarrierError& error) {
    const std::string what = error.what();
    log->push_back(at(name + ": BrokenBarrierError: " + what.substr(0, what.find(':'))));
  } catch (const aio::CancelledError&) {
    log->push_back(at(name + " cancelled, n_waiting = " + std::to_string(barrier->n_waiting())));
    throw;
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// l12.ex6: the barrier

// CPython: cpython/barrier_wait.py
TEST_CASE("the last arrival opens the barrier; the others pass in arrival order", "[l12][ex6]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Barrier barrier(3);
    auto tick = aio::create_task(ticker(log, 10));
    std::vector<aio::Task<void>> tasks;
    for (const char* name : {"a", "b", "c", "d"}) tasks.push_back(aio::create_task(party(log, name, &barrier)));
    co_await aio::sleep(0ms);
    co_await aio::sleep(0ms);
    log->push_back("n_waiting = " + std::to_string(barrier.n_waiting()));
    co_await tick;
    tasks.push_back(aio::create_task(party(log, "e", &barrier)));
    tasks.push_back(aio::create_task(party(log, "f", &barrier)));
    co_await aio::gather(tasks);
    log->push_back("n_waiting = " + std::to_string(barrier.n_waiting()) + ", broken = " + py(barrier.broken()));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) ==
        "tick 0 | a arrives, n_waiting = 0 | b arrives, n_waiting = 1 | c arrives, n_waiting = 2 | "
        "c passes with index 2 | d arrives, n_waiting = 0 | tick 1 | a passes with index 0 | "
        "b passes with index 1 | n_waiting = 0 | tick 2 | tick 3 | tick 4 | tick 5 | tick 6 | tick 7 | "
        "tick 8 | tick 9 | e arrives, n_waiting = 1 | f arrives, n_waiting = 2 | f passes with index 2 | "
        "d passes with index 0 | e passes with index 1 | n_waiting = 0, broken = False");
}

// CPython: cpython/barrier_wait.py
TEST_CASE("a barrier for no party is a ValueError", "[l12][ex6]") {
  CHECK_THROWS_WITH(aio::Barrier(0), Catch::StartsWith("parties must be > 0"));
  auto main = []() -> aio::Coro<void> {
    aio::Barrier one(1);
    CHECK(one.parties() == 1);
    const std::size_t index = co_await one.wait();  // a barrier for one opens at once
    CHECK(index == 0);
    const std::size_t again = co_await one.wait();
    CHECK(again == 0);
  };
  aio::run(main(), {.virtual_clock = true});
}

// CPython: cpython/barrier_abort_reset.py
TEST_CASE("abort breaks the waiting round and later waits; reset mends it", "[l12][ex6]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Barrier barrier(3);
    std::vector<aio::Task<void>> tasks;
    for (const char* name : {"a", "b"}) tasks.push_back(aio::create_task(careful_party(log, name, &barrier)));
    co_await aio::sleep(1s);
    log->push_back(at("main: abort(), n_waiting = " + std::to_string(barrier.n_waiting())));
    co_await barrier.abort();
    co_await aio::gather(tasks);
    log->push_back(at(std::string("broken = ") + py(barrier.broken())));
    co_await careful_party(log, "c", &barrier);
    co_await barrier.reset();
    log->push_back(at(std::string("after reset(): broken = ") + py(barrier.broken())));

    tasks.clear();
    for (const char* name : {"d", "e"}) tasks.push_back(aio::create_task(careful_party(log, name, &barrier)));
    co_await aio::sleep(1s);
    log->push_back(at("main: reset() with 2 waiting"));
    co_await barrier.reset();
    co_await aio::gather(tasks);
    tasks.clear();
    for (const char* name : {"f", "g", "h"}) tasks.push_back(aio::create_task(careful_party(log, name, &barrier)));
    co_await aio::gather(tasks);
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"1.0 main: abort(), n_waiting = 2", "1.0 a: BrokenBarrierError: Abort or reset of barrier",
                   "1.0 b: BrokenBarrierError: Abort or reset of barrier", "1.0 broken = True",
                   "1.0 c: BrokenBarrierError: Barrier aborted", "1.0 after reset(): broken = False",
                   "2.0 main: reset() with 2 waiting", "2.0 d: BrokenBarrierError: Abort or reset of barrier",
                   "2.0 e: BrokenBarrierError: Abort or reset of barrier", "2.0 h passes with index 2",
                   "2.0 f passes with index 0", "2.0 g passes with index 1"});
}

// CPython: cpython/barrier_cancel.py
TEST_CASE("a cancelled party leaves the barrier without breaking it", "[l12][ex6]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Barrier barrier(3);
    std::vector<aio::Task<void>> tasks;
    for (const char* name : {"a", "b"}) tasks.push_back(aio::create_task(careful_party(log, name, &barrier)));
    co_await aio::sleep(1s);
    tasks[0].cancel();
    co_await aio::sleep(1s);
    log->push_back(at("n_waiting = " + std::to_string(barrier.n_waiting()) + ", broken = " + py(barrier.broken())));
    tasks.push_back(aio::create_task(careful_party(log, "c", &barrier)));
    tasks.push_back(aio::create_task(careful_party(log, "d", &barrier)));
    co_await aio::gather(aio::return_exceptions, tasks);
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"1.0 a cancelled, n_waiting = 1", "2.0 n_waiting = 1, broken = False", "2.0 d passes with index 2",
                   "2.0 b passes with index 1", "2.0 c passes with index 1"});
}
