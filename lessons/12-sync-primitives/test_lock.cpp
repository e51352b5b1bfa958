// Tests for aio::Lock and aio::Guard (exercise l12.ex3).
//
// Every expected log is what CPython 3.11 prints for the same program with asyncio.Lock, except
// where a comment says how aio differs; the comment above a test names the program in cpython/
// that shows it. "tick" lines count loop iterations.
#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/gather.hpp>
#include <aio/lock.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>

#include <chrono>
#include <stdexcept>
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

aio::Coro<void> worker(Log* log, std::string name, aio::Lock* lock) {
  log->push_back(name + " asks");
  {
    aio::Guard<aio::Lock> held = co_await lock->acquire();
    log->push_back(name + " holds it");
    co_await aio::sleep(0ms);
    log->push_back(name + " releases");
  }
}

/// Holds the lock for `seconds`; logs a cancellation.
aio::Coro<void> holder(Log* log, std::string name, aio::Lock* lock, aio::Duration seconds) {
  try {
    aio::Guard<aio::Lock> held = co_await lock->acquire();
    log->push_back(at(name + " holds it"));
    co_await aio::sleep(seconds);
    log->push_back(at(name + " releases"));
  } catch (const aio::CancelledError&) {
    log->push_back(at(name + " cancelled"));
    throw;
  }
}

/// Takes `first`, yields, then takes `second`: two of these, crossed, wait for each other.
aio::Coro<void> lock_both(aio::Lock* first, aio::Lock* second) {
  aio::Guard<aio::Lock> one = co_await first->acquire();
  co_await aio::sleep(0ms);
  aio::Guard<aio::Lock> two = co_await second->acquire();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// l12.ex3: the lock

// CPython: cpython/lock_fifo.py
TEST_CASE("waiters get the lock in FIFO order, one iteration after each release", "[l12][ex3]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Lock lock;
    aio::Guard<aio::Lock> mine = co_await lock.acquire();
    log->push_back(std::string("main holds it without waiting, locked() = ") + py(lock.locked()));
    std::vector<aio::Task<void>> tasks;
    for (const char* name : {"a", "b", "c"}) tasks.push_back(aio::create_task(worker(log, name, &lock)));
    co_await aio::sleep(0ms);
    auto tick = aio::create_task(ticker(log, 8));
    log->push_back("main releases");
    mine.release();
    co_await aio::gather(tasks);
    co_await tick;
    log->push_back(std::string("locked() = ") + py(lock.locked()));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) ==
        "main holds it without waiting, locked() = True | a asks | b asks | c asks | main releases | tick 0 | "
        "a holds it | tick 1 | a releases | tick 2 | b holds it | tick 3 | b releases | tick 4 | c holds it | "
        "tick 5 | c releases | tick 6 | tick 7 | locked() = False");
}

// CPython: cpython/lock_fifo.py
TEST_CASE("release of a lock that nobody holds is a RuntimeError", "[l12][ex3]") {
  auto main = []() -> aio::Coro<void> {
    aio::Lock lock;
    CHECK_THROWS_WITH(lock.release(), Catch::StartsWith("Lock is not acquired"));
    {
      aio::Guard<aio::Lock> held = co_await lock.acquire();
    }
    CHECK_FALSE(lock.locked());
    CHECK_THROWS_AS(lock.release(), aio::RuntimeError);
  };
  aio::run(main(), {.virtual_clock = true});
}

// aio's locked() differs from CPython's in the window (cpython/lock_no_barging.py says so).
// CPython: cpython/lock_no_barging.py
TEST_CASE("a task that asks again right after its release waits behind the woken waiter", "[l12][ex3]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Lock lock;
    aio::Guard<aio::Lock> mine = co_await lock.acquire();
    auto other = aio::create_task(worker(log, "a", &lock));
    co_await aio::sleep(0ms);
    mine.release();
    log->push_back(std::string("main released it, locked() = ") + py(lock.locked()));  // CPython: False
    {
      aio::Guard<aio::Lock> again = co_await lock.acquire();
      log->push_back("main holds it again");
    }
    co_await other;
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "a asks | main released it, locked() = True | a holds it | a releases | main holds it again");
}

// CPython: cpython/lock_late_cancel.py
TEST_CASE("a waiter cancelled after it was handed the lock passes it on", "[l12][ex3]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Lock lock;
    aio::Guard<aio::Lock> mine = co_await lock.acquire();
    std::vector<aio::Task<void>> tasks;
    for (const char* name : {"a", "b", "c", "d"}) tasks.push_back(aio::create_task(holder(log, name, &lock, 1s)));
    co_await aio::sleep(0ms);
    log->push_back("cancel b while it waits");
    tasks[1].cancel();
    co_await aio::sleep(0ms);
    log->push_back("release, then cancel a, which was just handed the lock");
    mine.release();
    tasks[0].cancel();
    co_await aio::gather(aio::return_exceptions, tasks);
    log->push_back(at(std::string("all done, locked() = ") + py(lock.locked())));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"cancel b while it waits", "0.0 b cancelled", "release, then cancel a, which was just handed the lock",
                   "0.0 a cancelled", "0.0 c holds it", "1.0 c releases", "1.0 d holds it", "2.0 d releases",
                   "2.0 all done, locked() = False"});
}

