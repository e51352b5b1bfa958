// Lesson 10's narrated program: a request handler starts a database write; the client hangs up
// (the handler is cancelled) while the write is in progress. Without a shield the write is
// cancelled with the handler; with aio::shield it finishes, and its result is still there for
// whoever awaits it. Last, cancelling the write itself cancels the handler that waits through
// the shield. mirror.py is the same program in asyncio; both print the same lines.
#include <aio/errors.hpp>
#include <aio/run.hpp>
#include <aio/shield.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

std::string elapsed() { return aio::format_seconds(aio::get_running_loop().time()); }
const char* py(bool value) { return value ? "True" : "False"; }

using Writes = std::vector<aio::Task<std::string>>;

// book:save
aio::Coro<std::string> save(std::string order) {
  std::printf("%s db: writing %s\n", elapsed().c_str(), order.c_str());
  try {
    co_await aio::sleep(2s);
  } catch (const aio::CancelledError&) {
    std::printf("%s db: write of %s interrupted, rolled back\n", elapsed().c_str(), order.c_str());
    throw;
  }
  std::printf("%s db: %s committed\n", elapsed().c_str(), order.c_str());
  co_return order + " saved";
}
// end book:save

// book:handle
aio::Coro<void> handle(std::string order, bool protect, Writes* writes) {
  std::printf("%s request: %s received\n", elapsed().c_str(), order.c_str());
  co_await aio::sleep(500ms);  // validate it
  aio::Task<std::string> write = aio::create_task(save(order));
  writes->push_back(write);  // keep a handle: shutdown awaits every write
  std::string status;
  try {
    if (protect) {
      status = co_await aio::shield(write);
    } else {
      status = co_await write;
    }
  } catch (const aio::CancelledError&) {
    std::printf("%s request: cancelled, the client is gone\n", elapsed().c_str());
    throw;
  }
  std::printf("%s request: replying '%s'\n", elapsed().c_str(), status.c_str());
}
// end book:handle

aio::Coro<void> hang_up_after(aio::Duration time, std::string order, bool protect, Writes* writes) {
  aio::Task<void> request = aio::create_task(handle(order, protect, writes));
  co_await aio::sleep(time);
  std::printf("%s client: hangs up\n", elapsed().c_str());
  request.cancel();
  try {
    co_await request;
  } catch (const aio::CancelledError&) {
    std::printf("%s main: request cancelled() = %s, write done() = %s\n", elapsed().c_str(),
                py(request.cancelled()), py(writes->back().done()));
  }
}

// book:main
aio::Coro<void> amain() {
  Writes writes;

  std::printf("== without shield: the write is cancelled with the request\n");
  co_await hang_up_after(1500ms, "order-1", false, &writes);

  std::printf("== with shield: the request is cancelled, the write goes on\n");
  co_await hang_up_after(1500ms, "order-2", true, &writes);

  std::printf("== shutdown: wait for every write\n");
  for (aio::Task<std::string>& write : writes) {
    try {
      std::string status = co_await write;
      std::printf("%s main: %s\n", elapsed().c_str(), status.c_str());
    } catch (const aio::CancelledError&) {
      std::printf("%s main: a write was cancelled\n", elapsed().c_str());
    }
  }
  // end book:main

  std::printf("== cancelling the write itself cancels the request too\n");
  aio::Task<void> request = aio::create_task(handle("order-3", true, &writes));
  co_await aio::sleep(1s);
  writes.back().cancel();
  try {
    co_await request;
  } catch (const aio::CancelledError&) {
    std::printf("%s main: request cancelled() = %s\n", elapsed().c_str(), py(request.cancelled()));
  }
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
