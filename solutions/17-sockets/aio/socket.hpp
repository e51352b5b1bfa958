// Non-blocking sockets and the low-level awaitables of asyncio's loop.
//
//   sock = socket.socket(); sock.setblocking(False)     aio::Socket sock = aio::Socket::tcp();
//   conn, addr = await loop.sock_accept(listener)       auto [conn, addr] = co_await aio::sock_accept(listener);
//   await loop.sock_connect(sock, ("127.0.0.1", 8888))  co_await aio::sock_connect(sock, {"127.0.0.1", 8888});
//   data = await loop.sock_recv(sock, 1024)             std::string data = co_await aio::sock_recv(sock, 1024);
//   await loop.sock_sendall(sock, b"hello")             co_await aio::sock_sendall(sock, "hello");
//
// Each call first tries the system call; only when the kernel says "not now" (EAGAIN) does the
// task wait for the fd with wait_readable / wait_writable, and then it tries again. Where the
// task resumes: in the loop iteration after the Poller saw the fd ready, from the ready queue.
//
// Cancellation: a task cancelled while it waits for its fd withdraws its interest at once (the
// Poller forgets the Watch) and sees CancelledError; no byte was taken from the socket, so a
// later read gets everything. A wait whose fd was already reported ready is too late to withdraw:
// the task sees CancelledError at its co_await all the same, and the bytes are still there.
//
// These low-level calls take numeric addresses, IPv4 ("127.0.0.1") or IPv6 ("::1"). Names such
// as "localhost" are resolved by aio::getaddrinfo (aio/resolve.hpp), in a thread of lesson 16's
// pool, which open_connection and start_server call for you.
#pragma once

#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/poller.hpp>
#include <aio/sleep.hpp>
#include <aio/socket_errors.hpp>
#include <aio/task_base.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <utility>

namespace aio {

/// A host and a port, as Python's ("127.0.0.1", 8888) or ("::1", 8888).
struct Address {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;

