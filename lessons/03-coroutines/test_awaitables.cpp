// Tests for the hand-written awaitables of aio/awaitable.hpp (exercises l03.ex1 and l03.ex2).
//
// These tests drive their coroutines by hand (handle().resume()) or with Scheduler::run_one(),
// which is given: they do not need exercises 3 and 4.
#include <aio/awaitable.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/scheduler.hpp>
#include <aio_test/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace {

using Log = std::vector<std::string>;

// Resumes ready coroutines until none is left, as Scheduler::run() does before its checks.
void drain(aio::Scheduler& scheduler) {
  while (scheduler.run_one()) {
  }
}

// Rethrows what escaped the body of a finished coroutine, if anything (an unfinished exercise's
// aio::NotImplemented, say), so that the test shows it. It reads the promise directly instead
// of calling take_result(), which is exercise 3.
template <class T>
void rethrow_escaped(const aio::Coro<T>& coro) {
  if (coro.done() && coro.handle().promise().exception) {
    std::rethrow_exception(coro.handle().promise().exception);
  }
}

// The address of this function's own frame: how deep the stack is at the point of the call.
[[gnu::noinline]] std::uintptr_t stack_position() {
  return reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
}

// The shallowest and deepest stack positions seen.
struct StackProbe {
  std::uintptr_t lowest = UINTPTR_MAX;
  std::uintptr_t highest = 0;

  void record() {
    const std::uintptr_t here = stack_position();
    if (here < lowest) lowest = here;
    if (here > highest) highest = here;
  }
  std::uintptr_t spread() const { return highest - lowest; }
};

aio::Coro<void> await_ready_value(Log* log) {
  log->push_back("before");
  const int value = co_await aio::ready(42);
  log->push_back("got " + std::to_string(value));
}

aio::Coro<void> await_ready_pointer(Log* log) {
  std::unique_ptr<std::string> moved = co_await aio::ready(std::make_unique<std::string>("moved"));
  log->push_back(*moved);
}

aio::Coro<void> yield_times(std::string name, int times, Log* log) {
  for (int i = 1; i <= times; ++i) {
    log->push_back(name + std::to_string(i));
    co_await aio::yield_now();
  }
  log->push_back(name + " done");
}

aio::Coro<void> yield_without_scheduler(Log* log) {
  try {
    co_await aio::yield_now();
    log->push_back("went on");
  } catch (const aio::InvalidStateError&) {
    log->push_back("InvalidStateError");
  }
}

aio::Coro<void> meet(std::string name, aio::Latch* latch, Log* log) {
  log->push_back(name + " arrives");
  co_await latch->arrive_and_wait();
  log->push_back(name + " passes");
}

aio::Coro<void> hand_off_times(std::string name, int times, Log* log) {
  for (int i = 1; i <= times; ++i) {
    log->push_back(name + std::to_string(i));
    co_await aio::hand_off();
  }
}

