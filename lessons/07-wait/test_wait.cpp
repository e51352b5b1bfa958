// Tests for aio::wait (exercises l07.ex1, l07.ex2, l07.ex3).
//
// Everything runs on the virtual clock and checks exact times and event order. The orders that
// involve loop iterations (the "tick" lines) are the ones CPython 3.11 prints for the same
// program with asyncio.wait: the file named in a test's `CPython:` comment is that program, with
// its output (lessons/07-wait/cpython/, run by the test l07.cpython).
//
// cancel() is lesson 08's. Where a test cancels a task, it uses the finished one from
// solutions/08-cancellation as a black box: the wait only has to let go of its task.
#include <aio/future.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio/wait.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>

#include <chrono>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using aio_test::Log;
using aio_test::join;
using aio_test::ticker;

namespace {

aio::Coro<int> after(aio::Duration delay, int value) {
  co_await aio::sleep(delay);
  co_return value;
}

aio::Coro<int> fail_after(aio::Duration delay, std::string what) {
  co_await aio::sleep(delay);
  throw std::runtime_error(what);
}

// Ends after `steps` iterations, failing if asked to.
aio::Coro<int> child(Log* log, int steps, bool fail) {
  for (int i = 0; i < steps; ++i) co_await aio::sleep(0ms);
  log->push_back("child " + std::to_string(steps) + " ends");
  if (fail) throw std::runtime_error("child " + std::to_string(steps) + " failed");
  co_return steps;
}

std::vector<int> results(const std::vector<aio::Task<int>>& tasks) {
  std::vector<int> values;
  for (const auto& task : tasks) values.push_back(task.result());
  return values;
}

std::size_t listeners(aio::Task<int>& task) { return task.base().listener_count(); }

std::string now() { return aio::format_seconds(aio::get_running_loop().time()); }

// CPython: cpython/wait_hops.py (one mode of it)
aio::Coro<void> hops(Log* log, aio::ReturnWhen mode) {
  aio::Task<void> tick = aio::create_task(ticker(log, 8));
  std::vector<aio::Task<int>> children;
  children.push_back(aio::create_task(child(log, 2, false)));
  children.push_back(aio::create_task(child(log, 3, true)));
  children.push_back(aio::create_task(child(log, 5, false)));
  log->push_back("wait");
  aio::WaitResult<int> result = co_await aio::wait(children, mode);
  log->push_back("returned " + std::to_string(result.done.size()) + " " +
                 std::to_string(result.pending.size()));
  co_await aio::sleep(100ms);
  (void)children[1].exception();  // retrieved: not reported at the end
}

// Awaits wait(tasks) and says how it ended.
aio::Coro<std::string> waiter(std::vector<aio::Task<int>> tasks) {
  try {
    aio::WaitResult<int> result = co_await aio::wait(tasks);
    co_return "returned " + std::to_string(result.done.size()) + " " + std::to_string(result.pending.size());
  } catch (const aio::CancelledError& error) {
    co_return "cancelled at " + now() + (error.message().empty() ? "" : ": " + error.message());
  }
}

}  // namespace

// ---- l07.ex1: registering ------------------------------------------------------------------

