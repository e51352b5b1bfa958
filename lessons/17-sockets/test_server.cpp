// Tests for start_server and Server (exercise l17.ex5: serving one client), and the server's
// behaviour under bad input: a line too long, a client gone mid-message, a reset, a handler
// that throws, a thousand connections. All on 127.0.0.1, on the virtual clock, bounded.
#include <aio/async_with.hpp>
#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/gather.hpp>
#include <aio/run.hpp>
#include <aio/server.hpp>
#include <aio/sleep.hpp>
#include <aio/socket.hpp>
#include <aio/socket_errors.hpp>
#include <aio/streams.hpp>
#include <aio/task.hpp>
#include <aio/wait_for.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>

#include "sockets_test_support.hpp"

#include <dirent.h>
#include <sys/socket.h>

#include <chrono>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using aio_test::at;
using aio_test::join;
using aio_test::Log;

namespace {

/// Echoes lines until the client ends its side.
aio::Coro<void> echo_lines(aio::StreamReader reader, aio::StreamWriter writer) {
  for (;;) {
    std::string line = co_await reader.readline();
    if (line.empty()) break;
    writer.write(line);
    co_await writer.drain();
  }
  writer.close();
}

/// Sends `line`, returns the answer line.
aio::Coro<std::string> ask(std::uint16_t port, std::string line) {
  auto [reader, writer] = co_await aio::open_connection("127.0.0.1", port);
  writer.write(line);
  co_await writer.drain();
  std::string answer = co_await reader.readline();
  writer.close();
  co_await writer.wait_closed();
  co_return answer;
}

Log* handler_log = nullptr;  // where the handlers below write (a handler takes only its streams)

aio::Coro<void> throws_on_boom(aio::StreamReader reader, aio::StreamWriter writer) {
  std::string line = co_await reader.readline();
  if (line == "boom\n") throw aio::ValueError("boom");
  writer.write("ok: " + line);
  co_await writer.drain();
  writer.close();
}

aio::Coro<void> slow_handler(aio::StreamReader reader, aio::StreamWriter writer) {
  co_await reader.readline();
  co_await aio::sleep(3s);
  handler_log->push_back(at("handler done"));
  writer.close();
}

/// Reads lines; logs why it stopped: the end of the stream, an error.
aio::Coro<void> logging_echo(aio::StreamReader reader, aio::StreamWriter writer) {
  try {
    for (;;) {
      std::string line = co_await reader.readline();
      if (line.empty()) {
        handler_log->push_back(at("handler: end of stream"));
        break;
      }
      if (line.back() != '\n') handler_log->push_back(at("handler: partial line '" + line + "'"));
      writer.write(line);
      co_await writer.drain();
    }
  } catch (const aio::ValueError& error) {
    handler_log->push_back(at(std::string("handler: ValueError: ") + error.what()));
  } catch (const aio::ConnectionResetError& error) {
    handler_log->push_back(at("handler: ConnectionResetError, errno " + std::to_string(error.error_number())));
  }
  writer.close();
}

aio::Coro<std::vector<std::string>> all_answers(std::vector<aio::Task<std::string>> clients) {
  std::vector<std::string> answers = co_await aio::gather(clients);
  co_return answers;
}

std::size_t open_fds() {
  std::size_t count = 0;
  DIR* dir = ::opendir("/proc/self/fd");
  while (::readdir(dir) != nullptr) ++count;
  ::closedir(dir);
  return count;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// l17.ex5: serving one client

TEST_CASE("an echo server answers a client in the same loop, at time 0", "[l17][ex5]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Server server = co_await aio::start_server(echo_lines, "127.0.0.1", 0);
    std::string answer = co_await aio::wait_for(ask(server.port(), "hello\n"), 5s);
    log->push_back(at("client got " + answer.substr(0, answer.size() - 1)));
    server.close();
    co_await server.wait_closed();
    log->push_back(at("closed"));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "0.0 client got hello | 0.0 closed");
}

TEST_CASE("ten clients at once are each served by a task of their own", "[l17][ex5]") {
  auto main = []() -> aio::Coro<void> {
    aio::Server server = co_await aio::start_server(echo_lines, "127.0.0.1", 0);
    std::vector<aio::Task<std::string>> clients;
    for (int i = 0; i < 10; ++i) clients.push_back(aio::create_task(ask(server.port(), "client " + std::to_string(i) + "\n")));
    std::vector<std::string> answers = co_await aio::gather(clients);
    for (int i = 0; i < 10; ++i) CHECK(answers[std::size_t(i)] == "client " + std::to_string(i) + "\n");
    CHECK(server.served() == 10);
    server.close();
    co_await server.wait_closed();
  };
  aio::run(main(), {.virtual_clock = true});
}

// CPython: cpython/handler_raises.py
TEST_CASE("a handler that throws is reported, its client closed, the server goes on", "[l17][ex5]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::get_running_loop().set_exception_handler([log](const std::string& message) { log->push_back(at(message)); });
    aio::Server server = co_await aio::start_server(throws_on_boom, "127.0.0.1", 0);
    std::string first = co_await ask(server.port(), "boom\n");
    log->push_back(at("first client got '" + first + "' (the end of the stream)"));
    std::string second = co_await ask(server.port(), "fine\n");
    log->push_back(at("second client got '" + second.substr(0, second.size() - 1) + "'"));
    server.close();
    co_await server.wait_closed();
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) ==
        "0.0 Unhandled exception in client_connected_cb: boom | 0.0 first client got '' (the end of the stream) | "
        "0.0 second client got 'ok: fine'");
}

