// Helpers for lesson 18's tests: raw clients that write bytes and read what comes back, so that
// a test of the server does not depend on the lesson's own client (an exercise).
//
// A co_await never stands inside a CHECK (GCC 12): results are awaited into named locals first.
#pragma once

#include <aio/coro.hpp>
#include <aio/sleep.hpp>
#include <aio/streams.hpp>
#include <aio/wait_for.hpp>
#include <aio_test/log.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace aio_test {

using namespace std::chrono_literals;

/// Sends `bytes`, then reads until the server closes the connection (at most 60 s).
inline aio::Coro<std::string> exchange(std::uint16_t port, std::string bytes) {
  auto [reader, writer] = co_await aio::open_connection("127.0.0.1", port);
  writer.write(bytes);
  co_await writer.drain();
  std::string answer = co_await aio::wait_for(reader.read(), 60s);
  writer.close();
  co_return answer;
}

/// The status code of the first response in `answer` (0 if there is none).
inline int status_of(const std::string& answer) {
  if (answer.size() < 12 || !answer.starts_with("HTTP/1.1 ")) return 0;
  return std::stoi(answer.substr(9, 3));
}

/// The body after the first empty line.
inline std::string body_of(const std::string& answer) {
  const std::size_t end = answer.find("\r\n\r\n");
  return end == std::string::npos ? std::string() : answer.substr(end + 4);
}

/// How many responses `answer` holds (status lines; the tests' bodies never say "HTTP/1.1 ").
inline int responses_in(const std::string& answer) {
  int count = 0;
  for (std::size_t at = answer.find("HTTP/1.1 "); at != std::string::npos; at = answer.find("HTTP/1.1 ", at + 1)) {
    ++count;
  }
  return count;
}

/// A chunked body decoded; "!" if it is not well-formed or not finished.
inline std::string unchunk(std::string body) {
  std::string out;
  for (;;) {
    const std::size_t line_end = body.find("\r\n");
    if (line_end == std::string::npos) return "!";
    const std::size_t size = std::stoul(body.substr(0, line_end), nullptr, 16);
    if (size == 0) return body.substr(line_end) == "\r\n\r\n" ? out : "!";
    if (body.size() < line_end + 2 + size + 2) return "!";
    out += body.substr(line_end + 2, size);
    body.erase(0, line_end + 2 + size + 2);
  }
}

/// The `event:` names of an SSE text, in order, joined with spaces.
inline std::string event_names(const std::string& text) {
  std::string names;
  for (std::size_t at = text.find("event: "); at != std::string::npos; at = text.find("event: ", at + 1)) {
    const std::size_t end = text.find('\n', at);
    names += (names.empty() ? "" : " ") + text.substr(at + 7, end - at - 7);
  }
  return names;
}

/// Reads what arrives over a connection, logging "<time> got <n> bytes" per read, until the end.
inline aio::Coro<std::string> read_logging(aio::StreamReader reader, Log* log) {
  std::string all;
  for (;;) {
    std::string piece = co_await reader.read(64 * 1024);
    if (piece.empty()) break;
    all += piece;
    log->push_back(at("got " + event_names(piece)));
  }
  co_return all;
}

}  // namespace aio_test