TEST_CASE("wait puts a listener on each pending task while it waits", "[l07][ex1]") {
  // Only await_suspend is checked here: while the task waits, each pending task has wait's
  // listener, and a task that finishes calls it (the on_completion it schedules is exercise 2's).
  // Cancelling the waiting task (lesson 08's cancel, used as a black box) makes the finished
  // on_cancel withdraw the rest. The exception handler takes what the later exercises' stubs
  // report while they are not written yet.
  aio::EventLoop loop(aio::Clock::virtual_time());
  loop.set_exception_handler([](const std::string&) {});
  auto main = []() -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(after(1s, 1)));
    tasks.push_back(aio::create_task(after(0s, 0)));
    tasks.push_back(aio::create_task(after(2s, 2)));
    co_await aio::sleep(500ms);  // tasks[1] is done
    aio::Task<std::string> waiting = aio::create_task(waiter(tasks), "waiter");
    co_await aio::sleep(0ms);  // the waiter runs up to its co_await
    if (waiting.done()) (void)waiting.result();  // what await_suspend threw, if it did
    CHECK_FALSE(waiting.done());
    CHECK(listeners(tasks[0]) == 1);
    CHECK(listeners(tasks[1]) == 0);  // done: its on_completion is scheduled instead
    CHECK(listeners(tasks[2]) == 1);
    co_await aio::sleep(1s);          // tasks[0] finishes: its listener is called (on_done)
    CHECK(listeners(tasks[0]) == 0);
    waiting.cancel();
    co_await aio::sleep(0ms);
    co_await aio::sleep(0ms);
    CHECK(waiting.done());
    CHECK(listeners(tasks[2]) == 0);  // withdrawn: wait's task was the only one listening
    CHECK_FALSE(tasks[2].done());     // wait cancels nothing
    (void)waiting.base().error();     // however it ended, it is looked at
    int two = co_await tasks[2];
    CHECK(two == 2);
  };
  aio::run_until_complete(loop, main());
}

TEST_CASE("wait listens to a hundred tasks at once and lets go of all", "[l07][ex1]") {
  // listeners_ is sized once: a listener already linked into a task must never move.
  aio::EventLoop loop(aio::Clock::virtual_time());
  loop.set_exception_handler([](const std::string&) {});
  auto main = []() -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    for (int i = 0; i < 100; ++i) tasks.push_back(aio::create_task(after(1s, i)));
    aio::Task<std::string> waiting = aio::create_task(waiter(tasks), "waiter");
    co_await aio::sleep(0ms);
    if (waiting.done()) (void)waiting.result();  // what await_suspend threw, if it did
    std::size_t listening = 0;
    for (auto& task : tasks) listening += listeners(task);
    CHECK(listening == 100);
    waiting.cancel();
    co_await aio::sleep(0ms);
    co_await aio::sleep(0ms);
    listening = 0;
    for (auto& task : tasks) listening += listeners(task);
    CHECK(listening == 0);
    (void)waiting.base().error();
    co_await aio::sleep(2s);
  };
  aio::run_until_complete(loop, main());
}

TEST_CASE("wait refuses an empty list of tasks", "[l07][ex1]") {
  // CPython: cpython/wait_arguments.py
  auto main = []() -> aio::Coro<void> {
    std::vector<aio::Task<int>> none;
    CHECK_THROWS_AS(aio::wait(none), std::invalid_argument);
    co_return;
  };
  aio::run(main(), {.virtual_clock = true});
}

// ---- l07.ex2: counting one turn later, done and pending -------------------------------------

TEST_CASE("wait with ALL_COMPLETED returns when the last task is done", "[l07][ex2]") {
  auto main = []() -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(after(3s, 3)));
    tasks.push_back(aio::create_task(after(1s, 1)));
    tasks.push_back(aio::create_task(after(2s, 2)));
    aio::WaitResult<int> result = co_await aio::wait(tasks);
    CHECK(aio::get_running_loop().time() == 3s);
    CHECK(result.pending.empty());
    CHECK(results(result.done) == std::vector<int>{3, 1, 2});  // input order, not completion order
  };
  aio::run(main(), {.virtual_clock = true});
}

namespace {
aio::Coro<std::string> text_after(aio::Duration delay, std::string value) {
  co_await aio::sleep(delay);
  co_return value;
}

std::string now_text() { return aio::format_seconds(aio::get_running_loop().time()); }
}  // namespace

