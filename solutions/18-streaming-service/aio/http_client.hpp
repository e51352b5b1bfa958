// aio::HttpClient: a minimal HTTP/1.1 client on lesson 17's streams, with keep-alive and
// streamed bodies.
//
//   async with httpx.AsyncClient() as client:        aio::HttpClient client = co_await aio::HttpClient::connect("127.0.0.1", port);
//       async with client.stream("POST", url) as r:  aio::ClientResponse r = co_await client.request("POST", "/generate?prompt=hi");
//           async for piece in r.aiter_text():        auto pieces = client.body();
//               ...                                   while (auto piece = co_await pieces.next()) { ... }
//
// One connection, one request at a time: request() sends the request and reads the response's
// head; body() is an async generator (lesson 14) that yields the body as it arrives: each chunk
// of a chunked body, or each read's worth of a Content-Length body. Once the body has been read
// to its end, the connection can carry the next request (keep-alive); a request while a body is
// still unread is a RuntimeError, since its bytes would be taken for the next response's.
//
// Where the caller resumes: as with every stream read, in a later iteration of the loop, after
// the Poller saw the socket readable (lesson 17).
#pragma once

#include <aio/async_generator.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/http_message.hpp>
#include <aio/http_parser.hpp>
#include <aio/not_implemented.hpp>
#include <aio/socket_errors.hpp>
#include <aio/streams.hpp>

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

namespace aio {

/// A response's head.
struct ClientResponse {
  int status = 0;
  Headers headers;
  std::optional<std::string_view> header(std::string_view name) const { return find_header(headers, name); }
};

namespace detail {

/// The client's connection: the streams, and bytes received but not used yet.
struct ClientConnection {
  StreamReader reader;
  StreamWriter writer;
  std::string unread;
  bool body_pending = false;  // a response's body has not been read to its end
  bool chunked = false;
  std::size_t length = 0;     // Content-Length, when not chunked
  bool until_close = false;   // neither: the body runs until the server closes
};

/// Up to and including "\n", from `unread` first; IncompleteReadError if the stream ends first.
inline Coro<std::string> read_line(std::shared_ptr<ClientConnection> c) {
  for (;;) {
    const std::size_t newline = c->unread.find('\n');
    if (newline != std::string::npos) {
      std::string line = c->unread.substr(0, newline + 1);
      c->unread.erase(0, newline + 1);
      co_return line;
    }
    if (c->unread.size() > 64 * 1024) throw HttpError(502, "a chunk size line without end");
    std::string more = co_await c->reader.read(64 * 1024);
    if (more.empty()) throw IncompleteReadError(c->unread, std::nullopt);
    c->unread += more;
  }
}

/// Exactly `n` bytes, from `unread` first.
inline Coro<std::string> read_exactly(std::shared_ptr<ClientConnection> c, std::size_t n) {
  if (c->unread.size() >= n) {
    std::string bytes = c->unread.substr(0, n);
    c->unread.erase(0, n);
    co_return bytes;
  }
  std::string bytes = std::move(c->unread);
  c->unread.clear();
  std::optional<std::string> partial;  // the stream ended early: what came of the rest
  try {
    bytes += co_await c->reader.readexactly(n - bytes.size());
  } catch (const IncompleteReadError& error) {
    partial = error.partial();
  }
  if (partial) throw IncompleteReadError(bytes + *partial, n);  // counted from the whole read
  co_return bytes;
}

/// The size at the start of a chunk's size line ("1a\r\n", "1a;ext\r\n"); 502 if it is not hex.
inline std::size_t chunk_size(std::string_view line) {
  std::size_t size = 0;
  const auto [end, error] = std::from_chars(line.data(), line.data() + line.size(), size, 16);
  const bool rest_ok = end != line.data() && (*end == '\r' || *end == '\n' || *end == ';');
  if (error != std::errc{} || !rest_ok) throw HttpError(502, "malformed chunk size");
  return size;
}

// ---- ex4: reading a chunked body ------------------------------------------------------------
// book:read-chunked
/// Yields each chunk's bytes until the last chunk (size 0) and the empty line after it.
inline AsyncGenerator<std::string> read_chunked(std::shared_ptr<ClientConnection> c) {
  for (;;) {
    const std::string size_line = co_await read_line(c);
    const std::size_t size = chunk_size(size_line);
    if (size == 0) break;
    std::string data = co_await read_exactly(c, size + 2);  // the bytes and their CRLF
    if (!data.ends_with("\r\n")) throw HttpError(502, "a chunk without its CRLF");
    data.resize(size);
    co_yield std::move(data);
  }
  // Trailer lines, if any, end with an empty line.
  for (;;) {
    const std::string line = co_await read_line(c);
    if (line == "\r\n" || line == "\n") break;
  }
  c->body_pending = false;
}
// end book:read-chunked

/// Yields a Content-Length body (or one that runs until the close) as reads bring it.
inline AsyncGenerator<std::string> read_sized(std::shared_ptr<ClientConnection> c) {
  std::size_t left = c->length;
  if (!c->unread.empty() && (left > 0 || c->until_close)) {
    std::string first = c->until_close ? std::move(c->unread) : c->unread.substr(0, left);
    c->unread.erase(0, first.size());
    if (!c->until_close) left -= first.size();
    co_yield std::move(first);
  }
  while (left > 0 || c->until_close) {
    std::string more = co_await c->reader.read(std::ptrdiff_t(c->until_close ? 64 * 1024 : std::min<std::size_t>(left, 64 * 1024)));
    if (more.empty()) {
      if (c->until_close) break;
      throw IncompleteReadError(std::string(), left);
    }
    if (!c->until_close) left -= more.size();
    co_yield std::move(more);
  }
  c->body_pending = false;
}

}  // namespace detail

// book:http-client
/// One keep-alive connection to an HTTP server; a handle, cheap to copy.
class HttpClient {
public:
  /// Connects to host:port (numeric IPv4); ConnectionRefusedError if nobody listens.
  static Coro<HttpClient> connect(std::string host, std::uint16_t port) {
    auto [reader, writer] = co_await open_connection(host, port);
    auto connection = std::make_shared<detail::ClientConnection>(detail::ClientConnection{reader, writer, {}, false, false, 0, false});
    co_return HttpClient(connection, std::move(host), port);
  }

