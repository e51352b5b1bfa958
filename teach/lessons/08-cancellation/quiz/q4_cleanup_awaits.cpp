// Lesson 08 quiz, in C++: a task that cleans up with an await after it is cancelled.
#include <aio/cancellation.hpp>
#include <aio/errors.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>

using namespace std::chrono_literals;

namespace quiz_08_q4_cleanup_awaits {

aio::Duration start{};
std::string now() { return aio::format_seconds(aio::get_running_loop().time() - start); }

aio::Coro<void> worker() {
  std::exception_ptr cancelled;
  try {
    co_await aio::sleep(10s);
  } catch (const aio::CancelledError&) {
    cancelled = std::current_exception();  // no co_await inside a handler
  }
  if (cancelled) {
    std::printf("%s worker: saving\n", now().c_str());
    co_await aio::sleep(2s);
    std::printf("%s worker: saved\n", now().c_str());
    std::rethrow_exception(cancelled);
  }
}

aio::Coro<void> main_coro() {
  start = aio::get_running_loop().time();
  aio::Task<void> task = aio::create_task(worker());
  co_await aio::sleep(1s);
  std::printf("%s main: cancel() returns %s\n", now().c_str(), task.cancel() ? "True" : "False");
  try {
    co_await task;
  } catch (const aio::CancelledError&) {
    std::printf("%s main: the task is cancelled: %s\n", now().c_str(), task.cancelled() ? "True" : "False");
  }
}

}  // namespace quiz_08_q4_cleanup_awaits
