// Lesson 14, demo 3: the async iterator protocol by hand and by generator, an async generator
// expression, batches, and the two-way generator (asend and athrow). mirror_protocol.py is the
// same program in Python; both print the same lines.
#include <aio/async_generator.hpp>
#include <aio/async_iterator.hpp>
#include <aio/pipeline.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

std::string now() { return aio::format_seconds(aio::get_running_loop().time()); }

// book:count-up-generator
/// What aio::CountUp does by hand: 1, 2, ..., count, one every `interval`.
aio::AsyncGenerator<int> count_up(int count, aio::Duration interval) {
  for (int i = 1; i <= count; ++i) {
    co_await aio::sleep(interval);
    co_yield i;
  }
}
// end book:count-up-generator

template <class Source>
aio::Coro<void> show(std::string name, Source source) {
  while (auto item = co_await source.next()) std::printf("  %s %s: %d\n", now().c_str(), name.c_str(), *item);
}

std::string listed(const std::vector<int>& values) {
  std::string text = "[";
  for (std::size_t i = 0; i < values.size(); ++i) text += (i ? ", " : "") + std::to_string(values[i]);
  return text + "]";
}

// book:echo
/// Yields "echo <what it received>"; an invalid_argument thrown in is answered, not fatal.
aio::AsyncGenerator<std::string, std::string> echo() {
  std::optional<std::string> received;
  for (;;) {
    try {
      received = co_yield "echo " + received.value_or("None");
    } catch (const std::invalid_argument& error) {
      received = std::string("error '") + error.what() + "' handled";
    }
  }
}
// end book:echo

aio::Coro<void> main_coro() {
  std::printf("1. by hand and by generator\n");
  co_await show("class", aio::CountUp(3, 500ms));
  co_await show("generator", count_up(3, 500ms));

  std::printf("2. (x * 2 async for x in count_up(3))\n");
  // book:expression
  co_await show("doubled", aio::map(count_up(3, 100ms), [](int x) { return x * 2; }));
  // end book:expression

  std::printf("3. batches of 3\n");
  // book:batches
  auto lists = aio::batch(count_up(7, 100ms), 3);
  while (auto list = co_await lists.next()) std::printf("  %s %s\n", now().c_str(), listed(*list).c_str());
  // end book:batches

  std::printf("4. asend and athrow\n");
  // book:two-way
  auto talk = echo();
  auto first = co_await talk.next();
  std::printf("  %s\n", first->c_str());
  auto second = co_await talk.asend("hello");
  std::printf("  %s\n", second->c_str());
  auto third = co_await talk.athrow(std::invalid_argument("bad input"));
  std::printf("  %s\n", third->c_str());
  co_await talk.aclose();
  // end book:two-way
  std::printf("  closed\n");
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
