// Tests for aio::pg::Transaction (l19.ex4): an async context manager that commits when its body
// returns and rolls back when the body throws or its task is cancelled.
//
// Each test counts the rows afterwards on the same server: what was committed is there, what was
// rolled back is not.
#include <aio/async_with.hpp>
#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/pg.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio_test/catch.hpp>

#include "pg_test_support.hpp"

#include <chrono>
#include <stdexcept>
#include <string>

using namespace std::chrono_literals;
using aio::pg::Connection;
using aio_test::raises;

namespace {

aio::Coro<long> count_rows(Connection* db, std::string table) {
  co_return co_await db->fetchval<long>("SELECT count(*) FROM " + table);
}

aio::Coro<void> insert_two(Connection* db) {
  co_await db->execute("INSERT INTO l19_tx VALUES ($1)", 1);
  co_await db->execute("INSERT INTO l19_tx VALUES ($1)", 2);
}

aio::Coro<void> insert_then_fail(Connection* db) {
  co_await db->execute("INSERT INTO l19_tx VALUES ($1)", 1);
  throw std::runtime_error("the body failed");
}

aio::Coro<void> insert_then_sleep(Connection* db, long* inserted) {
  co_await db->execute("INSERT INTO l19_tx VALUES ($1)", 1);
  *inserted = co_await db->fetchval<long>("SELECT count(*) FROM l19_tx");
  co_await db->execute("SELECT pg_sleep(30)");
}

aio::Coro<void> in_transaction(Connection* db, long* inserted) {
  co_await aio::async_with(db->transaction(), insert_then_sleep, inserted);
}

aio::Coro<void> swallow_a_failure(Connection* db) {
  co_await db->execute("INSERT INTO l19_tx VALUES ($1)", 1);
  const bool failed = co_await raises<aio::pg::Error>(db->execute("INSERT INTO l19_tx VALUES ('not a number')"));
  CHECK(failed);
}

aio::Coro<void> nested(Connection* db) {
  co_await aio::async_with(db->transaction(), insert_two);
}

}  // namespace

// CPython: cpython/transaction.py
TEST_CASE("a transaction whose body returns is committed", "[l19][ex4]") {
  auto main = []() -> aio::Coro<void> {
    auto db = co_await aio::pg::connect();
    co_await aio_test::fresh_table(db.get(), "l19_tx", "id int");
    co_await aio::async_with(db->transaction(), insert_two);
    CHECK(PQtransactionStatus(db->native()) == PQTRANS_IDLE);
    auto other = co_await aio::pg::connect();  // sees only what was committed
    const long count = co_await count_rows(other.get(), "l19_tx");
    CHECK(count == 2);
    co_await db->execute("DROP TABLE l19_tx");
  };
  aio::run(main(), {.virtual_clock = true});
}

// CPython: cpython/transaction.py
TEST_CASE("a transaction whose body throws is rolled back and the error goes on", "[l19][ex4]") {
  auto main = []() -> aio::Coro<void> {
    auto db = co_await aio::pg::connect();
    co_await aio_test::fresh_table(db.get(), "l19_tx", "id int");
    const bool raised = co_await raises<std::runtime_error>(aio::async_with(db->transaction(), insert_then_fail));
    CHECK(raised);
    CHECK(PQtransactionStatus(db->native()) == PQTRANS_IDLE);
    const long count = co_await count_rows(db.get(), "l19_tx");
    CHECK(count == 0);
    co_await db->execute("DROP TABLE l19_tx");
  };
  aio::run(main(), {.virtual_clock = true});
}

// CPython: cpython/transaction.py
TEST_CASE("a task cancelled inside a transaction leaves nothing committed", "[l19][ex4]") {
  auto main = []() -> aio::Coro<void> {
    auto db = co_await aio::pg::connect();
    co_await aio_test::fresh_table(db.get(), "l19_tx", "id int");
    long inserted = 0;
    auto task = aio::create_task(in_transaction(db.get(), &inserted));
    co_await aio::sleep(100ms);
    task.cancel();
    const bool cancelled = co_await raises<aio::CancelledError>(std::move(task));
    CHECK(cancelled);
    CHECK(inserted == 1);  // the row was there, inside the transaction
    CHECK(db->state() == Connection::State::idle);
    CHECK(PQtransactionStatus(db->native()) == PQTRANS_IDLE);
    const long count = co_await count_rows(db.get(), "l19_tx");
    CHECK(count == 0);
    co_await db->execute("DROP TABLE l19_tx");
  };
  aio::run(main(), {.virtual_clock = true});
}

// CPython: cpython/swallowed_error.py
// (a difference: asyncpg does not raise)
TEST_CASE("a failed statement whose error the body swallowed makes COMMIT raise", "[l19][ex4]") {
  auto main = []() -> aio::Coro<void> {
    auto db = co_await aio::pg::connect();
    co_await aio_test::fresh_table(db.get(), "l19_tx", "id int");
    std::string state;
    try {
      co_await aio::async_with(db->transaction(), swallow_a_failure);
    } catch (const aio::pg::Error& error) {
      state = error.sqlstate();
    }
    CHECK(state == "25P02");
    CHECK(PQtransactionStatus(db->native()) == PQTRANS_IDLE);
    const long count = co_await count_rows(db.get(), "l19_tx");
    CHECK(count == 0);
    co_await db->execute("DROP TABLE l19_tx");
  };
  aio::run(main(), {.virtual_clock = true});
}

// CPython: cpython/nested_transaction.py
// (a difference: asyncpg makes a savepoint)
TEST_CASE("a transaction inside a transaction is refused", "[l19][ex4]") {
  auto main = []() -> aio::Coro<void> {
    auto db = co_await aio::pg::connect();
    co_await aio_test::fresh_table(db.get(), "l19_tx", "id int");
    const bool refused = co_await raises<aio::pg::InterfaceError>(aio::async_with(db->transaction(), nested));
    CHECK(refused);
    const long count = co_await count_rows(db.get(), "l19_tx");
    CHECK(count == 0);
    co_await db->execute("DROP TABLE l19_tx");
  };
  aio::run(main(), {.virtual_clock = true});
}