// CPython: cpython/wait_any_awaitables.py
TEST_CASE("wait takes tasks of different result types together", "[l07][ex2]") {
  auto main = []() -> aio::Coro<void> {
    aio::Task<int> rows = aio::create_task(after(2s, 42));
    aio::Task<std::string> name = aio::create_task(text_after(1s, "orders"));
    const std::vector<aio::TaskRef> both = {rows, name};  // GCC 12: no braced list inside co_await
    auto first = co_await aio::wait(both, aio::FIRST_COMPLETED);
    REQUIRE(first.done.size() == 1);
    CHECK(first.done[0] == name);
    CHECK(first.pending[0] == rows);
    CHECK(first.done[0].result_as<std::string>() == "orders");
    CHECK(now_text() == "1.0");
    auto all = co_await aio::wait(both);
    CHECK(all.done.size() == 2);
    CHECK(all.pending.empty());
    CHECK(all.done[0].result_as<int>() == 42);  // in the order given: rows, then name
    CHECK(now_text() == "2.0");
    CHECK_THROWS_AS(all.done[0].result_as<std::string>(), aio::InvalidStateError);  // not its type
    aio::Task<int> typed = all.done[0].as<int>();
    CHECK(typed == rows);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("wait counts a failed or cancelled task as done and does not raise", "[l07][ex2]") {
  auto main = []() -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(fail_after(1s, "broken")));
    tasks.push_back(aio::create_task(after(2s, 2)));
    tasks.push_back(aio::create_task(after(5s, 5)));
    tasks[2].cancel();
    aio::WaitResult<int> result = co_await aio::wait(tasks, aio::ALL_COMPLETED);
    CHECK(aio::get_running_loop().time() == 2s);
    REQUIRE(result.done.size() == 3);
    CHECK_THROWS_WITH(result.done[0].result(), "broken");
    CHECK(result.done[1].result() == 2);
    CHECK(result.done[2].cancelled());
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("wait resumes two turns after the last task finished, as asyncio's does", "[l07][ex2]") {
  // CPython: cpython/wait_hops.py
  Log log;
  aio::run(hops(&log, aio::ALL_COMPLETED), {.virtual_clock = true});
  CHECK(join(log) ==
        "wait | tick 0 | tick 1 | tick 2 | child 2 ends | tick 3 | child 3 ends | tick 4 | tick 5 | "
        "child 5 ends | tick 6 | tick 7 | returned 3 0");
}

TEST_CASE("waiting for tasks that are already done still takes two turns", "[l07][ex2]") {
  // CPython: cpython/wait_done_already.py
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(child(log, 0, false)));
    co_await aio::sleep(0ms);
    co_await aio::sleep(0ms);
    aio::Task<void> tick = aio::create_task(ticker(log, 5));
    co_await aio::sleep(0ms);
    log->push_back("wait");
    aio::WaitResult<int> result = co_await aio::wait(tasks);
    log->push_back("returned " + std::to_string(result.done.size()));
    co_await tick;
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "child 0 ends | tick 0 | wait | tick 1 | tick 2 | returned 1 | tick 3 | tick 4");
}

TEST_CASE("cancelling the task that awaits wait cancels the wait, not the tasks", "[l07][ex2]") {
  // CPython: cpython/wait_cancel_waiter.py
  auto main = []() -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(after(1s, 1)));
    tasks.push_back(aio::create_task(after(3s, 3)));
    aio::Task<std::string> waiting = aio::create_task(waiter(tasks));
    co_await aio::sleep(500ms);
    CHECK(waiting.cancel("stop waiting"));
    std::string outcome = co_await waiting;
    CHECK(outcome == "cancelled at 0.5: stop waiting");
    CHECK_FALSE(tasks[0].done());
    CHECK_FALSE(tasks[1].done());
    co_await aio::sleep(3s);  // the tasks finish later, without anybody listening
    CHECK(results(tasks) == std::vector<int>{1, 3});
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("a task cancelled before it waits gets CancelledError from the wait at once",
          "[l07][ex2]") {
  auto main = []() -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(after(1s, 1)));
    aio::current_task()->cancel("early");  // delivered at the next suspension: the wait
    std::string outcome = "returned";
    try {
      aio::WaitResult<int> result = co_await aio::wait(tasks);
    } catch (const aio::CancelledError& error) {
      outcome = "cancelled: " + error.message();
    }
    CHECK(outcome == "cancelled: early");
    CHECK(aio::get_running_loop().time() == 0s);
    aio::current_task()->uncancel();
    int one = co_await tasks[0];
    CHECK(one == 1);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("a cancel that beats the last on_completion: the task is woken once", "[l07][ex2]") {
  // CPython: cpython/wait_cancel_race.py
  // The last task finishes, so its on_completion is queued; in the same turn, before it runs,
  // the waiting task is cancelled, and the finished on_cancel wakes it. on_completion must see
  // that the wait is over. If it counts and finishes again, a checked build stops with "the task
  // 'waiter' was woken twice".
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(after(1s, 1)));
    aio::Task<std::string> waiting = aio::create_task(waiter(tasks), "waiter");
    co_await aio::sleep(1s);
    co_await aio::sleep(0ms);  // tasks[0] ended in the previous turn: on_completion is queued
    CHECK(tasks[0].done());
    log->push_back("cancel the waiter");
    waiting.cancel();
    std::string outcome = co_await waiting;
    log->push_back(outcome);
    log->push_back("task result: " + std::to_string(tasks[0].result()));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "cancel the waiter | cancelled at 1.0 | task result: 1");
}

