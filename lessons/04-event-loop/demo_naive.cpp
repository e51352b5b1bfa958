// Lesson 04, demo 0: the naive loop of exercise 1 runs callbacks and timers in asyncio's order.
// mirror_naive.py is the same program on asyncio's own loop; both print the same lines.
// Run it with: ./learn run 04 demo_naive   (AIO_CLOCK=virtual: instant, same lines)
#include <aio/naive_loop.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace std::chrono_literals;

namespace {

aio::Clock clock_from_environment() {
  const char* clock = std::getenv("AIO_CLOCK");
  return clock != nullptr && std::strcmp(clock, "virtual") == 0 ? aio::Clock::virtual_time()
                                                                : aio::Clock::real();
}

}  // namespace

int main() {
  // book:naive-demo
  aio::NaiveLoop loop(clock_from_environment());
  auto say = [&loop](const char* what) {
    std::printf("%s s  %s\n", aio::format_seconds(loop.time()).c_str(), what);
  };

  loop.call_later(1s, [say] { say("call_later(1.0), A"); });
  loop.call_later(500ms, [say] { say("call_later(0.5)"); });
  loop.call_later(0s, [say] { say("call_later(0): due at once, it joins the first iteration"); });
  loop.call_soon([say] { say("call_soon, first"); });
  loop.call_soon([say, &loop] {
    say("call_soon, second: it schedules one more");
    loop.call_soon([say] { say("call_soon from a callback: the next iteration"); });
  });
  loop.call_later(1s, [say] { say("call_later(1.0), B: same deadline as A, scheduled after it"); });
  loop.run();  // until nothing is left
  // end book:naive-demo
}
