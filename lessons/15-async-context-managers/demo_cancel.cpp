// Lesson 15's cancellation program: a request handler holds a connection while it runs a slow
// report; the client hangs up and the handler is cancelled mid-query. The connection's teardown
// still runs, and a second cancellation that arrives while it disconnects does not cut it short.
// mirror_cancel.py is the same program in asyncio; both print the same lines.
#include <aio/async_with.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;

namespace {

std::string elapsed() { return aio::format_seconds(aio::get_running_loop().time()); }
const char* py(bool value) { return value ? "True" : "False"; }

/// The connection of demo.cpp, cut down: connecting takes 0.5 s, disconnecting 0.2 s.
class Connection {
public:
  explicit Connection(std::string name) : name_(std::move(name)) {}

  aio::Coro<Connection*> enter() {
    std::printf("%s connecting to %s...\n", elapsed().c_str(), name_.c_str());
    co_await aio::sleep(500ms);
    std::printf("%s connected to %s\n", elapsed().c_str(), name_.c_str());
    co_return this;
  }

  aio::Coro<void> exit(std::exception_ptr error) {
    std::printf("%s disconnecting from %s (the body %s)...\n", elapsed().c_str(), name_.c_str(),
                error ? "did not return" : "returned");
    co_await aio::sleep(200ms);
    std::printf("%s disconnected from %s\n", elapsed().c_str(), name_.c_str());
  }

private:
  std::string name_;
};

// book:handler
/// The body: a report that takes 5 s, unless the task is cancelled.
aio::Coro<void> slow_report(Connection*) {
  std::printf("%s report: started\n", elapsed().c_str());
  try {
    co_await aio::sleep(5s);
  } catch (const aio::CancelledError& error) {
    std::printf("%s report: interrupted (%s)\n", elapsed().c_str(), error.what());
    throw;
  }
  std::printf("%s report: done\n", elapsed().c_str());
}

aio::Coro<void> handle_request() {
  try {
    co_await aio::async_with(Connection("orders"), slow_report);
  } catch (const aio::CancelledError& error) {
    std::printf("%s handler: CancelledError(%s) left the scope\n", elapsed().c_str(), error.what());
    throw;
  }
}

/// Starts the handler, then cancels it at each of `cancels` (seconds from the start).
aio::Coro<void> hang_up(std::vector<aio::Duration> cancels) {
  const aio::Duration start = aio::get_running_loop().time();
  aio::Task<void> handler = aio::create_task(handle_request());
  for (aio::Duration when : cancels) {
    co_await aio::sleep(start + when - aio::get_running_loop().time());
    std::printf("%s main: cancel the handler\n", elapsed().c_str());
    handler.cancel("the client hung up");
  }
  try {
    co_await handler;
  } catch (const aio::CancelledError&) {
    std::printf("%s main: the handler ended cancelled: %s\n", elapsed().c_str(), py(handler.cancelled()));
  }
}
// end book:handler

aio::Coro<void> amain() {
  std::printf("== cancelled mid-query: the disconnect still runs\n");
  std::vector<aio::Duration> once{1s};
  co_await hang_up(once);
  std::printf("== cancelled again while it disconnects: the disconnect still finishes\n");
  std::vector<aio::Duration> twice{1s, 1100ms};
  co_await hang_up(twice);
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
