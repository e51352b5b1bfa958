// Lesson 17, demo 1: an echo server and ten clients at once, in one loop. Each client sends
// three lines, a tenth of a second apart, and reads each one back; the server runs one task per
// client. mirror.py is the same program with asyncio's streams; both print the same lines.
#include <aio/gather.hpp>
#include <aio/run.hpp>
#include <aio/server.hpp>
#include <aio/sleep.hpp>
#include <aio/streams.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

int lines_echoed = 0;

// book:echo-handler
aio::Coro<void> echo(aio::StreamReader reader, aio::StreamWriter writer) {
  for (;;) {
    std::string line = co_await reader.readline();
    if (line.empty()) break;  // the client closed its side
    writer.write(line);
    co_await writer.drain();  // respect the client's pace
    ++lines_echoed;
  }
  writer.close();
  co_await writer.wait_closed();
}
// end book:echo-handler

// book:echo-client
aio::Coro<std::string> client(int id, std::uint16_t port) {
  auto [reader, writer] = co_await aio::open_connection("127.0.0.1", port);
  std::string heard;
  for (int i = 0; i < 3; ++i) {
    writer.write("client " + std::to_string(id) + " line " + std::to_string(i) + "\n");
    co_await writer.drain();
    std::string line = co_await reader.readline();
    heard += line.substr(line.size() - 2, 1);  // the line's number, echoed back
    co_await aio::sleep(100ms);
  }
  writer.close();
  co_await writer.wait_closed();
  co_return heard;
}
// end book:echo-client

aio::Coro<void> main_coro() {
  aio::EventLoop& loop = aio::get_running_loop();
  aio::Server server = co_await aio::start_server(echo, "127.0.0.1", 0);
  std::printf("echo server listening on 127.0.0.1\n");
  std::vector<aio::Coro<std::string>> clients;
  for (int id = 0; id < 10; ++id) clients.push_back(client(id, server.port()));
  const aio::Duration started = loop.time();
  std::vector<std::string> heard = co_await aio::gather(std::move(clients));
  for (int id = 0; id < 10; ++id) std::printf("client %d heard back lines %s\n", id, heard[std::size_t(id)].c_str());
  std::printf("10 clients, 3 lines each, done in %s s (one after another: 3.0 s)\n",
              aio::format_seconds(loop.time() - started).c_str());
  server.close();
  co_await server.wait_closed();
  std::printf("server closed after echoing %d lines\n", lines_echoed);
}

}  // namespace

int main() {
  try {
    aio::run(main_coro());
  } catch (const std::exception& error) {  // an exercise not written yet, for instance
    std::fprintf(stderr, "%s\n", error.what());
    return 1;
  }
}
