// aio::pg::Pool: a few connections shared by many tasks (asyncpg's Pool).
//
//   pool = await asyncpg.create_pool(dsn,     auto pool = co_await aio::pg::create_pool(conninfo,
//       min_size=2, max_size=10)                  {.min_size = 2, .max_size = 10});
//   async with pool.acquire() as conn:        co_await aio::async_with(pool->acquire(),
//       await conn.fetch(...)                     [](aio::pg::Connection* db) -> aio::Coro<void> {
//                                                   co_await db->fetch(...);
//                                                 });
//   await pool.fetchval("SELECT 1")           co_await pool->fetchval<int>("SELECT 1");
//
// A connection serves one query at a time (aio/pg_connection.hpp), so ten queries at once need
// ten connections; opening one costs a few milliseconds and a server process. The pool keeps
// them open between uses, and never opens more than max_size: lesson 12's Semaphore holds
// max_size permits, one per connection that may exist. acquire() takes a permit (waiting, in
// order, while all are lent), then an idle connection, or opens a new one.
//
// Giving one back is where the pool protects the next user: a connection that is closed, lost,
// busy, or still inside a transaction is not handed out again; it is closed and its permit
// frees a place for a new one. So after the server restarts, the broken connections go away as
// they come back, and the next acquire() opens fresh ones.
//
// The pool must outlive every lease; it does not move (the semaphore's waiters point into it).
#pragma once

#include <aio/coro.hpp>
#include <aio/lock.hpp>
#include <aio/not_implemented.hpp>
#include <aio/pg_connection.hpp>
#include <aio/pg_errors.hpp>
#include <aio/semaphore.hpp>

#include <algorithm>
#include <cstddef>
#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace aio::pg {

struct PoolOptions {
  std::size_t min_size = 1;   // opened by create_pool
  std::size_t max_size = 10;  // never more open at once
};

// book:pool
class Pool {
public:
  /// What acquire() returns: an async context manager whose body receives a Connection*.
  class Lease;

  Pool(std::string conninfo, PoolOptions options) : conninfo_(std::move(conninfo)), options_(options),
                                                    permits_(long(options.max_size)) {
    if (options.max_size == 0 || options.min_size > options.max_size) {
      throw ValueError("a Pool needs 0 <= min_size <= max_size and max_size >= 1: got min_size " +
                       std::to_string(options.min_size) + ", max_size " + std::to_string(options.max_size));
    }
  }
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  /// Opens min_size connections.
  Coro<void> open();
  Lease acquire();

  /// One statement on a connection of the pool, given back at once.
  template <class... Args>
  Coro<std::string> execute(std::string sql, Args... args) {
    return execute_params(std::move(sql), Params{Param(std::move(args))...});
  }
  template <class... Args>
  Coro<std::vector<Row>> fetch(std::string sql, Args... args) {
    return fetch_params(std::move(sql), Params{Param(std::move(args))...});
  }
  template <class T, class... Args>
  Coro<T> fetchval(std::string sql, Args... args) {
    return fetchval_params<T>(std::move(sql), Params{Param(std::move(args))...});
  }
  Coro<std::string> execute_params(std::string sql, Params params);
  Coro<std::vector<Row>> fetch_params(std::string sql, Params params);
  template <class T>
  Coro<T> fetchval_params(std::string sql, Params params);

  /// Connections open now: idle ones and lent ones.
  std::size_t size() const noexcept { return idle_.size() + lent_.size(); }
  std::size_t idle() const noexcept { return idle_.size(); }
  /// How many connections the pool closed instead of handing them out again.
  std::size_t discarded() const noexcept { return discarded_; }

  Coro<Connection*> take();                  // ex5
  void give_back(Connection* connection);    // ex5

private:
  std::string conninfo_;
  PoolOptions options_;
  Semaphore permits_;                                // one per connection that may be open
  std::vector<std::unique_ptr<Connection>> idle_;    // the last one given back is taken first
  std::vector<std::unique_ptr<Connection>> lent_;
  std::size_t discarded_ = 0;
};
// end book:pool

class Pool::Lease {
public:
  explicit Lease(Pool* pool) noexcept : pool_(pool) {}
  Coro<Connection*> enter() {
    connection_ = co_await pool_->take();
    co_return connection_;
  }
  Coro<void> exit(std::exception_ptr) {
    pool_->give_back(connection_);
    co_return;
  }

private:
  Pool* pool_;
  Connection* connection_ = nullptr;
};

inline Pool::Lease Pool::acquire() { return Lease(this); }

inline Coro<void> Pool::open() {
  while (size() < options_.min_size) {
    std::unique_ptr<Connection> connection = co_await connect(conninfo_);
    idle_.push_back(std::move(connection));
  }
}

/// asyncpg's create_pool: a Pool with min_size connections open.
inline Coro<std::unique_ptr<Pool>> create_pool(std::string conninfo = "", PoolOptions options = {}) {
  auto pool = std::make_unique<Pool>(std::move(conninfo), options);
  co_await pool->open();
  co_return pool;
}

// ---- ex5: lending and taking back ------------------------------------------------------------
// book:ex5
/// A permit first (waiting while max_size connections are lent), then the most recently given
/// back idle connection, or a new one. A connect that fails gives the permit back.
inline Coro<Connection*> Pool::take() {
  Guard<Semaphore> permit = co_await permits_.acquire();
  std::unique_ptr<Connection> connection;
  if (!idle_.empty()) {
    connection = std::move(idle_.back());
    idle_.pop_back();
  } else {
    connection = co_await connect(conninfo_);
  }
  permit.detach();  // the permit now belongs to the lent connection, until give_back
  lent_.push_back(std::move(connection));
  co_return lent_.back().get();
}

/// Takes a lent connection back: idle again if the next user can trust it, otherwise closed.
/// Either way its permit is released, which wakes the oldest waiting take().
inline void Pool::give_back(Connection* connection) {
  const auto found = std::find_if(lent_.begin(), lent_.end(),
                                  [connection](const auto& lent) { return lent.get() == connection; });
  if (found == lent_.end()) throw InterfaceError("this connection was not lent by this pool");
  std::unique_ptr<Connection> returned = std::move(*found);
  lent_.erase(found);
  if (returned->reusable()) {
    idle_.push_back(std::move(returned));
  } else {
    ++discarded_;  // closed as `returned` goes
  }
  permits_.release();
}
// end book:ex5

inline Coro<std::string> Pool::execute_params(std::string sql, Params params) {
  Connection* connection = co_await take();
  std::exception_ptr error;
  std::string tag;
  try {
    tag = co_await connection->execute_params(std::move(sql), std::move(params));
  } catch (...) {
    error = std::current_exception();
  }
  give_back(connection);
  if (error) std::rethrow_exception(error);
  co_return tag;
}

inline Coro<std::vector<Row>> Pool::fetch_params(std::string sql, Params params) {
  Connection* connection = co_await take();
  std::exception_ptr error;
  std::vector<Row> rows;
  try {
    rows = co_await connection->fetch_params(std::move(sql), std::move(params));
  } catch (...) {
    error = std::current_exception();
  }
  give_back(connection);
  if (error) std::rethrow_exception(error);
  co_return rows;
}

template <class T>
Coro<T> Pool::fetchval_params(std::string sql, Params params) {
  Connection* connection = co_await take();
  std::exception_ptr error;
  std::optional<T> value;
  try {
    value = co_await connection->fetchval_params<T>(std::move(sql), std::move(params));
  } catch (...) {
    error = std::current_exception();
  }
  give_back(connection);
  if (error) std::rethrow_exception(error);
  co_return std::move(*value);
}

}  // namespace aio::pg
