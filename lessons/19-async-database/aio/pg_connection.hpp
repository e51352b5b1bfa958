// aio::pg::Connection: one PostgreSQL connection, driven by the loop's poller (asyncpg's
// Connection).
//
//   conn = await asyncpg.connect(dsn)           auto db = co_await aio::pg::connect(conninfo);
//   await conn.execute("CREATE TABLE t ...")    co_await db->execute("CREATE TABLE t ...");
//   rows = await conn.fetch(sql, 1, "a")        auto rows = co_await db->fetch(sql, 1, "a");
//   row = await conn.fetchrow(sql)              std::optional<Row> row = co_await db->fetchrow(sql);
//   n = await conn.fetchval("SELECT 1")         auto n = co_await db->fetchval<int>("SELECT 1");
//   async for row in conn.cursor(sql): ...      auto rows = db->cursor(sql);
//                                               while (auto row = co_await rows.next()) { ... }
//   await conn.executemany(sql, args)           co_await db->executemany(sql, args);
//   await conn.copy_records_to_table(...)       co_await db->copy_records_to_table(...);
//
// libpq, PostgreSQL's C client, does the protocol; its non-blocking half never waits on the
// socket itself. It says what it needs (to read, or to write) and leaves the waiting to us, and
// that is exactly the loop's job (lesson 17's poller):
//
//   send      PQsendQueryParams puts the query in libpq's output buffer; PQflush writes it out,
//             and says 1 when the socket is full: wait until it is writable, flush again.
//   receive   PQconsumeInput reads what the socket holds; PQisBusy says whether a whole result
//             has arrived; if not, wait until the socket is readable and consume again.
//             PQgetResult hands over each result, then null: the query is over.
//
// One operation at a time per connection: the protocol is a conversation, and a second query
// sent while the first one's rows are coming would mix the two (asyncpg raises InterfaceError
// "another operation is in progress"; so does aio::pg). Many queries at once take many
// connections: a Pool (aio/pg_pool.hpp).
//
// The invariant every operation keeps: it ends with the connection idle (every result read, up
// to the null), or it closes the connection. A connection in between, with half a reply still
// in the socket, would give the next query the last one's rows.
//
// Cancellation: a task cancelled while its query runs on the server asks the server to stop it
// (PQcancel, which blocks, so it runs in a worker thread: lesson 16's to_thread), reads the
// query's end (SQLSTATE 57014, query_canceled), and only then lets CancelledError go on. The
// connection is idle again and serves the next query. wait_for(query, 1s) cancels the same way.
//
// On the virtual clock, a query on its way counts as work outside the loop (lesson 16's
// Inbox::begin_outside_work): time must not jump past an answer that is still coming.
//
// Where the awaiting coroutine resumes: every operation runs inside the awaiting task; it
// suspends only on the socket (or, when cancelled, on the worker thread), and resumes when the
// poller sees the socket ready, from the loop's ready queue.
#pragma once

#include <aio/async_generator.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/not_implemented.hpp>
#include <aio/pg_errors.hpp>
#include <aio/pg_values.hpp>
#include <aio/poller.hpp>
#include <aio/run_in_executor.hpp>
#include <aio/socket.hpp>
#include <aio/stop_async_iteration.hpp>

#include <libpq-fe.h>

#include <cstddef>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aio::pg {

class Connection;
class Transaction;

/// Opens a connection without blocking the loop; `conninfo` is libpq's ("host=... port=...", a
/// postgresql:// URI, or "" to read PGHOST, PGPORT, PGUSER, PGDATABASE from the environment).
/// Throws ConnectionError if the server cannot be reached or refuses.
Coro<std::unique_ptr<Connection>> connect(std::string conninfo = "");

// book:connection
class Connection {
public:
  /// Where the connection is (see the invariant at the top of this file):
  ///   idle       ready for an operation
  ///   busy       an operation is under way: a second one is an InterfaceError
  ///   closed     closed by close(), or lost (the server went away, or an operation could not
  ///              end cleanly); every operation throws ConnectionError
  enum class State : unsigned char { idle, busy, closed };

