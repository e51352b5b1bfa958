// Lesson 07's second program: aio::as_completed.
//
// as_completed hands out the results in the order the tasks finish; with a timeout, each result
// that has not come in time raises aio::TimeoutError. mirror_as_completed.py is the same program
// with asyncio; both print the same lines.
#include <aio/as_completed.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

/// Seconds since the program started, on the loop's clock.
std::string now() { return aio::format_seconds(aio::get_running_loop().time()); }

aio::Coro<int> work(int seconds) {
  co_await aio::sleep(std::chrono::seconds(seconds));
  co_return seconds;
}

aio::Coro<void> in_completion_order() {
  std::printf("1. as_completed: jobs of 3, 1 and 2 seconds\n");
  // book:as-completed
  std::vector<aio::Task<int>> tasks;
  for (int seconds : {3, 1, 2}) tasks.push_back(aio::create_task(work(seconds)));
  for (auto next_result : aio::as_completed(tasks)) {
    int result = co_await next_result;
    std::printf("  %s s: got %d\n", now().c_str(), result);
  }
  // end book:as-completed
  std::printf("  in the order they finished, not the order they were started\n");
}

aio::Coro<void> with_timeout() {
  std::printf("2. as_completed with a 2.5 s timeout: jobs of 4, 1, 5 and 2 seconds\n");
  // book:as-completed-timeout
  std::vector<aio::Task<int>> tasks;
  for (int seconds : {4, 1, 5, 2}) tasks.push_back(aio::create_task(work(seconds)));
  for (auto next_result : aio::as_completed(tasks, 2500ms)) {
    try {
      int result = co_await next_result;
      std::printf("  %s s: got %d\n", now().c_str(), result);
    } catch (const aio::TimeoutError&) {
      std::printf("  %s s: TimeoutError\n", now().c_str());
    }
  }
  // end book:as-completed-timeout
  std::vector<aio::Task<int>> running;
  for (const auto& task : tasks) {
    if (!task.done()) running.push_back(task);
  }
  std::printf("  %zu jobs are still running: the timeout cancelled nothing\n", running.size());
  for (auto& task : running) task.cancel();
}

aio::Coro<void> main_coro() {
  co_await in_completion_order();
  co_await with_timeout();
}

}  // namespace

int main() { aio::run(main_coro()); }
