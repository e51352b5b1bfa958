// aio::StreamReader, aio::StreamWriter and aio::open_connection: asyncio's streams.
//
//   reader, writer = await asyncio.open_connection("127.0.0.1", 8888)
//                                      auto [reader, writer] = co_await aio::open_connection("127.0.0.1", 8888);
//   line = await reader.readline()     std::string line = co_await reader.readline();
//   writer.write(b"hello\n")           writer.write("hello\n");
//   await writer.drain()               co_await writer.drain();
//   writer.close()                     writer.close();
//   await writer.wait_closed()         co_await writer.wait_closed();
//
// A reader and its writer are two handles on one connection (detail::StreamState): copy them
// freely, as Python passes references; the connection closes when close() is called, or when
// the last handle goes.
//
// Reading pulls: a read that finds too few bytes in the buffer receives more from the socket
// (at most 64 KiB at a time) and looks again. asyncio pushes instead (its transport reads
// whenever the socket is readable and feeds the reader), and pauses reading once its buffer
// holds twice the limit; pulling gives the same bound without a pause, since nothing is read
// that no task asked for.
//
// Writing pushes: write() sends at once what the socket takes and keeps the rest in a buffer
// that the Poller flushes whenever the socket is writable again. The buffer is what drain()
// watches: above the high-water mark (64 KiB) the writer is paused, and drain() waits until
// flushing brings the buffer down to the low-water mark (16 KiB). A fast writer to a slow
// reader therefore waits in drain() instead of buffering without bound.
//
// Where a waiting task resumes: in a later iteration of the loop, from the ready queue: after
// the Poller saw its socket ready (reads), or after a flush went below the low-water mark
// (drain). Cancelling a read withdraws its wait; the bytes already buffered stay for the next
// read.
#pragma once

