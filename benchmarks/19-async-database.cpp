// Lesson 19's benchmarks, against the server of tools/pg-up (PGHOST, PGPORT, ...). Everything
// runs on the real clock: the server does.
//
// Each workload has a row per driver: _raw (libpq called directly, the floor on one connection),
// _aio (aio::pg) and _asyncpg (lessons/19-async-database/measure_asyncpg.py, run once per
// repetition; it times the workload alone, not Python's start, and reports its seconds here).
//
// Waiting for the server:
//   BM_sleeps_sequential_*          ten SELECT pg_sleep(0.1) on one connection: about 1 s.
//   BM_sleeps_concurrent_*          the same ten through a pool of ten, with gather: about 0.1 s.
//
// Ten thousand one-row inserts (table (id int, name text)):
//   BM_inserts_one_at_a_time_*      one statement, one round trip, per row. _raw is blocking
//                                   PQexecParams; _aio is co_await db->execute(...) in a loop.
//   BM_inserts_pipelined_*          every row sent before any reply is read: libpq's pipeline
//                                   mode driven by poll() (_raw), co_await db->executemany(...)
//                                   (_aio), asyncpg's executemany.
//   BM_inserts_copy_*               COPY FROM STDIN: blocking PQputCopyData (_raw),
//                                   co_await db->copy_records_to_table(...) (_aio), asyncpg's
//                                   copy_records_to_table.
//
// The machine may be shared, so one run is not a measurement: unless told otherwise the program
// runs every row 9 times (once in a smoke run, AIO_BENCH_SMOKE=1), the repetitions of all rows
// shuffled together so that a busy minute falls on every driver alike, and reports the median
// and the spread (cv) of each row.
#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/gather.hpp>
#include <aio/pg.hpp>
#include <aio/run.hpp>
#include <aio/task.hpp>

#include "bench_support.hpp"

#include <benchmark/benchmark.h>
#include <libpq-fe.h>
#include <poll.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

constexpr int rows = 10000;

std::vector<aio::pg::Params> insert_rows() {
  std::vector<aio::pg::Params> all;
  all.reserve(rows);
  for (int i = 0; i < rows; ++i) all.push_back({i, "name " + std::to_string(i)});
  return all;
}

/// A blocking connection for the raw baselines and for setting tables up.
PGconn* blocking_connection() {
  PGconn* conn = PQconnectdb("");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::fprintf(stderr, "%s", PQerrorMessage(conn));
    std::exit(1);
  }
  return conn;
}

void run_sql(PGconn* conn, const char* sql) { PQclear(PQexec(conn, sql)); }

void fresh_table(PGconn* conn) {
  run_sql(conn, "DROP TABLE IF EXISTS bench_aio");
  run_sql(conn, "CREATE TABLE bench_aio (id int, name text)");
}

// ---- waiting for the server --------------------------------------------------------------------

// The connection is made before the clock starts, as the pool of the concurrent row is, and as
// asyncpg's rows do.
aio::Coro<void> sleeps_sequential(benchmark::State* state) {
  auto db = co_await aio::pg::connect();
  for (auto _ : *state) {
    for (int i = 0; i < 10; ++i) co_await db->execute("SELECT pg_sleep(0.1)");
  }
}

// book:bench-concurrent
aio::Coro<void> sleeps_concurrent(aio::pg::Pool* pool) {
  std::vector<aio::Coro<std::string>> queries;
  for (int i = 0; i < 10; ++i) queries.push_back(pool->execute("SELECT pg_sleep(0.1)"));
  co_await aio::gather(std::move(queries));
}
// end book:bench-concurrent

void BM_sleeps_sequential_aio(benchmark::State& state) { aio::run(sleeps_sequential(&state)); }

aio::Coro<void> with_pool(benchmark::State* state) {
  auto pool = co_await aio::pg::create_pool("", {.min_size = 10, .max_size = 10});
  for (auto _ : *state) co_await sleeps_concurrent(pool.get());
}

void BM_sleeps_concurrent_aio(benchmark::State& state) { aio::run(with_pool(&state)); }

// ---- inserts -------------------------------------------------------------------------------------

