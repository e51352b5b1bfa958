// Lesson 07's third program: how many turns of the event loop pass between a task finishing and
// the task waiting for it resuming? A counter task adds one per turn; each waiter compares the
// count when the child finished with the count when it resumed. mirror_hops.py is the same
// program with asyncio; both print the same lines, which is how we know that aio::wait and
// aio::as_completed take as many turns as asyncio's.
#include <aio/as_completed.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio/wait.hpp>

#include <chrono>
#include <cstdio>
#include <vector>

using namespace std::chrono_literals;

namespace {

int turn = 0;         // how many turns of the loop the counter has seen
int finished_in = 0;  // the turn in which the last child finished

aio::Coro<void> count_turns() {
  while (true) {
    ++turn;
    co_await aio::sleep(0ms);  // one step per turn of the loop
  }
}

aio::Coro<int> child(int steps) {
  for (int i = 0; i < steps; ++i) co_await aio::sleep(0ms);
  finished_in = turn;
  co_return steps;
}

void report(const char* how) {
  std::printf("  %-28s finished in turn %d, resumed in turn %d: %d later\n", how, finished_in, turn,
              turn - finished_in);
}

aio::Coro<void> main_coro() {
  aio::Task<void> counter = aio::create_task(count_turns());
  std::printf("turns of the loop between a child finishing and its waiter resuming\n");

  aio::Task<int> task = aio::create_task(child(2));
  co_await task;
  report("await task");

  std::vector<aio::Task<int>> tasks;
  for (int steps : {1, 2}) tasks.push_back(aio::create_task(child(steps)));
  co_await aio::wait(tasks);
  report("wait(ALL_COMPLETED)");

  tasks.clear();
  for (int steps : {2, 4}) tasks.push_back(aio::create_task(child(steps)));
  co_await aio::wait(tasks, aio::FIRST_COMPLETED);
  report("wait(FIRST_COMPLETED)");

  tasks = {aio::create_task(child(2))};
  for (auto next_result : aio::as_completed(tasks)) co_await next_result;
  report("as_completed");

  counter.cancel();
}

}  // namespace

int main() { aio::run(main_coro()); }