static std::vector<aio::StreamWriter>* kept_writers = nullptr;

static aio::Coro<void> keeps_writer_then_throws(aio::StreamReader reader, aio::StreamWriter writer) {
  kept_writers->push_back(writer);  // as a chat room keeps every client's writer
  co_await reader.readline();
  throw aio::ValueError("boom");
}

TEST_CASE("a throwing handler's client is closed even if its writer is kept", "[l17][ex5]") {
  Log log;
  std::vector<aio::StreamWriter> writers;
  kept_writers = &writers;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::get_running_loop().set_exception_handler([log](const std::string& message) { log->push_back(at(message)); });
    aio::Server server = co_await aio::start_server(keeps_writer_then_throws, "127.0.0.1", 0);
    std::string answer = co_await aio::wait_for(ask(server.port(), "hi\n"), 5s);
    log->push_back(at("client got '" + answer + "'"));
    server.close();
    co_await server.wait_closed();
  };
  aio::run(main(&log), {.virtual_clock = true});
  kept_writers = nullptr;
  CHECK(join(log) == "0.0 Unhandled exception in client_connected_cb: boom | 0.0 client got ''");
}

static aio::Coro<void> waits_forever(aio::StreamReader reader, aio::StreamWriter) {
  co_await reader.read();  // the client never sends anything, nor closes
}

static aio::Coro<void> stays_connected(std::uint16_t port) {
  auto [reader, writer] = co_await aio::open_connection("127.0.0.1", port);
  co_await aio::sleep(100s);
}

TEST_CASE("a handler cancelled at the loop's end is not reported as a failure", "[l17][ex5]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::get_running_loop().set_exception_handler([log](const std::string& message) { log->push_back(message); });
    aio::Server server = co_await aio::start_server(waits_forever, "127.0.0.1", 0);
    aio::create_task(stays_connected(server.port()));
    co_await aio::sleep(1s);
    CHECK(server.clients() == 1);
  };  // aio::run cancels the handler's task, which ends cancelled: nothing to report
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "");
}

