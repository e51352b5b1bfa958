// Lesson 15's narrated program: a database-like connection (simulated with sleeps) that connects,
// executes and disconnects; a transaction that commits on success and rolls back on error; two
// connections entered together on an exit stack and left in reverse order, also when the second
// one refuses. mirror.py is the same program in asyncio; both print the same lines.
#include <aio/async_exit_stack.hpp>
#include <aio/async_with.hpp>
#include <aio/coro.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <utility>

using namespace std::chrono_literals;

namespace {

std::string elapsed() { return aio::format_seconds(aio::get_running_loop().time()); }

/// Python's built-in ConnectionRefusedError.
struct ConnectionRefusedError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
/// Python's built-in ValueError, raised by the transfer below.
struct ValueError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// book:connection
/// A connection to a database that is not there: connecting takes 0.5 s, a query 0.3 s,
/// disconnecting 0.2 s. As a manager, enter() connects and hands the body the connection,
/// exit() disconnects, whatever happened in the body.
class Connection {
public:
  explicit Connection(std::string name, bool refuse = false) : name_(std::move(name)), refuse_(refuse) {}

  aio::Coro<Connection*> enter() {
    std::printf("%s connecting to %s...\n", elapsed().c_str(), name_.c_str());
    co_await aio::sleep(500ms);
    if (refuse_) throw ConnectionRefusedError(name_ + " refused the connection");
    std::printf("%s connected to %s\n", elapsed().c_str(), name_.c_str());
    co_return this;
  }

  aio::Coro<void> exit(std::exception_ptr) {
    std::printf("%s disconnecting from %s...\n", elapsed().c_str(), name_.c_str());
    co_await aio::sleep(200ms);
    std::printf("%s disconnected from %s\n", elapsed().c_str(), name_.c_str());
  }

  aio::Coro<std::string> execute(std::string query) {
    std::printf("%s %s: %s\n", elapsed().c_str(), name_.c_str(), query.c_str());
    co_await aio::sleep(300ms);
    co_return "result of " + query;
  }

private:
  std::string name_;
  bool refuse_;
};
// end book:connection

// book:transaction
/// BEGIN on entry; COMMIT if the body returned, ROLLBACK if it threw. The error goes on either
/// way: exit() returns Coro<void>, so it cannot swallow it.
class Transaction {
public:
  explicit Transaction(Connection* db) : db_(db) {}

  aio::Coro<Connection*> enter() {
    co_await db_->execute("BEGIN");
    co_return db_;
  }

  aio::Coro<void> exit(std::exception_ptr error) {
    if (error) {
      co_await db_->execute("ROLLBACK");
    } else {
      co_await db_->execute("COMMIT");
    }
  }

private:
  Connection* db_;
};
// end book:transaction

// book:use-connection
aio::Coro<void> count_orders(Connection* db) {
  std::string result = co_await db->execute("SELECT count(*) FROM orders");
  std::printf("%s got the %s\n", elapsed().c_str(), result.c_str());
}

aio::Coro<void> one_connection() {
  co_await aio::async_with(Connection("orders"), count_orders);
  std::printf("%s main: after the scope\n", elapsed().c_str());
}
// end book:use-connection

// book:transfer
aio::Coro<void> transfer(Connection* db, int amount) {
  co_await db->execute("UPDATE accounts SET balance = balance - " + std::to_string(amount) + " WHERE id = 1");
  if (amount > 100) throw ValueError("insufficient funds for " + std::to_string(amount));
  co_await db->execute("UPDATE accounts SET balance = balance + " + std::to_string(amount) + " WHERE id = 2");
}

aio::Coro<void> in_transaction(Connection* db, int amount) {
  co_await aio::async_with(Transaction(db), transfer, amount);
}

aio::Coro<void> transactions() {
  for (int amount : {50, 500}) {
    try {
      co_await aio::async_with(Connection("bank"), in_transaction, amount);
      std::printf("%s main: transferred %d\n", elapsed().c_str(), amount);
    } catch (const ValueError& error) {
      std::printf("%s main: caught ValueError: %s\n", elapsed().c_str(), error.what());
    }
  }
}
// end book:transfer

// book:two-connections
aio::Coro<void> copy_rows(aio::AsyncExitStack* stack, bool archive_refuses) {
  Connection* source = co_await stack->enter_async_context(Connection("orders"));
  Connection* target = co_await stack->enter_async_context(Connection("archive", archive_refuses));
  std::string rows = co_await source->execute("SELECT * FROM orders WHERE year = 2020");
  co_await target->execute("INSERT INTO orders_2020 " + rows);
}

aio::Coro<void> two_connections() {
  for (bool archive_refuses : {false, true}) {
    try {
      co_await aio::async_with(aio::AsyncExitStack(), copy_rows, archive_refuses);
      std::printf("%s main: copied\n", elapsed().c_str());
    } catch (const ConnectionRefusedError& error) {
      std::printf("%s main: caught ConnectionRefusedError: %s\n", elapsed().c_str(), error.what());
    }
  }
}
// end book:two-connections

aio::Coro<void> amain() {
  std::printf("== a connection: connect, execute, disconnect\n");
  co_await one_connection();
  std::printf("== a transaction commits on success, rolls back on error\n");
  co_await transactions();
  std::printf("== two connections on an exit stack: left in reverse order, also when one refuses\n");
  co_await two_connections();
}

}  // namespace

int main() {
  try {
    aio::run(amain());
  } catch (const std::exception& error) {  // an unfinished exercise, on the exercises track
    std::fprintf(stderr, "%s\n", error.what());
    return 1;
  }
}
