// Lesson 15's generator program: the connection and the transaction of demo.cpp, each written as
// one async generator that yields once (Python's @asynccontextmanager), turned into a manager by
// aio::context_manager. mirror_generator.py is the same program in asyncio; both print the same
// lines.
#include <aio/async_generator.hpp>
#include <aio/async_with.hpp>
#include <aio/context_manager.hpp>
#include <aio/coro.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <utility>

using namespace std::chrono_literals;

namespace {

std::string elapsed() { return aio::format_seconds(aio::get_running_loop().time()); }

/// Python's built-in ValueError.
struct ValueError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A connection to a database that is not there, without enter() and exit() this time.
class Connection {
public:
  explicit Connection(std::string name) : name_(std::move(name)) {}

  aio::Coro<void> connect() {
    std::printf("%s connecting to %s...\n", elapsed().c_str(), name_.c_str());
    co_await aio::sleep(500ms);
    std::printf("%s connected to %s\n", elapsed().c_str(), name_.c_str());
  }
  aio::Coro<void> disconnect() {
    std::printf("%s disconnecting from %s...\n", elapsed().c_str(), name_.c_str());
    co_await aio::sleep(200ms);
    std::printf("%s disconnected from %s\n", elapsed().c_str(), name_.c_str());
  }
  aio::Coro<void> execute(std::string query) {
    std::printf("%s %s: %s\n", elapsed().c_str(), name_.c_str(), query.c_str());
    co_await aio::sleep(300ms);
  }

private:
  std::string name_;
};

// book:generators
/// Connect, hand over the connection, disconnect whatever happened: Python's try/finally
/// around the yield. The connection lives in the generator's frame.
aio::AsyncGenerator<Connection*> connected(std::string name) {
  Connection db(std::move(name));
  co_await db.connect();
  std::exception_ptr error;
  try {
    co_yield &db;
  } catch (...) {
    error = std::current_exception();  // no co_await in a handler: remember it, leave, then await
  }
  co_await db.disconnect();
  if (error) std::rethrow_exception(error);
}

/// BEGIN; then COMMIT if the body returned, or ROLLBACK and the error goes on.
aio::AsyncGenerator<Connection*> transaction(Connection* db) {
  co_await db->execute("BEGIN");
  std::exception_ptr error;
  try {
    co_yield db;
  } catch (...) {
    error = std::current_exception();
  }
  if (error) {
    co_await db->execute("ROLLBACK");
    std::rethrow_exception(error);
  }
  co_await db->execute("COMMIT");
}
// end book:generators

aio::Coro<void> transfer(Connection* db, int amount) {
  co_await db->execute("UPDATE accounts SET balance = balance - " + std::to_string(amount) + " WHERE id = 1");
  if (amount > 100) throw ValueError("insufficient funds for " + std::to_string(amount));
  co_await db->execute("UPDATE accounts SET balance = balance + " + std::to_string(amount) + " WHERE id = 2");
}

// book:use-generators
aio::Coro<void> in_transaction(Connection* db, int amount) {
  co_await aio::async_with(aio::context_manager(transaction(db)), transfer, amount);
}

aio::Coro<void> amain() {
  std::printf("== a connection and a transaction, each made of a generator\n");
  for (int amount : {50, 500}) {
    try {
      co_await aio::async_with(aio::context_manager(connected("bank")), in_transaction, amount);
      std::printf("%s main: transferred %d\n", elapsed().c_str(), amount);
    } catch (const ValueError& error) {
      std::printf("%s main: caught ValueError: %s\n", elapsed().c_str(), error.what());
    }
  }
}
// end book:use-generators

}  // namespace

int main() {
  try {
    aio::run(amain());
  } catch (const std::exception& error) {  // an unfinished exercise, on the exercises track
    std::fprintf(stderr, "%s\n", error.what());
    return 1;
  }
}
