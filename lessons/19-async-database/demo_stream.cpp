// Lesson 19's third program: 100,000 rows streamed one at a time, against the same rows fetched
// at once. mirror_stream.py is the same program on asyncpg; both print the same lines ("~ "
// lines are real-clock measurements, compared with their numbers masked).
//
// Memory is read from the kernel (the process's peak resident size, getrusage): streaming keeps
// it flat, fetching all the rows raises it by the size of the result.
#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/pg.hpp>
#include <aio/run.hpp>

#include "pg_server_check.hpp"

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>

using RealClock = std::chrono::steady_clock;

namespace {

double peak_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return double(usage.ru_maxrss) / 1024.0;
}

double seconds_since(RealClock::time_point began) {
  return std::chrono::duration<double>(RealClock::now() - began).count();
}

constexpr const char* query = "SELECT g AS id, repeat('x', 100) AS payload FROM generate_series(1, 100000) AS g";

aio::Coro<void> main_coro() {
  auto db = co_await aio::pg::connect();

  std::printf("== 100000 rows of about 100 bytes, streamed one at a time\n");
  double before = peak_mib();
  auto began = RealClock::now();
  long count = 0;
  long sum = 0;
  // book:stream
  auto rows = db->cursor(query);
  while (auto row = co_await rows.next()) {
    ++count;
    sum += row->get<long>("id");
  }
  // end book:stream
  std::printf("rows: %ld, sum of ids: %ld\n", count, sum);
  std::printf("~ %.2f s; peak memory grew by %.1f MiB\n", seconds_since(began), peak_mib() - before);

  std::printf("== the same rows fetched at once\n");
  before = peak_mib();
  began = RealClock::now();
  auto all = co_await db->fetch(query);
  sum = 0;
  for (const auto& row : all) sum += row.get<long>("id");
  std::printf("rows: %zu, sum of ids: %ld\n", all.size(), sum);
  std::printf("~ %.2f s; peak memory grew by %.1f MiB\n", seconds_since(began), peak_mib() - before);
}

}  // namespace

int main() {
  aio::run(main_coro());
  return 0;
}
