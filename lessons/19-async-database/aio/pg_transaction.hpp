// aio::pg::Transaction: a transaction as an async context manager (lesson 15).
//
//   async with conn.transaction():             co_await aio::async_with(db->transaction(),
//       await conn.execute("INSERT ...")          [](aio::pg::Connection* db) -> aio::Coro<void> {
//       await conn.execute("UPDATE ...")            co_await db->execute("INSERT ...");
//                                                   co_await db->execute("UPDATE ...");
//                                                 });
//
// enter() sends BEGIN; exit() sends COMMIT if the body returned and ROLLBACK if it threw or its
// task was cancelled. async_with shields the exit (lesson 15), so a cancellation cannot stop the
// ROLLBACK halfway; and a query cancelled inside the body has already been stopped and read to
// its end (aio/pg_connection.hpp), so the connection is idle when ROLLBACK goes out.
//
// Nested transactions (asyncpg's savepoints) are not built here: a transaction() inside another
// is an InterfaceError.
#pragma once

#include <aio/coro.hpp>
#include <aio/not_implemented.hpp>
#include <aio/pg_connection.hpp>
#include <aio/pg_errors.hpp>

#include <libpq-fe.h>

#include <exception>

namespace aio::pg {

// book:transaction
class Transaction {
public:
  explicit Transaction(Connection* connection) noexcept : connection_(connection) {}

  /// BEGIN; the body receives the connection.
  Coro<Connection*> enter() {
    if (!connection_->is_closed() && PQtransactionStatus(connection_->native()) != PQTRANS_IDLE) {
      throw InterfaceError("a transaction is already open on this connection (savepoints are not built here)");
    }
    co_await connection_->execute("BEGIN");
    co_return connection_;
  }

  Coro<void> exit(std::exception_ptr error);  // ex4

private:
  Connection* connection_;
};
// end book:transaction

// book:ex4
/// COMMIT after a body that returned; ROLLBACK after one that threw. A COMMIT the server turns
/// into a rollback (a statement failed and the body swallowed its error) is an Error: the body's
/// work is gone, and the caller must hear of it. A connection lost meanwhile has nothing left to
/// roll back: the server drops an open transaction with its connection.
inline Coro<void> Transaction::exit([[maybe_unused]] std::exception_ptr error) {
  AIO_TODO("l19.ex4", "COMMIT after success, ROLLBACK after an error; a COMMIT turned ROLLBACK, or a lost connection, is an error (see 'Step 4: a transaction as a context manager')");
}
// end book:ex4

inline Transaction Connection::transaction() { return Transaction(this); }

}  // namespace aio::pg
