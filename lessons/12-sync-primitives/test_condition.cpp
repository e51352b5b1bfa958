// Tests for aio::Condition (exercise l12.ex5).
//
// Every expected log is what CPython 3.11 prints for the same program with asyncio.Condition,
// except where a comment says which version aio follows; the comment above a test names the
// program in cpython/ that shows it.
#include <aio/cancellation.hpp>
#include <aio/condition.hpp>
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
#include <string>
#include <vector>

using namespace std::chrono_literals;
using aio_test::Log;
using aio_test::at;
using aio_test::join;
using aio_test::py;

namespace {

aio::Coro<void> consumer(Log* log, std::string name, aio::Condition* cond, int* items) {
  aio::Guard<aio::Lock> held = co_await cond->acquire();
  log->push_back(at(name + " waits"));
  co_await cond->wait_for([items] { return *items > 0; });
  --*items;
  log->push_back(at(name + " took an item, locked() = " + py(cond->locked())));
}

/// Waits once, holding the lock around the wait; logs how it ends and whether it holds the lock.
aio::Coro<void> waiter(Log* log, std::string name, aio::Condition* cond) {
  aio::Guard<aio::Lock> held = co_await cond->acquire();
  try {
    co_await cond->wait();
    log->push_back(at(name + ": wait() returned"));
  } catch (const aio::CancelledError& error) {
    log->push_back(at(name + ": CancelledError(" + error.message() + "), holds the lock: " + py(cond->locked())));
    throw;
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// l12.ex5: the condition

// CPython: cpython/condition_notify.py
TEST_CASE("wait or notify without holding the lock is a RuntimeError", "[l12][ex5]") {
  auto main = []() -> aio::Coro<void> {
    aio::Condition cond;
    std::string message = "no error";
    try {
      co_await cond.wait();
    } catch (const aio::RuntimeError& error) {
      message = error.what();
    }
    CHECK_THAT(message, Catch::StartsWith("cannot wait on un-acquired lock"));
    CHECK_THROWS_WITH(cond.notify(), Catch::StartsWith("cannot notify on un-acquired lock"));
    CHECK_THROWS_AS(cond.notify_all(), aio::RuntimeError);
    CHECK_FALSE(cond.locked());
  };
  aio::run(main(), {.virtual_clock = true});
}

// CPython: cpython/condition_notify.py
TEST_CASE("notify(n) wakes the n oldest; each returns once it holds the lock again", "[l12][ex5]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Condition cond;
    int items = 0;
    std::vector<aio::Task<void>> tasks;
    for (const char* name : {"a", "b", "c", "d"}) tasks.push_back(aio::create_task(consumer(log, name, &cond, &items)));
    co_await aio::sleep(1s);
    {
      aio::Guard<aio::Lock> held = co_await cond.acquire();
      items += 2;
      cond.notify(2);
      log->push_back(at("main: two items, notify(2); sleeps holding the lock"));
      co_await aio::sleep(1s);
      log->push_back(at("main: releases"));
    }
    co_await aio::sleep(1s);
    {
      aio::Guard<aio::Lock> held = co_await cond.acquire();
      items += 1;
      log->push_back(at("main: one item, notify_all()"));
      cond.notify_all();
    }
    co_await aio::sleep(1s);
    log->push_back(at(std::string("d still waits: done() = ") + py(tasks[3].done())));
    {
      aio::Guard<aio::Lock> held = co_await cond.acquire();
      items += 1;
      cond.notify();
    }
    co_await aio::gather(tasks);
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"0.0 a waits", "0.0 b waits", "0.0 c waits", "0.0 d waits",
                   "1.0 main: two items, notify(2); sleeps holding the lock", "2.0 main: releases",
                   "2.0 a took an item, locked() = True", "2.0 b took an item, locked() = True",
                   "3.0 main: one item, notify_all()", "3.0 c took an item, locked() = True",
                   "4.0 d still waits: done() = False", "4.0 d took an item, locked() = True"});
}

// CPython: cpython/condition_notify.py
TEST_CASE("notify(1) wakes only the oldest waiter; notify(5) the two left", "[l12][ex5]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Condition cond;
    std::vector<aio::Task<void>> tasks;
    for (const char* name : {"a", "b", "c"}) tasks.push_back(aio::create_task(waiter(log, name, &cond)));
    co_await aio::sleep(1s);
    {
      aio::Guard<aio::Lock> held = co_await cond.acquire();
      cond.notify(1);
      log->push_back(at("notify(1), still waiting: " + std::to_string(cond.waiting())));
    }
    co_await aio::sleep(1s);
    {
      aio::Guard<aio::Lock> held = co_await cond.acquire();
      cond.notify(5);  // more than wait: all of them
      log->push_back(at("notify(5), still waiting: " + std::to_string(cond.waiting())));
    }
    co_await aio::gather(tasks);
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"1.0 notify(1), still waiting: 2", "1.0 a: wait() returned", "2.0 notify(5), still waiting: 0",
                   "2.0 b: wait() returned", "2.0 c: wait() returned"});
}

