// Lesson 06 quiz, in C++: gather two coroutines that return different types.
#include <aio/gather.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>

#include <chrono>
#include <cstdio>
#include <string>

using namespace std::chrono_literals;

namespace quiz_06_q4_two_types {

aio::Coro<int> count(int up_to) {
  int total = 0;
  for (int i = 1; i <= up_to; ++i) {
    co_await aio::sleep(100ms);
    total += i;
    std::printf("count: added %d\n", i);
  }
  co_return total;
}

aio::Coro<std::string> name() {
  co_await aio::sleep(150ms);
  std::printf("name: ready\n");
  co_return "aio";
}

aio::Coro<void> main_coro() {
  auto [total, text] = co_await aio::gather(count(3), name());
  std::printf("gathered %d and %s\n", total, text.c_str());
}

}  // namespace quiz_06_q4_two_types
