// Lesson 16's first program: blocking calls on the loop, then in threads. mirror.py is the same
// program in asyncio; both print the same lines. Lines that start with "~ " are measurements on
// the real clock, compared with their numbers masked.
//
// It runs in debug mode: the loop reports on stderr every step that kept it busy for 0.1 s or
// more, and names the task ("Executing <Task 'blocker'> took 0.400 seconds"), as asyncio's
// logger does. (Under the mirror test's virtual clock asyncio times steps with its virtual
// time() and so reports nothing; aio times them on the real clock and still does: stderr is not
// compared.)
//
// On the virtual clock (AIO_CLOCK=virtual) the loop's time stands still while a step blocks, and
// while it waits for a thread: only the "~ " lines show the cost.
#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/gather.hpp>
#include <aio/run.hpp>
#include <aio/run_in_executor.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

using namespace std::chrono_literals;
using RealClock = std::chrono::steady_clock;

namespace {

std::string now() { return aio::format_seconds(aio::get_running_loop().time()); }

std::string real_seconds_since(RealClock::time_point began) {
  return aio::format_seconds(RealClock::now() - began, 2);
}

// book:blocking-call
/// A call that blocks its thread for 0.1 s: a database driver without async support, a file on
/// a slow disk, a library that sleeps. Here, a sleep.
int blocking_square(int n) {
  std::this_thread::sleep_for(100ms);
  return n * n;
}
// end book:blocking-call

// book:ticker
/// Prints three ticks, 0.1 s apart by the loop's clock, and keeps the longest gap between two
/// ticks on the real clock: a frozen loop shows up there.
aio::Coro<void> ticker(double* longest_gap) {
  RealClock::time_point last = RealClock::now();
  for (int i = 1; i <= 3; ++i) {
    const auto gap = std::chrono::duration<double>(RealClock::now() - last).count();
    if (i > 1) *longest_gap = std::max(*longest_gap, gap);
    last = RealClock::now();
    std::printf("%s tick %d\n", now().c_str(), i);
    co_await aio::sleep(100ms);
  }
}

aio::Coro<void> blocks_the_loop() {
  std::this_thread::sleep_for(400ms);  // the mistake: the whole loop sleeps
  std::printf("%s blocker: done\n", now().c_str());
  co_return;
}

aio::Coro<void> leaves_the_loop_free() {
  co_await aio::to_thread([] { std::this_thread::sleep_for(400ms); });  // a worker sleeps
  std::printf("%s polite: done\n", now().c_str());
}
// end book:ticker

aio::Coro<void> next_to_a_ticker(aio::Coro<void> work, std::string name) {
  double longest_gap = 0;
  auto tick = aio::create_task(ticker(&longest_gap));
  auto worker = aio::create_task(std::move(work), name);
  co_await tick;
  co_await worker;
  std::printf("~ the ticker's longest gap: %.2f s of real time\n", longest_gap);
}

// book:main
aio::Coro<void> main_coro() {
  std::printf("== four blocking calls, one after the other, on the loop\n");
  auto began = RealClock::now();
  for (int n = 1; n <= 4; ++n) std::printf("%s blocking_square(%d) = %d\n", now().c_str(), n, blocking_square(n));
  std::printf("~ sequential: 4 calls in %s s\n", real_seconds_since(began).c_str());
  std::fflush(stdout);      // (so that the report on stderr comes after these lines)
  co_await aio::sleep(0ms);  // the step ends here: debug mode reports it

  std::printf("== the same four calls in threads: to_thread and gather\n");
  began = RealClock::now();
  auto [a, b, c, d] = co_await aio::gather(aio::to_thread(blocking_square, 1), aio::to_thread(blocking_square, 2),
                                           aio::to_thread(blocking_square, 3), aio::to_thread(blocking_square, 4));
  std::printf("%s results: %d %d %d %d\n", now().c_str(), a, b, c, d);
  std::printf("~ to_thread + gather: 4 calls in %s s\n", real_seconds_since(began).c_str());

  std::printf("== a ticker next to a task that blocks the loop for 0.4 s\n");
  co_await next_to_a_ticker(blocks_the_loop(), "blocker");
  std::printf("== a ticker next to a task that sleeps 0.4 s in a thread\n");
  co_await next_to_a_ticker(leaves_the_loop_free(), "polite");
}
// end book:main

}  // namespace

int main() {
  aio::run(main_coro(), {.debug = true});  // asyncio.run(main(), debug=True)
}