  // The poller and the tasks of an operation point into this object: it must not move.
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() { close(); }

  /// Runs one statement and returns its command tag ("INSERT 0 1"), as asyncpg's execute().
  template <class... Args>
  Coro<std::string> execute(std::string sql, Args... args) {
    return execute_params(std::move(sql), Params{Param(std::move(args))...});
  }
  /// Every row of a query.
  template <class... Args>
  Coro<std::vector<Row>> fetch(std::string sql, Args... args) {
    return fetch_params(std::move(sql), Params{Param(std::move(args))...});
  }
  /// The first row, or std::nullopt if there is none.
  template <class... Args>
  Coro<std::optional<Row>> fetchrow(std::string sql, Args... args) {
    return fetchrow_params(std::move(sql), Params{Param(std::move(args))...});
  }
  /// The first column of the first row, as T. With T = std::optional<U>, NULL and "no row" are
  /// std::nullopt (asyncpg's None); otherwise either is an InterfaceError.
  template <class T, class... Args>
  Coro<T> fetchval(std::string sql, Args... args) {
    return fetchval_params<T>(std::move(sql), Params{Param(std::move(args))...});
  }

  Coro<std::string> execute_params(std::string sql, Params params);
  Coro<std::vector<Row>> fetch_params(std::string sql, Params params);
  Coro<std::optional<Row>> fetchrow_params(std::string sql, Params params);
  template <class T>
  Coro<T> fetchval_params(std::string sql, Params params);

  /// The rows of a query one at a time, as they arrive (libpq's single-row mode): a million
  /// rows never sit in memory at once. The connection stays busy until the generator finishes;
  /// closing it early (aclose(), or destroying it) cancels the rest of the query on the server.
  AsyncGenerator<Row> cursor(std::string sql, Params params = {});

  /// Runs `sql` once per parameter list, in one round trip (libpq's pipeline mode), in one
  /// implicit transaction: if one fails, none is kept. Returns how many ran.
  Coro<std::size_t> executemany(std::string sql, std::vector<Params> rows);
  /// Sends `rows` into `table`'s `columns` with COPY ... FROM STDIN, the server's bulk path.
  /// Returns how many rows the server took.
  Coro<std::size_t> copy_records_to_table(std::string table, std::vector<std::string> columns,
                                          std::vector<Params> rows);

  /// An async context manager (lesson 15): BEGIN, then COMMIT if the body returns, ROLLBACK if it
  /// throws or its task is cancelled. See aio/pg_transaction.hpp.
  Transaction transaction();

  /// Closes the connection now (asyncpg's close() without the goodbye). Idempotent.
  void close() noexcept;

  State state() const noexcept { return state_; }
  bool is_closed() const noexcept { return state_ == State::closed; }
  /// True if the connection can be handed to the next user: idle, and not inside a transaction.
  bool reusable() const noexcept {
    return state_ == State::idle && PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
  }
  /// The server process serving this connection (SELECT pg_backend_pid() gives the same).
  int backend_pid() const noexcept { return conn_ != nullptr ? PQbackendPID(conn_) : 0; }
  /// How many cancel requests this connection sent to the server (tests and demos read it).
  std::size_t cancels_sent() const noexcept { return cancels_sent_; }
  /// How many times connecting called PQconnectPoll: a handful, once per wake-up of the socket.
  std::size_t connect_polls() const noexcept { return connect_polls_; }
  PGconn* native() const noexcept { return conn_; }

private:
  friend Coro<std::unique_ptr<Connection>> connect(std::string conninfo);
  class Operation;

  explicit Connection(PGconn* conn) noexcept : conn_(conn) {}
  int fd() const noexcept { return PQsocket(conn_); }

