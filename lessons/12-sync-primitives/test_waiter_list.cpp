// Tests for aio::WaiterList (exercise l12.ex1): the FIFO of waiting tasks that every primitive of
// lessons 12 and 13 is built on.
//
// A small awaiter, Gate, waits in a bare list, so that these tests check the list alone: who is
// woken, in which order, when (through the ready queue: "tick" lines count loop iterations),
// and what a cancellation does before and after the wake-up.
#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio/waiter_list.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>

#include <chrono>
#include <coroutine>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using aio_test::Log;
using aio_test::join;
using aio_test::ticker;

namespace {

const char* name_of(aio::Waiter::State state) {
  switch (state) {
    case aio::Waiter::State::idle: return "idle";
    case aio::Waiter::State::listed: return "listed";
    case aio::Waiter::State::woken: return "woken";
    case aio::Waiter::State::cancelled: return "cancelled";
  }
  return "?";
}

/// The smallest primitive: a task waits in `list` until someone wakes it; await_resume logs the
/// waiter's state before a cancellation, if any, comes out.
struct Gate {
  aio::WaiterList* list;
  Log* log;
  std::string name;
  aio::Waiter waiter{};

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> self) {
    waiter.wait_in(*list, aio::detail::current_task_for("Gate"), self);
  }
  void await_resume() {
    log->push_back(name + " resumes, " + name_of(waiter.state()));
    waiter.task()->throw_if_cancelled();
  }
};

aio::Coro<void> wait_at(aio::WaiterList* list, Log* log, std::string name) {
  try {
    Gate gate{list, log, name};  // a named awaiter: GCC 12 mishandles a braced temporary in co_await
    co_await gate;
    log->push_back(name + " goes on");
  } catch (const aio::CancelledError&) {
    log->push_back(name + " sees CancelledError");
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// l12.ex1: wake_first, wake_all and the withdrawal on cancel

TEST_CASE("wake_first wakes the oldest waiter, one loop iteration later", "[l12][ex1]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::WaiterList list;
    auto a = aio::create_task(wait_at(&list, log, "a"));
    auto b = aio::create_task(wait_at(&list, log, "b"));
    auto c = aio::create_task(wait_at(&list, log, "c"));
    co_await aio::sleep(0ms);
    log->push_back("waiting: " + std::to_string(list.size()));
    auto tick = aio::create_task(ticker(log, 3));
    co_await aio::sleep(0ms);
    const bool woke = list.wake_first();
    log->push_back(std::string("wake_first() = ") + aio_test::py(woke) + ", waiting: " + std::to_string(list.size()));
    co_await tick;
    list.wake_first();
    list.wake_first();
    co_await a;
    co_await b;
    co_await c;
    log->push_back(std::string("empty() = ") + aio_test::py(list.empty()) +
                   ", wake_first() = " + aio_test::py(list.wake_first()));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) ==
        "waiting: 3 | tick 0 | wake_first() = True, waiting: 2 | tick 1 | a resumes, woken | a goes on | tick 2 | "
        "b resumes, woken | b goes on | c resumes, woken | c goes on | empty() = True, wake_first() = False");
}

TEST_CASE("wake_all wakes every waiter, oldest first, and counts them", "[l12][ex1]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::WaiterList list;
    std::vector<aio::Task<void>> tasks;
    for (const char* name : {"a", "b", "c"}) tasks.push_back(aio::create_task(wait_at(&list, log, name)));
    co_await aio::sleep(0ms);
    auto tick = aio::create_task(ticker(log, 2));
    co_await aio::sleep(0ms);
    const std::size_t woken = list.wake_all();
    log->push_back("wake_all() = " + std::to_string(woken) + ", waiting: " + std::to_string(list.size()));
    log->push_back("wake_all() again = " + std::to_string(list.wake_all()));
    for (auto& task : tasks) co_await task;
    co_await tick;
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) ==
        "tick 0 | wake_all() = 3, waiting: 0 | wake_all() again = 0 | tick 1 | a resumes, woken | a goes on | "
        "b resumes, woken | b goes on | c resumes, woken | c goes on");
}

TEST_CASE("a cancelled waiter leaves the list at once and was given nothing", "[l12][ex1]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::WaiterList list;
    auto a = aio::create_task(wait_at(&list, log, "a"));
    auto b = aio::create_task(wait_at(&list, log, "b"));
    auto c = aio::create_task(wait_at(&list, log, "c"));
    co_await aio::sleep(0ms);
    b.cancel();
    log->push_back("cancelled b, waiting: " + std::to_string(list.size()));
    co_await aio::sleep(0ms);
    list.wake_first();
    list.wake_first();
    log->push_back(std::string("wake_first() with nobody left = ") + aio_test::py(list.wake_first()));
    co_await a;
    co_await c;
    log->push_back(std::string("b cancelled() = ") + aio_test::py(b.cancelled()));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) ==
        "cancelled b, waiting: 2 | b resumes, cancelled | b sees CancelledError | wake_first() with nobody left = False | "
        "a resumes, woken | a goes on | c resumes, woken | c goes on | b cancelled() = False");
}

TEST_CASE("a cancel after wake_first is too late to withdraw: woken, then CancelledError", "[l12][ex1]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::WaiterList list;
    auto a = aio::create_task(wait_at(&list, log, "a"));
    auto b = aio::create_task(wait_at(&list, log, "b"));
    co_await aio::sleep(0ms);
    list.wake_first();
    const bool accepted = a.cancel();
    log->push_back(std::string("a.cancel() = ") + aio_test::py(accepted) + ", waiting: " + std::to_string(list.size()));
    co_await a;
    log->push_back("b still waits: " + std::to_string(list.size()));
    list.wake_first();
    co_await b;
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) ==
        "a.cancel() = True, waiting: 1 | a resumes, woken | a sees CancelledError | b still waits: 1 | "
        "b resumes, woken | b goes on");
}

TEST_CASE("a waiter that leaves from the middle keeps the others in order", "[l12][ex1]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::WaiterList list;
    std::vector<aio::Task<void>> tasks;
    for (const char* name : {"a", "b", "c", "d", "e"}) tasks.push_back(aio::create_task(wait_at(&list, log, name)));
    co_await aio::sleep(0ms);
    tasks[0].cancel();  // the oldest
    tasks[4].cancel();  // the newest
    tasks[2].cancel();  // the middle
    co_await aio::sleep(0ms);
    log->push_back("waiting: " + std::to_string(list.size()));
    auto f = aio::create_task(wait_at(&list, log, "f"));  // joins behind what is left
    co_await aio::sleep(0ms);
    log->push_back("woke " + std::to_string(list.wake_all()));
    for (auto& task : tasks) co_await task;
    co_await f;
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) ==
        "a resumes, cancelled | a sees CancelledError | e resumes, cancelled | e sees CancelledError | "
        "c resumes, cancelled | c sees CancelledError | waiting: 2 | woke 3 | b resumes, woken | b goes on | "
        "d resumes, woken | d goes on | f resumes, woken | f goes on");
}
