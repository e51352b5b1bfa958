// Lesson 09's second program: nested timeouts (a budget for the whole request, a shorter limit
// per attempt), a deadline that moves (reschedule), and a body that swallows the cancellation.
// mirror_nested.py is the same program in asyncio; both print the same lines.
#include <aio/errors.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio/timeout.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

std::string elapsed() { return aio::format_seconds(aio::get_running_loop().time()); }

aio::Coro<std::string> attempt(int number, aio::Duration time) {
  std::printf("%s attempt %d: sent, the reply takes %s s\n", elapsed().c_str(), number,
              aio::format_seconds(time).c_str());
  try {
    co_await aio::sleep(time);
  } catch (const aio::CancelledError&) {
    std::printf("%s attempt %d: cancelled\n", elapsed().c_str(), number);
    throw;
  }
  co_return "reply to attempt " + std::to_string(number);
}

// book:nested
/// Tries each attempt for 2 s at most, until one replies.
aio::Coro<std::string> request(std::vector<aio::Duration> durations) {
  int number = 0;
  for (aio::Duration time : durations) {
    ++number;
    try {
      std::string reply = co_await aio::timeout(2s).run(attempt(number, time));
      co_return reply;
    } catch (const aio::TimeoutError&) {
      std::printf("%s attempt %d: no reply within 2 s\n", elapsed().c_str(), number);
    }
  }
  co_return "no reply at all";
}

/// The whole request may take 5 s, retries included.
aio::Coro<void> request_with_budget(std::vector<aio::Duration> durations) {
  try {
    std::string reply = co_await aio::timeout(5s).run(request(durations));
    std::printf("%s request: %s\n", elapsed().c_str(), reply.c_str());
  } catch (const aio::TimeoutError&) {
    std::printf("%s request: gave up, the 5 s budget is spent\n", elapsed().c_str());
  }
}
// end book:nested

// book:keep-alive
/// Each chunk that arrives buys 2 more seconds. `scope` is a reference, the one exception to
/// "coroutine parameters by value": it lives in the frame of the coroutine that awaits this one
/// (download_while_data_flows), and that frame outlives this coroutine.
aio::Coro<void> download(aio::Timeout& scope, std::vector<aio::Duration> gaps) {
  aio::EventLoop& loop = aio::get_running_loop();
  int number = 0;
  for (aio::Duration gap : gaps) {
    ++number;
    co_await aio::sleep(gap);
    scope.reschedule(loop.time() + 2s);
    std::printf("%s chunk %d arrived, the deadline moves to %s\n", elapsed().c_str(), number,
                aio::format_seconds(*scope.when()).c_str());
  }
  std::printf("%s download complete\n", elapsed().c_str());
}

aio::Coro<void> download_while_data_flows(std::vector<aio::Duration> gaps) {
  aio::Timeout scope = aio::timeout(2s);
  try {
    co_await scope.run(download(scope, gaps));
  } catch (const aio::TimeoutError&) {
    std::printf("%s stalled for 2 s: TimeoutError\n", elapsed().c_str());
  }
  std::printf("%s expired() = %s\n", elapsed().c_str(), scope.expired() ? "True" : "False");
}
// end book:keep-alive

// book:swallow
aio::Coro<std::string> stubborn() {
  try {
    co_await aio::sleep(10s);
  } catch (const aio::CancelledError&) {  // the bug: the cancellation stops here
    std::printf("%s stubborn: cancelled, but carries on\n", elapsed().c_str());
  }
  co_await aio::sleep(1s);
  co_return "finished anyway";
}
// end book:swallow

aio::Coro<void> amain() {
  std::printf("== nested: 2 s per attempt, 5 s for the whole request\n");
  // (GCC 12: no braced lists inside a co_await expression; name them first.)
  const std::vector<aio::Duration> slow = {3s, 3s, 3s};
  const std::vector<aio::Duration> second_is_quick = {3s, 1500ms};
  co_await request_with_budget(slow);
  co_await request_with_budget(second_is_quick);

  std::printf("== reschedule: at most 2 s without data\n");
  const std::vector<aio::Duration> steady = {1500ms, 1500ms, 1s};
  const std::vector<aio::Duration> stalls = {1500ms, 2500ms};
  co_await download_while_data_flows(steady);
  co_await download_while_data_flows(stalls);

  std::printf("== a body that swallows the cancellation\n");
  aio::Timeout scope = aio::timeout(1s);
  std::string result = co_await scope.run(stubborn());
  std::printf("%s no TimeoutError: %s, expired() = %s\n", elapsed().c_str(), result.c_str(),
              scope.expired() ? "True" : "False");
}

}  // namespace

int main() {
  try {
    aio::run(amain());
  } catch (const std::exception& error) {  // an unfinished exercise, on the exercises track
    std::fprintf(stderr, "%s\n", error.what());
    return 1;
  }
}
