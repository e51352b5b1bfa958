// aio::HeadParser: the head of an HTTP/1.1 message (request line or status line, then headers),
// read incrementally.
//
//   parser.feed("GET /sea")          -> 8 bytes used, not done
//   parser.feed("rch?q=x HTTP/1.1\r\nHost: a\r\n\r\nBODY")
//                                    -> 35 bytes used, done: "BODY" is not the head's
//
// The parser does no I/O: the connection hands it whatever bytes arrived, in pieces of any size
// (one byte at a time from a slow client, or a head and half a body in one read), and it says
// how many it used. It stops right after the empty line that ends the head, so the bytes after
// it (a body, or the next request of a keep-alive connection) stay with the caller.
//
// Limits are checked as bytes come, not when a line is complete: a client that sends a
// megabyte without a newline is refused after 8 KiB, and the parser never holds more than the
// limit. What goes wrong becomes an HttpError with the status to answer:
//   request line over 8 KiB, or malformed     400
//   headers over 16 KiB or over 100 of them   431
//   Content-Length over the body limit        413
//   a version other than HTTP/1.0 or 1.1      505
//   a chunked request body                    501 (this server reads Content-Length bodies only)
#pragma once

#include <aio/http_message.hpp>
#include <aio/not_implemented.hpp>

#include <charconv>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace aio {

/// The sizes a server accepts.
struct HttpLimits {
  std::size_t request_line = 8 * 1024;  // the first line, without its CRLF
  std::size_t headers = 16 * 1024;      // every header line together
  std::size_t header_count = 100;
  std::size_t body = 1024 * 1024;  // Content-Length
};

// book:head-parser
/// Reads one message head. States:
///   first_line  collecting the request line (or the status line, for a response)
///   headers     collecting header lines until the empty one
///   done        the head is complete: request() (or status()) and headers are ready
///   failed      error() says why; the connection answers it and closes
class HeadParser {
public:
  enum class Kind { request, response };
  enum class State { first_line, headers, done, failed };

  explicit HeadParser(Kind kind = Kind::request, HttpLimits limits = {}) : kind_(kind), limits_(limits) {}

  /// Uses bytes from `data` until the head is complete, or fails, or the data runs out;
  /// returns how many it used.
  std::size_t feed(std::string_view data);

  State state() const noexcept { return state_; }
  bool done() const noexcept { return state_ == State::done; }
  bool failed() const noexcept { return state_ == State::failed; }
  /// True once any byte of this head has arrived (an idle keep-alive connection has none).
  bool started() const noexcept { return seen_ > 0; }
  const HttpError& error() const { return *error_; }

  /// The request (Kind::request), once done.
  Request& request() noexcept { return message_; }
  /// The status code and headers (Kind::response), once done.
  int status() const noexcept { return status_; }
  Headers& headers() noexcept { return message_.headers; }
  /// The body's length from Content-Length (0 when absent), once done.
  std::size_t content_length() const noexcept { return content_length_; }
  /// True when the body comes chunked (responses only).
  bool chunked() const noexcept { return chunked_; }

  /// Ready for the next message on the same connection.
  void reset() {
    state_ = State::first_line;
    line_.clear();
    header_bytes_ = 0;
    seen_ = 0;
    message_ = Request{};
    status_ = 0;
    content_length_ = 0;
    chunked_ = false;
    error_.reset();
  }

private:
  void on_line(std::string_view line);
  void on_request_line(std::string_view line);
  void on_status_line(std::string_view line);
  void on_header_line(std::string_view line);
  void on_end_of_head();
  void fail(int status, const std::string& why) {
    state_ = State::failed;
    error_.emplace(status, why);
  }

  Kind kind_;
  HttpLimits limits_;
  State state_ = State::first_line;
  std::string line_;             // the line being collected, without its newline yet
  std::size_t header_bytes_ = 0;  // header lines so far, newlines included
  std::size_t seen_ = 0;          // bytes of this head so far
  Request message_;
  int status_ = 0;
  std::size_t content_length_ = 0;
  bool chunked_ = false;
  std::optional<HttpError> error_;
};
// end book:head-parser