// CPython: cpython/server_wait_closed.py (wait_closed waits for the handlers from 3.12.1 on)
TEST_CASE("close stops listening; wait_closed waits for the handlers still running", "[l17][ex5]") {
  Log log;
  handler_log = &log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Server server = co_await aio::start_server(slow_handler, "127.0.0.1", 0);
    const std::uint16_t port = server.port();
    auto [reader, writer] = co_await aio::open_connection("127.0.0.1", port);
    writer.write("hi\n");
    co_await aio::sleep(1s);
    server.close();
    log->push_back(at("closed, serving: " + std::string(aio_test::py(server.is_serving()))));
    const bool refused = co_await aio_test::raises<aio::ConnectionRefusedError>(aio::open_connection("127.0.0.1", port));
    log->push_back(at("a new client is refused: " + std::string(aio_test::py(refused))));
    co_await server.wait_closed();
    log->push_back(at("wait_closed returned"));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) ==
        "1.0 closed, serving: False | 1.0 a new client is refused: True | 3.0 handler done | 3.0 wait_closed returned");
}

// CPython: cpython/serve_forever_close.py
TEST_CASE("serve_forever ends with CancelledError when the server is closed", "[l17][ex5]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Server server = co_await aio::start_server(echo_lines, "127.0.0.1", 0);
    auto serving = aio::create_task(server.serve_forever());
    co_await aio::sleep(1s);
    server.close();
    const bool cancelled = co_await aio_test::raises<aio::CancelledError>(serving);
    log->push_back(at("closed by another task: CancelledError " + std::string(aio_test::py(cancelled)) +
                      ", task cancelled: " + aio_test::py(serving.cancelled())));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "1.0 closed by another task: CancelledError True, task cancelled: True");
}

// CPython: cpython/serve_forever_close.py
TEST_CASE("serve_forever, cancelled, closes the server before it ends", "[l17][ex5]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Server server = co_await aio::start_server(echo_lines, "127.0.0.1", 0);
    auto serving = aio::create_task(server.serve_forever());
    std::string answer = co_await ask(server.port(), "while serving\n");
    log->push_back(at("got " + answer.substr(0, answer.size() - 1)));
    co_await aio::sleep(2s);
    serving.cancel();
    const bool cancelled = co_await aio_test::raises<aio::CancelledError>(serving);
    log->push_back(at("serve_forever cancelled: " + std::string(aio_test::py(cancelled)) +
                      ", serving: " + aio_test::py(server.is_serving())));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "0.0 got while serving | 2.0 serve_forever cancelled: True, serving: False");
}

TEST_CASE("a server used with async_with is closed when the body ends", "[l17][ex5]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Server server = co_await aio::start_server(echo_lines, "127.0.0.1", 0);
    co_await aio::async_with(server, [](aio::Server* s, Log* log) -> aio::Coro<void> {
      std::string answer = co_await ask(s->port(), "inside\n");
      log->push_back(at("got " + answer.substr(0, answer.size() - 1)));
    }, log);
    log->push_back(at("after the scope, serving: " + std::string(aio_test::py(server.is_serving()))));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "0.0 got inside | 0.0 after the scope, serving: False");
}

// ---------------------------------------------------------------------------------------------
// Bad input: each client's trouble stays its own.

TEST_CASE("1 MiB without a newline: that client's readline fails, others are served", "[l17][reliability]") {
  Log log;
  handler_log = &log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Server server = co_await aio::start_server(logging_echo, "127.0.0.1", 0);
    auto [reader, writer] = co_await aio::open_connection("127.0.0.1", server.port());
    writer.write(std::string(1024 * 1024, 'x'));
    auto flooding = aio::create_task(writer.drain());
    std::string answer = co_await aio::wait_for(ask(server.port(), "still here\n"), 5s);
    log->push_back(at("other client got " + answer.substr(0, answer.size() - 1)));
    bool flood_failed = false;
    try {
      co_await flooding;
      std::string rest = co_await reader.read();  // the server closed this client
      flood_failed = rest.empty();
    } catch (const aio::ConnectionError&) {
      flood_failed = true;  // or reset it, with bytes still unread on its side
    }
    log->push_back(at("flooding client disconnected: " + std::string(aio_test::py(flood_failed))));
    server.close();
    co_await server.wait_closed();
  };
  aio::run(main(&log), {.virtual_clock = true});
  REQUIRE(log.size() >= 3);
  CHECK(join(log).find("handler: ValueError: Separator is not found, and chunk exceed the limit") != std::string::npos);
  CHECK(join(log).find("0.0 other client got still here") != std::string::npos);
  CHECK(log.back() == "0.0 flooding client disconnected: True");
}