void BM_inserts_one_at_a_time_raw(benchmark::State& state) {
  PGconn* conn = blocking_connection();
  for (auto _ : state) {
    state.PauseTiming();
    fresh_table(conn);
    state.ResumeTiming();
    for (int i = 0; i < rows; ++i) {
      const std::string id = std::to_string(i);
      const std::string name = "name " + id;
      const char* values[] = {id.c_str(), name.c_str()};
      PQclear(PQexecParams(conn, "INSERT INTO bench_aio VALUES ($1, $2)", 2, nullptr, values, nullptr, nullptr, 0));
    }
  }
  PQfinish(conn);
  state.SetItemsProcessed(state.iterations() * rows);
}

aio::Coro<void> inserts_one_at_a_time(benchmark::State* state) {
  auto db = co_await aio::pg::connect();
  for (auto _ : *state) {
    state->PauseTiming();
    co_await db->execute("DROP TABLE IF EXISTS bench_aio");
    co_await db->execute("CREATE TABLE bench_aio (id int, name text)");
    state->ResumeTiming();
    for (int i = 0; i < rows; ++i) co_await db->execute("INSERT INTO bench_aio VALUES ($1, $2)", i, "name " + std::to_string(i));
  }
}

void BM_inserts_one_at_a_time_aio(benchmark::State& state) {
  aio::run(inserts_one_at_a_time(&state));
  state.SetItemsProcessed(state.iterations() * rows);
}

/// Pipeline mode with the waiting done by poll(): the least a program can do to send every row
/// before reading any reply, without a loop.
void BM_inserts_pipelined_raw(benchmark::State& state) {
  PGconn* conn = blocking_connection();
  for (auto _ : state) {
    state.PauseTiming();
    fresh_table(conn);
    state.ResumeTiming();
    PQsetnonblocking(conn, 1);
    PQenterPipelineMode(conn);
    PQsendPrepare(conn, "", "INSERT INTO bench_aio VALUES ($1, $2)", 2, nullptr);
    for (int i = 0; i < rows; ++i) {
      const std::string id = std::to_string(i);
      const std::string name = "name " + id;
      const char* values[] = {id.c_str(), name.c_str()};
      PQsendQueryPrepared(conn, "", 2, values, nullptr, nullptr, 0);
    }
    PQpipelineSync(conn);
    bool synced = false;
    while (!synced) {
      const bool unsent = PQflush(conn) == 1;
      pollfd fd{PQsocket(conn), short(POLLIN | (unsent ? POLLOUT : 0)), 0};
      if (PQisBusy(conn) == 1) ::poll(&fd, 1, -1);
      PQconsumeInput(conn);
      while (!synced && PQisBusy(conn) == 0) {
        PGresult* result = PQgetResult(conn);
        if (result == nullptr) continue;
        synced = PQresultStatus(result) == PGRES_PIPELINE_SYNC;
        PQclear(result);
      }
    }
    PQexitPipelineMode(conn);
    PQsetnonblocking(conn, 0);
  }
  PQfinish(conn);
  state.SetItemsProcessed(state.iterations() * rows);
}

/// COPY in text format with blocking calls: the rows formatted into chunks and handed to libpq.
void BM_inserts_copy_raw(benchmark::State& state) {
  PGconn* conn = blocking_connection();
  for (auto _ : state) {
    state.PauseTiming();
    fresh_table(conn);
    state.ResumeTiming();
    run_sql(conn, "COPY bench_aio (id, name) FROM STDIN");
    std::string chunk;
    for (int i = 0; i < rows; ++i) {
      chunk += std::to_string(i);
      chunk += "\tname ";
      chunk += std::to_string(i);
      chunk += '\n';
      if (chunk.size() >= 16 * 1024 || i + 1 == rows) {
        PQputCopyData(conn, chunk.data(), int(chunk.size()));
        chunk.clear();
      }
    }
    PQputCopyEnd(conn, nullptr);
    while (PGresult* result = PQgetResult(conn)) PQclear(result);
  }
  PQfinish(conn);
  state.SetItemsProcessed(state.iterations() * rows);
}