// ---- ex1: feeding the parser ------------------------------------------------------------
// book:feed
inline std::size_t HeadParser::feed([[maybe_unused]] std::string_view data) {
  AIO_TODO("l18.ex1", "collect bytes up to each newline, check the limits as bytes come, hand whole lines on (see 'Step 1: parsing a head as bytes come')");
}
// end book:feed

inline void HeadParser::on_line(std::string_view line) {
  if (state_ == State::first_line) {
    if (kind_ == Kind::request) {
      on_request_line(line);
    } else {
      on_status_line(line);
    }
    if (state_ != State::failed) state_ = State::headers;
  } else if (line.empty()) {
    on_end_of_head();
  } else {
    on_header_line(line);
  }
}

namespace detail {
/// HTTP's "token": the characters a method or a header name may use.
inline bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    const bool ok = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
                    std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

/// "HTTP/1.1" -> 1, "HTTP/1.0" -> 0; -1 for another valid version, -2 for garbage.
inline int minor_version_of(std::string_view version) {
  if (version == "HTTP/1.1") return 1;
  if (version == "HTTP/1.0") return 0;
  if (version.size() == 8 && version.starts_with("HTTP/") && version[6] == '.') return -1;
  return -2;
}
}  // namespace detail

// book:request-line
inline void HeadParser::on_request_line(std::string_view line) {
  // METHOD SP TARGET SP VERSION, single spaces, nothing else.
  const std::size_t first = line.find(' ');
  const std::size_t second = first == std::string_view::npos ? first : line.find(' ', first + 1);
  if (second == std::string_view::npos || line.find(' ', second + 1) != std::string_view::npos) {
    return fail(400, "malformed request line");
  }
  const std::string_view method = line.substr(0, first);
  const std::string_view target = line.substr(first + 1, second - first - 1);
  const int minor = detail::minor_version_of(line.substr(second + 1));
  if (!detail::is_token(method) || !target.starts_with('/') || minor == -2) {
    return fail(400, "malformed request line");
  }
  if (minor == -1) return fail(505, "this server speaks HTTP 1.0 and 1.1 only");
  for (const char c : target) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return fail(400, "malformed request line");
  }
  message_.method = std::string(method);
  message_.target = std::string(target);
  message_.minor_version = minor;
  try {
    split_target(message_);
  } catch (const HttpError& error) {
    fail(error.status(), error.what());
  }
}
// end book:request-line

inline void HeadParser::on_status_line(std::string_view line) {
  // HTTP/1.1 SP 200 SP reason
  if (line.size() < 12 || detail::minor_version_of(line.substr(0, 8)) < 0 || line[8] != ' ') {
    return fail(502, "malformed status line");
  }
  int status = 0;
  const auto [end, error] = std::from_chars(line.data() + 9, line.data() + 12, status);
  if (error != std::errc{} || end != line.data() + 12 || status < 100) return fail(502, "malformed status line");
  status_ = status;
  message_.minor_version = detail::minor_version_of(line.substr(0, 8));
}

inline void HeadParser::on_header_line(std::string_view line) {
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || !detail::is_token(line.substr(0, colon))) {
    return fail(400, "malformed header line");
  }
  if (message_.headers.size() == limits_.header_count) return fail(431, "too many headers");
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  std::string name(line.substr(0, colon));
  for (char& c : name) c = ascii_lower(c);
  message_.headers.emplace_back(std::move(name), std::string(value));
}

inline void HeadParser::on_end_of_head() {
  if (const auto encoding = find_header(message_.headers, "transfer-encoding")) {
    if (kind_ == Kind::request) return fail(501, "chunked request bodies are not supported");
    if (!equals_ignoring_case(*encoding, "chunked")) return fail(502, "unknown transfer-encoding");
    chunked_ = true;
  }
  if (const auto length = find_header(message_.headers, "content-length")) {
    std::size_t value = 0;
    const auto [end, error] = std::from_chars(length->data(), length->data() + length->size(), value);
    if (length->empty() || error != std::errc{} || end != length->data() + length->size()) {
      return fail(kind_ == Kind::request ? 400 : 502, "malformed content-length");
    }
    if (kind_ == Kind::request && value > limits_.body) return fail(413, "body too large");
    content_length_ = value;
  }
  state_ = State::done;
}

}  // namespace aio