// ---- l07.ex3: ending early: FIRST_COMPLETED, FIRST_EXCEPTION, the timeout -------------------

TEST_CASE("wait with FIRST_COMPLETED returns with the first task done and the rest pending",
          "[l07][ex3]") {
  auto main = []() -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(after(3s, 3)));
    tasks.push_back(aio::create_task(after(1s, 1)));
    tasks.push_back(aio::create_task(after(2s, 2)));
    aio::WaitResult<int> result = co_await aio::wait(tasks, aio::FIRST_COMPLETED);
    CHECK(aio::get_running_loop().time() == 1s);
    CHECK(results(result.done) == std::vector<int>{1});
    REQUIRE(result.pending.size() == 2);
    // Still running, in input order, and not cancelled: wait cancels nothing.
    CHECK_FALSE(result.pending[0].cancelled());
    int three = co_await result.pending[0];
    int two = result.pending[1].result();
    CHECK(three == 3);
    CHECK(two == 2);
    CHECK(aio::get_running_loop().time() == 3s);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("wait with FIRST_COMPLETED resumes two turns after the first task finished",
          "[l07][ex3]") {
  // CPython: cpython/wait_hops.py
  Log log;
  aio::run(hops(&log, aio::FIRST_COMPLETED), {.virtual_clock = true});
  CHECK(join(log) ==
        "wait | tick 0 | tick 1 | tick 2 | child 2 ends | tick 3 | child 3 ends | tick 4 | "
        "returned 2 1 | tick 5 | child 5 ends | tick 6 | tick 7");
}

TEST_CASE("wait with FIRST_EXCEPTION returns when a task fails", "[l07][ex3]") {
  // CPython: cpython/wait_hops.py
  Log log;
  aio::run(hops(&log, aio::FIRST_EXCEPTION), {.virtual_clock = true});
  CHECK(join(log) ==
        "wait | tick 0 | tick 1 | tick 2 | child 2 ends | tick 3 | child 3 ends | tick 4 | tick 5 | "
        "returned 2 1 | child 5 ends | tick 6 | tick 7");
}

