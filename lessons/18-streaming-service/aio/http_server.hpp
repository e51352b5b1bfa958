// aio::HttpServer and aio::Router: HTTP/1.1 on lesson 17's streams.
//
//   app = FastAPI()                                aio::Router router;
//   @app.get("/search")                            router.get("/search", search);
//   uvicorn.run(app, port=8000)                    aio::HttpServer server = co_await aio::HttpServer::start(router, "127.0.0.1", 8000);
//                                                  co_await server.serve_forever();
//
// One task per connection (lesson 17's start_server). The task reads a request (HeadParser, then
// a Content-Length body), finds its handler in the Router, awaits the handler's Response and
// writes it: a whole body with Content-Length, or a stream as chunks (send_chunked). With
// keep-alive it then reads the next request on the same connection.
//
// Bad input ends one connection, never the server: a request the parser refuses is answered
// with its status (400, 413, 431, 505, 501) and the connection is closed; a request that does
// not arrive whole within `request_timeout` of the first wait gets 408 (or, on a connection
// that sent nothing, a plain close); an unknown path gets 404, a known path with another
// method 405; a handler that throws gets 500, and the server's log says why.
//
// Shutdown (shutdown(grace)): stop listening; close at once the connections that wait between
// requests; let the ones that are answering (a stream that runs) finish within `grace`; then
// cancel those still running: the cancellation lands inside the handler or the stream's
// generator, whose cleanup runs, and the connection closes.
//
// Where tasks resume: from the loop's ready queue, after the Poller saw their sockets ready or
// a timer went off (lesson 17); the server itself never resumes a task inline.
#pragma once

