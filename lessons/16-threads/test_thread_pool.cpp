// Tests for aio::ThreadPoolExecutor, the finished pool that the chapter reads: its workers,
// its queue, shutdown.
#include <aio/errors.hpp>
#include <aio/thread_pool.hpp>
#include <aio_test/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

/// Spins (real time) until `done()` is true, at most 3 s; true if it came.
template <class Done>
bool wait_until(Done done) {
  const auto limit = std::chrono::steady_clock::now() + 3s;
  while (!done() && std::chrono::steady_clock::now() < limit) std::this_thread::sleep_for(1ms);
  return done();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The workers' loop and shutdown

TEST_CASE("a pool runs every job it is given, in its own threads", "[l16][pool]") {
  std::atomic<int> ran{0};
  std::mutex mutex;
  std::set<std::thread::id> threads;
  {
    aio::ThreadPoolExecutor pool(4);
    for (int i = 0; i < 200; ++i) {
      pool.submit([&] {
        ran.fetch_add(1);
        std::lock_guard lock(mutex);
        threads.insert(std::this_thread::get_id());
      });
    }
    pool.shutdown(true);
    CHECK(ran == 200);
  }
  CHECK(threads.count(std::this_thread::get_id()) == 0);
  CHECK(threads.size() <= 4);
}

TEST_CASE("two blocking jobs run at the same time in a pool of two", "[l16][pool]") {
  aio::ThreadPoolExecutor pool(2);
  std::atomic<int> arrived{0};
  std::atomic<int> met{0};
  for (int i = 0; i < 2; ++i) {
    pool.submit([&] {
      arrived.fetch_add(1);
      if (wait_until([&] { return arrived.load() == 2; })) met.fetch_add(1);  // both inside at once
    });
  }
  pool.shutdown(true);
  CHECK(met == 2);
}

TEST_CASE("jobs given to a pool of one run in the order they came", "[l16][pool]") {
  std::vector<int> order;
  {
    aio::ThreadPoolExecutor pool(1);
    for (int i = 0; i < 50; ++i) pool.submit([&order, i] { order.push_back(i); });
  }  // the destructor waits for them
  REQUIRE(order.size() == 50);
  CHECK(std::is_sorted(order.begin(), order.end()));
}

// CPython: cpython/cancel_before_start.py
TEST_CASE("shutdown(wait) runs the jobs already queued, then refuses new ones", "[l16][pool]") {
  aio::ThreadPoolExecutor pool(1);
  std::atomic<int> ran{0};
  for (int i = 0; i < 5; ++i) {
    pool.submit([&ran] {
      std::this_thread::sleep_for(2ms);
      ran.fetch_add(1);
    });
  }
  pool.shutdown(true);
  CHECK(ran == 5);
  CHECK_THROWS_WITH(pool.submit([] {}), "cannot schedule new futures after shutdown");  // Python's words
}

TEST_CASE("shutdown without waiting returns while a job still runs", "[l16][pool]") {
  std::atomic<bool> release{false};
  std::atomic<int> ran{0};
  {
    aio::ThreadPoolExecutor pool(1);
    pool.submit([&] {
      (void)wait_until([&] { return release.load(); });
      ran.fetch_add(1);
    });
    pool.submit([&] { ran.fetch_add(1); });
    pool.shutdown(false);  // must not wait for the blocked job
    CHECK(ran == 0);
    release = true;
  }  // the destructor joins: the queued job still ran
  CHECK(ran == 2);
}

TEST_CASE("an idle pool sleeps and wakes for a job submitted later", "[l16][pool]") {
  aio::ThreadPoolExecutor pool(3);
  std::this_thread::sleep_for(20ms);  // every worker is asleep on the condition variable
  std::atomic<int> ran{0};
  pool.submit([&] { ran.fetch_add(1); });
  CHECK(wait_until([&] { return ran.load() == 1; }));
}

// CPython: cpython/default_workers.py
TEST_CASE("the default size is Python's min(32, cores + 4)", "[l16][pool]") {
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  CHECK(aio::ThreadPoolExecutor::default_workers() == std::min(32u, cores + 4));
  CHECK_THROWS_AS(aio::ThreadPoolExecutor(0), aio::ValueError);
}
