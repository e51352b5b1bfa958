// Stress test for aio::Queue (lesson 13): random producers and consumers on a small queue, random
// pauses, random cancellations, newcomers that try put_nowait/get_nowait in between, and
// sometimes a shutdown. Whatever happens, on the virtual clock:
//   - no item is got twice, and none is lost: the items got, plus what is left in the queue at
//     the end, are exactly the items whose put returned, less those that a shutdown(immediate)
//     dropped;
//   - a put that was cancelled (or refused) never inserted its item;
//   - the items of one producer come out in the order it put them (the queue is first in, first
//     out, whoever takes them);
//   - once every task has finished, no hold is left: every item still in the queue is free, so
//     get_nowait() drains exactly qsize() items.
// Each seed is one run; a failure names the seed that reproduces it.
#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/gather.hpp>
#include <aio/not_implemented.hpp>
#include <aio/queue.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/stress.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;
using aio_test::stress::Random;

namespace {

struct World {
  aio::Queue<int>* queue;
  Random* random;
  std::set<int> put_ok;                 // puts that returned
  std::set<int> put_failed;             // puts that were cancelled or refused
  std::vector<int> got;                 // every item got, in the order it was got
  std::size_t dropped = 0;              // items a shutdown(immediate) dropped
  std::vector<std::string> problems;
};

aio::Duration pause(Random& random) {
  return random.percent(30) ? aio::Duration{0} : std::chrono::milliseconds(random.below(4));
}

aio::Coro<void> producer(World* world, int number, int count) {
  for (int i = 0; i < count; ++i) {
    const int item = number * 1000 + i;
    try {
      co_await world->queue->put(item);
    } catch (...) {
      world->put_failed.insert(item);  // cancelled (rethrown below) or shut down
      throw;
    }
    world->put_ok.insert(item);
    co_await aio::sleep(pause(*world->random));
  }
}

aio::Coro<void> consumer(World* world) {
  while (true) {
    int item = co_await world->queue->get();
    world->got.push_back(item);
    co_await aio::sleep(pause(*world->random));
  }
}

/// Runs in between the others: tries the non-waiting calls, and cancels a task now and then.
aio::Coro<void> meddler(World* world, std::vector<aio::Task<void>>* victims) {
  Random& random = *world->random;
  for (int round = 0; round < 40; ++round) {
    co_await aio::sleep(pause(random));
    if (random.percent(20)) {
      try {
        int item = world->queue->get_nowait();
        world->got.push_back(item);
      } catch (const aio::QueueEmpty&) {
      } catch (const aio::QueueShutDown&) {
      }
    }
    if (random.percent(10) && !victims->empty()) {
      (*victims)[static_cast<std::size_t>(random.below(static_cast<int>(victims->size())))].cancel();
    }
  }
}

aio::Coro<void> one_run(World* world) {
  Random& random = *world->random;
  std::vector<aio::Task<void>> producers;
  std::vector<aio::Task<void>> consumers;
  const int producer_count = 1 + random.below(3);
  for (int p = 1; p <= producer_count; ++p) producers.push_back(aio::create_task(producer(world, p, 5 + random.below(20))));
  const int consumer_count = 1 + random.below(3);
  for (int c = 0; c < consumer_count; ++c) consumers.push_back(aio::create_task(consumer(world)));
  std::vector<aio::Task<void>> victims = producers;
  victims.insert(victims.end(), consumers.begin(), consumers.end());
  aio::Task<void> chaos = aio::create_task(meddler(world, &victims));
  if (random.percent(20)) {
    co_await aio::sleep(std::chrono::milliseconds(random.below(30)));
    const bool immediate = random.percent(50);
    if (immediate) world->dropped += world->queue->qsize();
    world->queue->shutdown(immediate);
  }
  co_await chaos;
  co_await aio::sleep(50ms);  // the consumers left take what they can
  // The meddler may have cancelled every consumer: a shutdown ends the producers still waiting
  // for room, with QueueShutDown.
  world->queue->shutdown();
  auto produced = co_await aio::gather(aio::return_exceptions, producers);
  for (aio::Task<void>& task : consumers) task.cancel();
  auto consumed = co_await aio::gather(aio::return_exceptions, consumers);
}

void check(World& world, std::uint64_t seed) {
  auto problem = [&](const std::string& what) { world.problems.push_back("seed " + std::to_string(seed) + ": " + what); };
  // Everything has finished: no hold is left, so every item in the queue is free.
  std::vector<int> everything = world.got;
  const std::size_t left = world.queue->qsize();
  for (std::size_t i = 0; i < left; ++i) {
    try {
      everything.push_back(world.queue->get_nowait());
    } catch (const std::exception& error) {
      problem(std::string("an item left in the queue is not free: ") + error.what());
      break;
    }
  }
  std::set<int> seen;
  std::map<int, int> last_of_producer;
  for (int item : everything) {
    if (!seen.insert(item).second) problem("item " + std::to_string(item) + " came out twice");
    if (world.put_failed.count(item) != 0) problem("item " + std::to_string(item) + " came out, but its put failed");
    int& last = last_of_producer.try_emplace(item / 1000, -1).first->second;
    if (item % 1000 <= last) problem("item " + std::to_string(item) + " came out after a later item of its producer");
    last = item % 1000;
  }
  std::size_t missing = 0;
  for (int item : world.put_ok) missing += seen.count(item) == 0 ? 1 : 0;
  for (int item : seen) {
    if (world.put_ok.count(item) == 0) problem("item " + std::to_string(item) + " came out, but was never put");
  }
  if (missing != world.dropped) {
    problem(std::to_string(missing) + " items put never came out, but shutdown(immediate) dropped " +
            std::to_string(world.dropped));
  }
}

}  // namespace

TEST_CASE("random producers, consumers and cancels lose and double nothing", "[l13][stress]") {
  std::size_t got = 0, failed_puts = 0, dropped = 0;
  for (std::uint64_t seed = 1; seed <= 400; ++seed) {
    Random random(seed);
    aio::Queue<int> queue(random.below(4));  // 0 (no limit) to 3
    World world{&queue, &random, {}, {}, {}, 0, {}};
    try {
      aio::run(one_run(&world), {.virtual_clock = true});
    } catch (const aio::NotImplemented& error) {
      FAIL("the stress test runs every exercise of the lesson, and one is not written yet:\n" << error.what());
    }
    check(world, seed);
    for (const std::string& problem : world.problems) FAIL_CHECK(problem);
    if (!world.problems.empty()) break;
    got += world.got.size();
    failed_puts += world.put_failed.size();
    dropped += world.dropped;
  }
  // The runs did what they are for: many items, and puts that failed, and shutdowns that dropped.
  CHECK(got > 5'000);
  CHECK(failed_puts > 100);
  CHECK(dropped > 10);
}