  Coro<void> finish_connecting();                      // ex1
  /// One step of the handshake: PQconnectPoll, counted in connect_polls().
  PostgresPollingStatusType poll_connection() noexcept {
    ++connect_polls_;
    return PQconnectPoll(conn_);
  }
  Coro<Result> query(std::string sql, Params params);
  void send(const std::string& sql, const Params& params);
  Coro<void> flush();
  Coro<void> until_result_ready();                     // ex2
  Coro<Result> read_results();                         // ex2
  Coro<Result> results_or_cancel();
  Coro<void> cancel_on_server();                       // ex3
  ConnectionError lost(const std::string& what);

  PGconn* conn_;
  State state_ = State::idle;
  bool in_flight_ = false;  // a query was sent and its results are not yet read up to the null
  std::size_t cancels_sent_ = 0;
  std::size_t connect_polls_ = 0;
};
// end book:connection

// book:operation
/// One operation's hold on its connection: refuses a second operation while one runs, marks the
/// query as outside work on the virtual clock, and keeps the invariant at the top of this file:
/// an operation that ends with a query still in flight (its results not read up to the null: an
/// exception on the way, a frame destroyed) leaves the connection in an unknown place in the
/// conversation, so it closes it.
class Connection::Operation {
public:
  explicit Operation(Connection& connection) : connection_(&connection) {
    if (connection.state_ == State::closed) throw ConnectionError("the connection is closed");
    if (connection.state_ == State::busy) {
      throw InterfaceError("another operation is in progress on this connection: one query at a "
                           "time per connection (take one each from a Pool to run queries at once)");
    }
    connection.state_ = State::busy;
    inbox_ = poller_of(get_running_loop()).inbox();
    inbox_->begin_outside_work();
  }
  Operation(const Operation&) = delete;
  Operation& operator=(const Operation&) = delete;
  ~Operation() {
    inbox_->end_outside_work();
    if (connection_->state_ != State::busy) return;  // closed on the way
    if (connection_->in_flight_) {
      connection_->close();
    } else {
      connection_->state_ = State::idle;
    }
  }

private:
  Connection* connection_;
  std::shared_ptr<Inbox> inbox_;
};
// end book:operation

inline void Connection::close() noexcept {
  if (conn_ == nullptr) return;
  // The fd leaves the poller before libpq closes it: its number may be reused at once.
  const int socket = PQsocket(conn_);
  if (socket >= 0 && aio::detail::running_loop != nullptr) {
    if (Poller* poller = aio::detail::running_poller()) poller->forget(socket);
  }
  PQfinish(conn_);
  conn_ = nullptr;
  state_ = State::closed;
}

inline ConnectionError Connection::lost(const std::string& what) {
  std::string message = conn_ != nullptr ? PQerrorMessage(conn_) : "";
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  close();
  return ConnectionError(what + (message.empty() ? "" : ": " + message));
}

// ---- ex1: connecting -------------------------------------------------------------------------
// book:connect
inline Coro<std::unique_ptr<Connection>> connect(std::string conninfo) {
  PGconn* raw = PQconnectStart(conninfo.c_str());
  if (raw == nullptr) throw ConnectionError("libpq could not allocate a connection");
  // Owned from here on: whatever happens below, the destructor closes it.
  std::unique_ptr<Connection> connection(new Connection(raw));
  if (PQstatus(raw) == CONNECTION_BAD) throw connection->lost("cannot connect");
  // The handshake waits on the server, as a query does: on the virtual clock it is outside work,
  // or a busy machine, slow to start the server's process, would look like a loop with nothing
  // left to do (the poller counts a quiet socket as idle after a few milliseconds).
  const OutsideWork handshake(*poller_of(get_running_loop()).inbox());
  co_await connection->finish_connecting();
  // From now on libpq never blocks: PQflush and PQputCopyData say "later" instead of waiting.
  if (PQsetnonblocking(raw, 1) != 0) throw connection->lost("cannot make the connection non-blocking");
  co_return connection;
}
// end book:connect

// book:ex1
/// Drives PQconnectPoll until the connection is made: libpq says after each call whether it
/// waits to read or to write, and the socket may change between calls (another address tried).
inline Coro<void> Connection::finish_connecting() {
  AIO_TODO("l19.ex1", "poll, then wait for the direction libpq asks for, until OK or FAILED (see 'Step 1: connecting without blocking')");
}
// end book:ex1

