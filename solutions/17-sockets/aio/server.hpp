// aio::start_server and aio::Server: a listening socket that runs a handler for every client.
//
//   async def handle(reader, writer): ...        aio::Coro<void> handle(aio::StreamReader reader,
//                                                                       aio::StreamWriter writer) { ... }
//   server = await asyncio.start_server(handle, "127.0.0.1", 8888)
//                                                aio::Server server = co_await aio::start_server(handle, "127.0.0.1", 8888);
//   async with server:                           co_await aio::async_with(server,
//       await server.serve_forever()               [](aio::Server* s) -> aio::Coro<void> { co_await s->serve_forever(); });
//
// The host is resolved first (aio::getaddrinfo) and the server listens on every address it
// gives. Serving starts at once: a task per listening socket accepts connections one after
// another and starts one task per client, which runs the handler with the client's streams. The tasks are independent:
// a client that disconnects, resets or sends garbage ends its own handler and nothing else.
// A handler that throws is reported through the loop's exception handler ("Unhandled exception
// in client_connected_cb", asyncio's words) and its connection is closed; the server goes on.
//
// Closing: close() stops listening (the listening sockets close, the accepting tasks end);
// handlers already running go on. wait_closed() returns once the server is closed and every
// handler has finished; that is what asyncio does from 3.12.1 on (before, wait_closed() after
// close() returned at once: cpython/server_wait_closed.py). serve_forever() waits until the
// server is closed and then ends with CancelledError; cancelled, it closes the server first.
// Both as asyncio's does (cpython/serve_forever_close.py).
//
// close_clients() and abort_clients() (asyncio 3.13) end the clients too: each client's writer
// closes, after its buffered output leaves or at once; the handlers read the end of the stream.
//
// Where tasks resume: serve_forever() and wait_closed() in a later iteration of the loop, from
// the ready queue, after close() or the last handler's end.
#pragma once

#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/event.hpp>
#include <aio/resolve.hpp>
#include <aio/sleep.hpp>
#include <aio/socket.hpp>
#include <aio/socket_errors.hpp>
#include <aio/streams.hpp>
#include <aio/task.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <iterator>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aio {

/// What start_server calls for each client: a coroutine that gets the client's streams.
using ClientConnected = std::function<Coro<void>(StreamReader, StreamWriter)>;

