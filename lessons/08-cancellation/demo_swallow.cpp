// What goes wrong when a coroutine swallows CancelledError, and the two right ways: let it go
// on, or, when ignoring it is really meant, say so with uncancel().
// mirror_swallow.py is the same program in asyncio; both print the same lines.
#include <aio/cancellation.hpp>
#include <aio/errors.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>

using namespace std::chrono_literals;

namespace {

std::string elapsed() { return aio::format_seconds(aio::get_running_loop().time()); }
const char* py(bool value) { return value ? "True" : "False"; }

// book:swallow
aio::Coro<std::string> stubborn() {
  for (int attempt = 1; attempt <= 3; ++attempt) {
    try {
      co_await aio::sleep(1s);
      std::printf("%s stubborn: attempt %d done\n", elapsed().c_str(), attempt);
    } catch (...) {  // the bug: catches CancelledError as well, and goes on
      std::printf("%s stubborn: attempt %d failed, trying again\n", elapsed().c_str(), attempt);
    }
  }
  co_return "3 attempts";
}
// end book:swallow

aio::Coro<std::string> polite() {
  for (int attempt = 1; attempt <= 3; ++attempt) {
    try {
      co_await aio::sleep(1s);
      std::printf("%s polite: attempt %d done\n", elapsed().c_str(), attempt);
    } catch (const aio::CancelledError&) {
      std::printf("%s polite: cancelled during attempt %d\n", elapsed().c_str(), attempt);
      throw;
    } catch (const std::exception&) {
      std::printf("%s polite: attempt %d failed, trying again\n", elapsed().c_str(), attempt);
    }
  }
  co_return "3 attempts";
}

// book:deliberate
aio::Coro<std::string> deliberate() {
  for (int attempt = 1; attempt <= 3; ++attempt) {
    try {
      co_await aio::sleep(1s);
      std::printf("%s deliberate: attempt %d done\n", elapsed().c_str(), attempt);
    } catch (const aio::CancelledError&) {
      // Ignoring a cancellation on purpose: withdraw the request, so that cancelling()
      // (which timeouts and task groups rely on) tells the truth.
      int left = aio::current_task()->uncancel();
      std::printf("%s deliberate: ignoring a cancellation, cancelling() = %d\n", elapsed().c_str(), left);
    }
  }
  co_return "3 attempts";
}
// end book:deliberate

aio::Coro<void> cancel_after_1_5_s(aio::Coro<std::string> coro) {
  auto task = aio::create_task(std::move(coro));
  co_await aio::sleep(1500ms);
  std::printf("%s main: cancel() returns %s\n", elapsed().c_str(), py(task.cancel()));
  try {
    std::string result = co_await task;
    std::printf("%s main: the task returned %s\n", elapsed().c_str(), result.c_str());
  } catch (const aio::CancelledError&) {
    std::printf("%s main: the task raised CancelledError\n", elapsed().c_str());
  }
  std::printf("%s main: cancelled() = %s, cancelling() = %d\n", elapsed().c_str(), py(task.cancelled()),
              task.cancelling());
}

aio::Coro<void> amain() {
  std::printf("== a coroutine that swallows CancelledError\n");
  co_await cancel_after_1_5_s(stubborn());
  std::printf("== one that lets it through\n");
  co_await cancel_after_1_5_s(polite());
  std::printf("== one that ignores it on purpose, and says so\n");
  co_await cancel_after_1_5_s(deliberate());
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
