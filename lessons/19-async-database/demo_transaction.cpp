// Lesson 19's second program: a transaction that commits, one that rolls back on an error, a
// slow query cancelled after which the same connection answers, and a query under wait_for.
// mirror_transaction.py is the same program on asyncpg; both print the same lines ("~ " lines
// are real-clock measurements, compared with their numbers masked).
#include <aio/async_with.hpp>
#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/pg.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio/wait_for.hpp>

#include "pg_server_check.hpp"

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>

using namespace std::chrono_literals;
using aio::pg::Connection;
using RealClock = std::chrono::steady_clock;

namespace {

double seconds_since(RealClock::time_point began) {
  return std::chrono::duration<double>(RealClock::now() - began).count();
}

// book:transfer
/// Moves `amount` from one account to another: two updates that must happen together or not
/// at all. An unknown account is an error after the first update has run.
aio::Coro<void> transfer(Connection* db, std::string from, std::string to, long amount) {
  co_await db->execute("UPDATE accounts SET balance = balance - $1 WHERE name = $2", amount, from);
  const std::string tag = co_await db->execute("UPDATE accounts SET balance = balance + $1 WHERE name = $2", amount, to);
  if (tag != "UPDATE 1") throw std::invalid_argument("no such account: '" + to + "'");
}
// end book:transfer

aio::Coro<void> print_balances(Connection* db) {
  auto rows = co_await db->fetch("SELECT name, balance FROM accounts ORDER BY name");
  std::string line = "balances:";
  for (const auto& row : rows) line += " " + row.get<std::string>(0) + "=" + std::to_string(row.get<long>(1));
  std::printf("%s\n", line.c_str());
}

aio::Coro<void> sleep_on_server(Connection* db, double seconds) {
  co_await db->execute("SELECT pg_sleep($1)", seconds);
}

aio::Coro<void> main_coro() {
  auto db = co_await aio::pg::connect();
  co_await db->execute("DROP TABLE IF EXISTS accounts");
  co_await db->execute("CREATE TABLE accounts (name text PRIMARY KEY, balance bigint NOT NULL)");
  co_await db->execute("INSERT INTO accounts VALUES ('alice', 100), ('bob', 50)");
  co_await print_balances(db.get());

  std::printf("== a transaction that commits: alice gives bob 30\n");
  co_await aio::async_with(db->transaction(), transfer, std::string("alice"), std::string("bob"), 30L);
  co_await print_balances(db.get());

  std::printf("== a transaction that rolls back: alice gives carol 20\n");
  try {
    co_await aio::async_with(db->transaction(), transfer, std::string("alice"), std::string("carol"), 20L);
  } catch (const std::invalid_argument& error) {
    std::printf("the body raised: %s\n", error.what());
  }
  co_await print_balances(db.get());

  std::printf("== a query of 10 s, cancelled after 0.2 s\n");
  auto began = RealClock::now();
  auto slow = aio::create_task(sleep_on_server(db.get(), 10.0));
  co_await aio::sleep(200ms);
  slow.cancel();
  try {
    co_await slow;
  } catch (const aio::CancelledError&) {
    std::printf("the task ended with CancelledError\n");
  }
  std::printf("~ it took %.2f s, and the connection sent %zu cancel request\n", seconds_since(began), db->cancels_sent());
  const std::string answer = co_await db->fetchval<std::string>("SELECT 'still here'");
  std::printf("the same connection answers: %s\n", answer.c_str());

  std::printf("== wait_for(a query of 10 s, 0.2 s)\n");
  began = RealClock::now();
  try {
    co_await aio::wait_for(sleep_on_server(db.get(), 10.0), 200ms);
  } catch (const aio::TimeoutError&) {
    std::printf("TimeoutError\n");
  }
  std::printf("~ it took %.2f s\n", seconds_since(began));
  const int one = co_await db->fetchval<int>("SELECT 1");
  std::printf("the same connection answers: %d\n", one);
  co_await db->execute("DROP TABLE accounts");
}

}  // namespace

int main() {
  aio::run(main_coro());
  return 0;
}
