// Tests for aio::Coro<T> (exercise l03.ex3), and one that shows why it uses symmetric transfer.
//
// These tests drive their coroutines by hand: `coro.handle().resume()` is Python's
// `coro.send(None)`. They need no scheduler.
// CPython: cpython/send_drives_a_coroutine.py
#include <aio/coro.hpp>
#include <aio_test/catch.hpp>

#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

using Log = std::vector<std::string>;

[[gnu::noinline]] std::uintptr_t stack_position() {
  return reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
}

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

aio::Coro<std::string> greet(std::string name, Log* log) {
  log->push_back("hello, " + name);
  co_return "greeted " + name;
}

aio::Coro<int> add(int a, int b) { co_return a + b; }

aio::Coro<void> record(std::string what, Log* log) {
  log->push_back(what);
  co_return;
}

aio::Coro<int> fail(std::string message) {
  throw std::runtime_error(message);
  co_return 0;  // never reached; makes this function a coroutine
}

aio::Coro<void> fail_void(std::string message) {
  throw std::runtime_error(message);
  co_return;
}

aio::Coro<std::unique_ptr<int>> boxed(int value) { co_return std::make_unique<int>(value); }

aio::Coro<int> outer(Log* log) {
  log->push_back("outer starts");
  const int sum = co_await add(20, 22);
  log->push_back("outer got " + std::to_string(sum));
  co_await record("inner ran", log);
  co_return sum;
}

aio::Coro<std::string> catcher(Log* log) {
  try {
    const int never = co_await fail("inner failed");
    log->push_back("not reached " + std::to_string(never));
  } catch (const std::runtime_error& error) {
    log->push_back(std::string("caught: ") + error.what());
  }
  co_return "recovered";
}

// Records its own release, so that a test sees when a frame (which holds a copy) is destroyed.
class Ticket {
public:
  Ticket(std::string name, Log* log) : name_(std::move(name)), log_(log) {}
  Ticket(Ticket&& other) noexcept
      : name_(std::exchange(other.name_, {})), log_(std::exchange(other.log_, nullptr)) {}
  Ticket& operator=(Ticket&&) = delete;
  ~Ticket() {
    if (log_ != nullptr) log_->push_back(name_ + " released");
  }

private:
  std::string name_;
  Log* log_;
};

aio::Coro<void> use_ticket([[maybe_unused]] Ticket ticket, Log* log) {
  log->push_back("body runs");  // never, in the test below
  co_return;
}

aio::Coro<std::string> forgetful(Log* log) {
  {
    auto forgotten = use_ticket(Ticket("ticket", log), log);  // made, never awaited
  }
  log->push_back("forgetful goes on");
  co_return "done";
}

// book:completes-synchronously
aio::Coro<int> completes_synchronously(StackProbe* probe) {
  probe->record();
  co_return 1;
}

aio::Coro<int> await_many(int count, StackProbe* probe) {
  int total = 0;
  for (int i = 0; i < count; ++i) {
    const int one = co_await completes_synchronously(probe);
    total += one;
  }
  co_return total;
}
// end book:completes-synchronously

// ---------------------------------------------------------------------------------------------
// Two hand-rolled coroutine types for the [l03][stack] tests, which show what aio::Coro's
// Awaiter avoids. Both start the callee from await_suspend and resume the caller from the
// callee's final_suspend:
//   HandRolledCoro<false>  with plain calls (resume()): every awaited coroutine that finishes at
//                          once leaves its calls on the stack until the caller itself finishes;
//   HandRolledCoro<true>   with symmetric transfer (await_suspend returns the handle to resume):
//                          the textbook version, flat only if the compiler makes it a jump.

// book:hand-rolled
template <bool Symmetric>
class HandRolledCoro {
public:
  struct promise_type;

  struct ResumeCaller {  // what final_suspend returns
    bool await_ready() noexcept { return false; }
    auto await_suspend(std::coroutine_handle<promise_type> self) noexcept {
      std::coroutine_handle<> caller = self.promise().continuation;
      if constexpr (Symmetric) {
        return caller ? caller : std::noop_coroutine();  // "resume this one next": a jump
      } else {
        if (caller) caller.resume();  // a call, which returns only when the caller suspends
      }
    }
    void await_resume() noexcept {}
  };

