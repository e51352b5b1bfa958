// Tests for StreamReader (exercise l17.ex3: readuntil) and StreamWriter (exercise l17.ex4:
// backpressure with drain). Every connection is on 127.0.0.1, on the virtual clock.
#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/gather.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/socket.hpp>
#include <aio/socket_errors.hpp>
#include <aio/streams.hpp>
#include <aio/task.hpp>
#include <aio/wait_for.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>

#include "sockets_test_support.hpp"

#include <chrono>
#include <string>
#include <thread>

using namespace std::chrono_literals;
using aio_test::at;
using aio_test::join;
using aio_test::Log;

namespace {

/// A connection on 127.0.0.1: the client's streams, and the raw socket of the server side.
struct Link {
  aio::StreamReader reader;
  aio::StreamWriter writer;
  aio::Socket peer;
};

/// With `small_buffers`, the kernel keeps about 256 KiB per direction instead of megabytes, so
/// that what a writer writes soon waits in its own buffer. (Not smaller: on loopback a TCP
/// segment is 64 KiB, and with buffers below that TCP waits on timers of its own, in real time,
/// which the virtual clock does not wait for. Set before the connection exists, for the same
/// reason.)
aio::Coro<Link> connect_streams(aio::StreamLimits limits = {}, bool small_buffers = false) {
  aio::Socket listener = aio::Socket::tcp();
  aio::Socket client = aio::Socket::tcp();
  if (small_buffers) {
    const int small = 128 * 1024;
    ::setsockopt(listener.fd(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    ::setsockopt(client.fd(), SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
  }
  listener.bind({"127.0.0.1", 0});
  listener.listen();
  co_await aio::sock_connect(client, listener.local_address());
  auto accepted = co_await aio::sock_accept(listener);
  auto [reader, writer] = aio::make_streams(std::move(client), limits);
  co_return Link{reader, writer, std::move(accepted.first)};
}

aio::Coro<void> send_later(aio::Socket* socket, aio::Duration delay, std::string bytes) {
  co_await aio::sleep(delay);
  co_await aio::sock_sendall(*socket, bytes);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// l17.ex3: readuntil

// CPython: cpython/readuntil.py
TEST_CASE("readuntil returns through the separator, across several arrivals", "[l17][ex3]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    Link link = co_await connect_streams();
    auto a = aio::create_task(send_later(&link.peer, 1s, "one\r"));
    auto b = aio::create_task(send_later(&link.peer, 2s, "\ntwo\r\nthr"));
    std::string first = co_await link.reader.readuntil("\r\n");
    log->push_back(at("got '" + first.substr(0, first.size() - 2) + "' + CRLF"));
    std::string second = co_await link.reader.readuntil("\r\n");
    log->push_back(at("got '" + second.substr(0, second.size() - 2) + "' + CRLF, " +
                      std::to_string(link.reader.buffered()) + " bytes left"));
    co_await a;
    co_await b;
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "2.0 got 'one' + CRLF | 2.0 got 'two' + CRLF, 3 bytes left");
}

// CPython: cpython/readuntil.py
TEST_CASE("readuntil at the end of the stream gives every byte left in the error", "[l17][ex3]") {
  auto main = []() -> aio::Coro<void> {
    Link link = co_await connect_streams();
    co_await aio::sock_sendall(link.peer, "no separator here");
    link.peer.close();
    try {
      co_await link.reader.readuntil("\n");
      FAIL("readuntil returned without its separator");
    } catch (const aio::IncompleteReadError& error) {
      CHECK(error.partial() == "no separator here");
      CHECK_FALSE(error.expected().has_value());
      CHECK(std::string(error.what()) == "17 bytes read on a total of undefined expected bytes");
    }
    CHECK(link.reader.at_eof());
  };
  aio::run(main(), {.virtual_clock = true});
}

// CPython: cpython/readuntil.py
TEST_CASE("readuntil past the limit raises LimitOverrunError and keeps the bytes", "[l17][ex3]") {
  auto main = []() -> aio::Coro<void> {
    aio::StreamLimits limits;
    limits.limit = 10;
    Link link = co_await connect_streams(limits);
    co_await aio::sock_sendall(link.peer, "0123456789ABCDEF");
    try {
      co_await link.reader.readuntil("\n");
      FAIL("readuntil read past its limit");
    } catch (const aio::LimitOverrunError& error) {
      CHECK(std::string(error.what()) == "Separator is not found, and chunk exceed the limit");
      CHECK(error.consumed() == 16);
    }
    CHECK(link.reader.buffered() == 16);  // nothing was lost: read() still gets them
    std::string rest = co_await link.reader.read(100);
    CHECK(rest == "0123456789ABCDEF");
  };
  aio::run(main(), {.virtual_clock = true});
}

// CPython: cpython/readuntil.py
TEST_CASE("a separator found beyond the limit is an overrun too", "[l17][ex3]") {
  auto main = []() -> aio::Coro<void> {
    aio::StreamLimits limits;
    limits.limit = 10;
    Link link = co_await connect_streams(limits);
    co_await aio::sock_sendall(link.peer, "0123456789AB\nshort\n");
    try {
      co_await link.reader.readuntil("\n");
      FAIL("readuntil returned a chunk longer than its limit");
    } catch (const aio::LimitOverrunError& error) {
      CHECK(std::string(error.what()) == "Separator is found, but chunk is longer than limit");
      CHECK(error.consumed() == 12);
    }
    CHECK(link.reader.buffered() == 19);
  };
  aio::run(main(), {.virtual_clock = true});
}

// CPython: cpython/readuntil.py
TEST_CASE("a separator right at the limit is still within it", "[l17][ex3]") {
  auto main = []() -> aio::Coro<void> {
    aio::StreamLimits limits;
    limits.limit = 10;
    Link link = co_await connect_streams(limits);
    co_await aio::sock_sendall(link.peer, "0123456789\n");
    std::string line = co_await link.reader.readuntil("\n");
    CHECK(line == "0123456789\n");
  };
  aio::run(main(), {.virtual_clock = true});
}

// CPython: cpython/readuntil.py
TEST_CASE("a separator split between two arrivals is still found", "[l17][ex3]") {
  auto main = []() -> aio::Coro<void> {
    Link link = co_await connect_streams();
    auto later = aio::create_task(send_later(&link.peer, 1s, "ND-tail"));
    co_await aio::sock_sendall(link.peer, "body--E");
    std::string chunk = co_await link.reader.readuntil("--END-");
    CHECK(chunk == "body--END-");
    CHECK(aio::get_running_loop().time() == 1s);
    co_await later;
  };
  aio::run(main(), {.virtual_clock = true});
}

// CPython: cpython/readline_too_long.py
TEST_CASE("readline of a line longer than the limit is a ValueError that drops it", "[l17][ex3]") {
  auto main = []() -> aio::Coro<void> {
    aio::StreamLimits limits;
    limits.limit = 10;
    Link link = co_await connect_streams(limits);
    co_await aio::sock_sendall(link.peer, "0123456789ABCDEF\nnext\n");
    {
      const bool raised = co_await aio_test::raises<aio::ValueError>(link.reader.readline());
      CHECK(raised);
    }
    {
      auto got = co_await link.reader.readline();
      CHECK(got == "next\n");
    }
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("readexactly raises IncompleteReadError carrying the partial bytes", "[l17][ex3]") {
  auto main = []() -> aio::Coro<void> {
    Link link = co_await connect_streams();
    co_await aio::sock_sendall(link.peer, "abc");
    link.peer.close();
    try {
      co_await link.reader.readexactly(5);
      FAIL("readexactly returned too few bytes");
    } catch (const aio::IncompleteReadError& error) {
      CHECK(error.partial() == "abc");
      CHECK(error.expected() == std::optional<std::size_t>(5));
    }
    {
      auto got = co_await link.reader.readline();
      CHECK(got == "");
    }
    CHECK(link.reader.at_eof());
  };
  aio::run(main(), {.virtual_clock = true});
}

// ---------------------------------------------------------------------------------------------
// l17.ex4: backpressure

TEST_CASE("write sends at once what fits: drain below the high mark does not wait", "[l17][ex4]") {
  auto main = []() -> aio::Coro<void> {
    Link link = co_await connect_streams();
    link.writer.write("small");
    CHECK(link.writer.buffer_size() == 0);  // the socket took it all, no buffering
    co_await link.writer.drain();
    {
      auto got = co_await aio::sock_recv(link.peer, 100);
      CHECK(got == "small");
    }
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("bytes written while others wait in the buffer leave after them", "[l17][ex4]") {
  auto main = []() -> aio::Coro<std::string> {
    Link link = co_await connect_streams({}, true);
    const std::size_t first = 1024 * 1024;
    link.writer.write(std::string(first, 'a'));  // the kernel takes part; the rest waits in the buffer
    // The peer takes what its kernel holds, without a turn of the loop: the writer's kernel has
    // room again, but bytes still wait in the writer's buffer, ahead of anything written next.
    std::size_t taken = 0;
    std::string sink(64 * 1024, '\0');
    const auto limit = std::chrono::steady_clock::now() + 2s;
    for (;;) {
      const ssize_t got = ::recv(link.peer.fd(), sink.data(), sink.size(), 0);
      if (got > 0) taken += std::size_t(got);
      if ((got < 0 && taken >= 64 * 1024) || std::chrono::steady_clock::now() > limit) break;
    }
    std::this_thread::sleep_for(10ms);  // the writer's kernel sends on into the opened window
    link.writer.write(std::string(100, 'b'));
    std::size_t first_b = 0;
    std::size_t total = taken;
    while (total < first + 100) {
      std::string got = co_await aio::wait_for(aio::sock_recv(link.peer, 64 * 1024), 5s);
      if (got.empty()) break;
      const std::size_t b = got.find('b');
      if (b != std::string::npos && first_b == 0) first_b = total + b;
      total += got.size();
    }
    co_return "got " + std::to_string(total) + " bytes, the first 'b' at " + std::to_string(first_b);
  };
  CHECK(aio::run(main(), {.virtual_clock = true}) == "got 1048676 bytes, the first 'b' at 1048576");
}

TEST_CASE("a fast writer waits in drain until a slow reader brings it to the low mark", "[l17][ex4]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    Link link = co_await connect_streams({}, true);  // the writer's own buffer is what fills up
    aio::StreamWriter writer = link.writer;
    std::size_t sent = 0;
    const std::string block(16 * 1024, 'w');
    auto writing = aio::create_task([](aio::StreamWriter w, std::string b, std::size_t* sent, Log* log) -> aio::Coro<void> {
      for (int i = 0; i < 100; ++i) {
        w.write(b);
        *sent += b.size();
        if (w.buffer_size() > 64 * 1024) log->push_back(at("buffer above the high mark"));
        co_await w.drain();
        CHECK(w.buffer_size() <= 64 * 1024);  // drain returned: at most the high mark is buffered
      }
    }(writer, block, &sent, log));
    std::size_t received = 0;
    for (int reads = 0; received < 100 * block.size(); ++reads) {
      co_await aio::sleep(1s);
      std::string got = co_await aio::sock_recv(link.peer, 64 * 1024);
      received += got.size();
      // The writer's buffer, a block, the kernel's two buffers: bounded, far below 1600 KiB.
      CHECK(sent - received <= 64 * 1024 + 16 * 1024 + 768 * 1024);
      if (reads == 2) log->push_back(at("writer has sent " + std::to_string(sent / 1024) + " KiB"));
    }
    co_await writing;
    log->push_back(at("all " + std::to_string(received / 1024) + " KiB received"));
  };
  aio::run(main(&log), {.virtual_clock = true});
  REQUIRE(log.size() >= 3);
  CHECK(log.front().substr(0, 4) == "0.0 ");
  CHECK(log.back().find("all 1600 KiB received") != std::string::npos);
}

TEST_CASE("drain resumes at the low-water mark, not at the first byte that leaves", "[l17][ex4]") {
  auto main = []() -> aio::Coro<void> {
    // Marks far above what the kernel moves in one go, so that the flushes come in small steps
    // compared with the gap between the marks.
    aio::StreamLimits limits;
    limits.high_water = 1024 * 1024;
    limits.low_water = 256 * 1024;
    Link link = co_await connect_streams(limits, true);
    // Fill the kernel's buffers first, so that what follows stays in the writer's buffer.
    for (int i = 0; i < 200 && link.writer.buffer_size() == 0; ++i) link.writer.write(std::string(64 * 1024, 'k'));
    link.writer.write(std::string(1536 * 1024, 'x'));
    std::size_t buffered_when_drained = 0;
    auto draining = aio::create_task([](aio::StreamWriter w, std::size_t* seen) -> aio::Coro<void> {
      co_await w.drain();
      *seen = w.buffer_size();
    }(link.writer, &buffered_when_drained));
    // Read slowly, in bites: the buffer shrinks a little at a time.
    while (!draining.done()) {
      co_await aio::sleep(100ms);
      co_await aio::sock_recv(link.peer, 64 * 1024);
    }
    co_await draining;
    CHECK(buffered_when_drained <= 256 * 1024);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("drain to a peer that reset the connection raises its error", "[l17][ex4]") {
  auto main = []() -> aio::Coro<void> {
    Link link = co_await connect_streams();
    const linger abort_on_close{1, 0};
    ::setsockopt(link.peer.fd(), SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
    link.peer.close();
    co_await aio::sleep(1s);
    bool raised = false;
    try {
      for (int i = 0; i < 100; ++i) {
        link.writer.write(std::string(64 * 1024, 'x'));
        co_await link.writer.drain();
      }
    } catch (const aio::ConnectionError& error) {
      raised = error.error_number() == ECONNRESET || error.error_number() == EPIPE;
    }
    CHECK(raised);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("close flushes what is buffered, then closes; wait_closed returns after", "[l17][ex4]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    Link link = co_await connect_streams({}, true);
    const std::string big(1024 * 1024, 'z');
    link.writer.write(big);
    link.writer.close();
    CHECK_THROWS_AS(link.writer.write("more"), aio::RuntimeError);
    auto closing = aio::create_task(link.writer.wait_closed());
    std::size_t received = 0;
    for (;;) {
      co_await aio::sleep(10ms);
      std::string got = co_await aio::sock_recv(link.peer, 256 * 1024);
      if (got.empty()) break;
      received += got.size();
    }
    co_await closing;
    log->push_back(at("received " + std::to_string(received / 1024) + " KiB, then the end"));
  };
  aio::run(main(&log), {.virtual_clock = true});
  REQUIRE(log.size() == 1);
  CHECK(log[0].find("received 1024 KiB, then the end") != std::string::npos);
}

TEST_CASE("write_eof lets the peer read the end and still answer", "[l17][ex4]") {
  auto main = []() -> aio::Coro<void> {
    Link link = co_await connect_streams();
    link.writer.write("question");
    link.writer.write_eof();
    CHECK_THROWS_AS(link.writer.write("more"), aio::RuntimeError);
    std::string asked;
    for (;;) {
      std::string got = co_await aio::sock_recv(link.peer, 100);
      if (got.empty()) break;
      asked += got;
    }
    CHECK(asked == "question");
    co_await aio::sock_sendall(link.peer, "answer");
    link.peer.close();
    {
      auto got = co_await link.reader.read();
      CHECK(got == "answer");
    }
  };
  aio::run(main(), {.virtual_clock = true});
}
