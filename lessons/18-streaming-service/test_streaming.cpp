// Tests for send_chunked (exercise l18.ex3: streaming a body) and the SSE endpoints built on it:
// events leave as the generator yields them, writes are coalesced per loop iteration, and a
// client that goes away makes the generator's cleanup run while the server goes on.
#include <aio/async_generator.hpp>
#include <aio/chunked_stream.hpp>
#include <aio/coro.hpp>
#include <aio/http_server.hpp>
#include <aio/run.hpp>
#include <aio/server.hpp>
#include <aio/sleep.hpp>
#include <aio/sse.hpp>
#include <aio/streams.hpp>
#include <aio/wait_for.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>

#include "http_test_support.hpp"
#include "service.hpp"

#include <chrono>
#include <memory>
#include <string>

using namespace std::chrono_literals;
using aio_test::at;
using aio_test::join;
using aio_test::Log;

namespace {

Log* test_log = nullptr;  // where handlers and generators write (they take no log argument)

aio::StreamReport last_report;

aio::AsyncGenerator<std::string> burst(int count) {
  for (int i = 0; i < count; ++i) co_yield aio::sse_event("n", std::to_string(i));
}

aio::AsyncGenerator<std::string> two_bursts() {
  for (int i = 0; i < 3; ++i) co_yield "a" + std::to_string(i);
  co_await aio::sleep(0s);
  for (int i = 0; i < 3; ++i) co_yield "b" + std::to_string(i);
}

aio::AsyncGenerator<std::string> ticks_with_cleanup() {
  int sent = 0;
  std::exception_ptr stopped;
  try {
    for (;;) {
      co_yield aio::sse_event("tick", std::to_string(sent));
      ++sent;
      co_await aio::sleep(1s);
    }
  } catch (...) {
    stopped = std::current_exception();
  }
  test_log->push_back(at("generator cleanup after " + std::to_string(sent) + " ticks"));
  co_await aio::sleep(0s);  // cleanup that awaits runs too
  std::rethrow_exception(stopped);
}

/// A handler (lesson 17's kind) that streams `pieces` and keeps the report.
aio::Coro<void> stream_burst(aio::StreamReader, aio::StreamWriter writer) {
  last_report = co_await aio::send_chunked("HEAD\r\n\r\n", burst(1000), writer);
  writer.close();
}

aio::Coro<void> stream_two_bursts(aio::StreamReader, aio::StreamWriter writer) {
  last_report = co_await aio::send_chunked("HEAD\r\n\r\n", two_bursts(), writer);
  writer.close();
}

aio::Coro<void> stream_ticks(aio::StreamReader, aio::StreamWriter writer) {
  last_report = co_await aio::send_chunked("HEAD\r\n\r\n", ticks_with_cleanup(), writer);
  test_log->push_back(at("send_chunked returned, client gone: " + std::string(aio_test::py(last_report.client_gone))));
  writer.close();
}

aio::Coro<std::string> read_all(std::uint16_t port) {
  auto [reader, writer] = co_await aio::open_connection("127.0.0.1", port);
  std::string all = co_await aio::wait_for(reader.read(), 10s);
  writer.close();
  co_return all;
}

aio::Coro<service::Services> start_front(Log* log) {
  service::Config config;
  config.log = [log](const std::string& line) { log->push_back(at("service: " + line)); };
  aio::HttpOptions options;
  options.log = [log](const std::string& line) { log->push_back(at("server: " + line)); };
  service::Services services = co_await service::start_services(config, service::upper_model(), service::reverse_model(), options);
  co_return services;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// l18.ex3: streaming a body

TEST_CASE("a thousand events yielded without a wait leave in one write", "[l18][ex3]") {
  auto main = []() -> aio::Coro<void> {
    aio::Server server = co_await aio::start_server(stream_burst, "127.0.0.1", 0);
    std::string all = co_await read_all(server.port());
    CHECK(all.starts_with("HEAD\r\n\r\n"));
    const std::string body = aio_test::unchunk(all.substr(8));
    CHECK(body.starts_with("event: n\ndata: 0\n\nevent: n\ndata: 1\n\n"));
    CHECK(body.ends_with("event: n\ndata: 999\n\n"));
    CHECK(last_report.pieces == 1000);
    CHECK(last_report.writes == 1);
    CHECK(!last_report.client_gone);
    server.close();
    co_await server.wait_closed();
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("pieces yielded in two loop iterations leave in two writes", "[l18][ex3]") {
  auto main = []() -> aio::Coro<void> {
    aio::Server server = co_await aio::start_server(stream_two_bursts, "127.0.0.1", 0);
    std::string all = co_await read_all(server.port());
    CHECK(all == "HEAD\r\n\r\n2\r\na0\r\n2\r\na1\r\n2\r\na2\r\n2\r\nb0\r\n2\r\nb1\r\n2\r\nb2\r\n0\r\n\r\n");
    CHECK(last_report.pieces == 6);
    CHECK(last_report.writes == 2);
    server.close();
    co_await server.wait_closed();
  };
  aio::run(main(), {.virtual_clock = true});
}

// CPython: cpython/client_gone.py (asyncio drains after every write, so it notices at 3.0)
TEST_CASE("a client gone mid-stream: aclose runs the cleanup, no exception", "[l18][ex3]") {
  Log log;
  test_log = &log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Server server = co_await aio::start_server(stream_ticks, "127.0.0.1", 0);
    {
      auto [reader, writer] = co_await aio::open_connection("127.0.0.1", server.port());
      co_await reader.readuntil("data: 1\n\n");
      log->push_back(at("client read two ticks and leaves"));
      writer.close();
    }
    server.close();
    co_await server.wait_closed();
    log->push_back(at("server closed"));
  };
  aio::run(main(&log), {.virtual_clock = true});
  test_log = nullptr;
  // A server learns that a client left only by writing to it: the kernel accepts the tick of
  // 2.0 and the peer answers it with a reset, the tick of 3.0 fails to send, and the drain()
  // after the next piece (at 4.0) reports it.
  CHECK(join(log) ==
        "1.0 client read two ticks and leaves | 4.0 generator cleanup after 4 ticks | "
        "4.0 send_chunked returned, client gone: True | 4.0 server closed");
}

TEST_CASE("/stream sends init, data and progress per token, then done, at their times", "[l18][ex3]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    service::Services services = co_await start_front(log);
    auto [reader, writer] = co_await aio::open_connection("127.0.0.1", services.front.port());
    writer.write("GET /stream?prompt=async+streams+work HTTP/1.1\r\nConnection: close\r\n\r\n");
    std::string all = co_await aio_test::read_logging(reader, log);
    const std::size_t head_end = all.find("\r\n\r\n");
    const std::string head = all.substr(0, head_end);
    CHECK(head.find("content-type: text/event-stream") != std::string::npos);
    CHECK(head.find("transfer-encoding: chunked") != std::string::npos);
    CHECK(aio_test::unchunk(all.substr(head_end + 4)) ==
          "event: init\ndata: {\"prompt\":\"async streams work\",\"tokens\":3}\n\n"
          "event: data\ndata: async\n\n"
          "event: progress\ndata: {\"done\":1,\"total\":3}\n\n"
          "event: data\ndata: streams\n\n"
          "event: progress\ndata: {\"done\":2,\"total\":3}\n\n"
          "event: data\ndata: work\n\n"
          "event: progress\ndata: {\"done\":3,\"total\":3}\n\n"
          "event: done\ndata: {\"tokens\":3}\n\n");
    co_await services.shutdown(1s);
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) ==
        "0.0 got init | 0.1 got data progress | 0.2 got data progress | 0.3 got data progress done | "
        "0.3 server: shutting down: 0 connections open | 0.3 server: shutting down: 0 connections open | "
        "0.3 server: shutting down: 0 connections open");
}

TEST_CASE("/search gathers the shards, sends the context, then streams results", "[l18][ex3]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    service::Services services = co_await start_front(log);
    auto [reader, writer] = co_await aio::open_connection("127.0.0.1", services.front.port());
    writer.write("GET /search?q=loop HTTP/1.1\r\nConnection: close\r\n\r\n");
    std::string all = co_await aio_test::read_logging(reader, log);
    const std::string body = aio_test::unchunk(aio_test::body_of(all));
    CHECK(body.find("event: context\ndata: the event loop runs one callback at a time\n\n") != std::string::npos);
    CHECK(body.find("event: context\ndata: the loop waits in epoll for sockets\n\n") != std::string::npos);
    CHECK(body.ends_with("event: done\ndata: {\"matches\":2}\n\n"));
    co_await services.front.shutdown(1s);
  };
  aio::run(main(&log), {.virtual_clock = true});
  // The map phase takes as long as its slowest shard (0.2 s, the last with a match: 0.3 s).
  CHECK(join(log) ==
        "0.0 got init | 0.3 got context context | 0.4 got result | 0.5 got result done | "
        "0.5 server: shutting down: 0 connections open");
}

