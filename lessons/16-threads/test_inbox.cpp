// Tests for aio::Inbox and call_soon_threadsafe (exercise l16.ex1), and the virtual clock's
// rule for work outside the loop.
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/future.hpp>
#include <aio/inbox.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio/wait_for.hpp>
#include <aio_test/catch.hpp>

#include "threads_test_support.hpp"

#include <poll.h>

#include <array>
#include <atomic>
#include <exception>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using l16_test::Thread;

namespace {

/// True if the inbox's bell is ringing now (its eventfd is readable).
bool bell_rings(const aio::Inbox& inbox) {
  pollfd bell{inbox.fd(), POLLIN, 0};
  return ::poll(&bell, 1, 0) == 1;
}

/// Runs `loop` until `done()` is true, at most `limit` iterations (so that a lost wake-up makes
/// the test fail instead of hang).
template <class Done>
void run_loop_until(aio::EventLoop& loop, Done done, int limit = 1000) {
  for (int i = 0; i < limit && !done(); ++i) loop.run_once();
}

template <class T>
aio::Coro<T> awaited(aio::Future<T> future) {
  co_return co_await future;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// l16.ex1: post and drain

TEST_CASE("a callback posted from another thread runs on the loop's thread", "[l16][ex1]") {
  auto main = []() -> aio::Coro<std::string> {
    aio::EventLoop& loop = aio::get_running_loop();
    aio::Inbox& inbox = aio::inbox_of(loop);
    aio::Future<std::thread::id> ran_on(loop);
    aio::OutsideWork work(inbox);  // the loop waits for the thread instead of reporting a deadlock
    // A future belongs to its loop's thread: the worker holds a pointer to it, never a copy.
    aio::Future<std::thread::id>* slot = &ran_on;
    Thread poster([&loop, slot, work = std::move(work)] {
      aio::call_soon_threadsafe(loop, [slot] { slot->set_result(std::this_thread::get_id()); });
    });
    const std::thread::id id = co_await ran_on;
    poster.join();
    co_return id == std::this_thread::get_id() ? "loop's thread" : "another thread";
  };
  CHECK(aio::run(main(), {.virtual_clock = true}) == "loop's thread");
}

TEST_CASE("a batch of posts rings the bell once and runs in posting order", "[l16][ex1]") {
  aio::EventLoop loop(aio::Clock::virtual_time());
  aio::Inbox& inbox = aio::inbox_of(loop);
  std::vector<int> ran;
  Thread poster([&inbox, &ran] {
    for (int i = 0; i < 1000; ++i) inbox.post([&ran, i] { ran.push_back(i); });
  });
  poster.join();
  CHECK(inbox.bells() == 1);  // the first post rang; the other 999 found the inbox non-empty
  CHECK(bell_rings(inbox));
  CHECK(inbox.has_pending());
  run_loop_until(loop, [&] { return ran.size() == 1000; });
  REQUIRE(ran.size() == 1000);
  for (int i = 0; i < 1000; ++i) REQUIRE(ran[static_cast<std::size_t>(i)] == i);
  CHECK(inbox.bells() == 1);
}

TEST_CASE("drain silences the bell and the next post rings it again", "[l16][ex1]") {
  aio::EventLoop loop(aio::Clock::virtual_time());
  aio::Inbox& inbox = aio::inbox_of(loop);
  int ran = 0;
  inbox.post([&ran] { ++ran; });
  REQUIRE(bell_rings(inbox));
  inbox.drain();
  CHECK_FALSE(bell_rings(inbox));  // a bell left ringing would spin the loop
  CHECK(ran == 0);                 // drained callbacks wait their turn in the ready queue
  loop.run_once();
  CHECK(ran == 1);
  CHECK_FALSE(inbox.has_pending());
  inbox.post([&ran] { ++ran; });
  CHECK(inbox.bells() == 2);
  CHECK(bell_rings(inbox));
  run_loop_until(loop, [&] { return ran == 2; });
  CHECK(ran == 2);
}

TEST_CASE("posted callbacks run after what was ready before the drain", "[l16][ex1]") {
  aio::EventLoop loop(aio::Clock::virtual_time());
  aio::Inbox& inbox = aio::inbox_of(loop);
  std::vector<std::string> log;
  inbox.post([&log] { log.push_back("posted 1"); });
  loop.call_soon([&log] { log.push_back("soon"); });
  inbox.post([&log] { log.push_back("posted 2"); });
  run_loop_until(loop, [&] { return log.size() == 3; });
  REQUIRE(log.size() == 3);
  CHECK(log[0] == "soon");
  CHECK(log[1] == "posted 1");
  CHECK(log[2] == "posted 2");
}

// The virtual clock jumps to the next timer when nothing is ready; while a job runs in another
// thread it waits for the job in real time instead.
TEST_CASE("wait_for a 50 ms job in a thread with a 1 s limit succeeds on the virtual clock",
          "[l16][ex1]") {
  auto main = []() -> aio::Coro<std::string> {
    aio::EventLoop& loop = aio::get_running_loop();
    aio::Inbox& inbox = aio::inbox_of(loop);
    aio::Future<int> result(loop);
    aio::Future<int>* slot = &result;
    Thread job([&loop, slot, work = aio::OutsideWork(inbox)] {
      std::this_thread::sleep_for(50ms);
      aio::call_soon_threadsafe(loop, [slot] { slot->set_result(42); });
    });
    const auto started = std::chrono::steady_clock::now();
    const int value = co_await aio::wait_for(awaited(result), 1s);
    const auto waited = std::chrono::steady_clock::now() - started;
    job.join();
    co_return std::to_string(value) + " at " + aio::format_seconds(loop.time(), 3) +
        (waited >= 40ms ? ", after waiting for the job" : ", too early");
  };
  CHECK(aio::run(main(), {.virtual_clock = true}) == "42 at 0.000, after waiting for the job");
}

TEST_CASE("with no work outside, the virtual clock still jumps to its timers", "[l16][ex1]") {
  auto main = []() -> aio::Coro<std::string> {
    aio::EventLoop& loop = aio::get_running_loop();
    (void)aio::inbox_of(loop);
    const auto started = std::chrono::steady_clock::now();
    co_await aio::sleep(10s);
    const auto waited = std::chrono::steady_clock::now() - started;
    co_return aio::format_seconds(loop.time()) + (waited < 5s ? " at once" : " slowly");
  };
  CHECK(aio::run(main(), {.virtual_clock = true}) == "10.0 at once");
}

// ---------------------------------------------------------------------------------------------
// The inbox's edges: closed loops, lost posts, a busy loop

// CPython: cpython/closed_loop.py
TEST_CASE("posting to a closed loop raises EventLoopClosed", "[l16][inbox]") {
  std::shared_ptr<aio::Inbox> inbox;
  {
    aio::EventLoop loop(aio::Clock::virtual_time());
    inbox = aio::inbox_of(loop).shared_from_this();
    CHECK_FALSE(inbox->closed());
  }
  CHECK(inbox->closed());
  Thread late([inbox] { inbox->post([] {}); });
  CHECK_THROWS_AS(late.join(), aio::EventLoopClosed);
  try {
    inbox->post([] {});
  } catch (const aio::RuntimeError& error) {
    CHECK(std::string(error.what()) == "Event loop is closed");  // asyncio's message
  }
}

TEST_CASE("call_soon_threadsafe on a loop without an inbox says what to do", "[l16][inbox]") {
  aio::EventLoop loop(aio::Clock::virtual_time());
  Thread early([&loop] { aio::call_soon_threadsafe(loop, [] {}); });
  CHECK_THROWS_WITH(early.join(), Catch::Contains("call aio::inbox_of(loop) on the loop's thread"));
}

TEST_CASE("a loop destroyed with posts in its inbox reports and destroys them", "[l16][inbox]") {
  std::vector<std::string> reports;
  auto token = std::make_shared<int>(7);
  {
    aio::EventLoop loop(aio::Clock::virtual_time());
    loop.set_exception_handler([&reports](const std::string& message) { reports.push_back(message); });
    aio::Inbox& inbox = aio::inbox_of(loop);
    Thread poster([&inbox, token] {
      for (int i = 0; i < 3; ++i) inbox.post([token] {});
    });
    poster.join();
    CHECK(token.use_count() == 4);
  }
  CHECK(token.use_count() == 1);  // the callbacks that never ran were destroyed
  REQUIRE(reports.size() == 1);
  CHECK(reports[0] == "Event loop closed with 3 callback(s) posted from other threads that never ran");
}

TEST_CASE("outside work that ends without posting wakes the loop to see the deadlock",
          "[l16][inbox]") {
  auto main = []() -> aio::Coro<void> {
    aio::EventLoop& loop = aio::get_running_loop();
    aio::Future<int> never(loop);
    Thread quitter([work = aio::OutsideWork(aio::inbox_of(loop))] { std::this_thread::sleep_for(20ms); });
    co_await never;  // the loop waits without a time limit until the token goes
  };
  CHECK_THROWS_AS(aio::run(main(), {.virtual_clock = true}), aio::DeadlockError);
}

TEST_CASE("an exception thrown by a posted callback is reported and the loop goes on",
          "[l16][inbox]") {
  aio::EventLoop loop(aio::Clock::virtual_time());
  std::vector<std::string> reports;
  loop.set_exception_handler([&reports](const std::string& message) { reports.push_back(message); });
  aio::Inbox& inbox = aio::inbox_of(loop);
  bool second_ran = false;
  inbox.post([] { throw aio::ValueError("bad input"); });
  inbox.post([&second_ran] { second_ran = true; });
  run_loop_until(loop, [&] { return second_ran; }, 10);
  CHECK(second_ran);
  REQUIRE(reports.size() == 1);
  CHECK(reports[0] == "Exception in callback: bad input");
}

// 4 threads post 100,000 callbacks each while the loop runs a task of its own: every callback
// runs exactly once, and those of one thread in the order that thread posted them. A thread
// keeps at most 16 of its callbacks waiting: a wake-up that the loop loses leaves them waiting
// for ever, and the thread reports the stall after 3 s instead of the test hanging.
TEST_CASE("4 threads x 100,000 posts run once each, in per-thread order", "[l16][stress]") {
  constexpr int threads = 4;
  constexpr int posts = 100'000;
  constexpr int window = 16;
  struct Seen {
    std::array<int, threads> next{};               // the loop's thread only
    std::array<std::atomic<int>, threads> ran{};   // written by the loop, read by the posters
    std::atomic<bool> stalled{false};
    long total = 0;
    long out_of_order = 0;
    long ticks = 0;
  };
  auto main = [](Seen* seen) -> aio::Coro<void> {
    aio::EventLoop& loop = aio::get_running_loop();
    aio::Inbox& inbox = aio::inbox_of(loop);
    aio::Future<void> all_ran(loop);
    bool finished = false;
    // The ticker stops when the test is over, or when nothing is coming from the threads any
    // more (so that a lost post ends in a DeadlockError instead of a loop that ticks forever).
    auto ticker = aio::create_task([](Seen* seen, bool* finished, aio::Inbox* inbox) -> aio::Coro<void> {
      while (!*finished && inbox->has_pending()) {
        ++seen->ticks;
        co_await aio::sleep(0ms);
      }
    }(seen, &finished, &inbox));
    std::vector<std::unique_ptr<Thread>> posters;
    for (int t = 0; t < threads; ++t) {
      aio::Future<void>* done = &all_ran;
      posters.push_back(std::make_unique<Thread>([&loop, seen, done, t, work = aio::OutsideWork(inbox)] {
        auto& ran = seen->ran[static_cast<std::size_t>(t)];
        for (int i = 0; i < posts && !seen->stalled; ++i) {
          const auto limit = std::chrono::steady_clock::now() + 3s;
          while (i - ran.load(std::memory_order_acquire) >= window) {
            if (std::chrono::steady_clock::now() > limit) {
              seen->stalled = true;  // the loop stopped running what this thread posted
              return;
            }
            std::this_thread::yield();
          }
          aio::call_soon_threadsafe(loop, [seen, done, t, i] {
            auto& next = seen->next[static_cast<std::size_t>(t)];
            if (i != next) ++seen->out_of_order;
            next = i + 1;
            seen->ran[static_cast<std::size_t>(t)].fetch_add(1, std::memory_order_release);
            if (++seen->total == long{threads} * posts) done->set_result();
          });
        }
      }));
    }
    std::exception_ptr failure;
    try {
      co_await all_ran;
    } catch (...) {
      failure = std::current_exception();
    }
    finished = true;
    co_await ticker;
    for (auto& poster : posters) poster->join();
    if (failure) std::rethrow_exception(failure);
  };
  Seen seen;
  try {
    aio::run(main(&seen), {.virtual_clock = true});
  } catch (const aio::DeadlockError&) {
    FAIL_CHECK("the loop ran out of work with callbacks still unrun");
  }
  CHECK_FALSE(seen.stalled);  // a lost wake-up: posts waited in the inbox with the bell silent
  CHECK(seen.total == long{threads} * posts);
  CHECK(seen.out_of_order == 0);
  CHECK(seen.ticks > 0);
  for (int next : seen.next) CHECK(next == posts);
}
