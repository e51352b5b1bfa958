// Tests for HttpClient (exercise l18.ex4: reading a chunked body): a chunked body read as an
// async generator piece by piece, framing split across reads, keep-alive, and bad framing.
// The servers here are lesson 17's raw start_server handlers that write scripted bytes.
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/http_client.hpp>
#include <aio/run.hpp>
#include <aio/server.hpp>
#include <aio/sleep.hpp>
#include <aio/streams.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>

#include "http_test_support.hpp"

#include <chrono>
#include <string>

using namespace std::chrono_literals;
using aio_test::at;
using aio_test::join;
using aio_test::Log;

namespace {

const std::string chunked_head = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n";

/// Answers one request with three chunks a second apart.
aio::Coro<void> slow_chunks(aio::StreamReader reader, aio::StreamWriter writer) {
  co_await reader.readuntil("\r\n\r\n");
  writer.write(chunked_head + "5\r\nhello\r\n");
  co_await aio::sleep(1s);
  writer.write("6\r\n world\r\n");
  co_await aio::sleep(1s);
  writer.write("0\r\n\r\n");
  co_await reader.read();  // until the client closes
  writer.close();
}

/// Answers with the bytes in pieces of three, 10 ms apart: every boundary falls somewhere.
aio::Coro<void> dribbled_chunks(aio::StreamReader reader, aio::StreamWriter writer) {
  co_await reader.readuntil("\r\n\r\n");
  const std::string bytes = chunked_head + "a;name=ext\r\n0123456789\r\n1\r\n!\r\n0\r\nx-trailer: 1\r\n\r\n";
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    writer.write(bytes.substr(i, 3));
    co_await aio::sleep(10ms);
  }
  co_await reader.read();
  writer.close();
}

int connections_seen = 0;

/// Serves requests on one connection: a chunked answer, then a Content-Length one, and so on.
aio::Coro<void> keep_alive_server(aio::StreamReader reader, aio::StreamWriter writer) {
  ++connections_seen;
  for (int i = 0;; ++i) {
    bool ended = false;
    try {
      co_await reader.readuntil("\r\n\r\n");
    } catch (const aio::IncompleteReadError&) {
      ended = true;  // the client closed the connection
    }
    if (ended) break;
    if (i % 2 == 0) {
      writer.write(chunked_head + "3\r\none\r\n3\r\ntwo\r\n0\r\n\r\n");
    } else {
      writer.write("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nthree");
    }
  }
}

aio::Coro<void> bad_chunk(aio::StreamReader reader, aio::StreamWriter writer) {
  co_await reader.readuntil("\r\n\r\n");
  writer.write(chunked_head + "zz\r\nhello\r\n0\r\n\r\n");
  co_await reader.read();
  writer.close();
}

aio::Coro<void> cut_chunk(aio::StreamReader reader, aio::StreamWriter writer) {
  co_await reader.readuntil("\r\n\r\n");
  writer.write(chunked_head + "a\r\nhel");
  writer.close();
}

aio::Coro<void> chunk_without_crlf(aio::StreamReader reader, aio::StreamWriter writer) {
  co_await reader.readuntil("\r\n\r\n");
  writer.write(chunked_head + "5\r\nhelloXY0\r\n\r\n");
  co_await reader.read();
  writer.close();
}

template <class E>
aio::Coro<std::string> text_fails_with(std::uint16_t port) {
  aio::HttpClient client = co_await aio::HttpClient::connect("127.0.0.1", port);
  co_await client.request("GET", "/");
  std::string what;
  try {
    co_await client.text();
    what = "no error";
  } catch (const E& error) {
    what = error.what();
  }
  client.close();
  co_return what;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// l18.ex4: reading a chunked body

TEST_CASE("a chunked body comes out of body() chunk by chunk, as it arrives", "[l18][ex4]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Server server = co_await aio::start_server(slow_chunks, "127.0.0.1", 0);
    aio::HttpClient client = co_await aio::HttpClient::connect("127.0.0.1", server.port());
    aio::ClientResponse head = co_await client.request("GET", "/");
    log->push_back(at("status " + std::to_string(head.status)));
    auto pieces = client.body();
    while (auto piece = co_await pieces.next()) log->push_back(at("piece '" + *piece + "'"));
    log->push_back(at("end of body"));
    client.close();
    server.close();
    co_await server.wait_closed();
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "0.0 status 200 | 0.0 piece 'hello' | 1.0 piece ' world' | 2.0 end of body");
}

TEST_CASE("chunk sizes, data and CRLFs split across reads; extensions, trailers", "[l18][ex4]") {
  auto main = []() -> aio::Coro<void> {
    aio::Server server = co_await aio::start_server(dribbled_chunks, "127.0.0.1", 0);
    aio::HttpClient client = co_await aio::HttpClient::connect("127.0.0.1", server.port());
    co_await client.request("GET", "/");
    std::string body = co_await client.text();
    CHECK(body == "0123456789!");
    client.close();
    server.close();
    co_await server.wait_closed();
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("keep-alive: four requests, chunked and sized answers, one connection", "[l18][ex4]") {
  connections_seen = 0;
  auto main = []() -> aio::Coro<void> {
    aio::Server server = co_await aio::start_server(keep_alive_server, "127.0.0.1", 0);
    aio::HttpClient client = co_await aio::HttpClient::connect("127.0.0.1", server.port());
    std::string all;
    for (int i = 0; i < 4; ++i) {
      co_await client.request("GET", "/" + std::to_string(i));
      std::string body = co_await client.text();
      all += body + "|";
    }
    CHECK(all == "onetwo|three|onetwo|three|");
    CHECK(connections_seen == 1);
    client.close();
    server.close();
    co_await server.wait_closed();
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("a request before the last body was read is a RuntimeError", "[l18][ex4]") {
  auto main = []() -> aio::Coro<void> {
    aio::Server server = co_await aio::start_server(keep_alive_server, "127.0.0.1", 0);
    aio::HttpClient client = co_await aio::HttpClient::connect("127.0.0.1", server.port());
    co_await client.request("GET", "/");
    bool refused = false;
    try {
      co_await client.request("GET", "/again");
    } catch (const aio::RuntimeError&) {
      refused = true;
    }
    CHECK(refused);
    std::string body = co_await client.text();  // the first body is still there, whole
    CHECK(body == "onetwo");
    co_await client.request("GET", "/again");  // and now the connection can go on
    std::string second = co_await client.text();
    CHECK(second == "three");
    client.close();
    server.close();
    co_await server.wait_closed();
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("bad chunk framing is an error, never a wrong body", "[l18][ex4]") {
  auto main = []() -> aio::Coro<void> {
    aio::Server bad = co_await aio::start_server(bad_chunk, "127.0.0.1", 0);
    std::string what = co_await text_fails_with<aio::HttpError>(bad.port());
    CHECK(what == "malformed chunk size");
    aio::Server no_crlf = co_await aio::start_server(chunk_without_crlf, "127.0.0.1", 0);
    what = co_await text_fails_with<aio::HttpError>(no_crlf.port());
    CHECK(what == "a chunk without its CRLF");
    aio::Server cut = co_await aio::start_server(cut_chunk, "127.0.0.1", 0);
    what = co_await text_fails_with<aio::IncompleteReadError>(cut.port());
    CHECK(what == "3 bytes read on a total of 12 expected bytes");
    for (aio::Server* server : {&bad, &no_crlf, &cut}) server->close();
    co_await bad.wait_closed();
    co_await no_crlf.wait_closed();
    co_await cut.wait_closed();
  };
  aio::run(main(), {.virtual_clock = true});
}