TEST_CASE("two tasks done in the same turn: both are done, the task wakes once", "[l07][ex3]") {
  // CPython: cpython/wait_same_turn.py
  // Both on_completions run in the same turn. The first ends the wait; the second must see that
  // it is over (a checked build stops with "the task 'waiter' was woken twice" otherwise).
  auto main = []() -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(after(1s, 1)));
    tasks.push_back(aio::create_task(after(1s, 2)));
    tasks.push_back(aio::create_task(after(2s, 3)));
    auto first = [](std::vector<aio::Task<int>> tasks) -> aio::Coro<std::string> {
      aio::WaitResult<int> result = co_await aio::wait(tasks, aio::FIRST_COMPLETED);
      std::string done;
      for (const auto& task : result.done) done += std::to_string(task.result()) + " ";
      co_return now() + " done: " + done + "pending: " + std::to_string(result.pending.size());
    };
    aio::Task<std::string> waiting = aio::create_task(first(tasks), "waiter");
    std::string outcome = co_await waiting;
    CHECK(outcome == "1.0 done: 1 2 pending: 1");
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("wait with FIRST_EXCEPTION does not count a cancelled task as failed", "[l07][ex3]") {
  // CPython: cpython/wait_first_exception.py
  auto main = []() -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(after(1s, 1)));
    tasks.push_back(aio::create_task(after(2s, 2)));
    tasks.push_back(aio::create_task(after(3s, 3)));
    tasks[1].cancel();
    aio::WaitResult<int> result = co_await aio::wait(tasks, aio::FIRST_EXCEPTION);
    CHECK(aio::get_running_loop().time() == 3s);  // nothing failed: it waited for all
    CHECK(result.done.size() == 3);
    CHECK(result.pending.empty());
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("FIRST_EXCEPTION reads the failure: it is not reported as never retrieved",
          "[l07][ex3]") {
  // CPython: cpython/wait_first_exception.py
  std::vector<std::string> reports;
  {
    aio::EventLoop loop(aio::Clock::virtual_time());
    loop.set_exception_handler([&reports](const std::string& message) { reports.push_back(message); });
    auto main = []() -> aio::Coro<void> {
      std::vector<aio::Task<int>> tasks;
      tasks.push_back(aio::create_task(after(2s, 2)));
      tasks.push_back(aio::create_task(fail_after(1s, "broken")));
      aio::WaitResult<int> result = co_await aio::wait(tasks, aio::FIRST_EXCEPTION);
      CHECK(aio::get_running_loop().time() == 1s);
      CHECK(result.done.size() == 1);
      CHECK(result.pending.size() == 1);
      co_await aio::sleep(2s);
    };
    aio::run_until_complete(loop, main());
  }
  CHECK(reports.empty());
}

TEST_CASE("a wait that returns early stops listening to the tasks still pending", "[l07][ex3]") {
  // asyncio's `while pending: done, pending = await asyncio.wait(pending, FIRST_COMPLETED)`.
  // Each wait is gone once it returned, and the tasks it left pending finish later.
  auto main = []() -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(after(3s, 3)));
    tasks.push_back(aio::create_task(after(1s, 1)));
    tasks.push_back(aio::create_task(after(2s, 2)));
    std::vector<aio::Task<int>> pending = tasks;
    std::vector<int> order;
    while (!pending.empty()) {
      aio::WaitResult<int> result = co_await aio::wait(pending, aio::FIRST_COMPLETED);
      for (const auto& task : result.done) order.push_back(task.result());
      for (auto& task : result.pending) CHECK(listeners(task) == 0);
      pending = result.pending;
    }
    CHECK(order == std::vector<int>{1, 2, 3});
    CHECK(aio::get_running_loop().time() == 3s);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("a timeout ends the wait, not the tasks: what is left is returned pending", "[l07][ex3]") {
  auto main = []() -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(after(1s, 1)));
    tasks.push_back(aio::create_task(after(2s, 2)));
    tasks.push_back(aio::create_task(after(3s, 3)));
    aio::WaitResult<int> result = co_await aio::wait(tasks, aio::ALL_COMPLETED, 1500ms);
    CHECK(aio::get_running_loop().time() == 1500ms);
    CHECK(results(result.done) == std::vector<int>{1});
    REQUIRE(result.pending.size() == 2);
    CHECK_FALSE(result.pending[0].cancelled());
    int three = co_await result.pending[1];
    CHECK(three == 3);
    CHECK(result.pending[0].result() == 2);
    CHECK(aio::get_running_loop().time() == 3s);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("a timeout resumes the task one turn after its timer is due, like a sleep", "[l07][ex3]") {
  // CPython: cpython/wait_timeout_hops.py
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    auto late_ticker = [](Log* log) -> aio::Coro<void> {
      co_await aio::sleep(2s);
      co_await ticker(log, 6);
    };
    auto sleeper = [](Log* log, aio::Duration delay, std::string name) -> aio::Coro<int> {
      co_await aio::sleep(delay);
      log->push_back(name + " ends");
      co_return 0;
    };
    aio::Task<void> tick = aio::create_task(late_ticker(log));
    co_await aio::sleep(0ms);
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(sleeper(log, 1s, "a")));
    tasks.push_back(aio::create_task(sleeper(log, 3s, "b")));
    aio::WaitResult<int> result = co_await aio::wait(tasks, aio::ALL_COMPLETED, 2s);
    log->push_back("returned at " + now() + " " + std::to_string(result.done.size()) + " " +
                   std::to_string(result.pending.size()));
    co_await aio::sleep(5s);
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) ==
        "a ends | tick 0 | returned at 2.0 1 1 | tick 1 | tick 2 | tick 3 | tick 4 | tick 5 | b ends");
}

