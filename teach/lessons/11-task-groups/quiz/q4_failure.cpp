// Lesson 11 quiz, in C++: a task group whose second child fails.
#include <aio/errors.hpp>
#include <aio/exception_group.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task_group.hpp>

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>

using namespace std::chrono_literals;

namespace quiz_11_q4_failure {

aio::Duration start{};
std::string now() { return aio::format_seconds(aio::get_running_loop().time() - start); }

aio::Coro<void> job(std::string name, aio::Duration delay, bool fail) {
  try {
    co_await aio::sleep(delay);
  } catch (const aio::CancelledError&) {
    std::printf("%s %s: cancelled\n", now().c_str(), name.c_str());
    throw;
  }
  if (fail) throw std::runtime_error(name + " failed");
  std::printf("%s %s: done\n", now().c_str(), name.c_str());
}

aio::Coro<void> body(aio::TaskGroup group) {
  group.create_task(job("a", 1s, false));
  group.create_task(job("b", 2s, true));
  group.create_task(job("c", 3s, false));
  co_return;
}

aio::Coro<void> main_coro() {
  start = aio::get_running_loop().time();
  try {
    co_await aio::task_group(body);
    std::printf("%s the group ended normally\n", now().c_str());
  } catch (const aio::ExceptionGroup& errors) {
    std::printf("%s caught: %s\n", now().c_str(), errors.what());
  }
}

}  // namespace quiz_11_q4_failure
