// Tests for aio::pg::Connection on a real PostgreSQL server: connecting through the poller
// (l19.ex1), reading results (l19.ex2), cancelling a query on the server (l19.ex3).
//
// The connecting tests look at the connection only through libpq's accessors: they pass before
// any query can run.
//
// They run on the virtual clock: a query on its way counts as work outside the loop, so time
// waits for the server in real time and jumps only when nothing is on its way. Timestamps are
// then exact where the loop's own timers decide them.
#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/gather.hpp>
#include <aio/pg.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio/wait_for.hpp>
#include <aio_test/catch.hpp>

#include "pg_test_support.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using aio::pg::Bytes;
using aio::pg::Connection;
using aio::pg::Row;
using aio_test::raises;

namespace {

aio::Coro<std::vector<Row>> fetch_on(Connection* db, std::string sql) { co_return co_await db->fetch(std::move(sql)); }

}  // namespace

// ---------------------------------------------------------------------------------------------
// l19.ex1: connecting

TEST_CASE("connect reaches the server named by the environment", "[l19][ex1]") {
  auto main = []() -> aio::Coro<void> {
    auto db = co_await aio::pg::connect();
    CHECK(db->state() == Connection::State::idle);
    CHECK(PQstatus(db->native()) == CONNECTION_OK);
    CHECK(PQisnonblocking(db->native()) == 1);
    CHECK(db->backend_pid() > 0);
    const char* user = std::getenv("PGUSER");
    if (user != nullptr) CHECK(std::string(PQuser(db->native())) == user);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("connect over TCP to 127.0.0.1 goes through the poller", "[l19][ex1]") {
  auto main = []() -> aio::Coro<void> {
    const char* port = std::getenv("PGPORT");
    auto db = co_await aio::pg::connect(std::string("host=127.0.0.1 port=") + (port ? port : "5432"));
    CHECK(PQstatus(db->native()) == CONNECTION_OK);
    CHECK(std::string(PQhost(db->native())) == "127.0.0.1");
    CHECK(PQsocket(db->native()) >= 0);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("connecting polls libpq when the socket is ready, not in a spin", "[l19][ex1]") {
  auto main = []() -> aio::Coro<void> {
    const char* port = std::getenv("PGPORT");
    auto tcp = co_await aio::pg::connect(std::string("host=127.0.0.1 port=") + (port ? port : "5432"));
    auto local = co_await aio::pg::connect();
    // A handshake is a few round trips; waiting for the wrong direction (a socket is nearly
    // always writable) calls PQconnectPoll at every turn of the loop until the server answers.
    CHECK(tcp->connect_polls() >= 2);
    CHECK(tcp->connect_polls() <= 12);
    CHECK(local->connect_polls() <= 12);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("other tasks run while a connection is being made", "[l19][ex1]") {
  auto main = []() -> aio::Coro<void> {
    int ticks = 0;
    auto ticker = [](int* ticks) -> aio::Coro<void> {
      for (;;) {
        ++*ticks;
        co_await aio::sleep(0ms);
      }
    };
    auto task = aio::create_task(ticker(&ticks));
    auto db = co_await aio::pg::connect();
    // Each wait of the handshake (two at least: see the test above) is a turn in which the ticker
    // runs; a connect that blocked would return before the ticker ran at all.
    CHECK(ticks >= 2);
    task.cancel();
  };
  aio::run(main(), {.virtual_clock = true});
}

/// A stand-in for a server that is slow to start its process: it accepts one connection on a
/// port of 127.0.0.1, says nothing for `silence`, then hangs up.
class SilentListener {
public:
  explicit SilentListener(std::chrono::milliseconds silence) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
        ::listen(listener_, 1) != 0 || ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
      if (listener_ >= 0) ::close(listener_);
      throw std::runtime_error("the stand-in server could not listen on 127.0.0.1");
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this, silence] {
      const int peer = ::accept(listener_, nullptr, nullptr);
      std::this_thread::sleep_for(silence);
      if (peer >= 0) ::close(peer);
    });
  }
  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;
  ~SilentListener() {
    thread_.join();
    ::close(listener_);
  }
  int port() const { return port_; }

private:
  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
};

TEST_CASE("a handshake slower than a quiet socket's settling is waited for", "[l19][ex1]") {
  // On the virtual clock the poller counts a socket quiet for a few milliseconds as idle; a
  // connect that did not count its handshake as outside work would then end the run in a
  // DeadlockError while the server is still starting (as on a busy machine).
  SilentListener server(150ms);
  auto main = [](int port) -> aio::Coro<void> {
    const std::string conninfo = "host=127.0.0.1 port=" + std::to_string(port) +
                                 " sslmode=disable gssencmode=disable connect_timeout=5";
    const bool raised = co_await raises<aio::pg::ConnectionError>(aio::pg::connect(conninfo));
    CHECK(raised);  // the server hung up: an error from the handshake, after waiting for it
  };
  aio::run(main(server.port()), {.virtual_clock = true});
}

TEST_CASE("connecting to a port where nobody listens raises ConnectionError", "[l19][ex1]") {
  auto main = []() -> aio::Coro<void> {
    const bool raised = co_await raises<aio::pg::ConnectionError>(aio::pg::connect("host=127.0.0.1 port=1 connect_timeout=5"));
    CHECK(raised);
    const bool bad_name = co_await raises<aio::pg::ConnectionError>(aio::pg::connect("dbname=l19_no_such_database"));
    CHECK(bad_name);
  };
  aio::run(main(), {.virtual_clock = true});
}

// ---------------------------------------------------------------------------------------------
// l19.ex2: reading the results

TEST_CASE("fetch reads text, integers, floats, booleans and NULL by column", "[l19][ex2]") {
  auto main = []() -> aio::Coro<void> {
    auto db = co_await aio::pg::connect();
    auto rows = co_await db->fetch(
        "SELECT 'ab'::text AS t, 42::int AS i, 9000000000::bigint AS b, 2.5::float8 AS f, "
        "true AS yes, NULL::int AS nothing");
    REQUIRE(rows.size() == 1);
    const Row& row = rows[0];
    CHECK(row.get<std::string>("t") == "ab");
    CHECK(row.get<int>("i") == 42);
    CHECK(row.get<std::int64_t>(2) == 9000000000);
    CHECK(row.get<double>("f") == 2.5);
    CHECK(row.get<bool>("yes"));
    CHECK(row.get<std::optional<int>>("nothing") == std::nullopt);
    CHECK(row.get<std::optional<int>>("i") == 42);
    CHECK_THROWS_AS(row.get<int>("nothing"), aio::pg::InterfaceError);
    CHECK_THROWS_AS(row.get<int>("t"), aio::pg::InterfaceError);
    CHECK_THROWS_AS(row.get<int>("missing"), aio::pg::InterfaceError);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("fetch returns every row; fetchrow and fetchval the first", "[l19][ex2]") {
  auto main = []() -> aio::Coro<void> {
    auto db = co_await aio::pg::connect();
    auto rows = co_await db->fetch("SELECT g FROM generate_series(1, $1::int) AS g", 5);
    REQUIRE(rows.size() == 5);
    CHECK(rows[4].get<int>(0) == 5);
    auto first = co_await db->fetchrow("SELECT g, g * 10 FROM generate_series(7, 9) AS g");
    REQUIRE(first.has_value());
    CHECK(first->get<int>(1) == 70);
    auto none = co_await db->fetchrow("SELECT 1 WHERE false");
    CHECK_FALSE(none.has_value());
    const long sum = co_await db->fetchval<long>("SELECT sum(g) FROM generate_series(1, 100) AS g");
    CHECK(sum == 5050);
    const auto empty = co_await db->fetchval<std::optional<int>>("SELECT 1 WHERE false");
    CHECK(empty == std::nullopt);
    const std::string tag = co_await db->execute("SELECT 1 UNION SELECT 2");
    CHECK(tag == "SELECT 2");
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("quotes, Unicode and bytes round-trip as parameters, never as SQL", "[l19][ex2]") {
  auto main = []() -> aio::Coro<void> {
    auto db = co_await aio::pg::connect();
    co_await aio_test::fresh_table(db.get(), "l19_params", "name text, data bytea");
    const std::string tricky = "O'Brien'); DROP TABLE l19_params; --";
    const std::string unicode = "naïve café ☕ 数据库";
    std::string bytes;
    for (int c = 0; c < 256; ++c) bytes.push_back(char(c));  // NUL included: bytea goes in binary
    const Bytes data{bytes};  // built apart: GCC 12 mishandles braced temporaries in a co_await
    co_await db->execute("INSERT INTO l19_params VALUES ($1, $2), ($3, NULL)", tricky, data, unicode);
    auto rows = co_await db->fetch("SELECT name, data FROM l19_params ORDER BY name");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].get<std::string>("name") == tricky);
    CHECK(rows[0].get<Bytes>("data").data == bytes);
    CHECK(rows[1].get<std::string>("name") == unicode);
    CHECK(rows[1].get<std::optional<Bytes>>("data") == std::nullopt);
    const auto same = co_await db->fetchval<bool>("SELECT $1::text = $2::text", unicode, unicode);
    CHECK(same);
    co_await db->execute("DROP TABLE l19_params");
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("a syntax error raises its SQLSTATE and the connection stays usable", "[l19][ex2]") {
  auto main = []() -> aio::Coro<void> {
    auto db = co_await aio::pg::connect();
    std::string state;
    std::string message;
    try {
      co_await db->execute("SELEC 1");
    } catch (const aio::pg::Error& error) {
      state = error.sqlstate();
      message = error.message();
    }
    CHECK(state == aio::pg::sqlstate::syntax_error);
    CHECK(message == "syntax error at or near \"SELEC\"");
    CHECK(db->state() == Connection::State::idle);
    const int one = co_await db->fetchval<int>("SELECT 1");
    CHECK(one == 1);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("a constraint violation raises 23505 and the next query runs", "[l19][ex2]") {
  auto main = []() -> aio::Coro<void> {
    auto db = co_await aio::pg::connect();
    co_await aio_test::fresh_table(db.get(), "l19_unique", "id int PRIMARY KEY");
    co_await db->execute("INSERT INTO l19_unique VALUES ($1)", 1);
    std::string state;
    try {
      co_await db->execute("INSERT INTO l19_unique VALUES ($1)", 1);
    } catch (const aio::pg::Error& error) {
      state = error.sqlstate();
    }
    CHECK(state == aio::pg::sqlstate::unique_violation);
    const long count = co_await db->fetchval<long>("SELECT count(*) FROM l19_unique");
    CHECK(count == 1);
    co_await db->execute("DROP TABLE l19_unique");
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("an error in the first of two statements is raised after both are read", "[l19][ex2]") {
  auto main = []() -> aio::Coro<void> {
    auto db = co_await aio::pg::connect();
    // Without parameters a query string may hold several statements, each with its result;
    // the driver must read them all before the connection is free.
    const bool raised = co_await raises<aio::pg::Error>(db->execute("SELECT 1/0; SELECT 2"));
    CHECK(raised);
    const int three = co_await db->fetchval<int>("SELECT 3");
    CHECK(three == 3);
  };
  aio::run(main(), {.virtual_clock = true});
}

// CPython: cpython/another_operation.py
TEST_CASE("a second query while one runs is an InterfaceError, not a mix-up", "[l19][ex2]") {
  auto main = []() -> aio::Coro<void> {
    auto db = co_await aio::pg::connect();
    auto slow = aio::create_task(fetch_on(db.get(), "SELECT pg_sleep(0.05), 'slow'"));
    co_await aio::sleep(0ms);  // the slow query is on its way
    const bool refused = co_await raises<aio::pg::InterfaceError>(db->fetch("SELECT 'fast'"));
    CHECK(refused);
    auto rows = co_await slow;
    CHECK(rows[0].get<std::string>(1) == "slow");
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("two connections serve queries at once", "[l19][ex2]") {
  auto main = []() -> aio::Coro<void> {
    auto a = co_await aio::pg::connect();
    auto b = co_await aio::pg::connect();
    auto [ra, rb] = co_await aio::gather(fetch_on(a.get(), "SELECT pg_backend_pid()"),
                                         fetch_on(b.get(), "SELECT pg_backend_pid()"));
    CHECK(ra[0].get<int>(0) == a->backend_pid());
    CHECK(rb[0].get<int>(0) == b->backend_pid());
    CHECK(a->backend_pid() != b->backend_pid());
  };
  aio::run(main(), {.virtual_clock = true});
}

// ---------------------------------------------------------------------------------------------
// l19.ex3: cancelling a query

namespace {

aio::Coro<void> sleep_on_server(Connection* db, double seconds) {
  co_await db->execute("SELECT pg_sleep($1)", seconds);
}

}  // namespace

// CPython: cpython/cancel_query.py
TEST_CASE("a cancelled query stops on the server and the connection answers next", "[l19][ex3]") {
  auto main = []() -> aio::Coro<void> {
    auto db = co_await aio::pg::connect();
    auto task = aio::create_task(sleep_on_server(db.get(), 30.0));
    co_await aio::sleep(50ms);
    const auto started = std::chrono::steady_clock::now();
    task.cancel();
    const bool cancelled = co_await raises<aio::CancelledError>(std::move(task));
    CHECK(cancelled);
    // Without the cancel request the query would hold the connection for 30 s.
    CHECK(std::chrono::steady_clock::now() - started < 5s);
    CHECK(db->cancels_sent() == 1);
    CHECK(db->state() == Connection::State::idle);
    const std::string next = co_await db->fetchval<std::string>("SELECT 'still here'");
    CHECK(next == "still here");
  };
  aio::run(main(), {.virtual_clock = true});
}

// CPython: cpython/cancel_query.py
TEST_CASE("wait_for on a slow query times out and the connection is idle", "[l19][ex3]") {
  auto main = []() -> aio::Coro<void> {
    auto db = co_await aio::pg::connect();
    const bool timed_out = co_await raises<aio::TimeoutError>(aio::wait_for(sleep_on_server(db.get(), 30.0), 100ms));
    CHECK(timed_out);
    CHECK(db->cancels_sent() == 1);
    CHECK(db->state() == Connection::State::idle);
    auto watcher = co_await aio::pg::connect();
    const std::string state = co_await watcher->fetchval<std::string>(
        "SELECT state FROM pg_stat_activity WHERE pid = $1", db->backend_pid());
    CHECK(state == "idle");
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("a query that ends before the cancellation arrives is not disturbed", "[l19][ex3]") {
  auto main = []() -> aio::Coro<void> {
    auto db = co_await aio::pg::connect();
    const int value = co_await aio::wait_for(db->fetchval<int>("SELECT 7"), 10s);
    CHECK(value == 7);
    CHECK(db->cancels_sent() == 0);
  };
  aio::run(main(), {.virtual_clock = true});
}

// CPython: cpython/cancel_query.py
TEST_CASE("a cancelled query leaves the server with no statement running", "[l19][ex3]") {
  auto main = []() -> aio::Coro<void> {
    auto db = co_await aio::pg::connect();
    auto watcher = co_await aio::pg::connect();
    const int pid = db->backend_pid();
    auto task = aio::create_task(sleep_on_server(db.get(), 30.0));
    co_await aio::sleep(50ms);
    task.cancel();
    const bool cancelled = co_await raises<aio::CancelledError>(std::move(task));
    CHECK(cancelled);
    const std::string state = co_await watcher->fetchval<std::string>(
        "SELECT state FROM pg_stat_activity WHERE pid = $1", pid);
    CHECK(state == "idle");
  };
  aio::run(main(), {.virtual_clock = true});
}
