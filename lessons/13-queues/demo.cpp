// Lesson 13's narrated program: a producer and a consumer through a small queue, ending on a
// sentinel; then three workers sharing twenty messages, the end signal passed on from one worker
// to the next. mirror.py is the same program in asyncio; both print the same lines.
#include <aio/coro.hpp>
#include <aio/gather.hpp>
#include <aio/queue.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

aio::Duration start{};

std::string elapsed() { return aio::format_seconds(aio::get_running_loop().time() - start); }

// book:producer-consumer
/// An item, or the sentinel std::nullopt: "no more items" (Python's None).
using Item = std::optional<std::string>;

aio::Coro<void> producer(aio::Queue<Item>* queue, int count) {
  for (int number = 1; number <= count; ++number) {
    co_await aio::sleep(200ms);  // making the item takes a while
    std::string item = "item " + std::to_string(number);
    co_await queue->put(item);  // waits while the queue is full
    std::printf("%s producer: put %s (qsize %zu)\n", elapsed().c_str(), item.c_str(), queue->qsize());
  }
  co_await queue->put(std::nullopt);
  std::printf("%s producer: put the sentinel\n", elapsed().c_str());
}

aio::Coro<void> consumer(aio::Queue<Item>* queue) {
  while (true) {
    Item item = co_await queue->get();  // waits while the queue is empty
    if (!item) {
      std::printf("%s consumer: got the sentinel, stopping\n", elapsed().c_str());
      co_return;
    }
    std::printf("%s consumer: got %s\n", elapsed().c_str(), item->c_str());
    co_await aio::sleep(500ms);  // using it takes longer than making it
  }
}
// end book:producer-consumer

// book:workers
aio::Coro<void> worker(std::string name, aio::Duration seconds, aio::Queue<std::optional<int>>* queue,
                       std::vector<int>* handled) {
  while (true) {
    std::optional<int> message = co_await queue->get();
    if (!message) {
      co_await queue->put(std::nullopt);  // pass the end signal on to the next worker
      std::printf("%s %s: end signal, passed it on\n", elapsed().c_str(), name.c_str());
      co_return;
    }
    co_await aio::sleep(seconds);
    handled->push_back(*message);
    std::printf("%s %s: handled message %d\n", elapsed().c_str(), name.c_str(), *message);
  }
}

aio::Coro<void> share_messages() {
  aio::Queue<std::optional<int>> queue;
  for (int message = 1; message <= 20; ++message) queue.put_nowait(message);
  queue.put_nowait(std::nullopt);
  std::vector<int> handled[3];
  co_await aio::gather(worker("w1", 700ms, &queue, &handled[0]), worker("w2", 800ms, &queue, &handled[1]),
                       worker("w3", 900ms, &queue, &handled[2]));
  for (int w = 0; w < 3; ++w) {
    std::string list;
    for (int message : handled[w]) list += (list.empty() ? "" : " ") + std::to_string(message);
    std::printf("%s w%d handled %zu: %s\n", elapsed().c_str(), w + 1, handled[w].size(), list.c_str());
  }
}
// end book:workers

aio::Coro<void> main_coro() {
  start = aio::get_running_loop().time();
  std::printf("== a producer and a consumer, through a queue of 2, ending on a sentinel\n");
  aio::Queue<Item> queue(2);
  co_await aio::gather(producer(&queue, 6), consumer(&queue));
  std::printf("== three workers share twenty messages\n");
  start = aio::get_running_loop().time();
  co_await share_messages();
}

}  // namespace

int main() {
  aio::run(main_coro());
  return 0;
}