TEST_CASE("a client gone mid-message ends its own handler only", "[l17][reliability]") {
  Log log;
  handler_log = &log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Server server = co_await aio::start_server(logging_echo, "127.0.0.1", 0);
    {
      auto [reader, writer] = co_await aio::open_connection("127.0.0.1", server.port());
      writer.write("half a li");
      co_await writer.drain();
      writer.close();
    }
    co_await aio::sleep(1s);
    std::string answer = co_await ask(server.port(), "whole line\n");
    log->push_back(at("next client got " + answer.substr(0, answer.size() - 1)));
    server.close();
    co_await server.wait_closed();
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) ==
        "0.0 handler: partial line 'half a li' | 0.0 handler: end of stream | 1.0 next client got whole line | "
        "1.0 handler: end of stream");
}

TEST_CASE("a client that resets ends its own handler only", "[l17][reliability]") {
  Log log;
  handler_log = &log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Server server = co_await aio::start_server(logging_echo, "127.0.0.1", 0);
    aio::Socket rude = aio::Socket::tcp();
    const aio::Address where{"127.0.0.1", server.port()};
    co_await aio::sock_connect(rude, where);
    co_await aio::sock_sendall(rude, "no newline");
    co_await aio::sleep(1s);
    const linger abort_on_close{1, 0};
    ::setsockopt(rude.fd(), SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
    rude.close();
    co_await aio::sleep(1s);
    std::string answer = co_await ask(server.port(), "polite\n");
    log->push_back(at("next client got " + answer.substr(0, answer.size() - 1)));
    server.close();
    co_await server.wait_closed();
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "1.0 handler: ConnectionResetError, errno 104 | 2.0 next client got polite | 2.0 handler: end of stream");
}

TEST_CASE("1,000 connections open, echo and close with no fd leaked", "[l17][reliability]") {
  const std::size_t before = open_fds();
  auto main = []() -> aio::Coro<void> {
    // A backlog for all of them: a full one drops connection requests, which the clients' kernels
    // repeat a second later in real time (the virtual clock would not wait for that).
    aio::Server server = co_await aio::start_server(echo_lines, "127.0.0.1", 0, {}, 1024);
    std::vector<aio::Task<std::string>> clients;
    for (int i = 0; i < 1000; ++i) clients.push_back(aio::create_task(ask(server.port(), std::to_string(i) + "\n")));
    std::vector<std::string> answers = co_await aio::wait_for(all_answers(clients), 30s);
    std::size_t right = 0;
    for (int i = 0; i < 1000; ++i) right += answers[std::size_t(i)] == std::to_string(i) + "\n" ? 1 : 0;
    CHECK(right == 1000);
    CHECK(server.served() == 1000);
    server.close();
    co_await server.wait_closed();
  };
  // The real clock: this test is about file descriptors, not time, and a thousand connection
  // requests at once may meet a full queue in the kernel, which repeats them after a second of
  // real time that the virtual clock would not wait for.
  aio::run(main(), {.virtual_clock = false});
  CHECK(open_fds() == before);
}

// ---------------------------------------------------------------------------------------------
// 3.13's close_clients() and abort_clients()

