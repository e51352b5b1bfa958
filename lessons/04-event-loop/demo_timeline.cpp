// Lesson 04, demo 4: three tasks, and a picture of when each one ran.
// mirror_timeline.py is the same program in Python; both print the same lines.
//
// aio::run records the program in an aio::Timeline; render_ascii draws it. With a file name,
// `l04_demo_timeline trace.json` also writes the Chrome trace: open it in ui.perfetto.dev.
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio/timeline.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

// book:timeline-program
aio::Coro<void> worker(std::string name, aio::Duration delay, int times) {
  aio::EventLoop& loop = aio::get_running_loop();
  for (int i = 0; i < times; ++i) {
    co_await aio::sleep(delay);
    std::printf("%s s  %s woke up\n", aio::format_seconds(loop.time()).c_str(), name.c_str());
  }
}

aio::Coro<void> main_coro() {
  std::vector<aio::Task<void>> tasks;
  tasks.push_back(aio::create_task(worker("fast", 400ms, 3), "fast"));
  tasks.push_back(aio::create_task(worker("slow", 1s, 2), "slow"));
  tasks.push_back(aio::create_task(worker("sleepy", 1500ms, 1), "sleepy"));
  for (aio::Task<void>& task : tasks) co_await task;
}
// end book:timeline-program

}  // namespace

// book:timeline-main
int main(int argc, char** argv) {
  aio::Timeline timeline;
  aio::run(main_coro(), {.timeline = &timeline});  // record every task's steps
  std::printf("\n%s", timeline.render_ascii().c_str());
  if (argc > 1) std::ofstream(argv[1]) << timeline.chrome_trace();
}
// end book:timeline-main
