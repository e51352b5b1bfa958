// Lesson 01's narrated program: generators, from the first lazy loop to ten million numbers.
// mirror.py is the same program in Python; both print the same lines (lines that start with
// "~ " are measurements, compared with their numbers masked).
#include <aio/generator.hpp>
#include <aio/lazy.hpp>
#include <aio/two_way_generator.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

// ---------------------------------------------------------------------------------------------
// Measuring memory: every operator new of this program goes through the two functions below,
// which keep count of the bytes in use and of their peak. (Python's tracemalloc does the same
// for Python's allocations.)

namespace heap {
std::size_t in_use = 0;
std::size_t peak = 0;

// Starts a measurement: the peak restarts from what is in use now, which is returned.
std::size_t start_measuring() {
  peak = in_use;
  return in_use;
}
}  // namespace heap

// Each block carries its size in front of it, so that delete knows how much it gives back.
// The header is as large as the strictest alignment, so the bytes after it stay aligned.
constexpr std::size_t kHeader = sizeof(std::max_align_t);

[[gnu::noinline]] void* operator new(std::size_t size) {
  void* block = std::malloc(kHeader + size);
  if (block == nullptr) throw std::bad_alloc();
  *static_cast<std::size_t*>(block) = size;
  heap::in_use += size;
  heap::peak = std::max(heap::peak, heap::in_use);
  return static_cast<char*>(block) + kHeader;
}

[[gnu::noinline]] void operator delete(void* pointer) noexcept {
  if (pointer == nullptr) return;
  void* block = static_cast<char*>(pointer) - kHeader;
  heap::in_use -= *static_cast<std::size_t*>(block);
  std::free(block);
}

void operator delete(void* pointer, std::size_t) noexcept { operator delete(pointer); }

// ---------------------------------------------------------------------------------------------
// Small helpers

// "0 1 1 2": the values of any range, separated by spaces (Python: " ".join(map(str, values))).
template <typename Range>
std::string joined(Range&& values) {
  std::string text;
  for (const auto& value : values) {
    if (!text.empty()) text += ' ';
    text += std::to_string(value);
  }
  return text;
}

// 201326592 -> "201,326,592" (Python: f"{number:,}").
std::string with_commas(std::size_t number) {
  const std::string digits = std::to_string(number);
  std::string text;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
    text += digits[i];
  }
  return text;
}

// Prints its message when it is destroyed: C++'s counterpart of a `finally:` block.
class SayOnExit {
public:
  explicit SayOnExit(std::string message) : message_(std::move(message)) {}
  SayOnExit(const SayOnExit&) = delete;
  SayOnExit& operator=(const SayOnExit&) = delete;
  ~SayOnExit() { std::printf("  %s\n", message_.c_str()); }

private:
  std::string message_;
};

// ---------------------------------------------------------------------------------------------
// The generators of the story

// book:countdown
aio::Generator<int> countdown(int n) {
  std::printf("  countdown(%d) starts\n", n);
  while (n > 0) {
    std::printf("  countdown yields %d\n", n);
    co_yield n;
    --n;
  }
  std::printf("  countdown ends\n");
}
// end book:countdown

// book:read-lines
aio::Generator<std::string> read_lines(std::string name) {
  std::printf("  open %s\n", name.c_str());
  SayOnExit closer{"close " + name};
  for (int number = 1;; ++number) {
    co_yield "line " + std::to_string(number);
  }
}
// end book:read-lines

// book:readings
aio::Generator<int> readings() {
  co_yield 21;
  co_yield 22;
  throw std::runtime_error("sensor went offline");
}
// end book:readings

// book:running-average
aio::TwoWayGenerator<double, double> running_average() {
  SayOnExit closer{"averager closed"};
  double total = 0.0;
  int count = 0;
  double average = 0.0;
  while (true) {
    double value = co_yield average;
    total += value;
    ++count;
    average = total / count;
  }
}
// end book:running-average

