// Lesson 12, demo 1: ten requests to a server that takes 0.2 to 0.6 s to answer each, made one
// after another, all at once, and at most three at a time under a Semaphore(3), each with a
// chart of when every request was in flight. mirror.py is the same program in Python; both print
// the same lines. `l12_demo --timeline` also draws what each task of the bounded run did.
#include <aio/gather.hpp>
#include <aio/run.hpp>
#include <aio/semaphore.hpp>
#include <aio/sleep.hpp>
#include <aio/timeline.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

/// How long the server takes to answer request i, in tenths of a second.
const std::vector<int> kTenths{3, 5, 2, 4, 6, 3, 2, 5, 4, 3};

/// When each request was in flight, and how many were at once.
struct Record {
  std::vector<aio::Duration> start = std::vector<aio::Duration>(kTenths.size());
  std::vector<aio::Duration> end = std::vector<aio::Duration>(kTenths.size());
  int in_flight = 0;
  int most_in_flight = 0;
};

// book:fetch
aio::Coro<int> fetch(int i, Record* record) {
  aio::EventLoop& loop = aio::get_running_loop();
  record->start[static_cast<std::size_t>(i)] = loop.time();
  record->most_in_flight = std::max(record->most_in_flight, ++record->in_flight);
  co_await aio::sleep(kTenths[static_cast<std::size_t>(i)] * 100ms);  // the server, as far as we know
  --record->in_flight;
  record->end[static_cast<std::size_t>(i)] = loop.time();
  co_return i;
}
// end book:fetch

// book:bounded
aio::Coro<int> bounded_fetch(int i, Record* record, aio::Semaphore* limit) {
  aio::Guard<aio::Semaphore> permit = co_await limit->acquire();  // waits while 3 are in flight
  int answer = co_await fetch(i, record);
  co_return answer;  // the guard gives the permit back here: the next waiter goes in
}

aio::Coro<void> at_most_three(Record* record) {
  aio::Semaphore limit(3);
  std::vector<aio::Coro<int>> requests;
  for (int i = 0; i < static_cast<int>(kTenths.size()); ++i) requests.push_back(bounded_fetch(i, record, &limit));
  co_await aio::gather(std::move(requests));
}
// end book:bounded

aio::Coro<void> one_after_another(Record* record) {
  for (int i = 0; i < static_cast<int>(kTenths.size()); ++i) co_await fetch(i, record);
}

aio::Coro<void> all_at_once(Record* record) {
  std::vector<aio::Coro<int>> requests;
  for (int i = 0; i < static_cast<int>(kTenths.size()); ++i) requests.push_back(fetch(i, record));
  co_await aio::gather(std::move(requests));
}

/// One row per request: a column is a tenth of a second, '#' marks the time it was in flight.
void draw(const Record& record, aio::Duration origin) {
  constexpr int kWidth = 40;
  auto column = [&](aio::Duration at) { return static_cast<int>(aio::to_seconds(at - origin) * 10 + 0.5); };
  for (std::size_t i = 0; i < kTenths.size(); ++i) {
    const int from = column(record.start[i]);
    const int to = std::min(column(record.end[i]), kWidth);
    std::string row(static_cast<std::size_t>(kWidth), ' ');
    for (int c = from; c < to; ++c) row[static_cast<std::size_t>(c)] = '#';
    std::printf("  r%zu |%s| %s-%s s\n", i, row.c_str(), aio::format_seconds(record.start[i] - origin).c_str(),
                aio::format_seconds(record.end[i] - origin).c_str());
  }
}

aio::Coro<void> run_and_draw(const char* title, aio::Coro<void> (*how)(Record*)) {
  aio::EventLoop& loop = aio::get_running_loop();
  std::printf("%s\n", title);
  Record record;
  const aio::Duration origin = loop.time();
  co_await how(&record);
  draw(record, origin);
  std::printf("  took %s s, at most %d in flight\n", aio::format_seconds(loop.time() - origin).c_str(),
              record.most_in_flight);
}

aio::Coro<void> main_coro(bool bounded_only) {
  if (!bounded_only) {
    co_await run_and_draw("1. one after another", &one_after_another);
    co_await run_and_draw("2. all at once (gather)", &all_at_once);
  }
  co_await run_and_draw("3. at most three at a time (gather, each under Semaphore(3))", &at_most_three);
}

}  // namespace

int main(int argc, char** argv) {
  const bool draw_tasks = argc > 1 && std::strcmp(argv[1], "--timeline") == 0;
  aio::Timeline timeline;
  aio::RunOptions options;
  if (draw_tasks) options.timeline = &timeline;
  try {
    aio::run(main_coro(draw_tasks), options);
  } catch (const std::exception& error) {  // an exercise not written yet, for instance
    std::fprintf(stderr, "%s\n", error.what());
    return 1;
  }
  if (draw_tasks) {
    std::printf("\ntimeline of run 3 ('#' a step runs, '-' the task exists):\n%s", timeline.render_ascii(61).c_str());
  }
}
