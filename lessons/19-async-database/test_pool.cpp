// Tests for aio::pg::Pool (l19.ex5): at most max_size connections, lent one task at a time, a
// broken one never handed out again; and what the pool does when the server dies mid-query and
// comes back (l19.server, which stops and restarts the server of tools/pg-up).
#include <aio/async_with.hpp>
#include <aio/barrier.hpp>
#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/gather.hpp>
#include <aio/pg.hpp>
#include <aio/run.hpp>
#include <aio/run_in_executor.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio_test/catch.hpp>

#include "pg_test_support.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using aio::pg::Connection;
using aio::pg::Pool;
using aio_test::raises;

namespace {

/// One query on a connection of the pool: sleeps on the server, returns the server process.
aio::Coro<int> backend_after_sleep(Pool* pool, std::size_t* most_lent) {
  auto body = [](Connection* db, Pool* pool, std::size_t* most_lent) -> aio::Coro<int> {
    *most_lent = std::max(*most_lent, pool->size() - pool->idle());
    co_await db->execute("SELECT pg_sleep(0.05)");
    co_return db->backend_pid();
  };
  co_return co_await aio::async_with(pool->acquire(), body, pool, most_lent);
}

/// The same, but each query first waits until `together` of them hold a connection at once: on a
/// loaded machine the first ones would otherwise end before the last connections are open, and
/// give theirs back to the others.
aio::Coro<int> backend_together(Pool* pool, aio::Barrier* together) {
  auto body = [](Connection* db, aio::Barrier* together) -> aio::Coro<int> {
    co_await together->wait();
    co_await db->execute("SELECT pg_sleep(0.05)");
    co_return db->backend_pid();
  };
  co_return co_await aio::async_with(pool->acquire(), body, together);
}

aio::Coro<int> pid_of(Connection* db) { co_return db->backend_pid(); }

aio::Coro<void> break_it(Connection* db) {
  // Another connection ends this one's server process, as an administrator or a crash would.
  auto admin = co_await aio::pg::connect();
  co_await admin->execute("SELECT pg_terminate_backend($1)", db->backend_pid());
  co_await aio::sleep(50ms);
  co_await db->execute("SELECT 1");
}

aio::Coro<void> leave_transaction_open(Connection* db) { co_await db->execute("BEGIN"); }

}  // namespace