TEST_CASE("a timeout counts from the moment the wait starts", "[l07][ex3]") {
  auto main = []() -> aio::Coro<void> {
    co_await aio::sleep(5s);
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(after(1s, 1)));
    tasks.push_back(aio::create_task(after(3s, 3)));
    aio::WaitResult<int> result = co_await aio::wait(tasks, aio::ALL_COMPLETED, 2s);
    CHECK(now() == "7.0");
    CHECK(results(result.done) == std::vector<int>{1});
    CHECK(result.pending.size() == 1);
    co_await aio::sleep(1s);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("a timeout of zero returns the tasks already done, the rest pending", "[l07][ex3]") {
  // CPython: cpython/wait_timeout_zero.py
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(child(log, 0, false)));
    co_await aio::sleep(0ms);
    tasks.push_back(aio::create_task(after(1s, 1)));
    aio::Task<void> tick = aio::create_task(ticker(log, 4));
    aio::WaitResult<int> result = co_await aio::wait(tasks, aio::ALL_COMPLETED, 0s);
    log->push_back("returned at " + now() + " " + std::to_string(result.done.size()) + " " +
                   std::to_string(result.pending.size()));
    co_await aio::sleep(5s);
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "child 0 ends | tick 0 | tick 1 | returned at 0.0 1 1 | tick 2 | tick 3");
}

TEST_CASE("a zero timeout on tasks all done: the timer finds the wait over", "[l07][ex3]") {
  // CPython: cpython/wait_timeout_zero.py
  // In the same turn the last on_completion ends the wait and the timer becomes due. The timer
  // must see that the wait is over (a checked build stops with "the task 'waiter' was woken
  // twice" otherwise).
  auto main = []() -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(after(0s, 0)));
    tasks.push_back(aio::create_task(after(1s, 1)));
    co_await aio::sleep(5s);
    auto zero = [](std::vector<aio::Task<int>> tasks) -> aio::Coro<std::string> {
      aio::WaitResult<int> result = co_await aio::wait(tasks, aio::ALL_COMPLETED, 0s);
      co_return "returned at " + now() + " " + std::to_string(result.done.size()) + " " +
          std::to_string(result.pending.size());
    };
    aio::Task<std::string> waiting = aio::create_task(zero(tasks), "waiter");
    std::string outcome = co_await waiting;
    CHECK(outcome == "returned at 5.0 2 0");
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("a wait that ends before its timeout takes its timer off the loop", "[l07][ex3]") {
  aio::EventLoop loop(aio::Clock::virtual_time());
  auto main = []() -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(after(1s, 1)));
    tasks.push_back(aio::create_task(after(2s, 2)));
    aio::WaitResult<int> result = co_await aio::wait(tasks, aio::ALL_COMPLETED, 1h);
    CHECK(result.done.size() == 2);
  };
  aio::run_until_complete(loop, main());
  CHECK(loop.time() == 2s);
  CHECK_FALSE(loop.has_work());  // no timer left: the hour-long one went with the wait
}