  struct StartCallee {  // what co_await returns
    std::coroutine_handle<promise_type> callee;
    bool await_ready() noexcept { return false; }
    auto await_suspend(std::coroutine_handle<> caller) noexcept {
      callee.promise().continuation = caller;
      if constexpr (Symmetric) {
        return std::coroutine_handle<>(callee);  // a jump into the callee
      } else {
        callee.resume();  // a call: the caller goes on *inside* it, when the callee ends
      }
    }
    int await_resume() { return callee.promise().value; }
  };
  // end book:hand-rolled

  struct promise_type {
    std::coroutine_handle<> continuation;
    int value = 0;

    HandRolledCoro get_return_object() {
      return HandRolledCoro(std::coroutine_handle<promise_type>::from_promise(*this));
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    ResumeCaller final_suspend() noexcept { return {}; }
    void return_value(int result) { value = result; }
    void unhandled_exception() { throw; }
  };

  explicit HandRolledCoro(std::coroutine_handle<promise_type> frame) : frame_(frame) {}
  HandRolledCoro(HandRolledCoro&& other) noexcept : frame_(std::exchange(other.frame_, {})) {}
  HandRolledCoro& operator=(HandRolledCoro&&) = delete;
  ~HandRolledCoro() {
    if (frame_) frame_.destroy();
  }