aio::Coro<void> inserts_pipelined(benchmark::State* state, bool copy) {
  auto db = co_await aio::pg::connect();
  for (auto _ : *state) {
    state->PauseTiming();
    co_await db->execute("DROP TABLE IF EXISTS bench_aio");
    co_await db->execute("CREATE TABLE bench_aio (id int, name text)");
    std::vector<aio::pg::Params> all = insert_rows();
    std::vector<std::string> columns{"id", "name"};
    state->ResumeTiming();
    if (copy) {
      co_await db->copy_records_to_table("bench_aio", std::move(columns), std::move(all));
    } else {
      co_await db->executemany("INSERT INTO bench_aio VALUES ($1, $2)", std::move(all));
    }
  }
}

void BM_inserts_pipelined_aio(benchmark::State& state) {
  aio::run(inserts_pipelined(&state, false));
  state.SetItemsProcessed(state.iterations() * rows);
}

void BM_inserts_copy_aio(benchmark::State& state) {
  aio::run(inserts_pipelined(&state, true));
  state.SetItemsProcessed(state.iterations() * rows);
}

// ---- asyncpg -------------------------------------------------------------------------------------

/// Runs one workload of measure_asyncpg.py once: its seconds, or a negative number if it did not
/// run (no asyncpg, say).
double asyncpg_seconds(const char* workload) {
  const std::string command = std::string(AIO_PYTHON) + " " + AIO_SOURCE_DIR +
                              "/lessons/19-async-database/measure_asyncpg.py " + workload;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return -1;
  char name[64];
  double seconds = -1;
  if (std::fscanf(pipe, "%63s %lf", name, &seconds) != 2) seconds = -1;
  ::pclose(pipe);
  return seconds;
}

void BM_asyncpg(benchmark::State& state, const char* workload) {
  for (auto _ : state) {
    const double seconds = asyncpg_seconds(workload);
    if (seconds < 0) {
      state.SkipWithError("asyncpg was not measured (is python3-asyncpg installed?)");
      break;
    }
    state.SetIterationTime(seconds);
  }
}

}  // namespace

// Every row is timed on one run of its workload; main() asks for repetitions.
BENCHMARK(BM_sleeps_sequential_aio)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_asyncpg, sleeps_sequential, "sleeps_sequential")->Name("BM_sleeps_sequential_asyncpg")->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_sleeps_concurrent_aio)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_asyncpg, sleeps_concurrent, "sleeps_concurrent")->Name("BM_sleeps_concurrent_asyncpg")->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_inserts_one_at_a_time_raw)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_inserts_one_at_a_time_aio)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_asyncpg, inserts_one_at_a_time, "inserts_one_at_a_time")->Name("BM_inserts_one_at_a_time_asyncpg")->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_inserts_pipelined_raw)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_inserts_pipelined_aio)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_asyncpg, inserts_pipelined, "inserts_pipelined")->Name("BM_inserts_pipelined_asyncpg")->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_inserts_copy_raw)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_inserts_copy_aio)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_asyncpg, inserts_copy, "inserts_copy")->Name("BM_inserts_copy_asyncpg")->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
  if (PQping("") != PQPING_OK) {
    std::printf("skipped: no PostgreSQL server answers; start one with: eval \"$(tools/pg-up)\"\n");
    return std::getenv("AIO_PG_REQUIRED") != nullptr ? 1 : 77;
  }
  // Repetitions, shuffled, and their median, unless the command line says otherwise.
  std::vector<char*> args(argv, argv + argc);
  std::string repetitions = aio_bench::smoke() ? "--benchmark_repetitions=1" : "--benchmark_repetitions=9";
  std::string interleave = "--benchmark_enable_random_interleaving=true";
  std::string aggregates = "--benchmark_report_aggregates_only=true";
  bool chosen = false;
  for (int i = 1; i < argc; ++i) chosen = chosen || std::string(argv[i]).starts_with("--benchmark_repetitions");
  if (!chosen) {
    args.push_back(repetitions.data());
    args.push_back(interleave.data());
    if (!aio_bench::smoke()) args.push_back(aggregates.data());
  }
  int count = int(args.size());
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
