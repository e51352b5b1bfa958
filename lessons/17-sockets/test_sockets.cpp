// Tests for the socket awaitables (exercise l17.ex2): sock_accept, sock_connect, sock_recv,
// sock_sendall, and a wait that a cancellation withdraws.
//
// Every connection is on 127.0.0.1, made by the test itself, on the virtual clock: a server
// task and a client task share one loop.
#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/poller.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/socket.hpp>
#include <aio/socket_errors.hpp>
#include <aio/task.hpp>
#include <aio/wait_for.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>

#include "sockets_test_support.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <string>

using namespace std::chrono_literals;
using aio_test::at;
using aio_test::join;
using aio_test::Log;

namespace {

/// A port on 127.0.0.1 where nobody listens (bound and closed again: the kernel just gave it).
std::uint16_t closed_port() {
  aio::Socket probe = aio::Socket::tcp();
  probe.bind({"127.0.0.1", 0});
  return probe.local_address().port;
}

/// Accepts one connection, reads what comes, and answers "echo: <it>".
aio::Coro<void> echo_once(aio::Socket* listener, Log* log) {
  auto [connection, peer] = co_await aio::sock_accept(*listener);
  log->push_back(at("server accepted a client from " + peer.host));
  std::string got = co_await aio::sock_recv(connection, 1024);
  log->push_back(at("server got '" + got + "'"));
  co_await aio::sock_sendall(connection, "echo: " + got);
}

aio::Coro<std::string> recv_some(aio::Socket* socket) { co_return co_await aio::sock_recv(*socket, 1024); }

/// Two connected TCP sockets on 127.0.0.1: {client side, server side}.
aio::Coro<std::pair<aio::Socket, aio::Socket>> tcp_pair() {
  aio::Socket listener = aio::listen_on({"127.0.0.1", 0});
  aio::Socket client = aio::Socket::tcp();
  co_await aio::sock_connect(client, listener.local_address());
  auto accepted = co_await aio::sock_accept(listener);
  co_return std::pair<aio::Socket, aio::Socket>(std::move(client), std::move(accepted.first));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// l17.ex2: waiting for a socket

TEST_CASE("a client and a server in one loop exchange bytes at time 0", "[l17][ex2]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::Socket listener = aio::listen_on({"127.0.0.1", 0});
    auto server = aio::create_task(echo_once(&listener, log));
    co_await aio::sleep(1s);  // the server waits for a client meanwhile; time jumps
    aio::Socket client = aio::Socket::tcp();
    co_await aio::sock_connect(client, listener.local_address());
    co_await aio::sock_sendall(client, "hello");
    std::string answer = co_await aio::wait_for(recv_some(&client), 5s);
    log->push_back(at("client got '" + answer + "'"));
    co_await server;
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "1.0 server accepted a client from 127.0.0.1 | 1.0 server got 'hello' | 1.0 client got 'echo: hello'");
}

TEST_CASE("a server that answers after 2 s beats a 5 s limit, not the other way", "[l17][ex2]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    auto [client, server] = co_await tcp_pair();
    auto answer = aio::create_task(aio::wait_for(recv_some(&client), 5s));
    co_await aio::sleep(2s);
    co_await aio::sock_sendall(server, "late but in time");
    std::string got = co_await answer;
    log->push_back(at("client got '" + got + "'"));
    auto never = aio::create_task(aio::wait_for(recv_some(&client), 5s));
    try {
      co_await never;
    } catch (const aio::TimeoutError&) {
      log->push_back(at("TimeoutError"));
    }
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "2.0 client got 'late but in time' | 7.0 TimeoutError");
}

TEST_CASE("a cancelled recv withdraws its interest and loses no byte", "[l17][ex2]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    auto [client, server] = co_await tcp_pair();
    aio::Poller& poller = aio::poller_of(aio::get_running_loop());
    auto reading = aio::create_task(recv_some(&client));
    co_await aio::sleep(1s);
    CHECK(poller.reader(client.fd()) != nullptr);
    reading.cancel();
    CHECK(poller.reader(client.fd()) == nullptr);  // withdrawn at once, inside cancel()
    try {
      co_await reading;
    } catch (const aio::CancelledError&) {
      log->push_back(at("recv cancelled"));
    }
    co_await aio::sock_sendall(server, "kept");
    std::string next = co_await aio::sock_recv(client, 1024);
    log->push_back(at("next recv gets '" + next + "'"));
    CHECK(poller.watching() == 0);
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "1.0 recv cancelled | 1.0 next recv gets 'kept'");
}

TEST_CASE("a recv cancelled after its socket was ready keeps the bytes too", "[l17][ex2]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    auto [client, server] = co_await tcp_pair();
    auto reading = aio::create_task(recv_some(&client));
    co_await aio::sleep(1s);
    co_await aio::sock_sendall(server, "bytes");
    // Let the poller see the socket ready: the reading task's step is queued, not yet run.
    aio::get_running_loop().call_soon([&reading, log] {
      log->push_back(at("cancel() says " + std::string(aio_test::py(reading.cancel()))));
    });
    co_await aio::sleep(0s);
    try {
      std::string got = co_await reading;
      log->push_back(at("reader got '" + got + "'"));
    } catch (const aio::CancelledError&) {
      log->push_back(at("reader cancelled"));
    }
    std::string kept = co_await aio::sock_recv(client, 1024);
    log->push_back(at("the bytes are still there: '" + kept + "'"));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "1.0 cancel() says True | 1.0 reader cancelled | 1.0 the bytes are still there: 'bytes'");
}

