// Helpers for lesson 19's tests: a real PostgreSQL server, found through PGHOST, PGPORT, PGUSER
// and PGDATABASE (tools/pg-up sets them).
//
// Without a server the test program stops before any test runs, with exit code 77, which CTest
// reports as "skipped" (SKIP_RETURN_CODE), and a message that says how to start one.
//
// A co_await never stands inside a CHECK: Catch's macros wrap their expression in code that
// GCC 12 does not suspend and resume correctly. The result is awaited into a named local first.
#pragma once

#include <aio/coro.hpp>
#include <aio/pg.hpp>
#include <aio/task.hpp>
#include <aio_test/raises.hpp>

#include "pg_server_check.hpp"

#include <string>
#include <utility>

namespace aio_test {

/// A table of this test's own, created empty: tests may run in parallel on one server.
inline aio::Coro<void> fresh_table(aio::pg::Connection* db, std::string name, std::string columns) {
  co_await db->execute("DROP TABLE IF EXISTS " + name);
  co_await db->execute("CREATE TABLE " + name + " (" + columns + ")");
}

}  // namespace aio_test
