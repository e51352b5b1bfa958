// aio::pg's values: parameters going to the server, rows coming back.
//
// Parameters travel apart from the SQL text (libpq's PQsendQueryParams): the statement says $1,
// $2, ... and the values follow in their own message, so no value can ever be read as SQL. A
// name with a quote in it is a name, not the end of a string literal.
//
//   await conn.fetch("SELECT * FROM t WHERE id = $1 AND name = $2", 7, "O'Brien")
//   co_await db->fetch("SELECT * FROM t WHERE id = $1 AND name = $2", {7, "O'Brien"});
//
// A Param is the text the server reads (PostgreSQL parses "42", "true", "2.5" into the column's
// type), or NULL (std::nullopt, an empty std::optional), or raw bytes for a bytea column
// (aio::pg::Bytes, sent in binary: any byte, NUL included).
//
// A Row is one row of a Result; it shares the result's memory (a PGresult, which libpq keeps
// until PQclear), so rows stay valid after the query is over, as asyncpg's Records do. Columns
// are read by position or by name, in the type asked for:
//
//   row.get<std::int64_t>(0)  row.get<std::string>("name")  row.get<std::optional<double>>("x")
//
// Reading NULL as anything but a std::optional is an InterfaceError that says so: C++ has no None.
#pragma once

#include <aio/pg_errors.hpp>

#include <libpq-fe.h>

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace aio::pg {

/// Raw bytes, for bytea columns.
struct Bytes {
  std::string data;
  bool operator==(const Bytes&) const = default;
};

/// One parameter: its text, NULL, or bytes (see the top of this file).
class Param {
public:
  Param(std::nullopt_t) noexcept {}
  Param(std::string text) : value_(std::move(text)) {}
  Param(std::string_view text) : value_(std::string(text)) {}
  Param(const char* text) {
    if (text == nullptr) throw InterfaceError("a null const char* is no parameter; pass std::nullopt for NULL");
    value_ = text;
  }
  Param(bool value) : value_(value ? "true" : "false") {}
  template <class I>
    requires(std::is_integral_v<I> && !std::is_same_v<I, bool> && !std::is_same_v<I, char>)
  Param(I value) : value_(std::to_string(value)) {}
  Param(double value) {
    char buffer[32];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;  // shortest exact
    value_ = std::string(buffer, end);
  }
  Param(Bytes bytes) : value_(std::move(bytes.data)), binary_(true) {}
  template <class T>
  Param(std::optional<T> value) {
    if (value) *this = Param(std::move(*value));
  }

  bool is_null() const noexcept { return !value_; }
  bool is_binary() const noexcept { return binary_; }
  const std::string& text() const { return *value_; }

private:
  std::optional<std::string> value_;
  bool binary_ = false;
};

using Params = std::vector<Param>;

namespace detail {

struct ClearResult {
  void operator()(PGresult* result) const noexcept { PQclear(result); }
};

/// Parses a column's text as T; false if it is not one.
template <class T>
bool parse(std::string_view text, T& value) {
  if constexpr (std::is_same_v<T, std::string>) {
    value.assign(text);
    return true;
  } else if constexpr (std::is_same_v<T, bool>) {
    if (text != "t" && text != "f") return false;
    value = text == "t";
    return true;
  } else if constexpr (std::is_same_v<T, Bytes>) {
    // bytea's text form: \x then two hex digits a byte.
    if (text.size() < 2 || text.substr(0, 2) != "\\x" || text.size() % 2 != 0) return false;
    value.data.clear();
    for (std::size_t i = 2; i < text.size(); i += 2) {
      unsigned byte = 0;
      const auto [end, error] = std::from_chars(text.data() + i, text.data() + i + 2, byte, 16);
      if (error != std::errc() || end != text.data() + i + 2) return false;
      value.data.push_back(char(byte));
    }
    return true;
  } else {
    static_assert(std::is_arithmetic_v<T>, "aio::pg reads columns as std::string, bool, Bytes, "
                                           "integers and floating-point numbers (or std::optional of one)");
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size();
  }
}

template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};

}  // namespace detail

