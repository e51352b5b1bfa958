// Tests for HttpServer (exercise l18.ex2: one connection, request after request): keep-alive,
// Content-Length bodies, the router's 404 and 405, and bad input that ends one connection and
// never the server. Raw clients on 127.0.0.1, on the virtual clock.
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/gather.hpp>
#include <aio/http_server.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/socket.hpp>
#include <aio/streams.hpp>
#include <aio/task.hpp>
#include <aio/wait_for.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>

#include "http_test_support.hpp"

#include <sys/socket.h>

#include <chrono>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using aio_test::at;
using aio_test::join;
using aio_test::Log;

namespace {

Log* server_log = nullptr;  // where the server's log lines go (a test sets it)

aio::Router test_router() {
  aio::Router router;
  router.get("/hello", [](aio::Request) -> aio::Coro<aio::Response> {
    return []() -> aio::Coro<aio::Response> { co_return aio::Response::text("hello"); }();
  });
  router.post("/echo", [](aio::Request request) -> aio::Coro<aio::Response> {
    return [](aio::Request r) -> aio::Coro<aio::Response> { co_return aio::Response::text(r.body); }(std::move(request));
  });
  router.get("/boom", [](aio::Request) -> aio::Coro<aio::Response> {
    return []() -> aio::Coro<aio::Response> {
      co_await aio::sleep(0s);
      throw aio::ValueError("boom");
    }();
  });
  return router;
}

aio::HttpOptions logging_options() {
  aio::HttpOptions options;
  options.log = [](const std::string& line) {
    if (server_log != nullptr) server_log->push_back(at("server: " + line));
  };
  return options;
}

aio::Coro<aio::HttpServer> start_test_server() {
  aio::HttpServer server = co_await aio::HttpServer::start(test_router(), "127.0.0.1", 0, logging_options());
  co_return server;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// l18.ex2: one connection, request after request

TEST_CASE("a GET gets its body with Content-Length, and the connection stays open", "[l18][ex2]") {
  auto main = []() -> aio::Coro<void> {
    aio::HttpServer server = co_await start_test_server();
    auto [reader, writer] = co_await aio::open_connection("127.0.0.1", server.port());
    writer.write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
    std::string head = co_await reader.readuntil("\r\n\r\n");
    CHECK(head.starts_with("HTTP/1.1 200 OK\r\n"));
    CHECK(head.find("content-length: 5\r\n") != std::string::npos);
    CHECK(head.find("connection: close") == std::string::npos);
    std::string body = co_await reader.readexactly(5);
    CHECK(body == "hello");
    CHECK(server.connections() == 1);  // keep-alive: the connection waits for the next request
    writer.write("GET /hello HTTP/1.1\r\nConnection: close\r\n\r\n");
    std::string rest = co_await aio::wait_for(reader.read(), 5s);
    CHECK(aio_test::status_of(rest) == 200);
    CHECK(rest.find("connection: close\r\n") != std::string::npos);
    CHECK(aio_test::body_of(rest) == "hello");
    writer.close();
    co_await server.shutdown(1s);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("three pipelined requests in one write get three answers, in order", "[l18][ex2]") {
  auto main = []() -> aio::Coro<void> {
    aio::HttpServer server = co_await start_test_server();
    std::string answer = co_await aio_test::exchange(server.port(),
                                                     "POST /echo HTTP/1.1\r\nContent-Length: 3\r\n\r\none"
                                                     "POST /echo HTTP/1.1\r\nContent-Length: 3\r\n\r\ntwo"
                                                     "GET /hello HTTP/1.1\r\nConnection: close\r\n\r\n");
    CHECK(aio_test::responses_in(answer) == 3);
    const std::size_t one = answer.find("\r\n\r\none");
    const std::size_t two = answer.find("\r\n\r\ntwo");
    const std::size_t hello = answer.find("\r\n\r\nhello");
    CHECK((one != std::string::npos && one < two && two < hello && hello != std::string::npos));
    co_await server.shutdown(1s);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("a body that arrives in two pieces a second apart is read whole", "[l18][ex2]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::HttpServer server = co_await start_test_server();
    auto [reader, writer] = co_await aio::open_connection("127.0.0.1", server.port());
    writer.write("POST /echo HTTP/1.0\r\nContent-Length: 11\r\n\r\nhello");
    co_await aio::sleep(1s);
    writer.write(" world");
    std::string answer = co_await aio::wait_for(reader.read(), 5s);  // HTTP/1.0: closed after
    log->push_back(at(std::to_string(aio_test::status_of(answer)) + " " + aio_test::body_of(answer)));
    co_await server.shutdown(1s);
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "1.0 200 hello world");
}

TEST_CASE("an unknown path gets 404, a wrong method 405, and the connection goes on", "[l18][ex2]") {
  auto main = []() -> aio::Coro<void> {
    aio::HttpServer server = co_await start_test_server();
    std::string answer = co_await aio_test::exchange(server.port(),
                                                     "GET /nowhere HTTP/1.1\r\n\r\n"
                                                     "GET /echo HTTP/1.1\r\n\r\n"
                                                     "GET /hello HTTP/1.1\r\nConnection: close\r\n\r\n");
    CHECK(aio_test::responses_in(answer) == 3);
    CHECK(answer.starts_with("HTTP/1.1 404 Not Found\r\n"));
    CHECK(answer.find("HTTP/1.1 405 Method Not Allowed\r\n") != std::string::npos);
    CHECK(answer.find("{\"error\":\"no route for /nowhere\"}") != std::string::npos);
    CHECK(answer.ends_with("hello"));
    co_await server.shutdown(1s);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("a handler that throws gets 500, the server logs it and goes on", "[l18][ex2]") {
  Log log;
  server_log = &log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::HttpServer server = co_await start_test_server();
    std::string answer = co_await aio_test::exchange(server.port(),
                                                     "GET /boom HTTP/1.1\r\n\r\nGET /hello HTTP/1.1\r\nConnection: close\r\n\r\n");
    log->push_back(at("statuses " + std::to_string(aio_test::status_of(answer)) + " then " +
                      std::to_string(aio_test::status_of(answer.substr(answer.rfind("HTTP/1.1 "))))));
    co_await server.shutdown(1s);
  };
  aio::run(main(&log), {.virtual_clock = true});
  server_log = nullptr;
  CHECK(join(log) ==
        "0.0 server: 500 for GET /boom: boom | 0.0 statuses 500 then 200 | "
        "0.0 server: shutting down: 0 connections open");
}

TEST_CASE("HTTP/1.0 without keep-alive closes after one answer", "[l18][ex2]") {
  auto main = []() -> aio::Coro<void> {
    aio::HttpServer server = co_await start_test_server();
    std::string answer = co_await aio_test::exchange(server.port(), "GET /hello HTTP/1.0\r\n\r\nGET /hello HTTP/1.0\r\n\r\n");
    CHECK(aio_test::responses_in(answer) == 1);
    CHECK(answer.find("connection: close\r\n") != std::string::npos);
    co_await server.shutdown(1s);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("bad requests get 400, 413, 431, 505; the connection closes, others go on", "[l18][ex2]") {
  auto main = []() -> aio::Coro<void> {
    aio::HttpServer server = co_await start_test_server();
    const std::vector<std::pair<std::string, int>> cases = {
        {"NOT A REQUEST\r\n\r\n", 400},
        {"GET /" + std::string(9000, 'a') + " HTTP/1.1\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nX: " + std::string(17000, 'b') + "\r\n\r\n", 431},
        {"POST /echo HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n", 413},
        {"GET /hello HTTP/3.0\r\n\r\n", 505},
    };
    // All at once, and a good client among them.
    std::vector<aio::Coro<std::string>> clients;
    for (const auto& [bytes, status] : cases) clients.push_back(aio_test::exchange(server.port(), bytes + "GET /hello HTTP/1.1\r\n\r\n"));
    clients.push_back(aio_test::exchange(server.port(), "GET /hello HTTP/1.1\r\nConnection: close\r\n\r\n"));
    std::vector<std::string> answers = co_await aio::gather(std::move(clients));
    for (std::size_t i = 0; i < cases.size(); ++i) {
      INFO("case " << i);
      CHECK(aio_test::status_of(answers[i]) == cases[i].second);
      CHECK(aio_test::responses_in(answers[i]) == 1);  // the request after it is not served
      CHECK(answers[i].find("connection: close\r\n") != std::string::npos);
    }
    CHECK(aio_test::body_of(answers.back()) == "hello");
    CHECK(server.is_serving());
    co_await server.shutdown(1s);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("a client that sends its head one byte a second gets 408 at 10 s", "[l18][ex2]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::HttpServer server = co_await start_test_server();
    auto [reader, writer] = co_await aio::open_connection("127.0.0.1", server.port());
    auto drip = [](aio::StreamWriter w) -> aio::Coro<void> {
      const std::string head = "GET /hello HTTP/1.1\r\nHost: slowly\r\n\r\n";
      for (const char c : head) {
        if (w.is_closing()) co_return;
        w.write(std::string(1, c));
        co_await aio::sleep(1s);
      }
    };
    aio::Task<void> dripping = aio::create_task(drip(writer));
    // Meanwhile another client is served at once.
    std::string other = co_await aio_test::exchange(server.port(), "GET /hello HTTP/1.1\r\nConnection: close\r\n\r\n");
    log->push_back(at("other client: " + std::to_string(aio_test::status_of(other))));
    std::string answer = co_await reader.read();
    log->push_back(at("slow client: " + std::to_string(aio_test::status_of(answer))));
    std::string after = co_await reader.read();
    log->push_back(at("then the end of the stream: " + std::string(aio_test::py(after.empty()))));
    dripping.cancel();
    writer.close();
    co_await server.shutdown(1s);
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "0.0 other client: 200 | 10.0 slow client: 408 | 10.0 then the end of the stream: True");
}

TEST_CASE("an idle keep-alive connection is closed at 10 s without an answer", "[l18][ex2]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::HttpServer server = co_await start_test_server();
    auto [reader, writer] = co_await aio::open_connection("127.0.0.1", server.port());
    writer.write("GET /hello HTTP/1.1\r\n\r\n");
    co_await reader.readuntil("hello");
    log->push_back(at("answered"));
    std::string rest = co_await reader.read();
    log->push_back(at("closed by the server, bytes: " + std::to_string(rest.size())));
    writer.close();
    co_await server.shutdown(1s);
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "0.0 answered | 10.0 closed by the server, bytes: 0");
}

TEST_CASE("a client that resets mid-request ends its connection quietly", "[l18][ex2]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::get_running_loop().set_exception_handler([log](const std::string& message) { log->push_back(at(message)); });
    aio::HttpServer server = co_await start_test_server();
    aio::Socket rude = aio::Socket::tcp();
    const aio::Address where{"127.0.0.1", server.port()};
    co_await aio::sock_connect(rude, where);
    co_await aio::sock_sendall(rude, "POST /echo HTTP/1.1\r\nContent-Length: 100\r\n\r\nhalf a bo");
    co_await aio::sleep(1s);
    const linger abort_on_close{1, 0};
    ::setsockopt(rude.fd(), SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
    rude.close();
    co_await aio::sleep(1s);
    log->push_back(at("open connections: " + std::to_string(server.connections())));
    std::string answer = co_await aio_test::exchange(server.port(), "GET /hello HTTP/1.1\r\nConnection: close\r\n\r\n");
    log->push_back(at("next client: " + std::to_string(aio_test::status_of(answer))));
    co_await server.shutdown(1s);
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "2.0 open connections: 0 | 2.0 next client: 200");
}