// ---- sending -----------------------------------------------------------------------------------
// book:send
/// Puts the query and its parameters in libpq's output buffer. Parameters travel apart from the
/// SQL text; bytes go in binary, everything else as text the server parses into the column's type.
inline void Connection::send(const std::string& sql, const Params& params) {
  std::vector<const char*> values(params.size(), nullptr);
  std::vector<int> lengths(params.size(), 0);
  std::vector<int> formats(params.size(), 0);
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (params[i].is_null()) continue;
    values[i] = params[i].text().c_str();
    lengths[i] = int(params[i].text().size());
    formats[i] = params[i].is_binary() ? 1 : 0;
  }
  const int sent = PQsendQueryParams(conn_, sql.c_str(), int(params.size()), nullptr, values.data(),
                                     lengths.data(), formats.data(), 0);
  if (sent == 0) {
    if (PQstatus(conn_) == CONNECTION_BAD) throw lost("the connection was lost");
    throw InterfaceError(PQerrorMessage(conn_));
  }
  in_flight_ = true;
}

/// Writes libpq's output buffer out, waiting for room in the socket as often as needed.
inline Coro<void> Connection::flush() {
  for (;;) {
    const int left = PQflush(conn_);
    if (left == 0) co_return;
    if (left < 0) throw lost("the connection was lost while sending");
    co_await wait_writable(fd());
  }
}
// end book:send

// ---- ex2: reading the results ----------------------------------------------------------------
// book:ex2
/// Returns once PQgetResult can hand over the next result (or its final null) without blocking.
/// It reads from the socket only when libpq lacks bytes: reading ahead would pile the whole
/// result up in libpq's buffer (which it compacts, by copying, at every read), and take away the
/// server's reason to wait for a slow reader.
inline Coro<void> Connection::until_result_ready() {
  AIO_TODO("l19.ex2", "while libpq lacks bytes for a whole result: wait until the socket is readable, then consume; never read ahead (see 'Step 2: reading the results')");
}

/// Reads every result of the query in flight, up to libpq's null: then, and only then, the
/// connection is idle. Returns the last result; throws the first error, after the end.
inline Coro<Result> Connection::read_results() {
  AIO_TODO("l19.ex2", "every result up to the null, keeping the last; the first error is thrown only after the end (see 'Step 2: reading the results')");
}
// end book:ex2

// ---- ex3: cancelling ------------------------------------------------------------------------
// book:results-or-cancel
/// read_results(), except that a cancellation of the awaiting task stops the query on the
/// server first, so that the connection is idle again when CancelledError goes on.
inline Coro<Result> Connection::results_or_cancel() {
  std::exception_ptr cancelled;
  try {
    co_return co_await read_results();
  } catch (const CancelledError&) {
    cancelled = std::current_exception();  // no co_await in a handler: note it, leave, then await
  }
  co_await cancel_on_server();
  std::rethrow_exception(cancelled);
}
// end book:results-or-cancel

// book:ex3
/// Asks the server to cancel the query in flight and reads what is left of it. PQcancel opens a
/// second connection and waits for the server's answer, so it runs in a worker thread; by the
/// time it returns the server has seen it, and it cannot hit a later query. If anything goes
/// wrong here (a second cancellation, the server gone), the query stays in flight and the
/// Operation closes the connection. Each request sent counts in cancels_sent().
inline Coro<void> Connection::cancel_on_server() {
  AIO_TODO("l19.ex3", "PQcancel in a worker thread, then read the query to its end; whatever fails here leaves it in flight (see 'Step 3: cancelling on the server')");
}
// end book:ex3

// ---- the operations ----------------------------------------------------------------------------
inline Coro<Result> Connection::query(std::string sql, Params params) {
  Operation operation(*this);
  send(sql, params);
  co_await flush();
  Result result = co_await results_or_cancel();
  co_return result;
}

inline Coro<std::string> Connection::execute_params(std::string sql, Params params) {
  const Result result = co_await query(std::move(sql), std::move(params));
  co_return result.status();
}