TEST_CASE("a browser gone mid-/stream: the generator stops, the server goes on", "[l18][ex3]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    service::Services services = co_await start_front(log);
    {
      auto [reader, writer] = co_await aio::open_connection("127.0.0.1", services.front.port());
      writer.write("GET /stream?prompt=one+two+three+four+five+six HTTP/1.1\r\n\r\n");
      co_await reader.readuntil("data: two\n\n");
      log->push_back(at("client leaves"));
      writer.close();
    }
    co_await aio::sleep(1s);
    std::string again = co_await aio_test::exchange(services.front.port(), "GET /stream?prompt=again HTTP/1.1\r\nConnection: close\r\n\r\n");
    log->push_back(at("next client got " + aio_test::event_names(again)));
    co_await services.front.shutdown(1s);
  };
  aio::run(main(&log), {.virtual_clock = true});
  // As above: the tokens of 0.3 and 0.4 are written, the write of 0.4 fails, the token of 0.5
  // finds out. 10 pieces: init, four data + progress pairs, and the fifth data.
  CHECK(join(log) ==
        "0.2 client leaves | 0.5 service: stream of 'one two three four five six' stopped after 4 tokens | "
        "0.5 server: client gone during GET /stream?prompt=one+two+three+four+five+six after 10 pieces | "
        "1.3 next client got init data progress done | 1.3 server: shutting down: 0 connections open");
}
