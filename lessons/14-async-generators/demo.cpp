// Lesson 14, demo 1: three async generators of three values each, one value a second. Consumed
// one after another they take 9 s; consumed by three tasks at once (gather), 3 s: a generator
// waits inside the task that consumes it, so three consuming tasks wait side by side.
// mirror.py is the same program in Python; both print the same lines. `l14_demo --timeline`
// also draws what each task did (lesson 04's timeline): the generators have no rows of their
// own, because they have no tasks of their own.
#include <aio/async_generator.hpp>
#include <aio/gather.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/timeline.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

using namespace std::chrono_literals;

namespace {

std::string elapsed(aio::Duration origin) {
  return aio::format_seconds(aio::get_running_loop().time() - origin);
}

// book:readings
/// Three readings of a sensor, one a second: awaits, then yields.
aio::AsyncGenerator<std::string> readings(std::string sensor) {
  for (int i = 1; i <= 3; ++i) {
    co_await aio::sleep(1s);  // the sensor takes a second to answer
    co_yield sensor + std::to_string(i);
  }
}

aio::Coro<void> show_all(std::string sensor, aio::Duration origin) {
  auto values = readings(sensor);
  while (auto value = co_await values.next()) {
    std::printf("  %s s  %s\n", elapsed(origin).c_str(), value->c_str());
  }
}
// end book:readings

aio::Coro<void> main_coro() {
  aio::EventLoop& loop = aio::get_running_loop();

  std::printf("1. one after another\n");
  aio::Duration origin = loop.time();
  // book:sequential
  co_await show_all("a", origin);
  co_await show_all("b", origin);
  co_await show_all("c", origin);
  // end book:sequential
  std::printf("  took %s s\n", elapsed(origin).c_str());

  std::printf("2. three consumers at once\n");
  origin = loop.time();
  // book:concurrent
  co_await aio::gather(show_all("a", origin), show_all("b", origin), show_all("c", origin));
  // end book:concurrent
  std::printf("  took %s s\n", elapsed(origin).c_str());
}

}  // namespace

int main(int argc, char** argv) {
  const bool draw_tasks = argc > 1 && std::strcmp(argv[1], "--timeline") == 0;
  aio::Timeline timeline;
  aio::RunOptions options;
  if (draw_tasks) options.timeline = &timeline;
  try {
    aio::run(main_coro(), options);
  } catch (const std::exception& error) {  // an exercise not written yet, for instance
    std::fprintf(stderr, "%s\n", error.what());
    return 1;
  }
  if (draw_tasks) {
    std::printf("\ntimeline ('#' a step runs, '-' the task exists):\n%s", timeline.render_ascii(61).c_str());
  }
}
