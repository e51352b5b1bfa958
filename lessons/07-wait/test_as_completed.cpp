// Tests for aio::as_completed (exercises l07.ex4 and l07.ex5).
//
// Everything runs on the virtual clock and checks exact times and event order. The orders that
// involve loop iterations (the "tick" lines) are the ones CPython 3.11 prints for the same
// program with asyncio.as_completed: the file named in a test's `CPython:` comment is that
// program, with its output (lessons/07-wait/cpython/, run by the test l07.cpython).
//
// The tests of ex4 take every result once it is queued, so no co_await suspends: they need
// watch, on_completion and take, and not yet NextAwaiter::await_suspend (ex5).
// cancel() is lesson 08's; the tests that cancel use the finished one as a black box.
#include <aio/as_completed.hpp>
#include <aio/future.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
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

// Like after(); the token's use count says how many task frames still exist (a coroutine's
// parameters live as long as its frame, and a task's frame as long as the task).
aio::Coro<int> counted(aio::Duration delay, int value, [[maybe_unused]] std::shared_ptr<int> token) {
  co_await aio::sleep(delay);
  co_return value;
}

aio::Coro<int> fail_after(aio::Duration delay, std::string what) {
  co_await aio::sleep(delay);
  throw std::runtime_error(what);
}

aio::Coro<int> child(Log* log, int steps) {
  for (int i = 0; i < steps; ++i) co_await aio::sleep(0ms);
  log->push_back("child " + std::to_string(steps) + " ends");
  co_return steps;
}

std::string now() { return aio::format_seconds(aio::get_running_loop().time()); }

std::vector<aio::Task<int>> three_tasks() {
  std::vector<aio::Task<int>> tasks;
  tasks.push_back(aio::create_task(after(3s, 3)));
  tasks.push_back(aio::create_task(after(1s, 1)));
  tasks.push_back(aio::create_task(after(2s, 2)));
  return tasks;
}

std::size_t listeners(aio::Task<int>& task) { return task.base().listener_count(); }

}  // namespace

// ---- l07.ex4: a queue of finished tasks ------------------------------------------------------

TEST_CASE("as_completed queues each task as it finishes, in that order", "[l07][ex4]") {
  auto main = []() -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks = three_tasks();
    auto completed = aio::as_completed(tasks);
    CHECK(listeners(tasks[0]) == 1);  // one listener per task until it is queued
    CHECK(listeners(tasks[1]) == 1);
    co_await aio::sleep(5s);          // all three are done and queued: no co_await suspends
    CHECK(listeners(tasks[0]) == 0);
    std::vector<int> results;
    while (completed.has_next()) {
      int result = co_await completed.next();
      results.push_back(result);
    }
    CHECK(results == std::vector<int>{1, 2, 3});
    CHECK(now() == "5.0");
    CHECK_THROWS_AS(completed.next(), aio::InvalidStateError);  // one awaitable per task
  };
  aio::run(main(), {.virtual_clock = true});
}

// CPython: cpython/wait_any_awaitables.py
TEST_CASE("as_completed wraps coroutines in tasks, in the order given", "[l07][ex4]") {
  auto main = []() -> aio::Coro<void> {
    std::vector<aio::Coro<int>> coros;
    coros.push_back(after(2s, 2));
    coros.push_back(after(1s, 1));
    coros.push_back(after(3s, 3));
    const std::size_t tasks_before = aio::all_tasks().size();
    auto completed = aio::as_completed(std::move(coros));
    CHECK(aio::all_tasks().size() == tasks_before + 3);  // three tasks, created at once
    std::vector<std::string> results;
    while (completed.has_next()) {
      int result = co_await completed.next();
      results.push_back(now() + " " + std::to_string(result));
    }
    CHECK(results == std::vector<std::string>{"1.0 1", "2.0 2", "3.0 3"});
  };
  aio::run(main(), {.virtual_clock = true});
}

namespace {
aio::Coro<std::string> text_after(aio::Duration delay, std::string value) {
  co_await aio::sleep(delay);
  co_return value;
}
}  // namespace

