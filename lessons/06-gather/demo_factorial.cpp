// Lesson 06, demo 2: three factorials computed side by side. Each one sleeps a second between
// its steps, so their lines interleave, and gather hands back the three results in argument
// order. mirror_factorial.py is the same program in Python; both print the same lines.
#include <aio/gather.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>

using namespace std::chrono_literals;

namespace {

std::string now() { return aio::format_seconds(aio::get_running_loop().time()); }

// book:factorial
aio::Coro<long> factorial(std::string name, int n) {
  long product = 1;
  for (int i = 2; i <= n; ++i) {
    std::printf("%s %s: %d! so far %ld, now times %d\n", now().c_str(), name.c_str(), n, product, i);
    co_await aio::sleep(1s);
    product *= i;
  }
  std::printf("%s %s: %d! = %ld\n", now().c_str(), name.c_str(), n, product);
  co_return product;
}
// end book:factorial

aio::Coro<void> main_coro() {
  // book:gather
  auto [x, y, z] = co_await aio::gather(factorial("A", 2), factorial("B", 3), factorial("C", 4));
  std::printf("%s gathered [%ld, %ld, %ld]\n", now().c_str(), x, y, z);
  // end book:gather
}

}  // namespace

int main() {
  try {
    aio::run(main_coro());
  } catch (const std::exception& error) {  // an exercise not written yet, for instance
    std::fprintf(stderr, "%s\n", error.what());
    return 1;
  }
}