#include <aio/byte_buffer.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/not_implemented.hpp>
#include <aio/event.hpp>
#include <aio/poller.hpp>
#include <aio/resolve.hpp>
#include <aio/socket.hpp>
#include <aio/socket_errors.hpp>
#include <aio/task_base.hpp>
#include <aio/waiter_list.hpp>

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aio {

/// The limits of one connection's buffers, asyncio's defaults.
struct StreamLimits {
  std::size_t limit = 64 * 1024;       // readuntil/readline refuse a line longer than this
  std::size_t high_water = 64 * 1024;  // write buffer above this: drain() waits ...
  std::size_t low_water = 16 * 1024;   // ... until flushing brings it down to this
};

namespace detail {

// book:stream-state
/// One connection: the socket, what was received and not read yet, what was written and not
/// sent yet. Shared by the reader and the writer; while its write buffer is being flushed it
/// also holds itself (keep_alive), so that output written just before the last handle went
/// still leaves.
///
/// The writer's states:
///   open       write() sends or buffers
///   paused     the buffer went above high_water; drain() waits until it is back at low_water
///   closing    close() was called: the buffer is flushed, then the socket closes
///   closed     the socket is closed; `closed` is set
///   lost       a send failed (the peer reset or closed): the buffer is dropped, drain() and
///              wait_closed() report `lost`
struct StreamState : Watch, std::enable_shared_from_this<StreamState> {
  explicit StreamState(Socket connected, StreamLimits limits_)
      : socket(std::move(connected)), limits(limits_) {
    Watch::ready = &on_writable;
    Watch::abandon = [](Watch* self) { static_cast<StreamState*>(self)->keep_alive.reset(); };
  }
  StreamState(const StreamState&) = delete;
  StreamState& operator=(const StreamState&) = delete;

  Socket socket;
  StreamLimits limits;

  // reading
  ByteBuffer in;
  bool eof = false;
  bool drained = false;  // the last recv left the socket empty: wait before the next one

  // writing
  ByteBuffer out;
  bool paused = false;
  bool closing = false;
  bool eof_requested = false;  // write_eof(): shut down the sending side once `out` is empty
  std::exception_ptr lost;
  WaiterList drain_waiters;
  Event closed;
  Poller* poller = nullptr;  // set while flushing
  std::shared_ptr<StreamState> keep_alive;

  /// Sends what the socket takes of `bytes` now and returns how many it took. Any failure but
  /// "not now" loses the connection: `lost` says why.
  std::size_t send_now(std::string_view bytes);
  /// Sends what the socket takes of the buffer now; the rest waits for on_writable. Returns
  /// false once the connection is lost.
  bool send_some();
  /// Inside Poller::wait: the socket has room again.
  static void on_writable(Watch* self);
  void start_flushing();
  void stop_flushing() noexcept;
  void after_flush();
  void close_now() noexcept;
};
// end book:stream-state

inline std::size_t StreamState::send_now(std::string_view bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size() && socket.is_open()) {
    const ssize_t done = ::send(socket.fd(), bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (done > 0) {
      sent += std::size_t(done);
      continue;
    }
    if (done < 0 && errno == EINTR) continue;
    if (done < 0 && detail::would_block(errno)) break;
    // The peer is gone: these bytes can never leave. Remember why.
    const int error = done < 0 ? errno : EPIPE;
    try {
      throw_os_error(error, "send");
    } catch (...) {
      lost = std::current_exception();
    }
    break;
  }
  return sent;
}

inline bool StreamState::send_some() {
  out.consume(send_now(out.view()));
  if (lost) out.clear();  // what is buffered can never leave either
  return lost == nullptr;
}

inline void StreamState::start_flushing() {
  if (poller != nullptr) return;
  poller = &poller_of(get_running_loop());
  poller->watch_write(socket.fd(), *this);
  keep_alive = shared_from_this();
}

inline void StreamState::stop_flushing() noexcept {
  if (poller == nullptr) return;
  poller->unwatch_write(socket.fd());
  poller = nullptr;
}

inline void StreamState::on_writable(Watch* watch) {
  auto* self = static_cast<StreamState*>(watch);
  const std::shared_ptr<StreamState> hold = self->shared_from_this();  // after_flush may let go
  self->send_some();
  if (self->out.empty()) self->stop_flushing();
  if (Poller* poller = detail::running_poller()) poller->note_activity();
  self->after_flush();
  if (self->poller == nullptr) self->keep_alive.reset();
}

/// Closes the socket and tells wait_closed(). The reader sees the end of the stream.
inline void StreamState::close_now() noexcept {
  stop_flushing();
  socket.close();
  closed.set();
  drain_waiters.wake_all();
}

}  // namespace detail

class StreamWriter;

// book:reader
/// The reading half of a connection (asyncio.StreamReader).
class StreamReader {
public:
  explicit StreamReader(std::shared_ptr<detail::StreamState> state) : state_(std::move(state)) {}

  /// Up to `n` bytes (at least one, unless the stream has ended); n < 0: everything until the
  /// end of the stream. Empty at the end of the stream.
  Coro<std::string> read(std::ptrdiff_t n = -1) { return read(state_, n); }
  /// Exactly `n` bytes; IncompleteReadError (with the bytes that came) if the stream ends first.
  Coro<std::string> readexactly(std::size_t n) { return readexactly(state_, n); }
  /// The bytes up to and including `separator`. LimitOverrunError if the buffer holds more than
  /// limit() bytes without it (they stay in the buffer); IncompleteReadError (with every byte
  /// left) if the stream ends first.
  Coro<std::string> readuntil(std::string separator = "\n") { return readuntil(state_, std::move(separator)); }
  /// One line, with its "\n"; at the end of the stream, what is left (maybe empty). A line
  /// longer than limit() is a ValueError, and is dropped from the buffer (asyncio's rule).
  Coro<std::string> readline() { return readline(state_); }
  /// True once the stream has ended and every byte was read.
  bool at_eof() const noexcept { return state_->eof && state_->in.empty(); }
  std::size_t limit() const noexcept { return state_->limits.limit; }
  /// How many bytes wait in the buffer (for tests and for the curious).
  std::size_t buffered() const noexcept { return state_->in.size(); }

private:
  // Coroutines take the connection by value: a reader handle may go while they run.
  static Coro<void> fill(std::shared_ptr<detail::StreamState> state);
  static Coro<std::string> read(std::shared_ptr<detail::StreamState> state, std::ptrdiff_t n);
  static Coro<std::string> readexactly(std::shared_ptr<detail::StreamState> state, std::size_t n);
  static Coro<std::string> readuntil(std::shared_ptr<detail::StreamState> state, std::string separator);
  static Coro<std::string> readline(std::shared_ptr<detail::StreamState> state);

  std::shared_ptr<detail::StreamState> state_;
};
// end book:reader

// book:writer
/// The writing half of a connection (asyncio.StreamWriter).
class StreamWriter {
public:
  explicit StreamWriter(std::shared_ptr<detail::StreamState> state) : state_(std::move(state)) {}

  /// Sends `data` as soon as the socket takes it; never waits. Call drain() after it to respect
  /// the peer's pace. After close() or write_eof() it is a RuntimeError; once the connection is
  /// lost, the bytes are dropped and the next drain() says why.
  void write(std::string_view data);
  /// Waits while the writer is paused (its buffer went above the high-water mark and has not
  /// yet come down to the low-water mark). Throws the error that lost the connection, if any.
  Coro<void> drain() { return drain(state_); }
  /// Flushes the buffer, then closes the socket. Returns at once.
  void close();
  /// Closes the socket now, dropping what is buffered (asyncio's transport.abort()).
  void abort();
  /// Returns once the socket is closed; throws the error that lost the connection, if any.
  Coro<void> wait_closed() { return wait_closed(state_); }
  /// Shuts down the sending side once the buffer is flushed: the peer reads the end of the
  /// stream, and can still answer.
  void write_eof();
  bool can_write_eof() const noexcept { return true; }
  bool is_closing() const noexcept { return state_->closing || !state_->socket.is_open(); }
  /// Bytes written and not sent yet (asyncio's transport.get_write_buffer_size()).
  std::size_t buffer_size() const noexcept { return state_->out.size(); }
  Address peername() const { return state_->socket.peer_address(); }
  Address sockname() const { return state_->socket.local_address(); }

private:
  static Coro<void> drain(std::shared_ptr<detail::StreamState> state);
  static Coro<void> wait_closed(std::shared_ptr<detail::StreamState> state);

  std::shared_ptr<detail::StreamState> state_;
};
// end book:writer

// ---- reading --------------------------------------------------------------------------------
// book:fill
/// Receives what the socket has (up to 64 KiB) into the buffer; at the end of the stream, or
/// once the connection is closed, sets eof instead.
inline Coro<void> StreamReader::fill(std::shared_ptr<detail::StreamState> state) {
  // Receive into the room the buffer has, at least 4 KiB and at most 64 KiB: a connection that
  // trades short lines keeps a 4 KiB buffer, not 64 KiB (a thousand of them fit in the caches
  // far better), and one fill never takes more than 64 KiB.
  constexpr std::size_t least = 4 * 1024;
  constexpr std::size_t most = 64 * 1024;
  if (state->eof) co_return;
  // After a recv that emptied the socket, a second one would only say EAGAIN: wait first.
  if (state->drained && state->socket.is_open()) co_await wait_readable(state->socket.fd());
  if (!state->socket.is_open()) {
    state->eof = true;  // closed by our own writer: asyncio's reader sees the end of the stream
    co_return;
  }
  const std::span<char> free = state->in.prepare(least);
  const std::span<char> room = free.first(std::min(free.size(), most));
  const std::size_t got = co_await sock_recv_into(state->socket, room);
  state->in.commit(got);
  state->drained = got < room.size();
  if (got == 0) state->eof = true;
}
// end book:fill

inline Coro<std::string> StreamReader::read(std::shared_ptr<detail::StreamState> state, std::ptrdiff_t n) {
  if (n == 0) co_return std::string();
  if (n < 0) {
    while (!state->eof) co_await fill(state);
    co_return state->in.take(state->in.size());
  }
  if (state->in.empty()) co_await fill(state);
  co_return state->in.take(std::min<std::size_t>(std::size_t(n), state->in.size()));
}

inline Coro<std::string> StreamReader::readexactly(std::shared_ptr<detail::StreamState> state, std::size_t n) {
  while (state->in.size() < n) {
    if (state->eof) throw IncompleteReadError(state->in.take(state->in.size()), n);
    co_await fill(state);
  }
  co_return state->in.take(n);
}

// ---- ex3: readuntil ---------------------------------------------------------------------------
// book:readuntil
inline Coro<std::string> StreamReader::readuntil([[maybe_unused]] std::shared_ptr<detail::StreamState> state, [[maybe_unused]] std::string separator) {
  AIO_TODO("l17.ex3", "look for the separator, mind the limit and the end, else receive more (see 'Step 3: reading a stream')");
}
// end book:readuntil

inline Coro<std::string> StreamReader::readline(std::shared_ptr<detail::StreamState> state) {
  std::string line;
  bool overrun = false;
  std::string message;
  try {
    line = co_await readuntil(state, "\n");
  } catch (const IncompleteReadError& error) {
    co_return error.partial();
  } catch (const LimitOverrunError& error) {
    // asyncio drops the too-long line (up to its newline, if it came) and raises ValueError.
    const std::string_view rest = state->in.view();
    if (rest.substr(error.consumed()).starts_with('\n')) {
      state->in.consume(error.consumed() + 1);
    } else {
      state->in.clear();
    }
    overrun = true;
    message = error.what();
  }
  if (overrun) throw ValueError(message);
  co_return line;
}

// ---- writing --------------------------------------------------------------------------------
// ---- ex4: backpressure ------------------------------------------------------------------------
// book:write
inline void StreamWriter::write([[maybe_unused]] std::string_view data) {
  AIO_TODO("l17.ex4", "refuse after close, send what fits now, buffer the rest, pause above the high mark (see 'Step 4: writing, and backpressure')");
}

inline void detail::StreamState::after_flush() {
  AIO_TODO("l17.ex4", "resume paused writers at the low mark; once empty, finish a write_eof or a close (see 'Step 4: writing, and backpressure')");
}

namespace detail {
/// drain()'s wait: joins the connection's drain_waiters until a flush (or the end) wakes it.
class [[nodiscard]] DrainAwaiter {
public:
  explicit DrainAwaiter(StreamState& state) noexcept : state_(&state) {}
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> self) {
    waiter_.wait_in(state_->drain_waiters, detail::current_task_for("aio::StreamWriter::drain"), self);
  }
  void await_resume() { waiter_.task()->throw_if_cancelled(); }

private:
  StreamState* state_;
  Waiter waiter_;
};
}  // namespace detail