#include <aio/cancellation.hpp>
#include <aio/chunked_stream.hpp>
#include <aio/clock.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/http_message.hpp>
#include <aio/http_parser.hpp>
#include <aio/not_implemented.hpp>
#include <aio/server.hpp>
#include <aio/socket_errors.hpp>
#include <aio/streams.hpp>
#include <aio/task.hpp>
#include <aio/timeout.hpp>
#include <aio/wait_for.hpp>

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aio {

/// What answers one route: a coroutine from a request to a response.
using Handler = std::function<Coro<Response>(Request)>;

// book:router
/// Routes by exact path, then by method.
class Router {
public:
  void add(std::string method, std::string path, Handler handler) {
    routes_.push_back(Route{std::move(method), std::move(path), std::move(handler)});
  }
  void get(std::string path, Handler handler) { add("GET", std::move(path), std::move(handler)); }
  void post(std::string path, Handler handler) { add("POST", std::move(path), std::move(handler)); }

  /// The handler for `request`; HttpError 404 if no route has its path, 405 if none of the
  /// routes with its path has its method.
  const Handler& find(const Request& request) const {
    bool path_known = false;
    for (const Route& route : routes_) {
      if (route.path != request.path) continue;
      if (route.method == request.method) return route.handler;
      path_known = true;
    }
    if (path_known) throw HttpError(405, request.method + " is not allowed on " + request.path);
    throw HttpError(404, "no route for " + request.path);
  }

private:
  struct Route {
    std::string method;
    std::string path;
    Handler handler;
  };
  std::vector<Route> routes_;
};
// end book:router

/// How a server behaves.
struct HttpOptions {
  HttpLimits limits;
  /// A request (head and body) must arrive within this, counted from when the server starts
  /// waiting for it: 408 for a slow client, a plain close for an idle keep-alive connection.
  Duration request_timeout = std::chrono::seconds(10);
  /// One line per notable event (a refused request, a client gone mid-stream, a handler that
  /// threw, shutdown). Empty: say nothing.
  std::function<void(const std::string&)> log;
};

namespace detail {

/// One connection, as the server sees it.
struct HttpConnection {
  StreamReader reader;
  StreamWriter writer;
  HeadParser parser;
  std::string unread;   // bytes received after the last head, not used yet
  bool busy = false;    // answering a request (false while waiting for one)
  TaskBase* task = nullptr;
};

struct HttpServerState {
  Router router;
  HttpOptions options;
  bool stopping = false;
  std::list<HttpConnection*> connections;  // every connection's task registers here

  void log(const std::string& line) const {
    if (options.log) options.log(line);
  }
};

// book:read-request
/// What read_request found.
enum class Arrival { request, refused, timed_out, closed };

/// The head (fed to the parser from `unread`, then from the socket) and the body.
inline Coro<Arrival> read_request_now(HttpConnection* c) {
  std::size_t used = c->parser.feed(c->unread);
  c->unread.erase(0, used);
  while (!c->parser.done()) {
    if (c->parser.failed()) co_return Arrival::refused;
    std::string more = co_await c->reader.read(64 * 1024);
    if (more.empty()) co_return Arrival::closed;
    used = c->parser.feed(more);
    c->unread.assign(more, used);
  }
  Request& request = c->parser.request();
  const std::size_t length = c->parser.content_length();
  const std::size_t from_unread = std::min(length, c->unread.size());
  request.body.assign(c->unread, 0, from_unread);
  c->unread.erase(0, from_unread);
  if (request.body.size() < length) {
    try {
      request.body += co_await c->reader.readexactly(length - request.body.size());
    } catch (const IncompleteReadError&) {
      co_return Arrival::closed;
    }
  }
  co_return Arrival::request;
}

/// read_request_now within the server's request timeout.
inline Coro<Arrival> read_request(HttpConnection* c, Duration limit) {
  c->parser.reset();
  Timeout scope = timeout(limit);
  try {
    Arrival arrival = co_await scope.run(read_request_now(c));
    co_return arrival;
  } catch (const TimeoutError&) {
  }
  co_return Arrival::timed_out;
}
// end book:read-request

// book:dispatch
/// The handler's response; 404, 405 and 500 as responses of their own.
inline Coro<Response> dispatch(std::shared_ptr<HttpServerState> server, Request request) {
  const std::string what = request.method + " " + request.target;
  std::string failure;
  try {
    const Handler& handler = server->router.find(request);
    Response response = co_await handler(std::move(request));
    co_return response;
  } catch (const HttpError& error) {
    co_return Response::error(error.status(), error.what());
  } catch (const std::exception& error) {
    failure = error.what();
  }
  server->log("500 for " + what + ": " + failure);
  co_return Response::error(500, "internal error");
}
// end book:dispatch

// book:send-response
/// Writes `response`; false if the client went away meanwhile.
inline Coro<bool> send_response(HttpServerState* server, HttpConnection* c, std::string what, Response response,
                                bool keep_alive) {
  if (!response.stream) {
    std::string bytes = response_head(response, response.body.size(), keep_alive);
    bytes += response.body;
    c->writer.write(bytes);
    try {
      co_await c->writer.drain();
    } catch (const OSError&) {
      co_return false;
    }
    co_return true;
  }
  std::string head = response_head(response, std::nullopt, keep_alive);
  StreamReport report = co_await send_chunked(std::move(head), std::move(*response.stream), c->writer);
  if (report.client_gone) {
    server->log("client gone during " + what + " after " + std::to_string(report.pieces) + " pieces");
    co_return false;
  }
  co_return true;
}
// end book:send-response

/// Answers a refused or late request with its status, in one write; the connection closes after.
inline void refuse(HttpServerState* server, HttpConnection* c, int status, const std::string& why) {
  server->log(std::to_string(status) + " " + std::string(reason_phrase(status)) + ": " + why);
  const Response response = Response::error(status, why);
  c->writer.write(response_head(response, response.body.size(), false) + response.body);
}

// ---- ex2: one connection, request after request ----------------------------------------
// book:serve-connection
/// Serves requests on one connection until it closes, a request is refused, keep-alive ends,
/// or the server stops. The caller closes the connection afterwards.
inline Coro<void> serve_connection([[maybe_unused]] std::shared_ptr<HttpServerState> server, [[maybe_unused]] HttpConnection* c) {
  AIO_TODO("l18.ex2", "read a request, refuse or time out, dispatch, send; loop while keep-alive (see 'Step 2: one connection, request after request')");
}
// end book:serve-connection

/// A connection's task: registers itself for shutdown, serves, closes.
inline Coro<void> connection_task(std::shared_ptr<HttpServerState> server, StreamReader reader, StreamWriter writer) {
  HttpConnection connection{reader, writer, HeadParser(HeadParser::Kind::request, server->options.limits), {}, false, nullptr};
  connection.task = current_task();
  server->connections.push_back(&connection);
  const auto registered = std::prev(server->connections.end());
  std::exception_ptr failure;
  try {
    co_await serve_connection(server, &connection);
  } catch (const OSError&) {
    // The client reset the connection or vanished mid-request: its connection ends, quietly.
  } catch (...) {
    failure = std::current_exception();  // a cancellation at shutdown, or a stream that threw
  }
  server->connections.erase(registered);
  writer.close();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace detail

// book:http-server
/// A running HTTP server: a handle on its state, cheap to copy.
class HttpServer {
public:
  /// Listens on host:port (port 0: a free one) and serves `router`'s routes.
  static Coro<HttpServer> start(Router router, std::string host, std::uint16_t port, HttpOptions options = {}) {
    auto state = std::make_shared<detail::HttpServerState>();
    state->router = std::move(router);
    state->options = std::move(options);
    ClientConnected on_client = [state](StreamReader reader, StreamWriter writer) {
      return detail::connection_task(state, std::move(reader), std::move(writer));
    };
    Server listening = co_await start_server(std::move(on_client), std::move(host), port);
    co_return HttpServer(state, listening);
  }

  std::uint16_t port() const noexcept { return listening_.port(); }
  /// Connections open now (each has a task).
  std::size_t connections() const noexcept { return state_->connections.size(); }
  bool is_serving() const noexcept { return listening_.is_serving(); }

  /// Serves until shutdown() has finished.
  Coro<void> serve_forever() { return listening_.wait_closed(); }

  /// Stops listening, closes idle connections, gives running ones `grace` to finish, then
  /// cancels what still runs. Returns once every connection is closed.
  Coro<void> shutdown(Duration grace) { return shutdown(state_, listening_, grace); }

private:
  HttpServer(std::shared_ptr<detail::HttpServerState> state, Server listening)
      : state_(std::move(state)), listening_(std::move(listening)) {}

  static void cancel_connections(detail::HttpServerState& state, bool busy_too) {
    for (detail::HttpConnection* c : state.connections) {
      if ((busy_too || !c->busy) && c->task != nullptr) c->task->cancel();
    }
  }

  static Coro<void> shutdown(std::shared_ptr<detail::HttpServerState> state, Server listening, Duration grace) {
    if (state->stopping) co_return;
    state->stopping = true;
    listening.close();
    state->log("shutting down: " + std::to_string(state->connections.size()) + " connections open");
    cancel_connections(*state, false);
    bool in_time = true;
    if (!state->connections.empty()) {
      try {
        co_await wait_for(listening.wait_closed(), grace);
      } catch (const TimeoutError&) {
        in_time = false;
      }
    }
    if (in_time) {
      co_await listening.wait_closed();
      co_return;
    }
    state->log("grace period over: cancelling " + std::to_string(state->connections.size()) + " connections");
    cancel_connections(*state, true);
    co_await listening.wait_closed();
  }

  std::shared_ptr<detail::HttpServerState> state_;
  Server listening_;
};
// end book:http-server

}  // namespace aio