namespace detail {

// book:server-state
/// A server's state, shared by its Server handles and its tasks.
///   serving   the listening sockets are open (one per address the host resolved to); a task
///             per socket (accept_clients) takes connections. The state keeps no handle on
///             them: each task holds the state, and the loop holds the task.
///   closed    close() was called: no new connection; `clients` handlers may still run.
///             `closed_event` is set; `idle` is set once clients reaches 0.
struct ServerState {
  std::vector<Socket> listeners;
  ClientConnected handler;  // what serve_client calls: the caller's handler, wrapped by track_client
  ClientConnected client_handler;  // the caller's handler
  std::list<StreamWriter> connections;  // the writer of every client whose handler runs
  StreamLimits limits;
  std::size_t clients = 0;  // handlers running now
  std::size_t served = 0;   // connections accepted so far
  bool closed = false;
  bool serving_forever = false;
  Event closed_event;
  Event idle;
};
// end book:server-state

/// Ends one client's handler: the count goes down, and the last one out of a closed server
/// tells wait_closed().
struct ClientCount {
  ServerState* server;
  explicit ClientCount(ServerState& s) : server(&s) { ++server->clients; }
  ClientCount(const ClientCount&) = delete;
  ClientCount& operator=(const ClientCount&) = delete;
  ~ClientCount() {
    if (--server->clients == 0 && server->closed) server->idle.set();
  }
};

// ---- ex5: serving one client --------------------------------------------------------------
// book:serve-client
/// One client's task: runs the handler; reports what it throws and closes the connection.
inline Coro<void> serve_client(std::shared_ptr<ServerState> server, Socket connection) {
  ClientCount counted(*server);
  auto [reader, writer] = make_streams(std::move(connection), server->limits);
  std::string failure;
  try {
    co_await server->handler(reader, writer);
  } catch (const std::exception& error) {
    failure = error.what();
  }
  // CancelledError is no std::exception: it leaves the task, which ends cancelled, unreported.
  if (!failure.empty()) {
    get_running_loop().call_exception_handler("Unhandled exception in client_connected_cb: " + failure);
    writer.close();
  }
}
// end book:serve-client

// book:accept-loop
/// The accepting task of one listening socket: one connection after another, each handed to a
/// task of its own.
inline Coro<void> accept_clients(std::shared_ptr<ServerState> server, std::size_t which) {
  for (;;) {
    std::optional<std::pair<Socket, Address>> accepted;
    int out_of = 0;  // errno when the process ran out of file descriptors or memory
    try {
      accepted.emplace(co_await sock_accept(server->listeners[which]));
    } catch (const OSError& error) {
      if (server->closed) co_return;  // close() closed the listener under us: done
      const int e = error.error_number();
      if (e != EMFILE && e != ENFILE && e != ENOBUFS && e != ENOMEM) throw;
      out_of = e;
    }
    if (out_of != 0) {
      // asyncio's choice: say so and stop accepting for a second; the clients already served
      // go on, and a connection that waits in the backlog is taken once fds are free again.
      get_running_loop().call_exception_handler("socket.accept() out of system resource: " +
                                                std::string(std::strerror(out_of)));
      co_await sleep(std::chrono::seconds(1));
      continue;
    }
    ++server->served;
    create_task(serve_client(server, std::move(accepted->first)));
  }
}
// end book:accept-loop

/// Runs the caller's handler for one client, with the client's writer in the server's list of
/// connections meanwhile: what close_clients() and abort_clients() go through. serve_client
/// calls this as the server's handler; the server outlives it (serve_client holds it).
inline Coro<void> track_client(ServerState* server, StreamReader reader, StreamWriter writer) {
  server->connections.push_back(writer);
  struct Untrack {
    ServerState* server;
    std::list<StreamWriter>::iterator entry;
    ~Untrack() { server->connections.erase(entry); }
  } untrack{server, std::prev(server->connections.end())};
  co_await server->client_handler(std::move(reader), std::move(writer));
}

}  // namespace detail

// book:server
/// A listening server (asyncio.Server): a handle on the server's state, cheap to copy.
class Server {
public:
  explicit Server(std::shared_ptr<detail::ServerState> state) : state_(std::move(state)) {}

  /// Where it listens (the port the kernel chose, when asked for port 0); the first address, if
  /// the host resolved to several.
  Address address() const { return addresses_.front(); }
  std::uint16_t port() const noexcept { return addresses_.front().port; }
  /// Every address it listens on (asyncio's server.sockets, one per address).
  const std::vector<Address>& addresses() const noexcept { return addresses_; }
  bool is_serving() const noexcept { return !state_->closed; }
  /// Handlers running now, and connections accepted so far.
  std::size_t clients() const noexcept { return state_->clients; }
  std::size_t served() const noexcept { return state_->served; }

  /// Stops listening. Handlers that run go on; wait_closed() waits for them.
  void close() {
    detail::ServerState& s = *state_;
    if (s.closed) return;
    s.closed = true;
    for (Socket& listener : s.listeners) listener.close();  // wakes each accepting task, which ends
    s.closed_event.set();
    if (s.clients == 0) s.idle.set();
  }
  /// Closes every client's connection, after its buffered output is sent (3.13's close_clients).
  /// The handlers see the end of the stream at their next read. The server goes on listening.
  void close_clients() {
    const std::list<StreamWriter> clients = state_->connections;  // closing may end handlers
    for (StreamWriter writer : clients) writer.close();
  }
  /// Closes every client's connection at once, dropping output not sent yet (3.13's
  /// abort_clients).
  void abort_clients() {
    const std::list<StreamWriter> clients = state_->connections;
    for (StreamWriter writer : clients) writer.abort();
  }
  /// Returns once the server is closed and every handler has finished.
  Coro<void> wait_closed() { return wait_until_closed(state_); }
  /// Serves until the server is closed, then throws CancelledError, as asyncio's does. Cancelled,
/// it closes the server and waits for it first.
  Coro<void> serve_forever() { return serve_until_closed(state_); }

