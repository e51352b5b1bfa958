// Lesson 05's narrated program: the same two greetings, awaited one after the other (3 s) and
// wrapped in tasks first (2 s). mirror.py is the same program in Python; both print the same
// lines. `l05_demo --timeline` also draws what each task did, on the loop's clock.
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio/timeline.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

using namespace std::chrono_literals;

namespace {

// book:say-after
aio::Coro<void> say_after(aio::Duration delay, std::string what) {
  co_await aio::sleep(delay);
  std::printf("%s\n", what.c_str());
}
// end book:say-after

/// Seconds since `start` on the running loop's clock, as "2.0".
std::string since(aio::Duration start) {
  return aio::format_seconds(aio::get_running_loop().time() - start);
}

// book:sequential
aio::Coro<void> one_after_the_other() {
  const aio::Duration start = aio::get_running_loop().time();
  std::printf("started at %s s\n", since(start).c_str());
  co_await say_after(1s, "hello");
  co_await say_after(2s, "world");
  std::printf("finished at %s s\n", since(start).c_str());
}
// end book:sequential

// book:concurrent
aio::Coro<void> side_by_side() {
  const aio::Duration start = aio::get_running_loop().time();
  aio::Task<void> task1 = aio::create_task(say_after(1s, "hello"));
  aio::Task<void> task2 = aio::create_task(say_after(2s, "world"));
  std::printf("started at %s s\n", since(start).c_str());
  co_await task1;
  co_await task2;
  std::printf("finished at %s s\n", since(start).c_str());
}
// end book:concurrent

aio::Coro<void> main_coro() {
  std::printf("1. await the coroutines one after the other\n");
  co_await one_after_the_other();
  std::printf("2. wrap them in tasks first, then await the tasks\n");
  co_await side_by_side();
}

}  // namespace

int main(int argc, char** argv) {
  const bool draw = argc > 1 && std::strcmp(argv[1], "--timeline") == 0;
  aio::Timeline timeline;
  aio::RunOptions options;
  if (draw) options.timeline = &timeline;
  aio::run(main_coro(), options);
  if (draw) {
    std::printf("\ntimeline ('#' a step runs, '-' the task exists):\n%s",
                timeline.render_ascii().c_str());
  }
}
