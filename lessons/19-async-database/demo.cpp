// Lesson 19's first program: ten queries of 0.1 s each, one after another on one connection,
// then all at once through a pool of ten. mirror.py is the same program on asyncpg; both print
// the same lines. Lines that start with "~ " are measurements on the real clock, compared with
// their numbers masked.
//
// The server works in real time. Under AIO_CLOCK=virtual the loop's clock waits for it too (a
// query on its way counts as work outside the loop), so the program behaves the same.
#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/gather.hpp>
#include <aio/pg.hpp>
#include <aio/run.hpp>
#include <aio/task.hpp>

#include "pg_server_check.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

using RealClock = std::chrono::steady_clock;

namespace {

double seconds_since(RealClock::time_point began) {
  return std::chrono::duration<double>(RealClock::now() - began).count();
}

// book:timeline
/// When one query was sent and when its answer came, in microseconds since its part began.
struct Span {
  long long start = 0;
  long long end = 0;
};

long long micros_since(RealClock::time_point began) {
  return std::chrono::duration_cast<std::chrono::microseconds>(RealClock::now() - began).count();
}

/// One row per query, one column per 0.1 s. Times are rounded down to their column: a query
/// never ends early (pg_sleep sleeps at least its time), and it would take 0.1 s of lateness to
/// move a bar, so both drivers draw the same picture on a busy machine too.
void print_timeline(const std::vector<Span>& spans) {
  constexpr long long column = 100'000;  // microseconds
  std::printf("timeline, one column per 0.1 s ('#' a query is under way):\n");
  for (std::size_t i = 0; i < spans.size(); ++i) {
    const auto first = std::size_t(spans[i].start / column);
    const auto length = std::size_t(std::max(1LL, (spans[i].end - spans[i].start) / column));
    std::printf("  query %2zu  %s%s\n", i + 1, std::string(first, ' ').c_str(), std::string(length, '#').c_str());
  }
  std::printf("            |         |\n            0.0       1.0 s\n");
}
// end book:timeline

// book:one-query
/// One request's database work: 0.1 s on the server. Returns the server process that ran it.
aio::Coro<int> slow_query(aio::pg::Pool* pool) {
  co_return co_await pool->fetchval<int>("SELECT pg_backend_pid() FROM pg_sleep(0.1)");
}
// end book:one-query

aio::Coro<int> timed_query(aio::pg::Pool* pool, RealClock::time_point began, Span* span) {
  span->start = micros_since(began);
  const int server = co_await slow_query(pool);
  span->end = micros_since(began);
  co_return server;
}

aio::Coro<void> main_coro() {
  std::printf("== ten queries of 0.1 s on one connection, one after the other\n");
  auto db = co_await aio::pg::connect();
  auto began = RealClock::now();
  std::vector<Span> spans(10);
  for (Span& span : spans) {
    span.start = micros_since(began);
    co_await db->execute("SELECT pg_sleep(0.1)");
    span.end = micros_since(began);
  }
  std::printf("~ sequential: 10 queries in %.2f s\n", seconds_since(began));
  print_timeline(spans);

  std::printf("== the same ten at once, through a pool of up to ten connections\n");
  auto pool = co_await aio::pg::create_pool("", {.min_size = 10, .max_size = 10});
  began = RealClock::now();
  std::vector<aio::Coro<int>> queries;
  for (Span& span : spans) queries.push_back(timed_query(pool.get(), began, &span));
  std::vector<int> servers = co_await aio::gather(std::move(queries));
  std::printf("~ concurrent: 10 queries in %.2f s\n", seconds_since(began));
  print_timeline(spans);
  std::printf("they ran in %zu server processes at once\n", std::set<int>(servers.begin(), servers.end()).size());
  std::printf("the pool holds %zu connections, %zu of them idle\n", pool->size(), pool->idle());

  std::printf("== thirty at once through a pool of three\n");
  auto small = co_await aio::pg::create_pool("", {.min_size = 0, .max_size = 3});
  began = RealClock::now();
  queries.clear();
  for (int i = 0; i < 30; ++i) queries.push_back(slow_query(small.get()));
  servers = co_await aio::gather(std::move(queries));
  std::printf("~ 30 queries, 3 at a time: %.2f s\n", seconds_since(began));
  std::printf("they ran in %zu server processes\n", std::set<int>(servers.begin(), servers.end()).size());
}

}  // namespace

int main() {
  aio::run(main_coro());
  return 0;
}