// CPython: cpython/wait_any_awaitables.py (tasks of different types), as_completed_async_for.py
TEST_CASE("as_completed over tasks of mixed types gives each finished task", "[l07][ex4]") {
  auto main = []() -> aio::Coro<void> {
    aio::Task<int> rows = aio::create_task(after(2s, 42));
    aio::Task<std::string> name = aio::create_task(text_after(1s, "orders"));
    std::vector<aio::TaskRef> both = {rows, name};
    auto completed = aio::as_completed(std::move(both));
    aio::TaskRef first = co_await completed.next();
    CHECK(first == name);
    CHECK(first.result_as<std::string>() == "orders");
    CHECK(now() == "1.0");
    aio::TaskRef second = co_await completed.next();
    CHECK(second == rows);
    CHECK(second.result_as<int>() == 42);
    CHECK(now() == "2.0");
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("as_completed rethrows a task's exception at its turn and goes on", "[l07][ex4]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(after(3s, 3)));
    tasks.push_back(aio::create_task(fail_after(1s, "broken")));
    tasks.push_back(aio::create_task(after(2s, 2)));
    auto completed = aio::as_completed(tasks);
    co_await aio::sleep(5s);
    for (auto next : completed) {
      try {
        int result = co_await next;
        log->push_back(std::to_string(result));
      } catch (const std::runtime_error& error) {
        log->push_back(error.what());
      }
    }
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"broken", "2", "3"});
}

TEST_CASE("as_completed queues tasks that are already done in the order given", "[l07][ex4]") {
  auto main = []() -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    for (int value : {4, 2, 7}) tasks.push_back(aio::create_task(after(0s, value)));
    co_await aio::sleep(1s);
    auto completed = aio::as_completed(tasks);
    for (auto& task : tasks) CHECK(listeners(task) == 0);  // done: no listener, queued next turn
    co_await aio::sleep(0ms);
    std::vector<int> results;
    for (auto next : completed) {
      int result = co_await next;
      results.push_back(result);
    }
    CHECK(results == std::vector<int>{4, 2, 7});
    CHECK(now() == "1.0");
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("as_completed over no tasks yields nothing", "[l07][ex4]") {
  auto main = []() -> aio::Coro<void> {
    int rounds = 0;
    for (auto next : aio::as_completed(std::vector<aio::Task<int>>{}, 1s)) {
      co_await next;
      ++rounds;
    }
    CHECK(rounds == 0);
    CHECK(now() == "0.0");
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("leaving an as_completed loop early is safe and cancels nothing", "[l07][ex4]") {
  // The AsCompleted goes while the other tasks' on_completion are queued and its timer is armed:
  // its shared state must outlive it until they have run (AddressSanitizer checks it), and then
  // go, with the tasks it holds (the token counts their frames).
  auto token = std::make_shared<int>(0);
  auto main = [](std::shared_ptr<int> token) -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(counted(1s, 1, token)));
    tasks.push_back(aio::create_task(counted(1s, 2, token)));
    tasks.push_back(aio::create_task(counted(3s, 3, token)));
    {
      auto completed = aio::as_completed(tasks, 10s);
      co_await aio::sleep(1s);
      co_await aio::sleep(0ms);  // both tasks of 1 s ended: their on_completion is queued
      CHECK(tasks[1].done());
    }  // gone: the queued on_completions, the timer and the task still running must not reach it
    co_await aio::sleep(20s);
    CHECK(tasks[2].result() == 3);
    CHECK_FALSE(tasks[2].cancelled());
  };
  aio::run(main(token), {.virtual_clock = true});
  CHECK(token.use_count() == 1);  // the state, and the tasks it held, are gone
}

TEST_CASE("as_completed takes its timer off the loop after the last task", "[l07][ex4]") {
  // The AsCompleted outlives the loop's run, so that its own close() cannot hide a timer that
  // stayed armed: once the last task is queued, the timer must be gone.
  auto token = std::make_shared<int>(0);
  aio::EventLoop loop(aio::Clock::virtual_time());
  std::optional<aio::AsCompleted<int>> completed;
  std::optional<aio::AsCompleted<int>> none;  // nothing to wait for: no timer at all
  auto main = [](std::optional<aio::AsCompleted<int>>* completed,
                 std::optional<aio::AsCompleted<int>>* none, std::shared_ptr<int> token) -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    for (int value : {3, 1, 2}) tasks.push_back(aio::create_task(counted(value * 1s, value, token)));
    completed->emplace(aio::as_completed(std::move(tasks), 1h));
    none->emplace(aio::as_completed(std::vector<aio::Task<int>>{}, 1h));
    co_await aio::sleep(5s);
    std::vector<int> results;
    for (auto next : **completed) {
      int result = co_await next;
      results.push_back(result);
    }
    CHECK(results == std::vector<int>{1, 2, 3});
  };
  aio::run_until_complete(loop, main(&completed, &none, token));
  CHECK(loop.time() == 5s);
  CHECK_FALSE(loop.has_work());  // the hour-long timers: one left with the last task, one never came
  CHECK(token.use_count() == 4);  // the state is still there, with its three tasks
  completed.reset();
  none.reset();
  CHECK(token.use_count() == 1);
}

