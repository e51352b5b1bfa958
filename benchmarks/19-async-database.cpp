// Lesson 19's benchmarks, against the server of tools/pg-up (PGHOST, PGPORT, ...). Everything
// runs on the real clock: the server does.
//
// Waiting for the server:
//   BM_sleeps_sequential_aio        ten SELECT pg_sleep(0.1) on one connection: about 1 s.
//   BM_sleeps_concurrent_aio        the same ten through a pool of ten, with gather: about 0.1 s.
//
// Ten thousand one-row inserts (table (id int, name text)):
//   BM_inserts_one_at_a_time_raw    blocking PQexecParams, one after another: the floor of one
//                                   round trip per row on one connection.
//   BM_inserts_one_at_a_time_aio    co_await db->execute(...) in a loop: the same round trips
//                                   through the poller.
//   BM_inserts_pipelined_raw        libpq's pipeline mode driven by poll(): every row sent
//                                   before any reply is read.
//   BM_inserts_pipelined_aio        co_await db->executemany(...): the same through the loop.
//   BM_inserts_copy_aio             co_await db->copy_records_to_table(...): COPY FROM STDIN.
//
// asyncpg, in the same run: BM_asyncpg_* run lessons/19-async-database/measure_asyncpg.py once (the
// best of three runs of each workload) and report its seconds as their time.
#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/gather.hpp>
#include <aio/pg.hpp>
#include <aio/run.hpp>
#include <aio/task.hpp>

#include <benchmark/benchmark.h>
#include <libpq-fe.h>
#include <poll.h>

#include <cstdio>
#include <cstdlib>
#include <map>
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

aio::Coro<void> sleeps_sequential() {
  auto db = co_await aio::pg::connect();
  for (int i = 0; i < 10; ++i) co_await db->execute("SELECT pg_sleep(0.1)");
}

// book:bench-concurrent
aio::Coro<void> sleeps_concurrent(aio::pg::Pool* pool) {
  std::vector<aio::Coro<std::string>> queries;
  for (int i = 0; i < 10; ++i) queries.push_back(pool->execute("SELECT pg_sleep(0.1)"));
  co_await aio::gather(std::move(queries));
}
// end book:bench-concurrent

void BM_sleeps_sequential_aio(benchmark::State& state) {
  for (auto _ : state) aio::run(sleeps_sequential());
}

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

/// Runs measure_asyncpg.py once and keeps its lines "NAME SECONDS".
std::map<std::string, double> measure_asyncpg() {
  std::map<std::string, double> seconds;
  const std::string command = std::string(AIO_PYTHON) + " " + AIO_SOURCE_DIR + "/lessons/19-async-database/measure_asyncpg.py 3";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return seconds;
  char name[64];
  double value = 0;
  while (std::fscanf(pipe, "%63s %lf", name, &value) == 2) seconds[name] = value;
  ::pclose(pipe);
  return seconds;
}

void register_asyncpg() {
  const auto measured = measure_asyncpg();
  if (measured.empty()) {
    std::fprintf(stderr, "asyncpg was not measured (is python3-asyncpg installed?)\n");
    return;
  }
  for (const auto& [name, seconds] : measured) {
    benchmark::RegisterBenchmark(("BM_asyncpg_" + name).c_str(), [seconds = seconds](benchmark::State& state) {
      for (auto _ : state) state.SetIterationTime(seconds);
    })->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
  }
}

}  // namespace

BENCHMARK(BM_sleeps_sequential_aio)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_sleeps_concurrent_aio)->Iterations(3)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_inserts_one_at_a_time_raw)->Iterations(3)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_inserts_one_at_a_time_aio)->Iterations(3)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_inserts_pipelined_raw)->Iterations(3)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_inserts_pipelined_aio)->Iterations(3)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_inserts_copy_aio)->Iterations(3)->UseRealTime()->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
  if (PQping("") != PQPING_OK) {
    std::printf("skipped: no PostgreSQL server answers; start one with: eval \"$(tools/pg-up)\"\n");
    return std::getenv("AIO_PG_REQUIRED") != nullptr ? 1 : 77;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  register_asyncpg();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
