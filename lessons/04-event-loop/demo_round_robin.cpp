// Lesson 04, demo 2: sleep(0) hands the loop to the next ready task, round robin.
// mirror_round_robin.py is the same program in Python; both print the same lines.
//
// aio::create_task (lesson 05 builds it) starts a coroutine as a task of the running loop: it
// schedules the task's first step with the loop, exactly as aio::run does for main.
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

// book:round-robin
aio::Coro<void> polite(std::string name) {
  for (int step = 1; step <= 3; ++step) {
    std::printf("%s: step %d\n", name.c_str(), step);
    co_await aio::sleep(0s);  // let every other ready task take a step first
  }
}

aio::Coro<void> greedy(std::string name) {
  for (int step = 1; step <= 3; ++step) {
    std::printf("%s: step %d\n", name.c_str(), step);  // no co_await: nobody else runs meanwhile
  }
  co_return;
}

aio::Coro<void> main_coro() {
  std::printf("1. three polite tasks\n");
  std::vector<aio::Task<void>> tasks;
  for (const char* name : {"A", "B", "C"}) tasks.push_back(aio::create_task(polite(name)));
  for (aio::Task<void>& task : tasks) co_await task;

  std::printf("2. a greedy task and a polite one\n");
  tasks = {aio::create_task(greedy("G")), aio::create_task(polite("P"))};
  for (aio::Task<void>& task : tasks) co_await task;
}
// end book:round-robin

}  // namespace

int main() { aio::run(main_coro()); }
