// Lesson 17, demo 3: a fast writer and a slow reader. The server writes 2 MiB in chunks of
// 64 KiB as fast as drain() lets it; the client reads 64 KiB every tenth of a second. The kernel
// keeps some 256 KiB per socket here (SO_SNDBUF and SO_RCVBUF of 128 KiB), so the writer's own
// buffer fills soon: above 64 KiB drain() makes the writer wait until it is down to 16 KiB.
// mirror_backpressure.py is the same program; lines that start with "~ " are measurements.
// `l17_demo_backpressure --timeline` also draws when each task ran and waited.
#include <aio/run.hpp>
#include <aio/server.hpp>
#include <aio/sleep.hpp>
#include <aio/socket.hpp>
#include <aio/streams.hpp>
#include <aio/task.hpp>
#include <aio/timeline.hpp>

#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

using namespace std::chrono_literals;

namespace {

constexpr std::size_t kChunk = 64 * 1024;
constexpr int kChunks = 32;

struct Stats {
  int waits = 0;                    // drain() calls that suspended the writer
  aio::Duration waited{0};          // time spent in them
  std::size_t most_buffered = 0;    // the writer's buffer at its fullest
  aio::Duration writer_done{0};
};
Stats stats;

void small_buffers(const aio::Socket& socket) {
  const int small = 128 * 1024;
  ::setsockopt(socket.fd(), SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
  ::setsockopt(socket.fd(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
}

// book:fast-writer
aio::Coro<void> write_all(aio::StreamWriter writer) {
  aio::EventLoop& loop = aio::get_running_loop();
  const std::string chunk(kChunk, 'x');
  for (int i = 0; i < kChunks; ++i) {
    writer.write(chunk);
    stats.most_buffered = std::max(stats.most_buffered, writer.buffer_size());
    const aio::Duration before = loop.time();
    co_await writer.drain();  // waits while more than 64 KiB are buffered
    if (loop.time() > before) {
      ++stats.waits;
      stats.waited += loop.time() - before;
    }
  }
  stats.writer_done = loop.time();
  writer.close();
}
// end book:fast-writer

aio::Coro<void> serve(aio::StreamReader, aio::StreamWriter writer) {
  co_await aio::create_task(write_all(writer), "writer");
}

aio::Coro<std::size_t> read_slowly(aio::StreamReader reader) {
  std::size_t total = 0;
  for (;;) {
    std::string chunk = co_await reader.read(kChunk);
    if (chunk.empty()) break;
    total += chunk.size();
    co_await aio::sleep(100ms);  // a slow consumer
  }
  co_return total;
}

aio::Coro<void> main_coro() {
  aio::EventLoop& loop = aio::get_running_loop();
  aio::Socket listener = aio::Socket::tcp();
  small_buffers(listener);  // the accepted socket inherits them
  listener.bind({"127.0.0.1", 0});
  const aio::Address address = listener.local_address();
  aio::Server server = co_await aio::start_server(serve, std::move(listener));
  aio::Socket socket = aio::Socket::tcp();
  small_buffers(socket);
  co_await aio::sock_connect(socket, address);
  auto [reader, writer] = aio::make_streams(std::move(socket));
  std::printf("the server writes %d chunks of 64 KiB; the client reads 64 KiB every 0.1 s\n", kChunks);
  std::size_t total = co_await aio::create_task(read_slowly(reader), "reader");
  std::printf("client read %zu KiB in all\n", total / 1024);
  std::printf("the writer's buffer never held more than 64 KiB + one chunk: %s\n",
              stats.most_buffered <= 64 * 1024 + kChunk ? "True" : "False");
  std::printf("~ the writer waited in drain() %d times, %s s in all; it finished at %s s, the reader at %s s\n",
              stats.waits, aio::format_seconds(stats.waited).c_str(), aio::format_seconds(stats.writer_done).c_str(),
              aio::format_seconds(loop.time()).c_str());
  writer.close();
  server.close();
  co_await server.wait_closed();
}

}  // namespace

int main(int argc, char** argv) {
  const bool draw = argc > 1 && std::strcmp(argv[1], "--timeline") == 0;
  aio::Timeline timeline;
  aio::RunOptions options;
  if (draw) options.timeline = &timeline;
  try {
    aio::run(main_coro(), options);
  } catch (const std::exception& error) {  // an exercise not written yet, for instance
    std::fprintf(stderr, "%s\n", error.what());
    return 1;
  }
  if (draw) std::printf("\n%s", timeline.render_ascii(61).c_str());
}