TEST_CASE("cancelling a wait with a timeout takes its timer off the loop", "[l07][ex3]") {
  aio::EventLoop loop(aio::Clock::virtual_time());
  auto main = []() -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(after(1s, 1)));
    auto waiter = [](std::vector<aio::Task<int>> tasks) -> aio::Coro<void> {
      aio::WaitResult<int> result = co_await aio::wait(tasks, aio::ALL_COMPLETED, 1h);
    };
    aio::Task<void> waiting = aio::create_task(waiter(tasks));
    co_await aio::sleep(500ms);
    waiting.cancel();
    co_await aio::sleep(1s);
    CHECK(waiting.cancelled());
    CHECK(tasks[0].result() == 1);
  };
  aio::run_until_complete(loop, main());
  CHECK(loop.time() == 1500ms);
  CHECK_FALSE(loop.has_work());
}

// ---- futures: wait() takes them as TaskRef handles, as asyncio's takes any future ------------

namespace {

std::string which(const std::vector<aio::TaskRef>& refs, const aio::Future<int>& future) {
  std::string text;
  for (const aio::TaskRef& ref : refs) text += std::string(text.empty() ? "" : ", ") + (ref == future ? "future" : "task");
  return "[" + text + "]";
}

aio::Coro<int> task_result_after(aio::Duration delay) {
  co_await aio::sleep(delay);
  co_return 10;
}

aio::Coro<void> waits_for_a_future_and_a_task(Log* log) {
  aio::EventLoop& loop = aio::get_running_loop();
  auto stamp = [log](const std::string& what) {
    log->push_back(aio::format_seconds(aio::get_running_loop().time()) + " " + what);
  };
  aio::Future<int> future = aio::create_future<int>();
  aio::Task<int> task = aio::create_task(task_result_after(2s));
  aio::Task<void> ticks;
  loop.call_later(1s, [future, log, &ticks, stamp]() mutable {
    future.set_result(5);
    stamp("set_result");
    ticks = aio::create_task(ticker(log, 3));
  });
  std::vector<aio::TaskRef> both = {future, task};
  aio::WaitResult<aio::AnyResult> result = co_await aio::wait(both, aio::FIRST_COMPLETED);
  stamp("main resumed: done " + which(result.done, future) + ", pending " + which(result.pending, future));
  co_await ticks;
  const int from_task = co_await task;
  stamp("the future holds " + std::to_string(result.done[0].result_as<int>()) + "; the task gives " +
        std::to_string(from_task));

  std::vector<aio::Future<int>> never = {aio::create_future<int>()};
  result = co_await aio::wait(never, aio::ALL_COMPLETED, 1s);
  stamp("timeout: " + std::to_string(result.done.size()) + " done, " + std::to_string(result.pending.size()) +
        " pending; done() = " + aio_test::py(never[0].done()));

  // What a TaskRef to a future can do: give the typed future back, and cancel it.
  aio::TaskRef ref = result.pending[0];
  CHECK(ref.is_future());
  CHECK(ref.as_future<int>() == never[0]);
  CHECK_THROWS_AS(ref.as<int>(), aio::InvalidStateError);
  CHECK_THROWS_AS(ref.as_future<std::string>(), aio::InvalidStateError);
  CHECK(ref.cancel("why"));
  stamp(std::string("after ref.cancel('why'): cancelled() = ") + aio_test::py(never[0].cancelled()));
}

}  // namespace

// CPython: cpython/wait_futures.py
TEST_CASE("wait takes futures and tasks, with the hops of a task", "[l07][ex2]") {
  Log log;
  aio::run(waits_for_a_future_and_a_task(&log), {.virtual_clock = true});
  CHECK(log == Log{"1.0 set_result", "tick 0", "1.0 main resumed: done [future], pending [task]", "tick 1",
                   "tick 2", "2.0 the future holds 5; the task gives 10", "3.0 timeout: 0 done, 1 pending; done() = False",
                   "3.0 after ref.cancel('why'): cancelled() = True"});
}