aio::Coro<void> hand_off_to_itself(int times, StackProbe* probe, int* count) {
  for (int i = 0; i < times; ++i) {
    probe->record();
    co_await aio::hand_off();
    ++*count;
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// l03.ex1: the awaitable protocol: always ready, and suspend (await_suspend returns void)

// book:test-ready
TEST_CASE("an always-ready awaitable gives its value without suspending", "[l03][ex1]") {
  Log log;
  auto coro = await_ready_value(&log);
  coro.handle().resume();  // one resume runs the whole body: the co_await did not suspend
  REQUIRE_NOTHROW(rethrow_escaped(coro));
  CHECK(coro.done());
  CHECK(log == Log{"before", "got 42"});
}
// end book:test-ready

TEST_CASE("ready() hands over a move-only value", "[l03][ex1]") {
  Log log;
  auto coro = await_ready_pointer(&log);
  coro.handle().resume();
  REQUIRE_NOTHROW(rethrow_escaped(coro));
  CHECK(coro.done());
  CHECK(log == Log{"moved"});
}

// book:test-yield-now
TEST_CASE("yield_now suspends and puts the coroutine at the back of the deque", "[l03][ex1]") {
  Log log;
  aio::Scheduler scheduler;
  auto coro = yield_times("a", 1, &log);
  scheduler.schedule(coro.handle());

  CHECK(scheduler.run_one());  // runs up to the co_await, which parks it in the deque again
  REQUIRE_NOTHROW(rethrow_escaped(coro));
  CHECK(log == Log{"a1"});
  CHECK_FALSE(coro.done());
  CHECK(scheduler.ready_count() == 1);

  CHECK(scheduler.run_one());  // runs from the co_await to the end
  CHECK(log == Log{"a1", "a done"});
  CHECK(coro.done());
  CHECK(scheduler.ready_count() == 0);
}
// end book:test-yield-now

TEST_CASE("coroutines that yield take turns, in the order they became ready", "[l03][ex1]") {
  Log log;
  aio::Scheduler scheduler;
  auto a = yield_times("a", 2, &log);
  auto b = yield_times("b", 3, &log);
  scheduler.schedule(a.handle());
  scheduler.schedule(b.handle());
  drain(scheduler);
  REQUIRE_NOTHROW(rethrow_escaped(a));
  REQUIRE_NOTHROW(rethrow_escaped(b));
  CHECK(log == Log{"a1", "b1", "a2", "b2", "a done", "b3", "b done"});
  CHECK(scheduler.steps() == 7);  // one step per resume: 3 of a, 4 of b
  CHECK(a.done());
  CHECK(b.done());
}

TEST_CASE("yield_now with no scheduler running throws InvalidStateError", "[l03][ex1]") {
  Log log;
  auto coro = yield_without_scheduler(&log);
  coro.handle().resume();  // by hand: no Scheduler is running
  REQUIRE_NOTHROW(rethrow_escaped(coro));
  CHECK(log == Log{"InvalidStateError"});
  CHECK(coro.done());
}

// ---------------------------------------------------------------------------------------------
// l03.ex2: awaitables that decide in await_suspend (bool) or choose who runs next (a handle)

// book:test-latch
TEST_CASE("the last arrival goes on at once; the others resume after it, in order", "[l03][ex2]") {
  Log log;
  aio::Scheduler scheduler;
  aio::Latch latch(3);
  auto a = meet("a", &latch, &log);
  auto b = meet("b", &latch, &log);
  auto c = meet("c", &latch, &log);
  for (auto* coro : {&a, &b, &c}) scheduler.schedule(coro->handle());

  drain(scheduler);
  for (auto* coro : {&a, &b, &c}) REQUIRE_NOTHROW(rethrow_escaped(*coro));
  CHECK(log == Log{"a arrives", "b arrives", "c arrives",  //
                   "c passes", "a passes", "b passes"});
  CHECK(scheduler.steps() == 5);  // c arrived and passed in one step: it never suspended
  CHECK(latch.count() == 0);
}
// end book:test-latch

TEST_CASE("an open latch lets later arrivals through without suspending", "[l03][ex2]") {
  Log log;
  aio::Scheduler scheduler;
  aio::Latch latch(1);
  auto first = meet("first", &latch, &log);
  auto late = meet("late", &latch, &log);
  scheduler.schedule(first.handle());
  scheduler.schedule(late.handle());
  drain(scheduler);
  REQUIRE_NOTHROW(rethrow_escaped(first));
  REQUIRE_NOTHROW(rethrow_escaped(late));
  CHECK(log == Log{"first arrives", "first passes", "late arrives", "late passes"});
  CHECK(scheduler.steps() == 2);
}

TEST_CASE("a latch that waits for one more keeps the others out of the deque", "[l03][ex2]") {
  Log log;
  aio::Scheduler scheduler;
  aio::Latch latch(3);
  auto a = meet("a", &latch, &log);
  auto b = meet("b", &latch, &log);
  scheduler.schedule(a.handle());
  scheduler.schedule(b.handle());
  drain(scheduler);
  REQUIRE_NOTHROW(rethrow_escaped(a));
  REQUIRE_NOTHROW(rethrow_escaped(b));
  CHECK(log == Log{"a arrives", "b arrives"});
  CHECK(latch.count() == 1);
  CHECK(scheduler.ready_count() == 0);
  CHECK_FALSE(a.done());  // nothing will ever resume them: their Coros destroy the frames
  CHECK_FALSE(b.done());
}

// book:test-hand-off
TEST_CASE("hand_off jumps to the next ready coroutine without a step of the loop", "[l03][ex2]") {
  Log log;
  aio::Scheduler scheduler;
  auto a = hand_off_times("a", 3, &log);
  auto b = hand_off_times("b", 3, &log);
  scheduler.schedule(a.handle());
  scheduler.schedule(b.handle());
  drain(scheduler);
  REQUIRE_NOTHROW(rethrow_escaped(a));
  REQUIRE_NOTHROW(rethrow_escaped(b));
  CHECK(log == Log{"a1", "b1", "a2", "b2", "a3", "b3"});
  // Step 1 resumed a; every hand_off then jumped to the other coroutine, until a finished and
  // control came back to the loop. Step 2 resumed b, for its end. yield_now would take 8 steps.
  CHECK(scheduler.steps() == 2);
  CHECK(a.done());
  CHECK(b.done());
}
// end book:test-hand-off

TEST_CASE("a lone coroutine that hands off goes on without a step of the loop", "[l03][ex2]") {
  aio::Scheduler scheduler;
  StackProbe probe;
  int count = 0;
  auto coro = hand_off_to_itself(1000, &probe, &count);
  scheduler.schedule(coro.handle());
  drain(scheduler);
  REQUIRE_NOTHROW(rethrow_escaped(coro));
  CHECK(count == 1000);
  CHECK(scheduler.steps() == 1);
#if defined(__clang__)
  // Each hand-off is a symmetric transfer, which Clang always compiles to a jump: flat stack.
  CHECK(probe.spread() < 1024);
#else
  // GCC 12 compiles it to a call unless it optimises sibling calls (-O2, no AddressSanitizer):
  // then every hand-off nests a little deeper until the coroutine returns to the loop. A chain
  // of hand-offs must stay short there (see "Pitfalls" in book/03-coroutines.md).
  SUCCEED("GCC: measured " << probe.spread() << " bytes of stack over 1000 hand-offs");
#endif
}