// ---- l07.ex5: waiting for the next result, and the timeout ------------------------------------

TEST_CASE("as_completed gives the results in the order the tasks finish", "[l07][ex5]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks = three_tasks();
    for (auto next : aio::as_completed(tasks)) {
      int result = co_await next;
      log->push_back(std::to_string(result) + " at " + now());
    }
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"1 at 1.0", "2 at 2.0", "3 at 3.0"});
}

TEST_CASE("as_completed resumes two turns after a task finished, or at once", "[l07][ex5]") {
  // CPython: cpython/as_completed_hops.py
  // "got 2 | got 3": both were queued while the consumer waited for 1, so no co_await suspends.
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Task<void> tick = aio::create_task(ticker(log, 8));
    std::vector<aio::Task<int>> children;
    children.push_back(aio::create_task(child(log, 3)));
    children.push_back(aio::create_task(child(log, 1)));
    children.push_back(aio::create_task(child(log, 2)));
    for (auto next : aio::as_completed(children)) {
      int result = co_await next;
      log->push_back("got " + std::to_string(result));
    }
    co_await tick;
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) ==
        "tick 0 | tick 1 | child 1 ends | tick 2 | child 2 ends | tick 3 | child 3 ends | got 1 | "
        "tick 4 | got 2 | got 3 | tick 5 | tick 6 | tick 7");
}

TEST_CASE("as_completed over tasks already done: the first result takes two turns",
          "[l07][ex5]") {
  // CPython: cpython/as_completed_done_already.py
  // A task already done is queued one turn later, through schedule_completion (your watch, from
  // exercise 4), never at once: the first co_await suspends, as asyncio's does.
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(child(log, 0)));
    co_await aio::sleep(0ms);
    aio::Task<void> tick = aio::create_task(ticker(log, 4));
    co_await aio::sleep(0ms);
    log->push_back("as_completed");
    for (auto next : aio::as_completed(tasks)) {
      int result = co_await next;
      log->push_back("got " + std::to_string(result));
    }
    co_await tick;
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "child 0 ends | tick 0 | as_completed | tick 1 | tick 2 | got 0 | tick 3");
}

TEST_CASE("a second task waiting in as_completed is refused", "[l07][ex5]") {
  // CPython: cpython/as_completed_consumers.py (asyncio lets both wait; aio refuses the second,
  // which would otherwise take the first one's place and leave it waiting for ever)
  auto main = []() -> aio::Coro<void> {
    auto completed = aio::as_completed(three_tasks());
    auto consumer = [](aio::AsCompleted<int>* completed) -> aio::Coro<std::string> {
      try {
        int result = co_await completed->next();
        co_return "got " + std::to_string(result) + " at " + now();
      } catch (const aio::InvalidStateError&) {
        co_return "refused at " + now();
      }
    };
    aio::Task<std::string> first = aio::create_task(consumer(&completed));
    co_await aio::sleep(0ms);  // first waits in next()
    aio::Task<std::string> second = aio::create_task(consumer(&completed));
    std::string refused = co_await second;
    CHECK(refused == "refused at 0.0");
    std::string got = co_await first;
    CHECK(got == "got 1 at 1.0");
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("cancelling the consumer of as_completed cancels no task", "[l07][ex5]") {
  // CPython: cpython/as_completed_cancel_consumer.py
  auto main = []() -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks = three_tasks();
    auto consumer = [](std::vector<aio::Task<int>> tasks) -> aio::Coro<std::string> {
      std::string seen;
      try {
        for (auto next : aio::as_completed(tasks)) {
          int result = co_await next;
          seen += std::to_string(result) + " ";
        }
        co_return seen + "all";
      } catch (const aio::CancelledError&) {
        co_return seen + "cancelled at " + now();
      }
    };
    aio::Task<std::string> consuming = aio::create_task(consumer(tasks));
    co_await aio::sleep(1500ms);
    consuming.cancel();
    std::string outcome = co_await consuming;
    CHECK(outcome == "1 cancelled at 1.5");
    CHECK_FALSE(tasks[0].done());
    CHECK_FALSE(tasks[2].done());
    co_await aio::sleep(2s);
    CHECK(tasks[0].result() == 3);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("each result that did not come in time raises TimeoutError", "[l07][ex5]") {
  // CPython: cpython/as_completed_timeout.py
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(after(1s, 1)));
    tasks.push_back(aio::create_task(after(5s, 5)));
    tasks.push_back(aio::create_task(after(6s, 6)));
    auto completed = aio::as_completed(tasks, 2s);
    for (auto next : completed) {
      try {
        int result = co_await next;
        log->push_back("got " + std::to_string(result) + " at " + now());
      } catch (const aio::TimeoutError&) {
        log->push_back("timeout at " + now());
      }
    }
    CHECK_FALSE(tasks[1].done());       // the timeout ends the waiting, not the tasks
    CHECK(listeners(tasks[1]) == 0);    // and as_completed no longer listens to them
    CHECK(listeners(tasks[2]) == 0);
    int five = co_await tasks[1];
    CHECK(five == 5);
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"got 1 at 1.0", "timeout at 2.0", "timeout at 2.0"});
}

