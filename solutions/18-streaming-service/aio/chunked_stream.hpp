// aio::send_chunked: a streamed body, sent as HTTP chunks while an async generator yields them.
//
//   async def app(...):                       aio::Coro<aio::Response> stream(aio::Request) {
//       return StreamingResponse(gen())          co_return aio::Response::streaming(gen(), "text/event-stream");
//                                             }
//
// The server hands the response's AsyncGenerator<std::string> (lesson 14) to send_chunked, which
// asks it for one piece after another and frames each as a chunk: its size in hex, CRLF, the
// bytes, CRLF; a chunk of size 0 ends the body.
//
// Coalescing: a piece is not written at once. It joins a buffer, and the first piece of a loop
// iteration schedules one flush with call_soon; the flush runs in the next iteration and writes
// everything the generator produced meanwhile with ONE write (one send system call). A slow
// generator (a token every 100 ms) still sees each token leave on the next turn of the loop; a
// fast one that yields a thousand events without waiting pays for one system call, not a
// thousand.
//
// A client that goes away: its socket's send fails, the StreamWriter remembers why (lesson 17),
// and the next drain() throws it. send_chunked then closes the generator with aclose(), so that
// the generator's own cleanup runs (a `finally` that releases what it holds), and reports the
// client gone instead of throwing: one lost client is ordinary for a streaming server.
//
// Where things resume: the generator runs inside the connection's task, as every async generator
// does; the flush is a plain callback of the loop, in the iteration after the pieces came.
#pragma once

#include <aio/async_generator.hpp>
#include <aio/coro.hpp>
#include <aio/event_loop.hpp>
#include <aio/not_implemented.hpp>
#include <aio/socket_errors.hpp>
#include <aio/streams.hpp>

#include <cstddef>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace aio {

/// What happened to a streamed body.
struct StreamReport {
  std::size_t pieces = 0;     // pieces the generator yielded
  std::size_t writes = 0;     // writes (system calls, when the socket kept up) they took
  bool client_gone = false;   // the client went away before the end
};

// book:chunk-buffer
/// The pieces waiting for the next flush, already framed as chunks.
/// States: idle (nothing pending, no flush scheduled) -> pending (bytes wait, one flush is
/// scheduled with call_soon) -> idle again when the flush has written them.
class ChunkBuffer : public std::enable_shared_from_this<ChunkBuffer> {
public:
  explicit ChunkBuffer(StreamWriter writer, std::string head) : writer_(std::move(writer)), pending_(std::move(head)) {}

  /// Frames `piece` as one chunk and makes sure a flush is scheduled.
  void add(std::string_view piece) {
    char size[24];
    const int length = std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
    pending_.append(size, std::size_t(length));
    pending_.append(piece);
    pending_.append("\r\n");
    // A generator that never waits would never let the flush run: past 64 KiB, write now.
    if (pending_.size() >= 64 * 1024) flush();
    schedule_flush();
  }
  /// Adds the last chunk (size 0).
  void finish() { pending_.append("0\r\n\r\n"); }
  /// Writes what is pending now; the flush already scheduled will find nothing left.
  void flush() {
    if (pending_.empty()) return;
    if (!writer_.is_closing()) {
      writer_.write(pending_);
      ++writes_;
    }
    pending_.clear();
  }
  /// Flushes that wrote something so far.
  std::size_t writes() const noexcept { return writes_; }

  /// Makes sure one flush runs in the next iteration of the loop.
  void schedule_flush() {
    if (flush_scheduled_) return;
    flush_scheduled_ = true;
    // The callback holds the buffer: it may run after send_chunked has returned.
    get_running_loop().call_soon([self = shared_from_this()] {
      self->flush_scheduled_ = false;
      self->flush();
    });
  }

private:
  StreamWriter writer_;
  std::string pending_;
  bool flush_scheduled_ = false;
  std::size_t writes_ = 0;
};
// end book:chunk-buffer

// ---- ex3: streaming a body --------------------------------------------------------------
// book:send-chunked
/// Sends `head` (the status line and headers), then every piece `body` yields as a chunk, then
/// the last chunk. Returns once the body has ended and is written, or once the client is gone
/// (after the generator's aclose()). What the generator throws comes out of it.
inline Coro<StreamReport> send_chunked(std::string head, AsyncGenerator<std::string> body, StreamWriter writer) {
  auto buffer = std::make_shared<ChunkBuffer>(writer, std::move(head));
  buffer->schedule_flush();  // the head leaves soon, with whatever the generator yields by then
  StreamReport report;
  std::size_t writes_seen = 0;
  try {
    while (auto piece = co_await body.next()) {
      if (piece->empty()) continue;  // an empty chunk would end the body early
      buffer->add(*piece);
      ++report.pieces;
      // After a flush: the connection's fate and its backpressure are known; ask once.
      if (buffer->writes() != writes_seen) {
        writes_seen = buffer->writes();
        co_await writer.drain();
      }
    }
    buffer->finish();
    buffer->flush();
    co_await writer.drain();
  } catch (const OSError&) {
    report.client_gone = true;
  }
  if (report.client_gone) co_await body.aclose();
  report.writes = buffer->writes();
  co_return report;
}
// end book:send-chunked

}  // namespace aio
