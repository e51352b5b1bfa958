// Tests for aio::as_completed (exercise l07.ex4).
//
// Everything runs on the virtual clock and checks exact times and event order. The orders that
// involve loop iterations (the "tick" lines) are the ones CPython 3.11 prints for the same
// program with asyncio.as_completed.
#include <aio/as_completed.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>

#include <chrono>
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

}  // namespace

TEST_CASE("as_completed gives the results in the order the tasks finish", "[l07][ex4]") {
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

TEST_CASE("as_completed hands out one awaitable per task, then no more", "[l07][ex4]") {
  auto main = []() -> aio::Coro<void> {
    auto completed = aio::as_completed(three_tasks());
    std::vector<int> results;
    while (completed.has_next()) {
      int result = co_await completed.next();
      results.push_back(result);
    }
    CHECK(results == std::vector<int>{1, 2, 3});
    CHECK_THROWS_AS(completed.next(), aio::InvalidStateError);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("as_completed resumes two iterations after a task finished, or at once if a result waits",
          "[l07][ex4]") {
  // asyncio.create_task(ticker(8)); cs = [child(3), child(1), child(2)]
  // for nxt in asyncio.as_completed(cs): log(f"got {await nxt}")
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

TEST_CASE("as_completed rethrows a task's exception at its turn and goes on", "[l07][ex4]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(after(3s, 3)));
    tasks.push_back(aio::create_task(fail_after(1s, "broken")));
    tasks.push_back(aio::create_task(after(2s, 2)));
    for (auto next : aio::as_completed(tasks)) {
      try {
        int result = co_await next;
        log->push_back(std::to_string(result) + " at " + now());
      } catch (const std::runtime_error& error) {
        log->push_back(std::string(error.what()) + " at " + now());
      }
    }
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"broken at 1.0", "2 at 2.0", "3 at 3.0"});
}

TEST_CASE("as_completed with a timeout raises TimeoutError for every result that did not come",
          "[l07][ex4]") {
  // for nxt in asyncio.as_completed([sleeper(1), sleeper(5), sleeper(6)], timeout=2): ...
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(after(1s, 1)));
    tasks.push_back(aio::create_task(after(5s, 5)));
    tasks.push_back(aio::create_task(after(6s, 6)));
    for (auto next : aio::as_completed(tasks, 2s)) {
      try {
        int result = co_await next;
        log->push_back("got " + std::to_string(result) + " at " + now());
      } catch (const aio::TimeoutError&) {
        log->push_back("timeout at " + now());
      }
    }
    CHECK_FALSE(tasks[1].done());  // the timeout ends the waiting, not the tasks
    int five = co_await tasks[1];
    CHECK(five == 5);
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(log == Log{"got 1 at 1.0", "timeout at 2.0", "timeout at 2.0"});
}

TEST_CASE("as_completed takes its timer off the loop once every task is done", "[l07][ex4]") {
  aio::EventLoop loop(aio::Clock::virtual_time());
  auto main = []() -> aio::Coro<void> {
    std::vector<int> results;
    for (auto next : aio::as_completed(three_tasks(), 1h)) {
      int result = co_await next;
      results.push_back(result);
    }
    CHECK(results == std::vector<int>{1, 2, 3});
  };
  aio::run_until_complete(loop, main());
  CHECK(loop.time() == 3s);
  CHECK_FALSE(loop.has_work());
}

TEST_CASE("leaving an as_completed loop early is safe and cancels nothing", "[l07][ex4]") {
  auto main = []() -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks = three_tasks();
    {
      auto completed = aio::as_completed(tasks, 10s);
      int first = co_await completed.next();
      CHECK(first == 1);
    }  // gone: the tasks that finish later, and its timer, must not reach it
    co_await aio::sleep(20s);
    CHECK(tasks[0].result() == 3);
    CHECK(tasks[2].result() == 2);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("as_completed queues tasks that are already done in the order given", "[l07][ex4]") {
  auto main = []() -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    for (int value : {4, 2, 7}) tasks.push_back(aio::create_task(after(0s, value)));
    co_await aio::sleep(1s);
    std::vector<int> results;
    for (auto next : aio::as_completed(tasks)) {
      int result = co_await next;
      results.push_back(result);
    }
    CHECK(results == std::vector<int>{4, 2, 7});
    CHECK(aio::get_running_loop().time() == 1s);
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
    CHECK(aio::get_running_loop().time() == 0s);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("cancelling the task waiting in as_completed cancels the wait, not the tasks",
          "[l07][ex4]") {
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