TEST_CASE("results that came in time are handed out before TimeoutError", "[l07][ex5]") {
  // CPython: cpython/as_completed_timeout.py (a consumer that comes late)
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(after(1s, 1)));
    tasks.push_back(aio::create_task(after(2s, 2)));
    tasks.push_back(aio::create_task(after(6s, 6)));
    auto completed = aio::as_completed(tasks, 3s);
    co_await aio::sleep(5s);  // 1 and 2 are queued, and the time is up
    for (auto next : completed) {
      try {
        int result = co_await next;
        log->push_back("got " + std::to_string(result) + " at " + now());
      } catch (const aio::TimeoutError&) {
        log->push_back("timeout at " + now());
      }
    }
    co_await aio::sleep(2s);
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"got 1 at 5.0", "got 2 at 5.0", "timeout at 5.0"});
}

TEST_CASE("a task that ends as the time runs out still times out", "[l07][ex5]") {
  // CPython: cpython/as_completed_timeout_race.py
  // The task ends in the turn in which the timer is due: its on_completion is queued behind the
  // timer, and must find the time up (the guard at the top of your on_completion, exercise 4).
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Task<void> tick = aio::create_task(ticker(log, 4));
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(child(log, 0)));
    for (auto next : aio::as_completed(tasks, 0s)) {
      try {
        int result = co_await next;
        log->push_back("got " + std::to_string(result));
      } catch (const aio::TimeoutError&) {
        log->push_back("TimeoutError");
      }
    }
    log->push_back(std::string("the task is done: ") + aio_test::py(tasks[0].done()));
    co_await tick;
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) ==
        "tick 0 | child 0 ends | tick 1 | TimeoutError | the task is done: True | tick 2 | tick 3");
}

// ---- futures: as_completed takes them as asyncio's does ---------------------------------------

namespace {

std::string at_now(const std::string& what) { return aio::format_seconds(aio::get_running_loop().time()) + " " + what; }

aio::Coro<void> futures_as_completed(Log* log) {
  aio::EventLoop& loop = aio::get_running_loop();
  std::vector<aio::Future<int>> futures;
  for (int i = 0; i < 3; ++i) futures.push_back(aio::create_future<int>());
  loop.call_later(3s, [f = futures[0]]() mutable { f.set_result(1); });
  loop.call_later(1s, [f = futures[1]]() mutable { f.set_result(2); });
  loop.call_later(2s, [f = futures[2]]() mutable { f.set_exception(std::make_exception_ptr(std::invalid_argument("bad"))); });
  for (auto next : aio::as_completed(futures)) {
    try {
      const int value = co_await next;
      log->push_back(at_now("got " + std::to_string(value)));
    } catch (const std::invalid_argument& error) {
      log->push_back(at_now(std::string("raises '") + error.what() + "'"));
    }
  }
}

aio::Coro<void> future_and_task_as_completed(Log* log) {
  aio::Future<int> future = aio::create_future<int>();
  aio::Task<int> task = aio::create_task(after(1s, 10));
  aio::get_running_loop().call_later(2s, [future]() mutable { future.set_result(20); });
  std::vector<aio::TaskRef> both = {future, task};
  for (auto next : aio::as_completed(both)) {
    aio::TaskRef finished = co_await next;
    log->push_back(at_now(std::string(finished == future ? "future" : "task") + " gives " +
                          std::to_string(finished.result_as<int>())));
  }
}

}  // namespace

// CPython: cpython/as_completed_futures.py
TEST_CASE("as_completed gives futures' values in the order they are set", "[l07][ex4]") {
  Log log;
  aio::run(futures_as_completed(&log), {.virtual_clock = true});
  CHECK(log == Log{"1.0 got 2", "2.0 raises 'bad'", "3.0 got 1"});
}

// CPython: cpython/as_completed_futures.py
TEST_CASE("as_completed mixes futures and tasks through TaskRef", "[l07][ex4]") {
  Log log;
  aio::run(future_and_task_as_completed(&log), {.virtual_clock = true});
  CHECK(log == Log{"1.0 task gives 10", "2.0 future gives 20"});
}
