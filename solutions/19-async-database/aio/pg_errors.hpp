// aio::pg's errors: what the server said, and what went wrong on the way to it.
//
//   asyncpg                                   aio::pg
//   asyncpg.PostgresError (.sqlstate)         aio::pg::Error (sqlstate(), message())
//     UniqueViolationError, ...                 the same class; tell them apart by sqlstate()
//   asyncpg.ConnectionDoesNotExistError,      aio::pg::ConnectionError (the connection failed or
//   ConnectionRefusedError, ...                 was lost: throw the connection away)
//   asyncpg.InterfaceError                    aio::pg::InterfaceError (a misuse: two queries at
//                                               once on one connection, a NULL read as an int)
//
// An Error leaves the connection usable: the server refused one statement and is ready for the
// next. A ConnectionError does not: the Pool discards a connection that threw one.
#pragma once

#include <aio/errors.hpp>

#include <stdexcept>
#include <string>
#include <utility>

namespace aio::pg {

/// An error the server reported for a statement: a syntax error, a constraint violation, a
/// cancelled query (SQLSTATE 57014). The five-character SQLSTATE tells which; the message is
/// the server's own words.
class Error : public std::runtime_error {
public:
  Error(std::string sqlstate, std::string message)
      : std::runtime_error(message + " (SQLSTATE " + sqlstate + ")"),
        sqlstate_(std::move(sqlstate)),
        message_(std::move(message)) {}
  const std::string& sqlstate() const noexcept { return sqlstate_; }
  const std::string& message() const noexcept { return message_; }

private:
  std::string sqlstate_;
  std::string message_;
};

/// The connection could not be made, or was lost (the server went away mid-query). SQLSTATE
/// 08006, connection_failure, as the server would call it.
class ConnectionError : public Error {
public:
  explicit ConnectionError(const std::string& message) : Error("08006", message) {}
};

/// A misuse of the driver, found before anything reached the server.
class InterfaceError : public RuntimeError {
public:
  explicit InterfaceError(const std::string& what) : RuntimeError(what) {}
};

/// SQLSTATEs the lesson's programs look for.
namespace sqlstate {
inline constexpr const char* query_canceled = "57014";
inline constexpr const char* unique_violation = "23505";
inline constexpr const char* syntax_error = "42601";
inline constexpr const char* undefined_table = "42P01";
}  // namespace sqlstate

}  // namespace aio::pg