// CPython: cpython/condition_cancel.py
TEST_CASE("a waiter cancelled in wait() takes the lock back before the error leaves", "[l12][ex5]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Condition cond;
    auto task = aio::create_task(waiter(log, "waiter", &cond));
    co_await aio::sleep(0ms);
    {
      aio::Guard<aio::Lock> held = co_await cond.acquire();
      task.cancel("first");
      log->push_back(at("main: cancelled the waiter, holds the lock for 1 s"));
      co_await aio::sleep(1s);
      log->push_back(at("main: releases"));
    }
    co_await aio::gather(aio::return_exceptions, task);

    log->push_back("-- cancelled again while it waits for the lock");
    task = aio::create_task(waiter(log, "waiter", &cond));
    co_await aio::sleep(0ms);
    {
      aio::Guard<aio::Lock> held = co_await cond.acquire();
      task.cancel("first");
      co_await aio::sleep(1s);
      task.cancel("second");
      log->push_back(at("main: cancelled it twice, releases"));
    }
    co_await aio::gather(aio::return_exceptions, task);
    log->push_back(at(std::string("main: cancelled() = ") + py(task.cancelled()) + ", locked() = " + py(cond.locked())));
  };
  aio::run(main(&log), {.virtual_clock = true});
  // The second CancelledError carries "second", as in 3.13; 3.11 and 3.12 raise one without a
  // message there.
  CHECK(log == Log{"0.0 main: cancelled the waiter, holds the lock for 1 s", "1.0 main: releases",
                   "1.0 waiter: CancelledError(first), holds the lock: True",
                   "-- cancelled again while it waits for the lock", "2.0 main: cancelled it twice, releases",
                   "2.0 waiter: CancelledError(second), holds the lock: True",
                   "2.0 main: cancelled() = True, locked() = False"});
}

// aio passes the notification on, as 3.13 does; 3.11 and 3.12 lose it.
// CPython: cpython/condition_late_cancel.py
TEST_CASE("a notified waiter that is cancelled passes the notification on", "[l12][ex5]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Condition cond;
    auto a = aio::create_task(waiter(log, "a", &cond));
    auto b = aio::create_task(waiter(log, "b", &cond));
    co_await aio::sleep(1s);
    {
      aio::Guard<aio::Lock> held = co_await cond.acquire();
      cond.notify(1);
      a.cancel();
      log->push_back(at("main: notify(1), then cancelled a"));
    }
    co_await aio::sleep(1s);
    log->push_back(at(std::string("main: b done() = ") + py(b.done())));
    co_await aio::gather(aio::return_exceptions, a, b);
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"1.0 main: notify(1), then cancelled a", "1.0 a: CancelledError(), holds the lock: True",
                   "1.0 b: wait() returned", "2.0 main: b done() = True"});
}

// aio does what 3.11 does here; 3.13 wakes b (a spurious wake-up).
// CPython: cpython/condition_cancel_spurious.py
TEST_CASE("a waiter cancelled before any notify wakes nobody else", "[l12][ex5]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Condition cond;
    auto a = aio::create_task(waiter(log, "a", &cond));
    auto b = aio::create_task(waiter(log, "b", &cond));
    co_await aio::sleep(1s);
    a.cancel();
    co_await aio::sleep(1s);
    log->push_back(at(std::string("main: b done() = ") + py(b.done())));
    {
      aio::Guard<aio::Lock> held = co_await cond.acquire();
      cond.notify();
    }
    co_await aio::gather(aio::return_exceptions, a, b);
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"1.0 a: CancelledError(), holds the lock: True", "2.0 main: b done() = False",
                   "2.0 b: wait() returned"});
}

TEST_CASE("two conditions over one lock share it", "[l12][ex5]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Lock lock;
    aio::Condition not_empty(lock);
    aio::Condition not_full(lock);
    auto a = aio::create_task(waiter(log, "a", &not_empty));
    co_await aio::sleep(0ms);
    {
      aio::Guard<aio::Lock> held = co_await lock.acquire();
      log->push_back(std::string("through the other condition, locked() = ") + py(not_full.locked()));
      not_full.notify();  // nobody waits on this one
      not_empty.notify();
    }
    co_await a;
    CHECK_FALSE(lock.locked());
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"through the other condition, locked() = True", "0.0 a: wait() returned"});
}

TEST_CASE("wait_for returns at once when the predicate holds already", "[l12][ex5]") {
  auto main = []() -> aio::Coro<void> {
    aio::Condition cond;
    aio::Guard<aio::Lock> held = co_await cond.acquire();
    int calls = 0;
    const bool result = co_await cond.wait_for([&calls] { return ++calls > 0; });
    CHECK(result);
    CHECK(calls == 1);
    cond.notify();  // still holds the lock: nothing to wake, no error
  };
  aio::run(main(), {.virtual_clock = true});
}