  /// Sends a request and reads the response's head. Read the body (body() or text()) before
  /// the next request.
  Coro<ClientResponse> request(std::string method, std::string target, std::string body = "") {
    return request(state_, host_ + ":" + std::to_string(port_), std::move(method), std::move(target), std::move(body));
  }
  /// The last response's body, piece by piece as it arrives.
  AsyncGenerator<std::string> body() {
    if (state_->chunked) return detail::read_chunked(state_);
    return detail::read_sized(state_);
  }
  /// The last response's whole body.
  Coro<std::string> text() { return text(body()); }

  void close() { state_->writer.close(); }
  Coro<void> wait_closed() { return state_->writer.wait_closed(); }

private:
  HttpClient(std::shared_ptr<detail::ClientConnection> state, std::string host, std::uint16_t port)
      : state_(std::move(state)), host_(std::move(host)), port_(port) {}

  static Coro<ClientResponse> request(std::shared_ptr<detail::ClientConnection> c, std::string host,
                                      std::string method, std::string target, std::string body) {
    if (c->body_pending) throw RuntimeError("read the last response's body before the next request");
    std::string bytes = method + " " + target + " HTTP/1.1\r\nhost: " + host + "\r\n";
    if (!body.empty() || method == "POST") bytes += "content-length: " + std::to_string(body.size()) + "\r\n";
    bytes += "\r\n";
    bytes += body;
    c->writer.write(bytes);
    co_await c->writer.drain();

    HeadParser parser(HeadParser::Kind::response);
    std::size_t used = parser.feed(c->unread);
    c->unread.erase(0, used);
    while (!parser.done()) {
      if (parser.failed()) throw HttpError(parser.error().status(), parser.error().what());
      std::string more = co_await c->reader.read(64 * 1024);
      if (more.empty()) throw ConnectionResetError(ECONNRESET, "the server closed the connection before its answer");
      used = parser.feed(more);
      c->unread.assign(more, used);
    }
    c->chunked = parser.chunked();
    c->length = parser.content_length();
    c->until_close = !parser.chunked() && !find_header(parser.headers(), "content-length");
    c->body_pending = true;
    co_return ClientResponse{parser.status(), std::move(parser.headers())};
  }

  static Coro<std::string> text(AsyncGenerator<std::string> pieces) {
    std::string all;
    while (auto piece = co_await pieces.next()) all += *piece;
    co_return all;
  }

  std::shared_ptr<detail::ClientConnection> state_;
  std::string host_;
  std::uint16_t port_;
};
// end book:http-client

}  // namespace aio