namespace {

/// Opens a connection, sends `line`, returns the streams and the answer line.
struct Talk {
  aio::StreamReader reader;
  aio::StreamWriter writer;
  std::string answer;
};
aio::Coro<Talk> talk(std::uint16_t port, std::string line) {
  auto [reader, writer] = co_await aio::open_connection("127.0.0.1", port);
  writer.write(line);
  std::string answer = co_await reader.readline();
  co_return Talk{reader, writer, answer};
}

/// Waits for a line, then writes `flood_bytes`, more than the kernel takes at once, and logs
/// how its drain() ended. (No times: one test runs it on the real clock.)
std::size_t flood_bytes = 0;
aio::Coro<void> flooding_handler(aio::StreamReader reader, aio::StreamWriter writer) {
  co_await reader.readline();
  writer.write(std::string(flood_bytes, 'x'));
  handler_log->push_back(writer.buffer_size() > 0 ? "handler: output waits in the buffer" : "handler: all sent");
  try {
    co_await writer.drain();
    handler_log->push_back("handler: drain returned");
  } catch (const aio::OSError& error) {
    handler_log->push_back(std::string("handler: drain raised ") + error.what());
  }
}

}  // namespace

// CPython: cpython/server_close_clients.py (3.13)
TEST_CASE("close_clients closes each connection; the server still listens", "[l17][clients]") {
  Log log;
  handler_log = &log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Server server = co_await aio::start_server(logging_echo, "127.0.0.1", 0);
    Talk one = co_await talk(server.port(), "one\n");
    log->push_back(at("client got " + one.answer.substr(0, 3)));
    co_await aio::sleep(1s);
    server.close_clients();
    std::string rest = co_await one.reader.read();
    log->push_back(at("client reads '" + rest + "', serving: " + aio_test::py(server.is_serving())));
    one.writer.close();
    Talk two = co_await talk(server.port(), "two\n");
    log->push_back(at("a new client got " + two.answer.substr(0, 3)));
    server.abort_clients();
    rest = co_await two.reader.read();
    log->push_back(at("client reads '" + rest + "'"));
    two.writer.close();
    server.close();
    co_await server.wait_closed();
    log->push_back(at("closed with " + std::to_string(server.clients()) + " handlers running"));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) ==
        "0.0 client got one | 1.0 handler: end of stream | 1.0 client reads '', serving: True | "
        "1.0 a new client got two | 1.0 handler: end of stream | 1.0 client reads '' | 1.0 closed with 0 handlers running");
}

TEST_CASE("abort_clients drops the output a handler has not sent yet", "[l17][clients]") {
  Log log;
  handler_log = &log;
  flood_bytes = 32 * 1024 * 1024;  // far more than the kernel's buffers take
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Server server = co_await aio::start_server(flooding_handler, "127.0.0.1", 0);
    auto [reader, writer] = co_await aio::open_connection("127.0.0.1", server.port());
    writer.write("go\n");
    co_await aio::sleep(1s);
    server.abort_clients();
    std::string all = co_await aio::wait_for(reader.read(), 10s);
    log->push_back(at(std::string("client got ") + (all.size() == flood_bytes ? "every byte" : "fewer bytes") +
                      ", then the end of the stream"));
    writer.close();
    server.close();
    co_await server.wait_closed();
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) ==
        "handler: output waits in the buffer | handler: drain returned | 1.0 client got fewer bytes, then the end of the stream");
}

TEST_CASE("close_clients sends what a handler wrote before it closes", "[l17][clients]") {
  Log log;
  handler_log = &log;
  flood_bytes = 32 * 1024 * 1024;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Server server = co_await aio::start_server(flooding_handler, "127.0.0.1", 0);
    auto [reader, writer] = co_await aio::open_connection("127.0.0.1", server.port());
    writer.write("go\n");
    auto reading = aio::create_task(reader.read());
    while (log->empty()) co_await aio::sleep(0ms);  // until the handler has written
    server.close_clients();
    std::string all = co_await aio::wait_for(reading, 10s);
    log->push_back((std::string("client got ") + (all.size() == flood_bytes ? "every byte" : "fewer bytes") +
                      ", then the end of the stream"));
    writer.close();
    server.close();
    co_await server.wait_closed();
  };
  // On the real clock: 32 MiB through loopback makes TCP wait on timers of its own, in real
  // time, longer than the virtual clock lets a quiet socket wait before it jumps.
  aio::run(main(&log));
  CHECK(join(log) == "handler: output waits in the buffer | handler: drain returned | client got every byte, then the end of the stream");
}