TEST_CASE("the last waiter cancelled after the hand-over unlocks the lock", "[l12][ex3]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Lock lock;
    aio::Guard<aio::Lock> mine = co_await lock.acquire();
    auto a = aio::create_task(holder(log, "a", &lock, 1s));
    co_await aio::sleep(0ms);
    mine.release();
    a.cancel();
    log->push_back(std::string("handed to a, locked() = ") + py(lock.locked()) + ", waiting: " +
                   std::to_string(lock.waiting()));
    co_await aio::gather(aio::return_exceptions, a);
    log->push_back(std::string("locked() = ") + py(lock.locked()));
    aio::Guard<aio::Lock> again = co_await lock.acquire();  // free: no suspension
    log->push_back(at("main holds it again"));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"handed to a, locked() = True, waiting: 0", "0.0 a cancelled", "locked() = False",
                   "0.0 main holds it again"});
}

TEST_CASE("a waiter cancelled while it waits leaves the queue; the holder keeps the lock", "[l12][ex3]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Lock lock;
    auto a = aio::create_task(holder(log, "a", &lock, 2s));
    auto b = aio::create_task(holder(log, "b", &lock, 1s));
    auto c = aio::create_task(holder(log, "c", &lock, 1s));
    co_await aio::sleep(1s);
    log->push_back(at("waiting: " + std::to_string(lock.waiting())));
    b.cancel();
    co_await aio::sleep(0ms);
    log->push_back(at("waiting: " + std::to_string(lock.waiting()) + ", locked() = " + py(lock.locked())));
    co_await aio::gather(aio::return_exceptions, a, b, c);
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"0.0 a holds it", "1.0 waiting: 2", "1.0 b cancelled", "1.0 waiting: 1, locked() = True",
                   "2.0 a releases", "2.0 c holds it", "3.0 c releases"});
}

TEST_CASE("the guard releases when an exception leaves its scope, and a moved guard once", "[l12][ex3]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Lock lock;
    try {
      aio::Guard<aio::Lock> held = co_await lock.acquire();
      throw std::runtime_error("boom");
    } catch (const std::runtime_error&) {
      log->push_back(std::string("after the throw, locked() = ") + py(lock.locked()));
    }
    aio::Guard<aio::Lock> first = co_await lock.acquire();
    aio::Guard<aio::Lock> second = std::move(first);
    log->push_back(std::string("moved: ") + py(first.holds()) + " " + py(second.holds()));
    second.release();
    second.release();  // holds nothing now: does nothing
    log->push_back(std::string("released once, locked() = ") + py(lock.locked()));
    // The manual style: detach the guard, release by hand.
    aio::Guard<aio::Lock> manual = co_await lock.acquire();
    manual.detach();
    log->push_back(std::string("detached, locked() = ") + py(lock.locked()));
    lock.release();
    log->push_back(std::string("released by hand, locked() = ") + py(lock.locked()));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"after the throw, locked() = False", "moved: False True", "released once, locked() = False",
                   "detached, locked() = True", "released by hand, locked() = False"});
}

TEST_CASE("a guard whose lock was released by hand reports it, without a crash", "[l12][ex3]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::get_running_loop().set_exception_handler([log](const std::string& message) { log->push_back(message); });
    aio::Lock lock;
    {
      aio::Guard<aio::Lock> held = co_await lock.acquire();
      lock.release();  // a mistake: the guard releases it again at the end of the scope
    }
    log->push_back(std::string("locked() = ") + py(lock.locked()));
  };
  aio::run(main(&log), {.virtual_clock = true});
  REQUIRE(log.size() == 2);
  CHECK(log[0].rfind("a Guard could not release what it held: Lock is not acquired", 0) == 0);
  CHECK(log[1] == "locked() = False");
}

// Two tasks that take two locks in opposite orders wait for each other for ever. asyncio would
// hang; aio's run() raises DeadlockError, and the loop then destroys the frames, guards and
// waiters included, in its own order (the sanitizer builds check that nothing is touched after
// it was freed).
TEST_CASE("a deadlock over two locks ends in DeadlockError, and the loop cleans up", "[l12][ex3]") {
  auto main = []() -> aio::Coro<void> {
    aio::Lock first;
    aio::Lock second;
    auto a = aio::create_task(lock_both(&first, &second));
    auto b = aio::create_task(lock_both(&second, &first));
    co_await a;
    co_await b;
  };
  CHECK_THROWS_AS(aio::run(main(), {.virtual_clock = true}), aio::DeadlockError);
}