/// One row of a Result: see the top of this file.
class Row {
public:
  Row(std::shared_ptr<PGresult> result, int row) noexcept : result_(std::move(result)), row_(row) {}

  int size() const noexcept { return PQnfields(result_.get()); }
  std::string column_name(int column) const { return PQfname(result_.get(), checked(column)); }
  bool is_null(int column) const { return PQgetisnull(result_.get(), row_, checked(column)) == 1; }

  /// Column `column` as T; T = std::optional<U> reads NULL as std::nullopt.
  template <class T>
  T get(int column) const {
    checked(column);
    if constexpr (detail::IsOptional<T>::value) {
      if (is_null(column)) return std::nullopt;
      return get<typename T::value_type>(column);
    } else {
      if (is_null(column)) {
        throw InterfaceError("column '" + column_name(column) +
                             "' is NULL; read it as a std::optional to accept NULL");
      }
      const std::string_view text(PQgetvalue(result_.get(), row_, column),
                                  std::size_t(PQgetlength(result_.get(), row_, column)));
      T value{};
      if (!detail::parse(text, value)) {
        throw InterfaceError("column '" + column_name(column) + "' holds '" + std::string(text) +
                             "', which is not a " + type_name<T>());
      }
      return value;
    }
  }
  /// The same by the column's name (as the query's SELECT list names it).
  template <class T>
  T get(const std::string& name) const {
    const int column = PQfnumber(result_.get(), name.c_str());
    if (column < 0) throw InterfaceError("the result has no column named '" + name + "'");
    return get<T>(column);
  }

private:
  int checked(int column) const {
    if (column < 0 || column >= size()) {
      throw InterfaceError("column " + std::to_string(column) + " is out of range: the row has " +
                           std::to_string(size()) + " columns");
    }
    return column;
  }
  template <class T>
  static const char* type_name() {
    if constexpr (std::is_same_v<T, bool>) return "boolean";
    else if constexpr (std::is_integral_v<T>) return "integer of that size";
    else if constexpr (std::is_floating_point_v<T>) return "floating-point number";
    else if constexpr (std::is_same_v<T, Bytes>) return "bytea";
    else return "value of that type";
  }

  std::shared_ptr<PGresult> result_;
  int row_;
};

/// Everything one statement returned: its rows, and its status ("INSERT 0 1", "SELECT 3").
class Result {
public:
  Result() = default;
  explicit Result(PGresult* result) : result_(result, detail::ClearResult{}) {}

  int rows() const noexcept { return result_ ? PQntuples(result_.get()) : 0; }
  Row row(int index) const {
    if (index < 0 || index >= rows()) {
      throw InterfaceError("row " + std::to_string(index) + " is out of range: the result has " +
                           std::to_string(rows()) + " rows");
    }
    return Row(result_, index);
  }
  std::vector<Row> all_rows() const {
    std::vector<Row> rows;
    rows.reserve(std::size_t(this->rows()));
    for (int i = 0; i < this->rows(); ++i) rows.emplace_back(result_, i);
    return rows;
  }
  /// The command's tag, as asyncpg's execute() returns it: "INSERT 0 1", "CREATE TABLE".
  std::string status() const { return result_ ? PQcmdStatus(result_.get()) : ""; }
  ExecStatusType exec_status() const noexcept { return PQresultStatus(result_.get()); }
  PGresult* get() const noexcept { return result_.get(); }
  explicit operator bool() const noexcept { return result_ != nullptr; }

private:
  std::shared_ptr<PGresult> result_;
};

/// The server's error in `result` (one whose status is PGRES_FATAL_ERROR).
inline Error error_of(const PGresult* result) {
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  const char* message = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  if (message == nullptr) message = PQresultErrorMessage(result);
  return Error(state != nullptr ? state : "XX000", message != nullptr ? message : "unknown error");
}

}  // namespace aio::pg
