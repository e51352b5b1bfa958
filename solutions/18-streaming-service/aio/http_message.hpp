// aio::Request, aio::Response and aio::HttpError: what an HTTP/1.1 exchange carries.
//
//   FastAPI                                         aio
//   @app.get("/search")                             router.get("/search", search);
//   async def search(q: str): ...                   aio::Coro<aio::Response> search(aio::Request request) {
//                                                     std::string q = request.query("q");
//   return {"answer": 42}                             co_return aio::Response::json({{"answer", 42}});
//   return StreamingResponse(gen(),                   co_return aio::Response::stream(gen(), "text/event-stream");
//          media_type="text/event-stream")          }
//
// A Response has either a whole body (sent with Content-Length) or a stream: an
// AsyncGenerator<std::string> (lesson 14) whose pieces are sent as HTTP chunks while it yields.
// Header names are kept in lower case: HTTP says they are case-insensitive, and one spelling
// makes every look-up a plain comparison.
#pragma once

#include <aio/async_generator.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aio {

/// A request the server refuses: the status to answer with, and why.
class HttpError : public std::runtime_error {
public:
  HttpError(int status, const std::string& why) : std::runtime_error(why), status_(status) {}
  int status() const noexcept { return status_; }

private:
  int status_;
};

/// The reason phrase HTTP/1.1 gives each status this course uses.
inline std::string_view reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
  }
}

/// Name/value pairs in the order they came; names in lower case.
using Headers = std::vector<std::pair<std::string, std::string>>;

/// The value of header `name` (lower case), if present.
inline std::optional<std::string_view> find_header(const Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

inline char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

inline bool equals_ignoring_case(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

/// %41 -> 'A' and '+' -> ' ' (a query string's encoding); a broken escape is a 400.
inline std::string url_decode(std::string_view text) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%') {
      if (i + 2 >= text.size()) throw HttpError(400, "broken %-escape");
      const int high = hex(text[i + 1]);
      const int low = hex(text[i + 2]);
      if (high < 0 || low < 0) throw HttpError(400, "broken %-escape");
      out += char(high * 16 + low);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

/// The inverse, for the client: every byte but letters, digits and -._~ becomes %XX.
inline std::string url_encode(std::string_view text) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += digits[u >> 4];
      out += digits[u & 15];
    }
  }
  return out;
}

// book:request
/// One request, as the parser read it.
struct Request {
  std::string method;   // "GET", "POST", ...
  std::string target;   // "/search?q=loop", as sent
  std::string path;     // "/search"
  std::vector<std::pair<std::string, std::string>> query_items;  // decoded, in order
  int minor_version = 1;  // HTTP/1.1 or HTTP/1.0
  Headers headers;
  std::string body;

  std::optional<std::string_view> header(std::string_view name) const { return find_header(headers, name); }
  /// The first value of query parameter `name`, or `fallback`.
  std::string query(std::string_view name, std::string fallback = "") const {
    for (const auto& [key, value] : query_items) {
      if (key == name) return value;
    }
    return fallback;
  }
  /// HTTP/1.1 keeps a connection open unless told otherwise; HTTP/1.0 closes it unless told.
  bool keep_alive() const {
    const auto connection = header("connection");
    if (connection && equals_ignoring_case(*connection, "close")) return false;
    if (minor_version == 0) return connection && equals_ignoring_case(*connection, "keep-alive");
    return true;
  }
};
// end book:request

/// Splits a target into its path and its decoded query items.
inline void split_target(Request& request) {
  const std::string_view target = request.target;
  const std::size_t question = target.find('?');
  request.path = url_decode(target.substr(0, question));
  request.query_items.clear();
  if (question == std::string_view::npos) return;
  std::string_view rest = target.substr(question + 1);
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view item = rest.substr(0, amp);
    const std::size_t equals = item.find('=');
    if (!item.empty()) {
      request.query_items.emplace_back(
          url_decode(item.substr(0, equals)),
          equals == std::string_view::npos ? std::string() : url_decode(item.substr(equals + 1)));
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
}

// book:response
/// What a handler returns: a status, headers, and a whole body or a stream of pieces.
struct Response {
  int status = 200;
  Headers headers;  // Content-Length and Transfer-Encoding are the server's business
  std::string body;
  std::optional<AsyncGenerator<std::string>> stream;  // sent chunked, piece by piece

  static Response text(std::string body, int status = 200, std::string type = "text/plain; charset=utf-8") {
    Response response;
    response.status = status;
    response.headers.emplace_back("content-type", std::move(type));
    response.body = std::move(body);
    return response;
  }
  static Response json(const nlohmann::json& value, int status = 200) {
    return text(value.dump(), status, "application/json");
  }
  static Response html(std::string page) { return text(std::move(page), 200, "text/html; charset=utf-8"); }
  /// A streamed body (FastAPI's StreamingResponse): each piece the generator yields is sent
  /// as one HTTP chunk, as soon as the loop gets to it.
  static Response streaming(AsyncGenerator<std::string> pieces, std::string type) {
    Response response;
    response.headers.emplace_back("content-type", std::move(type));
    response.headers.emplace_back("cache-control", "no-cache");
    response.stream.emplace(std::move(pieces));
    return response;
  }
  /// An error answer, as a small JSON object {"error": why}.
  static Response error(int status, const std::string& why) {
    return json(nlohmann::json{{"error", why}}, status);
  }
};
// end book:response

/// The status line and headers of `response`, ending with the empty line. `body_size` empty:
/// the body is chunked. `keep_alive` false adds "connection: close".
inline std::string response_head(const Response& response, std::optional<std::size_t> body_size, bool keep_alive) {
  std::string head = "HTTP/1.1 " + std::to_string(response.status) + " ";
  head += reason_phrase(response.status);
  head += "\r\n";
  for (const auto& [name, value] : response.headers) {
    head += name;
    head += ": ";
    head += value;
    head += "\r\n";
  }
  if (body_size) {
    head += "content-length: " + std::to_string(*body_size) + "\r\n";
  } else {
    head += "transfer-encoding: chunked\r\n";
  }
  if (!keep_alive) head += "connection: close\r\n";
  head += "\r\n";
  return head;
}

}  // namespace aio
