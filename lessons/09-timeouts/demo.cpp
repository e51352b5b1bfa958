// Lesson 09's narrated program: three fetches that need 1, 10 and 2 s, each allowed 3 s at most;
// first with aio::wait_for, then with an aio::timeout scope. The slow one is cancelled at 3 s,
// and its TimeoutError only comes once its connection is closed.
// mirror.py is the same program in asyncio; both print the same lines.
#include <aio/errors.hpp>
#include <aio/gather.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio/timeout.hpp>
#include <aio/wait_for.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>

using namespace std::chrono_literals;

namespace {

std::string elapsed() { return aio::format_seconds(aio::get_running_loop().time()); }

// book:fetch
aio::Coro<std::string> fetch(std::string name, int seconds) {
  std::printf("%s %s: fetching, needs %d s\n", elapsed().c_str(), name.c_str(), seconds);
  std::exception_ptr cancelled;
  try {
    co_await aio::sleep(std::chrono::seconds(seconds));
  } catch (const aio::CancelledError&) {
    cancelled = std::current_exception();  // no co_await in a handler: remember, leave, await
  }
  if (cancelled) {
    std::printf("%s %s: cancelled, closing the connection\n", elapsed().c_str(), name.c_str());
    co_await aio::sleep(500ms);
    std::printf("%s %s: connection closed\n", elapsed().c_str(), name.c_str());
    std::rethrow_exception(cancelled);
  }
  std::printf("%s %s: done\n", elapsed().c_str(), name.c_str());
  co_return "<" + name + " page>";
}
// end book:fetch

// book:with-wait-for
aio::Coro<void> fetch_with_wait_for(std::string name, int seconds) {
  try {
    std::string page = co_await aio::wait_for(fetch(name, seconds), 3s);
    std::printf("%s main: %s gave %s\n", elapsed().c_str(), name.c_str(), page.c_str());
  } catch (const aio::TimeoutError&) {
    std::printf("%s main: %s timed out\n", elapsed().c_str(), name.c_str());
  }
}
// end book:with-wait-for

// book:with-timeout
aio::Coro<void> fetch_with_timeout(std::string name, int seconds) {
  try {
    std::string page = co_await aio::timeout(3s).run(fetch(name, seconds));
    std::printf("%s main: %s gave %s\n", elapsed().c_str(), name.c_str(), page.c_str());
  } catch (const aio::TimeoutError&) {
    std::printf("%s main: %s timed out\n", elapsed().c_str(), name.c_str());
  }
}
// end book:with-timeout

aio::Coro<void> amain() {
  std::printf("== wait_for: three fetches, 3 s each at most\n");
  auto first = co_await aio::gather(fetch_with_wait_for("a", 1), fetch_with_wait_for("b", 10),
                                    fetch_with_wait_for("c", 2));
  std::printf("%s main: all three settled\n", elapsed().c_str());

  std::printf("== timeout: the same, with a scope around each fetch\n");
  auto second = co_await aio::gather(fetch_with_timeout("a", 1), fetch_with_timeout("b", 10),
                                     fetch_with_timeout("c", 2));
  std::printf("%s main: all three settled\n", elapsed().c_str());
  (void)first;
  (void)second;
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