TEST_CASE("ten queries through a pool of ten run on ten connections at once", "[l19][ex5]") {
  auto main = []() -> aio::Coro<void> {
    auto pool = co_await aio::pg::create_pool("", {.min_size = 2, .max_size = 10});
    CHECK(pool->size() == 2);
    aio::Barrier together(10);  // passed only once ten connections are lent at the same time
    std::vector<aio::Coro<int>> queries;
    for (int i = 0; i < 10; ++i) queries.push_back(backend_together(pool.get(), &together));
    std::vector<int> pids = co_await aio::gather(std::move(queries));
    CHECK(std::set<int>(pids.begin(), pids.end()).size() == 10);
    CHECK(pool->size() == 10);
    CHECK(pool->idle() == 10);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("a pool never opens more than max_size connections", "[l19][ex5]") {
  auto main = []() -> aio::Coro<void> {
    auto pool = co_await aio::pg::create_pool("", {.min_size = 0, .max_size = 3});
    CHECK(pool->size() == 0);
    std::size_t most_lent = 0;
    std::vector<aio::Coro<int>> queries;
    for (int i = 0; i < 10; ++i) queries.push_back(backend_after_sleep(pool.get(), &most_lent));
    std::vector<int> pids = co_await aio::gather(std::move(queries));
    CHECK(std::set<int>(pids.begin(), pids.end()).size() == 3);
    CHECK(most_lent == 3);
    CHECK(pool->size() == 3);
  };
  aio::run(main(), {.virtual_clock = true});
}

// CPython: cpython/pool_broken_connection.py
TEST_CASE("a connection given back is lent again, not reopened", "[l19][ex5]") {
  auto main = []() -> aio::Coro<void> {
    auto pool = co_await aio::pg::create_pool("", {.min_size = 1, .max_size = 4});
    const int first = co_await aio::async_with(pool->acquire(), pid_of);
    const int second = co_await aio::async_with(pool->acquire(), pid_of);
    CHECK(first == second);
    CHECK(pool->size() == 1);
    const long value = co_await pool->fetchval<long>("SELECT $1::bigint * 2", 21);
    CHECK(value == 42);
    CHECK(pool->size() == 1);
  };
  aio::run(main(), {.virtual_clock = true});
}

// CPython: cpython/pool_broken_connection.py
TEST_CASE("a broken connection is discarded, and the next lease gets a new one", "[l19][ex5]") {
  auto main = []() -> aio::Coro<void> {
    auto pool = co_await aio::pg::create_pool("", {.min_size = 1, .max_size = 2});
    const int before = co_await aio::async_with(pool->acquire(), pid_of);
    const bool lost = co_await raises<aio::pg::Error>(aio::async_with(pool->acquire(), break_it));
    CHECK(lost);
    CHECK(pool->discarded() == 1);
    CHECK(pool->size() == 0);
    const int after = co_await aio::async_with(pool->acquire(), pid_of);
    CHECK(after != before);
    const int one = co_await pool->fetchval<int>("SELECT 1");
    CHECK(one == 1);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("a connection given back inside a transaction is not lent again", "[l19][ex5]") {
  auto main = []() -> aio::Coro<void> {
    auto pool = co_await aio::pg::create_pool("", {.min_size = 1, .max_size = 2});
    co_await aio::async_with(pool->acquire(), leave_transaction_open);
    CHECK(pool->discarded() == 1);
    CHECK(pool->idle() == 0);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("a failed connect gives its place in the pool back", "[l19][ex5]") {
  auto main = []() -> aio::Coro<void> {
    aio::pg::Pool pool("host=127.0.0.1 port=1", {.min_size = 0, .max_size = 1});
    for (int i = 0; i < 2; ++i) {
      const bool refused = co_await raises<aio::pg::ConnectionError>(aio::async_with(pool.acquire(), pid_of));
      CHECK(refused);  // the second would wait forever if the first kept its permit
    }
    CHECK(pool.size() == 0);
  };
  aio::run(main(), {.virtual_clock = true});
}

// ---------------------------------------------------------------------------------------------
// l19.server: the server dies mid-query and comes back

namespace {

int server_ctl(const char* command) {
  const char* dir = std::getenv("AIO_PG_DIR");
  return std::system((std::string(dir) + "/ctl " + command + " >/dev/null 2>&1").c_str());
}

aio::Coro<int> sleep_long(Connection* db) {
  co_await db->execute("SELECT pg_sleep(30)");
  co_return 0;
}

}  // namespace

TEST_CASE("the server killed mid-query raises ConnectionError; the pool recovers", "[l19][server]") {
  if (std::getenv("AIO_PG_DIR") == nullptr) {
    std::printf("skipped: this test stops and restarts the server of tools/pg-up, found through AIO_PG_DIR\n");
    std::exit(std::getenv("AIO_PG_REQUIRED") != nullptr ? 1 : 77);
  }
  auto main = []() -> aio::Coro<void> {
    auto pool = co_await aio::pg::create_pool("", {.min_size = 2, .max_size = 2});
    auto query = aio::create_task(aio::async_with(pool->acquire(), sleep_long));
    co_await aio::sleep(100ms);
    const int stopped = co_await aio::to_thread(server_ctl, "stop -m immediate");
    REQUIRE(stopped == 0);
    const bool lost = co_await raises<aio::pg::ConnectionError>(std::move(query));
    CHECK(lost);
    CHECK(pool->discarded() == 1);
    const bool down = co_await raises<aio::pg::ConnectionError>(pool->fetchval<int>("SELECT 1"));
    CHECK(down);  // the idle connection was broken too: discarded, then a new one was refused
    const int started = co_await aio::to_thread(server_ctl, "start");
    REQUIRE(started == 0);
    const int one = co_await pool->fetchval<int>("SELECT 1");
    CHECK(one == 1);
    CHECK(pool->size() == 1);
  };
  aio::run(main(), {.virtual_clock = true});
}
