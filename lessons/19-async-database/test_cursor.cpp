// Tests for streaming rows as an async generator (l19.ex6), and for the bulk paths that send
// many rows without waiting for each reply: executemany (pipeline mode) and COPY (l19.bulk).
#include <aio/async_generator.hpp>
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
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using aio::pg::Connection;
using aio::pg::Params;
using aio::pg::Row;
using aio_test::raises;

namespace {

aio::Coro<long> sum_of_stream(Connection* db, int n) {
  auto rows = db->cursor("SELECT g FROM generate_series(1, $1::int) AS g", {n});
  long sum = 0;
  while (auto row = co_await rows.next()) sum += row->get<long>(0);
  co_return sum;
}

aio::Coro<long> count_stream(aio::AsyncGenerator<Row> rows) {
  long count = 0;
  while (auto row = co_await rows.next()) ++count;
  co_return count;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// l19.ex6: streaming rows

// CPython: cpython/cursor_in_transaction.py
// (a difference: asyncpg needs a transaction)
TEST_CASE("a cursor yields every row of a large result, one at a time", "[l19][ex6]") {
  auto main = []() -> aio::Coro<void> {
    auto db = co_await aio::pg::connect();
    const long sum = co_await sum_of_stream(db.get(), 100000);
    CHECK(sum == 100000L * 100001L / 2);
    CHECK(db->state() == Connection::State::idle);
    const int next = co_await db->fetchval<int>("SELECT 5");
    CHECK(next == 5);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("a cursor keeps one row in memory, not the whole result", "[l19][ex6]") {
  auto main = []() -> aio::Coro<void> {
    auto db = co_await aio::pg::connect();
    auto rows = db->cursor("SELECT g FROM generate_series(1, 3) AS g");
    auto first = co_await rows.next();
    REQUIRE(first.has_value());
    // Each row is a result of its own (single-row mode): the first row's result holds one row.
    CHECK(first->get<int>(0) == 1);
    CHECK(db->state() == Connection::State::busy);  // the rest is still on its way
    std::vector<int> rest;
    while (auto row = co_await rows.next()) rest.push_back(row->get<int>(0));
    CHECK(rest == std::vector<int>{2, 3});
    CHECK(db->state() == Connection::State::idle);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("closing a cursor early cancels the rest and frees the connection", "[l19][ex6]") {
  auto main = []() -> aio::Coro<void> {
    auto db = co_await aio::pg::connect();
    // A hundred seconds of rows, one per millisecond: far more than anyone waits for.
    auto rows = db->cursor("SELECT g, pg_sleep(0.001) FROM generate_series(1, 100000) AS g");
    for (int i = 0; i < 3; ++i) {
      auto row = co_await rows.next();
      REQUIRE(row.has_value());
    }
    co_await rows.aclose();
    CHECK(db->cancels_sent() == 1);
    CHECK(db->state() == Connection::State::idle);
    const std::string next = co_await db->fetchval<std::string>("SELECT 'next'");
    CHECK(next == "next");
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("an error in the middle of a stream is raised after the rows before it", "[l19][ex6]") {
  auto main = []() -> aio::Coro<void> {
    auto db = co_await aio::pg::connect();
    auto rows = db->cursor("SELECT 10 / (3 - g) FROM generate_series(1, 5) AS g");
    std::vector<int> seen;
    std::string state;
    try {
      while (auto row = co_await rows.next()) seen.push_back(row->get<int>(0));
    } catch (const aio::pg::Error& error) {
      state = error.sqlstate();
    }
    CHECK(seen == std::vector<int>{5, 10});
    CHECK(state == "22012");  // division_by_zero
    CHECK(db->state() == Connection::State::idle);
    const int next = co_await db->fetchval<int>("SELECT 6");
    CHECK(next == 6);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("a task cancelled while it streams leaves the connection idle", "[l19][ex6]") {
  auto main = []() -> aio::Coro<void> {
    auto db = co_await aio::pg::connect();
    auto task = aio::create_task(count_stream(db->cursor("SELECT pg_sleep(0.01) FROM generate_series(1, 100000)")));
    co_await aio::sleep(100ms);
    task.cancel();
    const bool cancelled = co_await raises<aio::CancelledError>(std::move(task));
    CHECK(cancelled);
    CHECK(db->cancels_sent() == 1);
    CHECK(db->state() == Connection::State::idle);
    const int next = co_await db->fetchval<int>("SELECT 8");
    CHECK(next == 8);
  };
  aio::run(main(), {.virtual_clock = true});
}

// ---------------------------------------------------------------------------------------------
// l19.bulk: executemany (pipeline mode) and COPY

TEST_CASE("executemany inserts ten thousand rows in one pipeline", "[l19][bulk]") {
  auto main = []() -> aio::Coro<void> {
    auto db = co_await aio::pg::connect();
    co_await aio_test::fresh_table(db.get(), "l19_bulk", "id int, name text");
    std::vector<Params> rows;
    for (int i = 0; i < 10000; ++i) rows.push_back({i, "name " + std::to_string(i)});
    const std::size_t ran = co_await db->executemany("INSERT INTO l19_bulk VALUES ($1, $2)", std::move(rows));
    CHECK(ran == 10000);
    CHECK(PQpipelineStatus(db->native()) == PQ_PIPELINE_OFF);
    const long count = co_await db->fetchval<long>("SELECT count(*) FROM l19_bulk");
    CHECK(count == 10000);
    const std::string last = co_await db->fetchval<std::string>("SELECT name FROM l19_bulk WHERE id = 9999");
    CHECK(last == "name 9999");
    co_await db->execute("DROP TABLE l19_bulk");
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("executemany keeps none of its rows when one fails", "[l19][bulk]") {
  auto main = []() -> aio::Coro<void> {
    auto db = co_await aio::pg::connect();
    co_await aio_test::fresh_table(db.get(), "l19_bulk_fail", "id int PRIMARY KEY");
    std::vector<Params> rows;
    for (int i = 0; i < 1000; ++i) rows.push_back({i == 700 ? 5 : i});  // 5 twice
    std::string state;
    try {
      co_await db->executemany("INSERT INTO l19_bulk_fail VALUES ($1)", std::move(rows));
    } catch (const aio::pg::Error& error) {
      state = error.sqlstate();
    }
    CHECK(state == aio::pg::sqlstate::unique_violation);
    CHECK(db->state() == Connection::State::idle);
    const long count = co_await db->fetchval<long>("SELECT count(*) FROM l19_bulk_fail");
    CHECK(count == 0);
    co_await db->execute("DROP TABLE l19_bulk_fail");
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("COPY sends rows with tabs, newlines, backslashes and NULL unchanged", "[l19][bulk]") {
  auto main = []() -> aio::Coro<void> {
    auto db = co_await aio::pg::connect();
    co_await aio_test::fresh_table(db.get(), "l19_copy", "id int, note text");
    std::vector<Params> rows;
    for (int i = 0; i < 5000; ++i) rows.push_back({i, "row " + std::to_string(i)});
    rows.push_back({-1, "a\ttab, a\nnewline, a \\ backslash"});
    rows.push_back({-2, std::nullopt});
    std::vector<std::string> columns{"id", "note"};
    const std::size_t copied = co_await db->copy_records_to_table("l19_copy", columns, std::move(rows));
    CHECK(copied == 5002);
    const std::string tricky = co_await db->fetchval<std::string>("SELECT note FROM l19_copy WHERE id = -1");
    CHECK(tricky == "a\ttab, a\nnewline, a \\ backslash");
    const auto null = co_await db->fetchval<std::optional<std::string>>("SELECT note FROM l19_copy WHERE id = -2");
    CHECK(null == std::nullopt);
    co_await db->execute("DROP TABLE l19_copy");
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("COPY into a table that does not exist raises 42P01", "[l19][bulk]") {
  auto main = []() -> aio::Coro<void> {
    auto db = co_await aio::pg::connect();
    std::vector<std::string> columns{"id"};  // built apart: no braced list inside a co_await
    std::vector<Params> rows{{1}};
    std::string state;
    try {
      co_await db->copy_records_to_table("l19_no_such_table", columns, rows);
    } catch (const aio::pg::Error& error) {
      state = error.sqlstate();
    }
    CHECK(state == aio::pg::sqlstate::undefined_table);
    const int next = co_await db->fetchval<int>("SELECT 9");
    CHECK(next == 9);
  };
  aio::run(main(), {.virtual_clock = true});
}
