// Tests for aio::Semaphore and aio::BoundedSemaphore (exercise l12.ex4).
//
// Every expected log is what CPython 3.11 prints for the same program with asyncio.Semaphore,
// except where a comment says how aio differs; the comment above a test names the program in
// cpython/ that shows it. "tick" lines count loop iterations.
#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/gather.hpp>
#include <aio/run.hpp>
#include <aio/semaphore.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;
using aio_test::Log;
using aio_test::at;
using aio_test::join;
using aio_test::py;
using aio_test::ticker;

namespace {

aio::Coro<void> worker(Log* log, std::string name, aio::Semaphore* sem, aio::Duration seconds) {
  try {
    {
      aio::Guard<aio::Semaphore> permit = co_await sem->acquire();
      log->push_back(at(name + " in, locked() = " + py(sem->locked())));
      co_await aio::sleep(seconds);
    }
    log->push_back(at(name + " out"));
  } catch (const aio::CancelledError&) {
    log->push_back(at(name + " cancelled"));
    throw;
  }
}

aio::Coro<void> wait_for_signal(Log* log, aio::Semaphore* signal) {
  aio::Guard<aio::Semaphore> permit = co_await signal->acquire();
  log->push_back(at("signalled"));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// l12.ex4: the semaphores

// CPython: cpython/semaphore_fifo.py
TEST_CASE("Semaphore(2) lets two in at once, the others in the order they asked", "[l12][ex4]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Semaphore sem(2);
    std::vector<aio::Task<void>> tasks;
    const std::vector<std::pair<const char*, aio::Duration>> plan{{"a", 1s}, {"b", 3s}, {"c", 1s}, {"d", 1s}, {"e", 1s}};
    for (const auto& [name, seconds] : plan) tasks.push_back(aio::create_task(worker(log, name, &sem, seconds)));
    co_await aio::gather(tasks);
    log->push_back(at(std::string("locked() = ") + py(sem.locked()) + ", value = " + std::to_string(sem.value())));
    sem.release();
    log->push_back("after one more release(): value = " + std::to_string(sem.value()));

    log->push_back("-- Semaphore(0) as a signal");
    aio::Semaphore signal(0);
    auto task = aio::create_task(wait_for_signal(log, &signal));
    co_await aio::sleep(1s);
    signal.release();
    co_await task;
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"0.0 a in, locked() = False", "0.0 b in, locked() = True", "1.0 a out", "1.0 c in, locked() = True",
                   "2.0 c out", "2.0 d in, locked() = True", "3.0 b out", "3.0 d out", "3.0 e in, locked() = False",
                   "4.0 e out", "4.0 locked() = False, value = 2", "after one more release(): value = 3",
                   "-- Semaphore(0) as a signal", "5.0 signalled"});
}

// CPython: cpython/semaphore_late_cancel.py
TEST_CASE("a permit handed to a waiter that is then cancelled goes to the next", "[l12][ex4]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Semaphore sem(1);
    aio::Guard<aio::Semaphore> mine = co_await sem.acquire();
    std::vector<aio::Task<void>> tasks;
    for (const char* name : {"a", "b", "c", "d"}) tasks.push_back(aio::create_task(worker(log, name, &sem, 1s)));
    co_await aio::sleep(0ms);
    tasks[2].cancel();
    mine.release();
    tasks[0].cancel();
    log->push_back("released, then cancelled a (handed the permit) and c (waiting)");
    co_await aio::gather(aio::return_exceptions, tasks);
    log->push_back(at("value = " + std::to_string(sem.value()) + ", locked() = " + py(sem.locked())));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"released, then cancelled a (handed the permit) and c (waiting)", "0.0 c cancelled",
                   "0.0 a cancelled", "0.0 b in, locked() = True", "1.0 b out", "1.0 d in, locked() = True",
                   "2.0 d out", "2.0 value = 1, locked() = False"});
}

// aio differs from CPython here, on purpose (cpython/semaphore_newcomer.py): CPython makes main
// wait two iterations for the free permit; aio gives it at once ("main in" before "tick 0").
// CPython: cpython/semaphore_newcomer.py
TEST_CASE("a newcomer takes a free permit at once, though a woken waiter has not run", "[l12][ex4]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Semaphore sem(0);
    auto first = aio::create_task([](Log* log, aio::Semaphore* sem) -> aio::Coro<void> {
      log->push_back(std::string("a asks, locked() = ") + py(sem->locked()));
      aio::Guard<aio::Semaphore> permit = co_await sem->acquire();
      log->push_back("a in");
      co_await aio::sleep(0ms);
    }(log, &sem));
    co_await aio::sleep(0ms);
    auto tick = aio::create_task(ticker(log, 3));
    sem.release();
    sem.release();
    log->push_back(std::string("main released twice, locked() = ") + py(sem.locked()));
    {
      aio::Guard<aio::Semaphore> permit = co_await sem.acquire();
      log->push_back("main in");
    }
    co_await first;
    co_await tick;
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "a asks, locked() = True | main released twice, locked() = False | main in | tick 0 | a in | tick 1 | tick 2");
}

// CPython: cpython/bounded_semaphore.py
TEST_CASE("BoundedSemaphore released too many times is a ValueError", "[l12][ex4]") {
  auto main = []() -> aio::Coro<void> {
    aio::BoundedSemaphore bounded(2);
    {
      aio::Guard<aio::Semaphore> permit = co_await bounded.acquire();
      CHECK_FALSE(bounded.locked());
    }
    CHECK_THROWS_WITH(bounded.release(), Catch::StartsWith("BoundedSemaphore released too many times"));
    CHECK(bounded.value() == 2);
    aio::Semaphore plain(2);
    plain.release();
    CHECK(plain.value() == 3);
  };
  aio::run(main(), {.virtual_clock = true});
}

// CPython: cpython/bounded_semaphore.py
TEST_CASE("a negative initial value is a ValueError", "[l12][ex4]") {
  CHECK_THROWS_WITH(aio::Semaphore(-1), Catch::StartsWith("Semaphore initial value must be >= 0"));
  CHECK_THROWS_AS(aio::BoundedSemaphore(-3), aio::ValueError);
  // ex4 writes acquire(): a Semaphore(0) cannot be taken without waiting.
  auto main = []() -> aio::Coro<void> {
    aio::Semaphore sem(1);
    CHECK_FALSE(sem.locked());
    aio::Guard<aio::Semaphore> permit = co_await sem.acquire();
    CHECK(sem.locked());
    CHECK(sem.value() == 0);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("a BoundedSemaphore with a waiter cancelled after the hand-over keeps its count", "[l12][ex4]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::BoundedSemaphore sem(1);
    aio::Guard<aio::Semaphore> mine = co_await sem.acquire();
    auto a = aio::create_task(worker(log, "a", &sem, 1s));
    co_await aio::sleep(0ms);
    mine.release();
    a.cancel();
    co_await aio::gather(aio::return_exceptions, a);
    log->push_back("value = " + std::to_string(sem.value()));
    CHECK_THROWS_AS(sem.release(), aio::ValueError);
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"0.0 a cancelled", "value = 1"});
}