inline Coro<void> StreamWriter::drain([[maybe_unused]] std::shared_ptr<detail::StreamState> state) {
  AIO_TODO("l17.ex4", "wait while paused, then report a lost connection (see 'Step 4: writing, and backpressure')");
}
// end book:write

inline void StreamWriter::close() {
  detail::StreamState& s = *state_;
  if (s.closing) return;
  s.closing = true;
  if (Poller* poller = detail::running_poller()) poller->note_activity();
  if (s.out.empty()) s.close_now();  // else the last flush closes it
}

inline void StreamWriter::abort() {
  detail::StreamState& s = *state_;
  s.closing = true;
  s.out.clear();
  s.paused = false;
  if (s.socket.is_open()) s.close_now();
  s.keep_alive.reset();  // no flush left to finish: the state may go with its last handle
}

inline Coro<void> StreamWriter::wait_closed(std::shared_ptr<detail::StreamState> state) {
  co_await state->closed.wait();
  if (state->lost) std::rethrow_exception(state->lost);
}

inline void StreamWriter::write_eof() {
  detail::StreamState& s = *state_;
  if (s.eof_requested || s.closing) return;
  s.eof_requested = true;
  if (Poller* poller = detail::running_poller()) poller->note_activity();
  if (s.out.empty() && s.socket.is_open()) ::shutdown(s.socket.fd(), SHUT_WR);
}