  /// `async with server:` (lesson 15): the body gets the server; leaving closes it and waits.
  Coro<Server*> enter() { co_return this; }
  Coro<void> exit(std::exception_ptr) { return close_and_wait(state_); }

  void set_addresses(std::vector<Address> addresses) { addresses_ = std::move(addresses); }

private:
  static Coro<void> wait_until_closed(std::shared_ptr<detail::ServerState> state) {
    co_await state->closed_event.wait();
    co_await state->idle.wait();
  }
  static Coro<void> serve_until_closed(std::shared_ptr<detail::ServerState> state) {
    if (state->closed) throw RuntimeError("the server is closed");
    if (state->serving_forever) throw RuntimeError("the server is already being awaited on serve_forever()");
    state->serving_forever = true;
    bool cancelled = false;
    try {
      co_await state->closed_event.wait();
    } catch (const CancelledError&) {
      cancelled = true;
    }
    state->serving_forever = false;
    if (cancelled) {
      Server(state).close();
      co_await wait_until_closed(state);
    }
    // Cancelled, or closed by someone else: asyncio's close() cancels serve_forever's future, so
    // serve_forever ends with CancelledError either way (cpython/serve_forever_close.py).
    throw CancelledError();
  }
  static Coro<void> close_and_wait(std::shared_ptr<detail::ServerState> state) {
    Server(state).close();
    co_await wait_until_closed(state);
  }

  std::shared_ptr<detail::ServerState> state_;
  std::vector<Address> addresses_;
};
// end book:server

// book:start-server
/// Serves on listening sockets made by the caller: one accepting task for each.
inline Server serve_on(ClientConnected handler, std::vector<Socket> listeners, StreamLimits limits) {
  auto state = std::make_shared<detail::ServerState>();
  state->client_handler = std::move(handler);
  detail::ServerState* tracked = state.get();  // no shared_ptr: the state owns this handler
  state->handler = [tracked](StreamReader reader, StreamWriter writer) {
    return detail::track_client(tracked, std::move(reader), std::move(writer));
  };
  state->listeners = std::move(listeners);
  state->limits = limits;
  std::vector<Address> addresses;
  for (Socket& listener : state->listeners) {
    listener.listen();
    addresses.push_back(listener.local_address());
  }
  Server server(state);
  server.set_addresses(std::move(addresses));
  for (std::size_t which = 0; which < state->listeners.size(); ++which) {
    create_task(detail::accept_clients(state, which));  // ends when close() closes its listener
  }
  return server;
}

/// Serves on a socket made by the caller, bound and perhaps with options of its own, such as
/// small buffers (asyncio's start_server(handler, sock=listener)). Listening twice is harmless.
inline Coro<Server> start_server(ClientConnected handler, Socket listener, StreamLimits limits = {}) {
  std::vector<Socket> listeners;
  listeners.push_back(std::move(listener));
  co_return serve_on(std::move(handler), std::move(listeners), limits);
}

/// Listens on host:port and serves every client with `handler` in a task of its own
/// (asyncio.start_server). The host is resolved first (aio::getaddrinfo): the server listens on
/// every address it gives, IPv4 and IPv6 ("localhost" may be both); port 0 lets the kernel pick a
/// free port for each. `backlog`: how many connections the kernel keeps waiting for accept
/// (asyncio's default, 100); beyond it, a client's connection request is dropped and its kernel
/// asks again a second later, in real time.
inline Coro<Server> start_server(ClientConnected handler, std::string host, std::uint16_t port,
                                 StreamLimits limits = {}, int backlog = 100) {
  const std::vector<AddrInfo> infos = co_await getaddrinfo(host, port, AF_UNSPEC, SOCK_STREAM, AI_PASSIVE);
  std::vector<Socket> listeners;
  std::vector<Address> seen;  // the C library may give an address twice: bind it once
  for (const AddrInfo& info : infos) {
    if (std::find(seen.begin(), seen.end(), info.address) != seen.end()) continue;
    seen.push_back(info.address);
    listeners.push_back(listen_on(info.address, backlog));
  }
  if (listeners.empty()) throw OSError("getaddrinfo() returned empty list");
  co_return serve_on(std::move(handler), std::move(listeners), limits);
}
// end book:start-server

}  // namespace aio