inline Coro<std::vector<Row>> Connection::fetch_params(std::string sql, Params params) {
  const Result result = co_await query(std::move(sql), std::move(params));
  co_return result.all_rows();
}

inline Coro<std::optional<Row>> Connection::fetchrow_params(std::string sql, Params params) {
  const Result result = co_await query(std::move(sql), std::move(params));
  if (result.rows() == 0) co_return std::nullopt;
  co_return result.row(0);
}

template <class T>
Coro<T> Connection::fetchval_params(std::string sql, Params params) {
  const Result result = co_await query(std::move(sql), std::move(params));
  if (result.rows() == 0 || PQnfields(result.get()) == 0) {
    if constexpr (detail::IsOptional<T>::value) {
      co_return std::nullopt;
    } else {
      throw InterfaceError("fetchval: the query returned no value; ask for a std::optional to accept none");
    }
  }
  co_return result.row(0).get<T>(0);
}

// ---- ex6: streaming rows ----------------------------------------------------------------------
// book:ex6
inline AsyncGenerator<Row> Connection::cursor([[maybe_unused]] std::string sql, [[maybe_unused]] Params params) {
  AIO_TODO("l19.ex6", "single-row mode: yield each row as its result comes; a consumer that stops early must not leave the query running (see 'Step 6: streaming rows')");
}
// end book:ex6

// ---- pipelining and COPY ------------------------------------------------------------------------
// book:executemany
inline Coro<std::size_t> Connection::executemany(std::string sql, std::vector<Params> rows) {
  Operation operation(*this);
  if (rows.empty()) co_return 0;
  if (PQenterPipelineMode(conn_) == 0) throw InterfaceError(PQerrorMessage(conn_));
  // Parsed once (the unnamed statement), then bound and run once per row; nothing waits for a
  // reply until the end. Sent in batches, reading the replies that have come after each one:
  // the server stops reading while its replies pile up unread, and both sides would wait.
  const int count = int(rows.front().size());
  if (PQsendPrepare(conn_, "", sql.c_str(), count, nullptr) == 0) throw InterfaceError(PQerrorMessage(conn_));
  in_flight_ = true;
  constexpr std::size_t batch = 256;
  std::size_t results = 0;  // replies taken so far, of rows.size() + 1 (the prepare)
  std::optional<Error> failure;
  auto take_ready = [&] {  // every result that has arrived in full, without waiting
    bool ended = false;       // a null ends one statement's results; two: nothing more has come
    while (PQisBusy(conn_) == 0) {
      PGresult* raw = PQgetResult(conn_);
      if (raw == nullptr) {
        if (ended) return false;
        ended = true;
        continue;
      }
      ended = false;
      Result result(raw);
      const ExecStatusType status = result.exec_status();
      if (status == PGRES_PIPELINE_SYNC) return true;
      if (status == PGRES_FATAL_ERROR && !failure) failure = error_of(raw);
      ++results;
    }
    return false;
  };
  bool synced = false;
  std::vector<const char*> values(std::size_t(count), nullptr);
  std::vector<int> lengths(std::size_t(count), 0);
  std::vector<int> formats(std::size_t(count), 0);
  for (std::size_t start = 0; start < rows.size(); start += batch) {
    const std::size_t end = std::min(rows.size(), start + batch);
    for (std::size_t r = start; r < end; ++r) {
      const Params& row = rows[r];
      if (int(row.size()) != count) {
        throw InterfaceError("executemany: row " + std::to_string(r) + " has " + std::to_string(row.size()) +
                             " parameters, the first has " + std::to_string(count));
      }
      for (std::size_t i = 0; i < row.size(); ++i) {
        values[i] = row[i].is_null() ? nullptr : row[i].text().c_str();
        lengths[i] = row[i].is_null() ? 0 : int(row[i].text().size());
        formats[i] = row[i].is_binary() ? 1 : 0;
      }
      if (PQsendQueryPrepared(conn_, "", count, values.data(), lengths.data(), formats.data(), 0) == 0) {
        throw lost("executemany could not send");
      }
    }
    if (end == rows.size() && PQpipelineSync(conn_) == 0) throw lost("executemany could not sync");
    co_await flush();
    if (PQconsumeInput(conn_) == 0) throw lost("the connection was lost");
    synced = take_ready();
  }
  while (!synced) {
    co_await until_result_ready();
    synced = take_ready();
  }
  if (PQexitPipelineMode(conn_) == 0) throw lost("executemany could not leave pipeline mode");
  in_flight_ = false;
  if (failure) throw *failure;
  co_return rows.size();
}
// end book:executemany

