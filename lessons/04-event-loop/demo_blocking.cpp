// Lesson 04, demo 3: the classic mistake, a blocking call inside a coroutine, caught by the
// loop's debug mode. mirror_blocking.py is the same program in Python; both print the same lines
// (lines that start with "~ " are real-time measurements, compared with their numbers masked).
//
// In debug mode the loop times every step on the real clock, even when the program runs on the
// virtual clock, and reports a step longer than slow_callback_duration to its exception handler:
// by default a line on stderr, as asyncio's logger does. `l04_demo_blocking --warnings-to-stdout`
// prints those reports on stdout instead, as "~ " lines.
#include <aio/run.hpp>
#include <aio/sleep.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

using namespace std::chrono_literals;

namespace {

bool warnings_to_stdout = false;

/// Seconds of real time since `began`, as "0.15".
std::string real_seconds_since(std::chrono::steady_clock::time_point began) {
  return aio::format_seconds(std::chrono::steady_clock::now() - began, 2);
}

// book:blocking
aio::Coro<void> main_coro() {
  aio::EventLoop& loop = aio::get_running_loop();
  loop.set_slow_callback_duration(100ms);  // the default: warn about steps longer than 100 ms
  if (warnings_to_stdout) {
    loop.set_exception_handler([](const std::string& message) {
      std::printf("~ the loop reports: %s\n", message.c_str());
    });
  }
  std::printf("debug mode: %s\n", loop.get_debug() ? "on" : "off");

  std::printf("1. a blocking sleep of 0.15 s in a coroutine: the thread sleeps, and the loop with it\n");
  auto began = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(150ms);  // the mistake: blocks the thread
  std::printf("~ this step kept the loop busy for %s s\n", real_seconds_since(began).c_str());
  co_await aio::sleep(0s);  // the step ends here; the loop measures it and warns

  std::printf("2. an awaited sleep of 0.15 s: the task waits, the loop is free\n");
  began = std::chrono::steady_clock::now();
  co_await aio::sleep(150ms);
  std::printf("~ 0.15 s later by the loop's clock; %s s of real time\n", real_seconds_since(began).c_str());
}
// end book:blocking

}  // namespace

int main(int argc, char** argv) {
  warnings_to_stdout = argc > 1 && std::strcmp(argv[1], "--warnings-to-stdout") == 0;
  aio::run(main_coro(), {.debug = true});  // asyncio.run(main(), debug=True)
}
