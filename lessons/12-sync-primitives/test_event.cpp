// Tests for aio::Event (exercise l12.ex2).
//
// Every expected log is what CPython 3.11 prints for the same program with asyncio.Event; the
// comment above a test names the program in cpython/ that shows it. "tick" lines count loop
// iterations.
#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/event.hpp>
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

aio::Coro<void> waiter(Log* log, std::string name, aio::Event* event) {
  try {
    co_await event->wait();
    log->push_back(name + " woke, is_set() = " + py(event->is_set()));
  } catch (const aio::CancelledError&) {
    log->push_back(name + " cancelled");
    throw;
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// l12.ex2: the event

// CPython: cpython/event_set_wakes_all.py
TEST_CASE("set wakes every waiter, oldest first, one loop iteration later", "[l12][ex2]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Event event;
    std::vector<aio::Task<void>> tasks;
    for (const char* name : {"a", "b", "c"}) tasks.push_back(aio::create_task(waiter(log, name, &event)));
    co_await aio::sleep(0ms);
    tasks[1].cancel();
    auto tick = aio::create_task(ticker(log, 3));
    co_await aio::sleep(0ms);
    log->push_back("set, then clear");
    event.set();
    event.clear();
    log->push_back("set() returned");
    co_await tick;
    co_await aio::gather(aio::return_exceptions, tasks);
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) ==
        "b cancelled | tick 0 | set, then clear | set() returned | tick 1 | a woke, is_set() = False | "
        "c woke, is_set() = False | tick 2");
}

// CPython: cpython/event_set_wakes_all.py
TEST_CASE("wait on an event that is set returns without suspending", "[l12][ex2]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Event event;
    event.set();
    auto tick = aio::create_task(ticker(log, 2));
    co_await event.wait();
    log->push_back("wait() returned");
    co_await tick;
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "wait() returned | tick 0 | tick 1");
}

TEST_CASE("is_set follows set and clear, and a second set wakes nobody twice", "[l12][ex2]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Event event;
    log->push_back(std::string("is_set() = ") + py(event.is_set()));
    auto a = aio::create_task(waiter(log, "a", &event));
    co_await aio::sleep(1s);
    log->push_back(at("waiting: " + std::to_string(event.waiting())));
    event.set();
    event.set();  // already set: nothing more happens (a checked build would catch a double wake)
    log->push_back(at(std::string("set twice, is_set() = ") + py(event.is_set()) + ", waiting: " +
                      std::to_string(event.waiting())));
    co_await a;
    event.clear();
    log->push_back(std::string("cleared, is_set() = ") + py(event.is_set()));
    auto b = aio::create_task(waiter(log, "b", &event));
    co_await aio::sleep(1s);
    log->push_back(at("b still waits: " + std::to_string(event.waiting())));
    event.set();
    co_await b;
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"is_set() = False", "1.0 waiting: 1", "1.0 set twice, is_set() = True, waiting: 0",
                   "a woke, is_set() = True", "cleared, is_set() = False", "2.0 b still waits: 1",
                   "b woke, is_set() = True"});
}

TEST_CASE("a waiter cancelled after set woke it sees CancelledError", "[l12][ex2]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Event event;
    auto a = aio::create_task(waiter(log, "a", &event));
    auto b = aio::create_task(waiter(log, "b", &event));
    co_await aio::sleep(0ms);
    event.set();
    a.cancel();  // too late to leave the list: a was woken
    co_await aio::gather(aio::return_exceptions, a, b);
    log->push_back(std::string("a cancelled() = ") + py(a.cancelled()));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "a cancelled | b woke, is_set() = True | a cancelled() = True");
}

TEST_CASE("an event waited on outside a task says so", "[l12][ex2]") {
  auto main = []() -> aio::Coro<void> {
    aio::Event event;
    aio::EventLoop& loop = aio::get_running_loop();
    aio::TaskBase* task = loop.current_task();
    loop.set_current_task(nullptr);  // as if awaited from a plain callback
    try {
      co_await event.wait();
    } catch (const aio::InvalidStateError& error) {
      loop.set_current_task(task);
      CHECK(std::string(error.what()).find("aio::Event::wait must be awaited inside a task") != std::string::npos);
    }
  };
  aio::run(main(), {.virtual_clock = true});
}