namespace detail {
/// One value in COPY's text format: tab-separated, \N for NULL, backslash escapes. Most values
/// have nothing to escape: the text between two special characters is appended in one piece.
inline void append_copy_value(std::string& line, const Param& value) {
  if (value.is_null()) {
    line += "\\N";
    return;
  }
  if (value.is_binary()) throw InterfaceError("copy_records_to_table sends text: pass bytea as text");
  std::string_view rest = value.text();
  for (;;) {
    const std::size_t special = rest.find_first_of("\\\t\n\r");
    line.append(rest.substr(0, special));
    if (special == std::string_view::npos) return;
    switch (rest[special]) {
      case '\\': line += "\\\\"; break;
      case '\t': line += "\\t"; break;
      case '\n': line += "\\n"; break;
      default: line += "\\r"; break;
    }
    rest.remove_prefix(special + 1);
  }
}
}  // namespace detail

inline Coro<std::size_t> Connection::copy_records_to_table(std::string table, std::vector<std::string> columns,
                                                           std::vector<Params> rows) {
  Operation operation(*this);
  // Names cannot be parameters: they are quoted as identifiers instead, so none can end the
  // statement early.
  auto quote = [this](const std::string& name) {
    std::unique_ptr<char, decltype(&PQfreemem)> quoted(PQescapeIdentifier(conn_, name.c_str(), name.size()), &PQfreemem);
    if (!quoted) throw InterfaceError(PQerrorMessage(conn_));
    return std::string(quoted.get());
  };
  std::string sql = "COPY " + quote(table) + " (";
  for (std::size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + quote(columns[i]);
  sql += ") FROM STDIN";
  send(sql, {});
  co_await flush();
  co_await until_result_ready();
  {
    Result start(PQgetResult(conn_));
    if (!start || start.exec_status() != PGRES_COPY_IN) {
      if (start && start.exec_status() == PGRES_FATAL_ERROR) {
        const Error error = error_of(start.get());
        co_await read_results();  // up to the null: the connection is idle again
            throw error;
      }
      throw lost("COPY did not start");
    }
  }
  std::string chunk;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t i = 0; i < rows[r].size(); ++i) {
      if (i) chunk += '\t';
      detail::append_copy_value(chunk, rows[r][i]);
    }
    chunk += '\n';
    // Chunks of 16 KiB: the server parses one while the next is formatted. (Larger chunks only
    // keep it waiting longer for the first.)
    if (chunk.size() < 16 * 1024 && r + 1 < rows.size()) continue;
    for (;;) {  // 0: libpq's buffer is full (non-blocking mode); make room and try again
      const int put = PQputCopyData(conn_, chunk.data(), int(chunk.size()));
      if (put == 1) break;
      if (put < 0) throw lost("COPY could not send");
      co_await wait_writable(fd());
      if (PQflush(conn_) < 0) throw lost("COPY could not send");
    }
    chunk.clear();
  }
  for (;;) {
    const int ended = PQputCopyEnd(conn_, nullptr);
    if (ended == 1) break;
    if (ended < 0) throw lost("COPY could not end");
    co_await wait_writable(fd());
  }
  co_await flush();
  const Result result = co_await read_results();
  const char* tuples = PQcmdTuples(result.get());
  co_return std::size_t(std::stoull(*tuples != '\0' ? tuples : "0"));
}

}  // namespace aio::pg
