// Lesson 04, demo 1: call_soon, call_later and call_at, and when each callback runs.
// mirror.py is the same program in Python; both print the same lines.
#include <aio/event_loop.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>

#include <chrono>
#include <cstdio>

using namespace std::chrono_literals;

namespace {

// book:schedule
aio::Coro<void> main_coro() {
  aio::EventLoop& loop = aio::get_running_loop();
  const aio::Duration start = loop.time();

  auto say = [&loop, start](const char* what) {
    std::printf("%s s  %s\n", aio::format_seconds(loop.time() - start).c_str(), what);
  };

  loop.call_later(1s, [say] { say("call_later(1.0)"); });
  loop.call_later(0s, [say] { say("call_later(0): a timer, so it queues behind call_soon"); });
  loop.call_at(start + 500ms, [say] { say("call_at(start + 0.5)"); });
  loop.call_soon([say] { say("call_soon, first"); });
  loop.call_soon([say] { say("call_soon, second"); });
  aio::Handle forgotten = loop.call_later(200ms, [say] { say("never printed: cancelled"); });
  forgotten.cancel();
  say("main: everything is scheduled, nothing has run yet");

  co_await aio::sleep(1500ms);
  say("main: back from sleep(1.5)");
}
// end book:schedule

}  // namespace

int main() { aio::run(main_coro()); }