TEST_CASE("reading one socket again and again makes no epoll_ctl after the first wait", "[l17][ex2]") {
  auto main = []() -> aio::Coro<void> {
    auto [client, server] = co_await tcp_pair();
    aio::Poller& poller = aio::poller_of(aio::get_running_loop());
    std::uint64_t after_first = 0;
    for (int i = 0; i < 10; ++i) {
      auto reading = aio::create_task(recv_some(&client));
      co_await aio::sleep(1s);  // the reader waits on its socket meanwhile
      co_await aio::sock_sendall(server, "ping");
      std::string got = co_await reading;
      CHECK(got == "ping");
      if (i == 0) after_first = poller.epoll_ctl_calls();
    }
    CHECK(poller.epoll_ctl_calls() == after_first);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("connecting where nobody listens is ConnectionRefusedError", "[l17][ex2]") {
  auto main = []() -> aio::Coro<void> {
    aio::Socket client = aio::Socket::tcp();
    // A named Address, not a braced list inside the co_await: GCC 12 destroys such a temporary
    // twice (design.md, section 5).
    const aio::Address nobody{"127.0.0.1", closed_port()};
    try {
      co_await aio::sock_connect(client, nobody);
      FAIL("connected to a port where nobody listens");
    } catch (const aio::ConnectionRefusedError& error) {
      CHECK(error.error_number() == ECONNREFUSED);
      CHECK(std::string(error.what()).find("Connect call failed") != std::string::npos);
    }
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("two tasks reading one socket: the second is told, not served", "[l17][ex2]") {
  auto main = []() -> aio::Coro<void> {
    auto [client, server] = co_await tcp_pair();
    auto first = aio::create_task(recv_some(&client));
    co_await aio::sleep(0s);
    {
      const bool raised = co_await aio_test::raises<aio::RuntimeError>(recv_some(&client));
      CHECK(raised);
    }
    co_await aio::sock_sendall(server, "for the first");
    {
      auto got = co_await first;
      CHECK(got == "for the first");
    }
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("a socket closed while a task waits on it wakes the task with an error", "[l17][ex2]") {
  auto main = []() -> aio::Coro<void> {
    auto [client, server] = co_await tcp_pair();
    auto reading = aio::create_task(recv_some(&client));
    co_await aio::sleep(1s);
    client.close();
    try {
      co_await reading;
      FAIL("read from a closed socket");
    } catch (const aio::OSError& error) {
      CHECK(error.error_number() == EBADF);
    }
    CHECK(aio::poller_of(aio::get_running_loop()).watching() == 0);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("a peer that resets makes recv raise ConnectionResetError", "[l17][ex2]") {
  auto main = []() -> aio::Coro<void> {
    auto [client, server] = co_await tcp_pair();
    const linger abort_on_close{1, 0};  // close() sends a reset instead of a polite end
    ::setsockopt(server.fd(), SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
    auto reading = aio::create_task(recv_some(&client));
    co_await aio::sleep(1s);
    server.close();
    try {
      co_await reading;
      FAIL("read from a reset connection");
    } catch (const aio::ConnectionResetError& error) {
      CHECK(error.error_number() == ECONNRESET);
    }
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("sendall to a peer that has gone is a ConnectionError with errno", "[l17][ex2]") {
  auto main = []() -> aio::Coro<void> {
    auto [client, server] = co_await tcp_pair();
    server.close();
    co_await aio::sleep(1s);
    int error_number = 0;
    try {
      for (int i = 0; i < 100; ++i) co_await aio::sock_sendall(client, std::string(64 * 1024, 'x'));
    } catch (const aio::BrokenPipeError& error) {
      error_number = error.error_number();
    } catch (const aio::ConnectionResetError& error) {
      error_number = error.error_number();
    }
    CHECK((error_number == EPIPE || error_number == ECONNRESET));
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("sendall waits for room while the reader is slow, and sends every byte", "[l17][ex2]") {
  auto main = []() -> aio::Coro<void> {
    auto [client, server] = co_await tcp_pair();
    const std::string big(4 * 1024 * 1024, 'b');
    auto sending = aio::create_task(aio::sock_sendall(client, big));
    std::size_t received = 0;
    while (received < big.size()) {
      co_await aio::sleep(100ms);
      received += (co_await aio::sock_recv(server, 1024 * 1024)).size();
    }
    co_await sending;
    CHECK(received == big.size());
    CHECK(aio::get_running_loop().time() > 100ms);  // the sender had to wait for the reader
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("a host name is refused with a message: aio resolves no names", "[l17][ex2]") {
  auto main = []() -> aio::Coro<void> {
    aio::Socket client = aio::Socket::tcp();
    const aio::Address named{"example.com", 80};
    {
      const bool raised = co_await aio_test::raises<aio::ValueError>(aio::sock_connect(client, named));
      CHECK(raised);
    }
  };
  aio::run(main(), {.virtual_clock = true});
}
