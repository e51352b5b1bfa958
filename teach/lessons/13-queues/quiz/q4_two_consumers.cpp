// Lesson 13 quiz, in C++: one producer, two consumers, a queue of two.
#include <aio/gather.hpp>
#include <aio/queue.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>

#include <chrono>
#include <cstdio>
#include <string>

using namespace std::chrono_literals;

namespace quiz_13_q4_two_consumers {

aio::Coro<void> producer(aio::Queue<int>* queue) {
  for (int item = 1; item <= 4; ++item) {
    co_await queue->put(item);
    std::printf("put %d (size %d)\n", item, static_cast<int>(queue->qsize()));
  }
  co_await queue->put(0);  // one stop sign per consumer
  co_await queue->put(0);
}

aio::Coro<void> consumer(aio::Queue<int>* queue, std::string name) {
  for (;;) {
    const int item = co_await queue->get();
    if (item == 0) co_return;
    std::printf("%s got %d\n", name.c_str(), item);
    co_await aio::sleep(1s);
  }
}

aio::Coro<void> main_coro() {
  aio::Queue<int> queue(2);  // outlives the three coroutines: main awaits them all
  co_await aio::gather(producer(&queue), consumer(&queue, "x"), consumer(&queue, "y"));
  std::printf("all done\n");
}

}  // namespace quiz_13_q4_two_consumers