// book:eager-lazy
std::vector<std::int64_t> all_numbers(std::int64_t n) {
  std::vector<std::int64_t> numbers;
  for (std::int64_t i = 0; i < n; ++i) numbers.push_back(i);
  return numbers;
}

aio::Generator<std::int64_t> numbers(std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) co_yield i;
}
// end book:eager-lazy

// book:measure
using Clock = std::chrono::steady_clock;

// How long until the first value is in hand. Leaving right after it also ends a generator.
template <typename Make>
double first_value_ms(Make make, std::int64_t n) {
  const auto start = Clock::now();
  auto values = make(n);
  auto it = values.begin();
  const std::chrono::duration<double, std::milli> waited = Clock::now() - start;
  if (*it != 0) throw std::logic_error("the first number should be 0");
  return waited.count();
}

// The sum of all the values, and the most heap memory in use, above what was in use before,
// at any moment of the computation.
template <typename Make>
std::pair<std::int64_t, std::size_t> sum_and_peak_memory(Make make, std::int64_t n) {
  const std::size_t before = heap::start_measuring();
  std::int64_t total = 0;
  for (std::int64_t value : make(n)) total += value;
  return {total, heap::peak - before};
}
// end book:measure

int main() {
  // book:first-loop
  std::printf("1. Nothing runs until the loop asks\n");
  auto numbers_left = countdown(3);
  std::printf("countdown(3) returned; its body has not started\n");
  for (int n : numbers_left) {
    std::printf("loop got %d\n", n);
  }
  // end book:first-loop

  // book:endless
  std::printf("\n2. Endless sequences, taken lazily\n");
  std::printf("first ten Fibonacci numbers: %s\n", joined(aio::take(aio::fibonacci(), 10)).c_str());
  for (const auto& batch : aio::take(aio::chunks(aio::fibonacci(), 4), 3)) {
    std::printf("a batch of %zu: %s\n", batch.size(), joined(batch).c_str());
  }
  // end book:endless

  // book:early-exit
  std::printf("\n3. Leaving the loop early closes the generator\n");
  for (const std::string& line : read_lines("server.log")) {
    std::printf("got %s\n", line.c_str());
    if (line == "line 2") break;
  }
  std::printf("after the loop\n");
  // end book:early-exit

  // book:exception
  std::printf("\n4. An exception in the body reaches the loop\n");
  try {
    for (int reading : readings()) {
      std::printf("reading %d\n", reading);
    }
  } catch (const std::runtime_error& error) {
    std::printf("caught: %s\n", error.what());
  }
  // end book:exception

  // book:send
  std::printf("\n5. Two-way: send() gives the body a value\n");
  auto averager = running_average();
  averager.start();
  for (double value : {10.0, 20.0, 60.0}) {
    const double average = averager.send(value).value();
    std::printf("send(%.1f) -> average %.1f\n", value, average);
  }
  averager.close();
  std::printf("after close()\n");
  // end book:send

  // book:ten-million
  const std::int64_t n = 10'000'000;
  std::printf("\n6. %lld numbers: eager against lazy\n", static_cast<long long>(n));
  std::printf("all_numbers(n) stores every number before it hands out the first\n");
  std::printf("~ first value after %.3f ms\n", first_value_ms(all_numbers, n));
  std::printf("numbers(n) computes each number when the loop asks for it\n");
  std::printf("~ first value after %.3f ms\n", first_value_ms(numbers, n));

  const auto [eager_sum, eager_peak] = sum_and_peak_memory(all_numbers, n);
  std::printf("sum through all_numbers(n): %lld\n", static_cast<long long>(eager_sum));
  std::printf("~ peak memory: %s bytes\n", with_commas(eager_peak).c_str());
  const auto [lazy_sum, lazy_peak] = sum_and_peak_memory(numbers, n);
  std::printf("sum through numbers(n): %lld\n", static_cast<long long>(lazy_sum));
  std::printf("~ peak memory: %s bytes\n", with_commas(lazy_peak).c_str());
  // end book:ten-million
}