  std::string to_string() const { return "('" + host + "', " + std::to_string(port) + ")"; }
  friend bool operator==(const Address&, const Address&) = default;
};

namespace detail {
/// A socket address of either family, as the kernel's calls take it.
struct SockAddr {
  sockaddr_storage storage{};
  socklen_t size = 0;
  int family() const noexcept { return storage.ss_family; }
  const sockaddr* get() const noexcept { return reinterpret_cast<const sockaddr*>(&storage); }
};
/// The kernel's form of a numeric address, or nothing if `host` is not one (a name).
inline std::optional<SockAddr> numeric_sockaddr(const Address& address) {
  SockAddr result;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&result.storage);
  if (::inet_pton(AF_INET, address.host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(address.port);
    result.size = sizeof(sockaddr_in);
    return result;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&result.storage);
  if (::inet_pton(AF_INET6, address.host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(address.port);
    result.size = sizeof(sockaddr_in6);
    return result;
  }
  return std::nullopt;
}
inline SockAddr to_sockaddr(const Address& address) {
  std::optional<SockAddr> numeric = numeric_sockaddr(address);
  if (!numeric) {
    throw ValueError("'" + address.host + "' is not a numeric address: the socket calls take \"127.0.0.1\" or " +
                     "\"::1\"; resolve a name first with aio::getaddrinfo, or use open_connection/start_server");
  }
  return *numeric;
}
inline Address from_sockaddr(const sockaddr* address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address->sa_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(address);
    ::inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
    return Address{text, ntohs(v6->sin6_port)};
  }
  const auto* v4 = reinterpret_cast<const sockaddr_in*>(address);
  ::inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
  return Address{text, ntohs(v4->sin_port)};
}
/// The Poller of the running loop, if it has one (closing a socket needs no loop).
inline Poller* running_poller() noexcept {
  return detail::running_loop != nullptr ? dynamic_cast<Poller*>(detail::running_loop->io_waiter()) : nullptr;
}
}  // namespace detail

// book:socket
/// A non-blocking TCP socket that owns its file descriptor (closed by close() or destruction).
class Socket {
public:
  Socket() noexcept = default;
  /// Takes `fd` over and makes it non-blocking.
  explicit Socket(int fd) : fd_(fd) {
    if (fd_ >= 0 && ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK) < 0) {
      const int error = errno;
      close();
      throw_os_error(error, "fcntl");
    }
  }
  Socket(Socket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Socket& operator=(Socket&& other) noexcept {
    if (this != &other) {
      close();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~Socket() { close(); }

  /// A new TCP socket, non-blocking: IPv4, or IPv6 with `family` AF_INET6.
  static Socket tcp(int family = AF_INET) {
    const int fd = ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) throw_os_error(errno, "socket");
    return Socket(fd);
  }

  int fd() const noexcept { return fd_; }
  bool is_open() const noexcept { return fd_ >= 0; }

  /// Closes the fd. A task waiting on it wakes and sees an OSError (EBADF) instead of reading
  /// whatever socket gets the same number next.
  void close() noexcept {
    if (fd_ < 0) return;
    const int fd = std::exchange(fd_, -1);
    if (Poller* poller = detail::running_poller()) poller->forget(fd);
    ::close(fd);
  }

  /// Binds to `address` (port 0: the kernel picks a free one), with SO_REUSEADDR as asyncio's
  /// servers do.
  void bind(const Address& address) {
    const int on = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    const detail::SockAddr where = detail::to_sockaddr(address);
    // An IPv6 socket listens on IPv6 only, as asyncio's: IPv4 gets a socket of its own.
    if (where.family() == AF_INET6) ::setsockopt(fd_, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
    if (::bind(fd_, where.get(), where.size) < 0) {
      throw_os_error(errno, "error while attempting to bind on address " + address.to_string());
    }
  }
  void listen(int backlog = 100) {
    if (::listen(fd_, backlog) < 0) throw_os_error(errno, "listen");
  }
  /// Sends each small write at once (asyncio sets TCP_NODELAY on every TCP transport).
  void set_nodelay() noexcept {
    const int on = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  }
  Address local_address() const { return name_of(&::getsockname); }
  Address peer_address() const { return name_of(&::getpeername); }

private:
  Address name_of(int (*get)(int, sockaddr*, socklen_t*)) const {
    sockaddr_storage address{};
    socklen_t size = sizeof address;
    if (get(fd_, reinterpret_cast<sockaddr*>(&address), &size) < 0) throw_os_error(errno, "getsockname");
    return detail::from_sockaddr(reinterpret_cast<const sockaddr*>(&address));
  }

  int fd_ = -1;
};
// end book:socket

namespace detail {
[[noreturn]] inline void watch_left_behind() noexcept {
  std::fprintf(stderr,
               "aio: an FdAwaiter that fired or was withdrawn is still registered with the Poller as it "
               "is destroyed; on_ready and on_cancel must drop the watch (unwatch) before they wake the task\n");
  std::abort();
}
}  // namespace detail

// ---- ex2: waiting for a socket ---------------------------------------------------------------
// book:fd-awaiter
/// `co_await wait_readable(fd)` / `wait_writable(fd)`: suspends the task until the Poller sees
/// the fd ready in that direction. Both a Watch (the Poller wakes it) and a Wait (a cancellation
/// withdraws it).
///   idle      before await_suspend, and after either ending below
///   watching  registered with the Poller; the task is suspended with this as its Wait
///   fired     the Poller saw the fd ready: the Watch is dropped, the task's step is queued
///   withdrawn a cancellation came first: the Watch is dropped, the task wakes with CancelledError
class [[nodiscard]] FdAwaiter : private Watch, private Wait {
public:
  enum class Direction : unsigned char { read, write };
  enum class State : unsigned char { idle, watching, fired, withdrawn };

  FdAwaiter(int fd, Direction direction) noexcept : Watch{&on_ready, nullptr}, Wait{&on_cancel}, fd_(fd), direction_(direction) {}
  // The Poller and the task point into this object: it must not move while it waits.
  FdAwaiter(const FdAwaiter&) = delete;
  FdAwaiter& operator=(const FdAwaiter&) = delete;
  /// A frame destroyed while it waits (a loop closing with pending tasks) leaves the Poller.
  ~FdAwaiter() {
    if (poller_ == nullptr) return;
    const Watch* held = direction_ == Direction::read ? poller_->reader(fd_) : poller_->writer(fd_);
    if (held != static_cast<const Watch*>(this)) return;
#ifndef NDEBUG
    // Checked builds: the Poller would call into this freed awaiter at the fd's next event.
    if (state_ != State::watching) detail::watch_left_behind();
#endif
    unwatch();
  }

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> self);
  void await_resume();

  State state() const noexcept { return state_; }

private:
  static void on_ready(Watch* watch);
  static bool on_cancel(Wait* wait, const CancelMessage& message);
  void unwatch() noexcept {
    if (direction_ == Direction::read) {
      poller_->unwatch_read(fd_);
    } else {
      poller_->unwatch_write(fd_);
    }
  }

  int fd_;
  Direction direction_;
  State state_ = State::idle;
  TaskBase* task_ = nullptr;
  Poller* poller_ = nullptr;
};
// end book:fd-awaiter

// book:fd-awaiter-suspend
inline void FdAwaiter::await_suspend(std::coroutine_handle<> self) {
  task_ = &detail::current_task_for("aio::wait_readable / wait_writable");
  poller_ = &poller_of(task_->loop());
  // Register first: if the Poller refuses (another task reads this socket), nothing is left
  // half done and the exception comes out of the co_await.
  if (direction_ == Direction::read) {
    poller_->watch_read(fd_, *this);
  } else {
    poller_->watch_write(fd_, *this);
  }
  state_ = State::watching;
  task_->suspend(self, this);
}
// end book:fd-awaiter-suspend

// book:fd-awaiter-ex
/// Inside Poller::wait: the fd is ready. One wake-up is all a waiting task needs, so the Watch
/// goes (lazily: the kernel keeps the fd until an event finds nobody) and the step is queued.
inline void FdAwaiter::on_ready(Watch* watch) {
  auto* self = static_cast<FdAwaiter*>(watch);
  self->unwatch();
  self->state_ = State::fired;
  self->task_->wake();
}

/// A cancellation withdraws the interest, unless the Poller already fired it: too late then.
inline bool FdAwaiter::on_cancel(Wait* wait, const CancelMessage& message) {
  auto* self = static_cast<FdAwaiter*>(wait);
  if (self->state_ != State::watching) return false;
  self->unwatch();
  self->state_ = State::withdrawn;
  self->task_->wake_cancelled(message);
  return true;
}

inline void FdAwaiter::await_resume() { task_->throw_if_cancelled(); }
// end book:fd-awaiter-ex

/// Suspends the current task until `fd` is readable (or has failed, or was closed).
inline FdAwaiter wait_readable(int fd) noexcept { return FdAwaiter(fd, FdAwaiter::Direction::read); }
/// Suspends the current task until `fd` is writable (or has failed, or was closed).
inline FdAwaiter wait_writable(int fd) noexcept { return FdAwaiter(fd, FdAwaiter::Direction::write); }

namespace detail {
/// The check after every wake-up: the socket may have been closed while the task waited.
inline void check_open(const Socket& socket, const char* what) {
  if (!socket.is_open()) throw OSError(EBADF, std::string(what) + " on a closed socket");
}
inline bool would_block(int error) noexcept { return error == EAGAIN || error == EWOULDBLOCK; }
}  // namespace detail

// book:sock-calls
/// asyncio's loop.sock_recv_into: reads at most buffer.size() bytes; 0 means the peer closed
/// its side (end of stream). Throws ConnectionResetError if the peer reset the connection.
inline Coro<std::size_t> sock_recv_into(Socket& socket, std::span<char> buffer) {
  for (;;) {
    detail::check_open(socket, "sock_recv");
    const ssize_t got = ::recv(socket.fd(), buffer.data(), buffer.size(), 0);
    if (got >= 0) {
      if (got > 0) {
        if (Poller* poller = detail::running_poller()) poller->note_activity();
      }
      co_return std::size_t(got);
    }
    if (errno == EINTR) continue;
    if (!detail::would_block(errno)) throw_os_error(errno, "recv");
    co_await wait_readable(socket.fd());
  }
}

/// asyncio's loop.sock_recv: at most `max_bytes` bytes; empty at the end of the stream.
inline Coro<std::string> sock_recv(Socket& socket, std::size_t max_bytes) {
  std::string data(max_bytes, '\0');
  const std::size_t got = co_await sock_recv_into(socket, std::span<char>(data));
  data.resize(got);
  co_return data;
}

/// asyncio's loop.sock_sendall: sends every byte of `data`, waiting for room as often as needed.
/// Throws BrokenPipeError or ConnectionResetError if the peer went away.
inline Coro<void> sock_sendall(Socket& socket, std::string data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    detail::check_open(socket, "sock_sendall");
    // MSG_NOSIGNAL: a peer that has gone is an EPIPE error here, not a SIGPIPE that kills us.
    const ssize_t done = ::send(socket.fd(), data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (done >= 0) {
      sent += std::size_t(done);
      if (Poller* poller = detail::running_poller()) poller->note_activity();
      continue;
    }
    if (errno == EINTR) continue;
    if (!detail::would_block(errno)) throw_os_error(errno, "send");
    co_await wait_writable(socket.fd());
  }
}

/// asyncio's loop.sock_connect. Throws ConnectionRefusedError if nobody listens there.
inline Coro<void> sock_connect(Socket& socket, Address address) {
  const detail::SockAddr where = detail::to_sockaddr(address);
  detail::check_open(socket, "sock_connect");
  int result = ::connect(socket.fd(), where.get(), where.size);
  if (Poller* poller = detail::running_poller()) poller->note_activity();
  if (result == 0) co_return;
  if (errno != EINPROGRESS && errno != EINTR) throw_os_error(errno, "Connect call failed " + address.to_string());
  co_await wait_writable(socket.fd());
  detail::check_open(socket, "sock_connect");
  int error = 0;
  socklen_t size = sizeof error;
  ::getsockopt(socket.fd(), SOL_SOCKET, SO_ERROR, &error, &size);
  if (error != 0) throw_os_error(error, "Connect call failed " + address.to_string());
}

/// asyncio's loop.sock_accept: the next connection on a listening socket, and the peer's address.
inline Coro<std::pair<Socket, Address>> sock_accept(Socket& listener) {
  for (;;) {
    detail::check_open(listener, "sock_accept");
    sockaddr_storage peer{};
    socklen_t size = sizeof peer;
    const int fd = ::accept4(listener.fd(), reinterpret_cast<sockaddr*>(&peer), &size, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      if (Poller* poller = detail::running_poller()) poller->note_activity();
      co_return std::pair<Socket, Address>(Socket(fd), detail::from_sockaddr(reinterpret_cast<const sockaddr*>(&peer)));
    }
    // A connection that was reset before we took it is not our listener's failure: next one.
    if (errno == EINTR || errno == ECONNABORTED) continue;
    if (!detail::would_block(errno)) throw_os_error(errno, "accept");
    co_await wait_readable(listener.fd());
  }
}
// end book:sock-calls

/// A listening socket bound to `address` (port 0: any free port; local_address() tells which).
inline Socket listen_on(const Address& address, int backlog = 100) {
  Socket socket = Socket::tcp(detail::to_sockaddr(address).family());
  socket.bind(address);
  socket.listen(backlog);
  return socket;
}

}  // namespace aio
