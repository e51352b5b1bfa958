// Lesson 03: coroutines. Prints what mirror.py prints, line for line (lines that start with "~ "
// are measurements, compared with their numbers masked).
//
//   1. a coroutine object is lazy      calling a Coro function runs nothing
//   2. driving a coroutine by hand     handle().resume() is send(None); take_result()
//   3. awaiting a coroutine            co_await runs it inside the caller; exceptions travel back
//   4. hand-written awaitables         aio::ready, aio::yield_now
//   5. a tiny scheduler                aio::Scheduler: a deque of ready coroutines, in turn
//   6. deciding whether to suspend     aio::Latch: the last arrival goes straight on
//   7. a coroutine never awaited       [[nodiscard]] at compile time; the frame is freed
//   8. a million awaits                symmetric transfer: the stack does not grow
#include <aio/awaitable.hpp>
#include <aio/coro.hpp>
#include <aio/scheduler.hpp>

#include <chrono>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace {

// book:greet
aio::Coro<std::string> greet(std::string name) {
  std::printf("  hello, %s\n", name.c_str());
  co_return "greeted " + name;
}
// end book:greet

// book:two-steps
aio::Coro<int> two_steps() {
  std::printf("  body: step 1\n");
  co_await std::suspend_always{};  // suspends, and leaves the rest to whoever drives it
  std::printf("  body: step 2\n");
  co_return 42;
}
// end book:two-steps

// book:await-chain
aio::Coro<int> half(int n) {
  if (n % 2 == 1) throw std::invalid_argument(std::to_string(n) + " is odd");
  co_return n / 2;
}

aio::Coro<int> outer() {
  std::printf("  outer awaits half(84)\n");
  const int value = co_await half(84);
  std::printf("  outer got %d\n", value);
  try {
    co_await half(7);
  } catch (const std::invalid_argument& error) {
    std::printf("  outer caught: %s\n", error.what());
  }
  co_return value;
}
// end book:await-chain

aio::Coro<void> awaitables() {
  const int value = co_await aio::ready(42);
  std::printf("  await Ready(42) gave %d\n", value);
  co_await aio::yield_now();
  std::printf("  after YieldNow: resumed by the scheduler\n");
}

aio::Coro<void> ticker(std::string name, int count) {
  for (int i = 1; i <= count; ++i) {
    std::printf("  %s %d\n", name.c_str(), i);
    co_await aio::yield_now();
  }
}

aio::Coro<void> meet(std::string name, aio::Latch* latch) {
  std::printf("  %s arrives, %zu still to come\n", name.c_str(), latch->count() - 1);
  co_await latch->arrive_and_wait();
  std::printf("  %s passes\n", name.c_str());
}

// book:ticket
class Ticket {
public:
  explicit Ticket(std::string name) : name_(std::move(name)) {}
  Ticket(Ticket&& other) noexcept : name_(std::exchange(other.name_, {})) {}
  Ticket& operator=(Ticket&&) = delete;
  ~Ticket() {
    if (!name_.empty()) std::printf("  %s released: the frame is gone\n", name_.c_str());
  }
  const std::string& name() const { return name_; }

private:
  std::string name_;  // empty once moved from: only the last owner prints
};

aio::Coro<void> use_ticket(Ticket ticket) {
  std::printf("  using %s\n", ticket.name().c_str());  // never printed below
  co_return;
}
// end book:ticket

// The address of this function's own frame: how deep the stack is where it is called.
[[gnu::noinline]] std::uintptr_t stack_position() {
  return reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
}

// book:million
aio::Coro<int> completes_synchronously(std::vector<std::uintptr_t>* probe) {
  if (probe != nullptr) probe->push_back(stack_position());
  co_return 1;
}

aio::Coro<int> await_many(int count, std::vector<std::uintptr_t>* depths) {
  int total = 0;
  for (int i = 0; i < count; ++i) {
    const bool watched = i == 0 || i == count - 1;  // measure the stack at the first and last
    const int one = co_await completes_synchronously(watched ? depths : nullptr);
    total += one;
  }
  co_return total;
}
// end book:million

// 1000000 -> "1,000,000" (Python: f"{n:,}").
std::string with_commas(unsigned long long number) {
  const std::string digits = std::to_string(number);
  std::string grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return grouped;
}

}  // namespace

int main() {
  std::printf("1. calling a coroutine function runs nothing\n");
  {
    // book:lazy
    auto coro = greet("Ada");
    std::printf("  made greet('Ada'): nothing printed yet\n");
    std::printf("  run_sync returned '%s'\n", aio::run_sync(std::move(coro)).c_str());
    // end book:lazy
  }

  std::printf("2. driving a coroutine by hand\n");
  {
    // book:by-hand
    auto coro = two_steps();
    coro.handle().resume();  // Python: coro.send(None)
    if (!coro.done()) std::printf("  resume 1: the coroutine is suspended\n");
    coro.handle().resume();
    if (coro.done()) {  // Python: except StopIteration as stop: ... stop.value
      std::printf("  resume 2: the coroutine finished with %d\n", coro.take_result());
    }
    // end book:by-hand
  }

  std::printf("3. awaiting a coroutine\n");
  std::printf("  outer returned %d\n", aio::run_sync(outer()));

  std::printf("4. hand-written awaitables\n");
  {
    aio::Scheduler scheduler;
    scheduler.spawn(awaitables());
    scheduler.run();
    std::printf("  the scheduler took %zu steps\n", scheduler.steps());
  }

  std::printf("5. a tiny scheduler: coroutines take turns\n");
  {
    aio::Scheduler scheduler;
    scheduler.spawn(ticker("ping", 3));
    scheduler.spawn(ticker("pong", 2));
    scheduler.run();
    std::printf("  the scheduler took %zu steps\n", scheduler.steps());
  }

  std::printf("6. deciding whether to suspend: a latch\n");
  {
    aio::Latch latch(3);
    aio::Scheduler scheduler;
    for (const char* name : {"ann", "bob", "cy"}) scheduler.spawn(meet(name, &latch));
    scheduler.run();
    std::printf("  the scheduler took %zu steps\n", scheduler.steps());
  }

  std::printf("7. a coroutine that is never awaited\n");
  // book:never-awaited
  // `use_ticket(Ticket("the ticket"));` alone draws a warning: Coro is [[nodiscard]] (and the
  // gcc and clang presets, like CI, turn warnings into errors). Dropping a Coro is said out loud:
  static_cast<void>(use_ticket(Ticket("the ticket")));
  std::printf("  use_ticket's body never ran\n");
  // end book:never-awaited

  std::printf("8. a million awaits of a coroutine that finishes at once\n");
  {
    constexpr int count = 1'000'000;
    std::vector<std::uintptr_t> depths;
    const auto start = std::chrono::steady_clock::now();
    const int total = aio::run_sync(await_many(count, &depths));
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    std::printf("  %s awaits, total %s\n", with_commas(count).c_str(), with_commas(total).c_str());
    if (depths.front() == depths.back()) {
      std::printf("  the stack was as deep at the last await as at the first\n");
    } else {
      std::printf("  the stack grew by %zu\n", static_cast<std::size_t>(depths.front() - depths.back()));
    }
    std::printf("~ %.3f s, %.0f ns per await\n", elapsed.count(), elapsed.count() / count * 1e9);
  }
}
