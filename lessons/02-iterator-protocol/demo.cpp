// Lesson 02: the iterator protocol. Prints what mirror.py prints, line for line.
//
//   1. a hand-written iterator        aio::Countdown: begin(), end(), *, ++, == sentinel
//   2. a for loop, step by step       what `for (int n : range)` expands to
//   3. the same countdown, generated  aio::countdown: the compiler writes the iterator
//   4. a sentinel value               aio::iter(read_line, "quit")
//   5. composing iterators            aio::enumerate, std::views::filter / transform / take
#include <aio/countdown.hpp>
#include <aio/enumerate.hpp>
#include <aio/generator.hpp>
#include <aio/iter.hpp>
#include <aio/std_views.hpp>
#if !AIO_HAS_STD_VIEWS
#include <aio/lazy.hpp>  // aio::take, for compilers without std::views (see below)
#endif

#include <iostream>
#include <ranges>
#include <sstream>
#include <string>
#include <string_view>

namespace {

// Prints "  label: 3 2 1", walking `numbers` once.
template <std::ranges::input_range Range>
void show(std::string_view label, Range&& numbers) {
  std::cout << "  " << label << ":";
  for (int n : numbers) std::cout << " " << n;
  std::cout << "\n";
}

// 0, 1, 2, ... without end.
aio::Generator<int> naturals() {
  for (int n = 0;; ++n) co_yield n;
}

#if !AIO_HAS_STD_VIEWS
// Clang 15 and older cannot compile std::views with libstdc++ (see aio/std_views.hpp). On those
// compilers part 5 uses this generator and lesson 01's aio::take instead; they print the same.
aio::Generator<int> even_squares(aio::Generator<int> numbers) {
  for (int n : numbers) {
    if (n % 2 == 0) co_yield n * n;
  }
}
#endif

}  // namespace

int main() {
  std::cout << "1. a hand-written iterator\n";
  const aio::Countdown from_three(3);
  show("Countdown(3)", from_three);
  show("the same Countdown, again", from_three);

  std::cout << "2. what a for loop does, step by step\n";
  // book:for-expanded
  {
    auto&& range = aio::Countdown(3);  // for (int n : aio::Countdown(3)) { ... } is this block
    auto it = range.begin();
    auto end = range.end();
    for (; it != end; ++it) {
      int n = *it;
      std::cout << "  got " << n << "\n";
    }
  }
  // end book:for-expanded
  std::cout << "  the iterator is at the end: the loop stops\n";

  std::cout << "3. the same countdown, as a generator\n";
  show("countdown(3)", aio::countdown(3));

  std::cout << "4. a sentinel value ends the loop\n";
  // book:iter
  std::istringstream script("ls\ncd /tmp\nquit\nrm -rf /\n");
  auto read_line = [&script] {
    std::string line;
    std::getline(script, line);
    return line;
  };
  for (const std::string& command : aio::iter(read_line, "quit")) {
    std::cout << "  run: " << command << "\n";
  }
  std::cout << "  left unread: " << read_line() << "\n";
  // end book:iter

  std::cout << "5. composing iterators\n";
  // book:enumerate
  std::cout << "  enumerate(countdown(3), 1):";
  for (const auto& [i, n] : aio::enumerate(aio::countdown(3), 1)) {
    std::cout << " " << i << ":" << n;
  }
  std::cout << "\n";
  // end book:enumerate
#if AIO_HAS_STD_VIEWS
  // book:views
  auto even_squares = aio::countdown(10)
                    | std::views::filter([](int n) { return n % 2 == 0; })
                    | std::views::transform([](int n) { return n * n; });
  show("even squares from countdown(10)", even_squares);
  show("first five naturals", naturals() | std::views::take(5));
  // end book:views
#else
  show("even squares from countdown(10)", even_squares(aio::countdown(10)));
  show("first five naturals", aio::take(naturals(), 5));
#endif
}
