// Lesson 05 quiz, in C++: two tasks; main keeps the handle of one and drops the other's at once.
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>

#include <chrono>
#include <cstdio>
#include <string>

using namespace std::chrono_literals;

namespace quiz_05_q4_dropped_handle {

aio::Coro<void> child(std::string name) {
  std::printf("%s runs\n", name.c_str());
  co_await aio::sleep(1s);
  std::printf("%s ends\n", name.c_str());
}

aio::Coro<void> main_coro() {
  aio::Task<void> kept = aio::create_task(child("kept"));
  {
    aio::Task<void> dropped = aio::create_task(child("dropped"));
  }  // the only handle of "dropped" is gone here
  std::printf("main goes on\n");
  co_await kept;
  std::printf("main: kept is done\n");
  co_await aio::sleep(1s);
  std::printf("main ends\n");
}

}  // namespace quiz_05_q4_dropped_handle
