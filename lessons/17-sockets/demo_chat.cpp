// Lesson 17, demo 4: a chat room. The server keeps every client's writer and sends each line it
// reads to every other client. Three clients join, say something at different moments, and
// leave; each prints what it heard. mirror_chat.py is the same program with asyncio's streams.
#include <aio/gather.hpp>
#include <aio/run.hpp>
#include <aio/server.hpp>
#include <aio/sleep.hpp>
#include <aio/streams.hpp>
#include <aio/wait_for.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <map>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

std::map<std::string, aio::StreamWriter> room;  // who is in, by name

void broadcast(const std::string& from, const std::string& line) {
  for (auto& [name, writer] : room) {
    if (name != from) writer.write(line);
  }
}

// book:chat-handler
aio::Coro<void> chat(aio::StreamReader reader, aio::StreamWriter writer) {
  std::string name = co_await reader.readline();
  name.pop_back();  // the newline
  room.emplace(name, writer);
  broadcast(name, name + " joined\n");
  for (;;) {
    std::string line = co_await reader.readline();
    if (line.empty()) break;  // the client left
    broadcast(name, name + ": " + line);
  }
  room.erase(name);
  broadcast(name, name + " left\n");
  writer.close();
}
// end book:chat-handler

aio::Coro<void> person(std::uint16_t port, std::string name, aio::Duration joins, aio::Duration says,
                       aio::Duration leaves) {
  aio::EventLoop& loop = aio::get_running_loop();
  co_await aio::sleep(joins);
  auto [reader, writer] = co_await aio::open_connection("127.0.0.1", port);
  writer.write(name + "\n");
  co_await aio::sleep(says - joins);
  writer.write("hello from " + name + "\n");
  const aio::Duration until = leaves;
  while (loop.time() < until) {
    std::string line;
    try {
      line = co_await aio::wait_for(reader.readline(), until - loop.time());
    } catch (const aio::TimeoutError&) {
      break;
    }
    std::printf("%s %s hears: %s", aio::format_seconds(loop.time()).c_str(), name.c_str(), line.c_str());
  }
  writer.close();
  co_await writer.wait_closed();
}

aio::Coro<void> main_coro() {
  aio::Server server = co_await aio::start_server(chat, "127.0.0.1", 0);
  const std::uint16_t port = server.port();
  std::vector<aio::Coro<void>> people;  // made first: no temporaries inside the co_await (GCC 12)
  people.push_back(person(port, "alice", 0ms, 100ms, 1000ms));
  people.push_back(person(port, "bob", 200ms, 300ms, 800ms));
  people.push_back(person(port, "carol", 400ms, 500ms, 600ms));
  co_await aio::gather(std::move(people));
  server.close();
  co_await server.wait_closed();
  std::printf("room empty: %s\n", room.empty() ? "True" : "False");
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
