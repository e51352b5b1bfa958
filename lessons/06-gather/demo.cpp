// Lesson 06, demo 1: three fetches of 1 s, 2 s and 1 s, awaited one after another (4 s) and
// gathered (2 s), each with a chart of when every fetch ran. mirror.py is the same program
// in Python; both print the same lines. `l06_demo --timeline` also draws what each task did.
#include <aio/gather.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/timeline.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;

namespace {

/// When one fetch ran, on the loop's clock.
struct Span {
  std::string name;
  aio::Duration start;
  aio::Duration end;
};

// book:fetch
aio::Coro<std::string> fetch(std::string name, aio::Duration delay, std::vector<Span>* spans) {
  aio::EventLoop& loop = aio::get_running_loop();
  const aio::Duration start = loop.time();
  co_await aio::sleep(delay);  // the network, as far as this demo is concerned
  spans->push_back({name, start, loop.time()});
  co_return "page " + name;
}
// end book:fetch

// book:one-after-another
aio::Coro<std::vector<std::string>> one_after_another(std::vector<Span>* spans) {
  std::string a = co_await fetch("a", 1s, spans);
  std::string b = co_await fetch("b", 2s, spans);
  std::string c = co_await fetch("c", 1s, spans);
  co_return std::vector<std::string>{a, b, c};
}
// end book:one-after-another

// book:with-gather
aio::Coro<std::vector<std::string>> with_gather(std::vector<Span>* spans) {
  auto [a, b, c] = co_await aio::gather(fetch("a", 1s, spans), fetch("b", 2s, spans), fetch("c", 1s, spans));
  co_return std::vector<std::string>{a, b, c};
}
// end book:with-gather

// One row per fetch, in the order they were started: a column is a tenth of a second, '#' marks
// the time the fetch was in flight.
void draw(const std::vector<Span>& spans, aio::Duration origin) {
  constexpr int kColumnsPerSecond = 10;
  constexpr int kWidth = 40;
  auto column = [&](aio::Duration at) {
    return static_cast<int>(aio::to_seconds(at - origin) * kColumnsPerSecond + 0.5);
  };
  for (const char* name : {"a", "b", "c"}) {
    for (const Span& span : spans) {
      if (span.name != name) continue;
      const int from = column(span.start);
      const int to = column(span.end);
      std::string row(static_cast<std::size_t>(kWidth), ' ');
      for (int i = from; i < to && i < kWidth; ++i) row[static_cast<std::size_t>(i)] = '#';
      std::printf("  %s |%s| %s-%s s\n", name, row.c_str(), aio::format_seconds(span.start - origin).c_str(),
                  aio::format_seconds(span.end - origin).c_str());
    }
  }
}

std::string joined(const std::vector<std::string>& pages) {
  std::string out;
  for (const std::string& page : pages) out += (out.empty() ? "" : ", ") + page;
  return out;
}

aio::Coro<void> main_coro() {
  aio::EventLoop& loop = aio::get_running_loop();

  std::printf("1. one after another\n");
  std::vector<Span> spans;
  aio::Duration origin = loop.time();
  std::vector<std::string> pages = co_await one_after_another(&spans);
  draw(spans, origin);
  std::printf("  results: %s\n", joined(pages).c_str());
  std::printf("  took %s s\n", aio::format_seconds(loop.time() - origin).c_str());

  std::printf("2. with gather\n");
  spans.clear();
  origin = loop.time();
  pages = co_await with_gather(&spans);
  draw(spans, origin);
  std::printf("  results: %s\n", joined(pages).c_str());
  std::printf("  took %s s\n", aio::format_seconds(loop.time() - origin).c_str());
}

}  // namespace

int main(int argc, char** argv) {
  const bool draw_tasks = argc > 1 && std::strcmp(argv[1], "--timeline") == 0;
  aio::Timeline timeline;
  aio::RunOptions options;
  if (draw_tasks) options.timeline = &timeline;
  try {
    aio::run(main_coro(), options);
  } catch (const std::exception& error) {  // an exercise not written yet, for instance
    std::fprintf(stderr, "%s\n", error.what());
    return 1;
  }
  if (draw_tasks) {
    std::printf("\ntimeline ('#' a step runs, '-' the task exists):\n%s", timeline.render_ascii(61).c_str());
  }
}