  StartCallee operator co_await() { return StartCallee{frame_}; }
  std::coroutine_handle<promise_type> handle() const { return frame_; }

private:
  std::coroutine_handle<promise_type> frame_;
};

template <bool Symmetric>
HandRolledCoro<Symmetric> hand_rolled_one(StackProbe* probe) {
  probe->record();
  co_return 1;
}

// Each callee is kept alive until the test ends: with plain calls its frame is still running,
// somewhere down the stack, until the caller finishes.
template <bool Symmetric>
HandRolledCoro<Symmetric> hand_rolled_await_many(int count, StackProbe* probe,
                                                 std::vector<HandRolledCoro<Symmetric>>* callees) {
  int total = 0;
  for (int i = 0; i < count; ++i) {
    callees->push_back(hand_rolled_one<Symmetric>(probe));
    const int one = co_await callees->back();
    total += one;
  }
  co_return total;
}

// Runs `count` synchronous completions with HandRolledCoro<Symmetric>; returns the stack spread.
template <bool Symmetric>
std::uintptr_t hand_rolled_spread(int count) {
  StackProbe probe;
  std::vector<HandRolledCoro<Symmetric>> callees;
  callees.reserve(static_cast<std::size_t>(count));
  auto coro = hand_rolled_await_many<Symmetric>(count, &probe, &callees);
  coro.handle().resume();
  REQUIRE(coro.handle().done());
  CHECK(coro.handle().promise().value == count);
  return probe.spread();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// l03.ex3: Coro<T>'s result, a value or an exception

// book:test-lazy
TEST_CASE("calling a coroutine function runs nothing until it is resumed", "[l03][ex3]") {
  Log log;
  auto coro = greet("Ada", &log);  // Python: coro = greet("Ada"), a coroutine object
  CHECK(log.empty());              // the body has not started
  CHECK(coro.valid());
  CHECK_FALSE(coro.done());

  coro.handle().resume();  // Python: coro.send(None)
  CHECK(log == Log{"hello, Ada"});
  CHECK(coro.done());
  CHECK(coro.take_result() == "greeted Ada");  // Python: StopIteration.value
}
// end book:test-lazy

TEST_CASE("a coroutine keeps a value-type result until it is taken", "[l03][ex3]") {
  auto coro = add(1, 2);
  coro.handle().resume();
  REQUIRE(coro.done());
  CHECK(coro.take_result() == 3);
}

TEST_CASE("a move-only result is moved out by take_result", "[l03][ex3]") {
  auto coro = boxed(7);
  coro.handle().resume();
  REQUIRE(coro.done());
  const std::unique_ptr<int> result = coro.take_result();
  REQUIRE(result != nullptr);
  CHECK(*result == 7);
}

TEST_CASE("an exception that escapes the body is kept and rethrown by take_result",
          "[l03][ex3]") {
  auto coro = fail("boom");
  coro.handle().resume();  // the exception does not escape resume(): the promise keeps it
  CHECK(coro.done());
  CHECK_THROWS_WITH(coro.take_result(), "boom");
}

TEST_CASE("a void coroutine has no value to give, but its exception is rethrown too",
          "[l03][ex3]") {
  Log log;
  auto ok = record("ran", &log);
  ok.handle().resume();
  CHECK_NOTHROW(ok.take_result());
  CHECK(log == Log{"ran"});

  auto failed = fail_void("void boom");
  failed.handle().resume();
  CHECK(failed.done());
  CHECK_THROWS_WITH(failed.take_result(), "void boom");
}

// book:test-await
TEST_CASE("awaiting a coroutine runs it inside the awaiting one, for its result", "[l03][ex3]") {
  Log log;
  auto coro = outer(&log);
  coro.handle().resume();  // one resume: both awaited coroutines finish without suspending
  CHECK(coro.done());
  CHECK(log == Log{"outer starts", "outer got 42", "inner ran"});
  CHECK(coro.take_result() == 42);
}
// end book:test-await

TEST_CASE("an exception thrown in an awaited coroutine is rethrown at the co_await",
          "[l03][ex3]") {
  Log log;
  auto coro = catcher(&log);
  coro.handle().resume();
  CHECK(log == Log{"caught: inner failed"});
  CHECK(coro.take_result() == "recovered");
}

// book:test-never-awaited
TEST_CASE("a coroutine that is never awaited is freed without running its body", "[l03][ex3]") {
  Log log;
  auto coro = forgetful(&log);
  coro.handle().resume();
  // Python would warn here that the coroutine was never awaited, as it frees the frame. In C++
  // the Coro's destructor frees the frame, which destroys the frame's copy of the ticket.
  // CPython: cpython/never_awaited.py
  CHECK(log == Log{"ticket released", "forgetful goes on"});
  CHECK(coro.take_result() == "done");
}
// end book:test-never-awaited

TEST_CASE("a Coro owns its frame: it moves, and does not copy", "[l03][ex3]") {
  static_assert(!std::is_copy_constructible_v<aio::Coro<int>>);
  static_assert(!std::is_copy_assignable_v<aio::Coro<int>>);
  static_assert(std::is_nothrow_move_constructible_v<aio::Coro<int>>);
  static_assert(std::is_nothrow_move_assignable_v<aio::Coro<int>>);

  auto first = add(2, 3);
  aio::Coro<int> second = std::move(first);
  CHECK_FALSE(first.valid());  // NOLINT(bugprone-use-after-move): checking the moved-from state
  REQUIRE(second.valid());
  second.handle().resume();
  CHECK(second.take_result() == 5);
}

// book:test-million
TEST_CASE("a million synchronous completions awaited in a loop keep the stack flat", "[l03][ex3]") {
  StackProbe probe;
  auto coro = await_many(1'000'000, &probe);
  coro.handle().resume();  // all million awaits happen inside this one call
  REQUIRE(coro.done());
  CHECK(coro.take_result() == 1'000'000);
  // Every callee ran at the same depth. Nesting instead (see the [l03][stack] tests) costs
  // more than 100 bytes per await at -O0: this loop would need over 100 MB of stack and crash.
  CHECK(probe.spread() < 1024);
}
// end book:test-million

// ---------------------------------------------------------------------------------------------
// Not exercises: what the million-coroutine test guards against.

TEST_CASE("with plain calls, each synchronous completion nests the stack deeper", "[l03][stack]") {
  constexpr int count = 1000;
  const std::uintptr_t spread = hand_rolled_spread<false>(count);
#ifdef __OPTIMIZE__
  // An optimising compiler may turn the plain calls into jumps, and the stack may stay flat: an
  // optimisation, not a guarantee.
  SUCCEED("optimised build: growth is only checked at -O0; measured " << spread << " bytes");
#else
  // At -O0 every level costs several frames (two resume functions, two await_suspends).
  CHECK(spread > 64 * count);
#endif
}

TEST_CASE("textbook symmetric transfer is flat only where transfers are jumps", "[l03][stack]") {
  constexpr int count = 1000;
  const std::uintptr_t spread = hand_rolled_spread<true>(count);
#if defined(__clang__)
  CHECK(spread < 1024);  // Clang emits a tail call for every transfer, even at -O0
#else
  // GCC 12 emits a jump only when it optimises sibling calls (-O2 and up) and AddressSanitizer
  // is off; elsewhere each await costs about 130 bytes (-O0) to 320 bytes (ASan) of stack.
  SUCCEED("GCC: measured " << spread << " bytes of stack over " << count << " awaits");
#endif
}