/// A reader and a writer on one connected socket (what start_server gives each client).
inline std::pair<StreamReader, StreamWriter> make_streams(Socket connected, StreamLimits limits = {}) {
  connected.set_nodelay();
  auto state = std::make_shared<detail::StreamState>(std::move(connected), limits);
  return {StreamReader(state), StreamWriter(state)};
}

// book:open-connection
namespace detail {
/// What open_connection raises when no address connected, as asyncio 3.11's create_connection:
/// one error, or several that read alike, as it is; several different ones as one OSError that
/// lists them (cpython/connect_each_address.py).
[[noreturn]] inline void raise_connect_errors(const std::vector<std::exception_ptr>& errors) {
  if (errors.empty()) throw OSError("getaddrinfo() returned empty list");
  std::vector<std::string> messages;
  for (const std::exception_ptr& error : errors) {
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& failure) {
      messages.emplace_back(failure.what());
    }
  }
  bool alike = true;
  for (const std::string& message : messages) alike = alike && message == messages.front();
  if (alike) std::rethrow_exception(errors.front());
  std::string all = "Multiple exceptions: ";
  for (std::size_t i = 0; i < messages.size(); ++i) all += (i == 0 ? "" : ", ") + messages[i];
  throw OSError(all);
}
}  // namespace detail

/// Connects to host:port and returns the connection's reader and writer (asyncio.open_connection).
/// The host is resolved first (aio::getaddrinfo: a name in a thread, a number at once); each
/// address is tried in turn and the first that connects wins. ConnectionRefusedError if nobody
/// listens there; GaiError if the name does not resolve.
inline Coro<std::pair<StreamReader, StreamWriter>> open_connection(std::string host, std::uint16_t port,
                                                                   StreamLimits limits = {}) {
  const std::vector<AddrInfo> infos = co_await getaddrinfo(host, port, AF_UNSPEC, SOCK_STREAM);
  std::vector<std::exception_ptr> errors;
  for (const AddrInfo& info : infos) {
    Socket socket;
    try {
      socket = Socket::tcp(info.family);
      co_await sock_connect(socket, info.address);
    } catch (const OSError&) {
      errors.push_back(std::current_exception());  // this address failed: try the next one
      continue;
    }
    co_return make_streams(std::move(socket), limits);
  }
  detail::raise_connect_errors(errors);
}
// end book:open-connection

}  // namespace aio
