// Lesson 17, demo 2: a fetcher. Three page servers on 127.0.0.1 answer after 0.1, 0.3 and 0.6 s
// (one page never answers in time). Seven pages are fetched one after another, then all at
// once with at most three connections open (a Semaphore), each request within 1.0 s (wait_for).
// mirror_fetch.py is the same program with asyncio's streams.
#include <aio/errors.hpp>
#include <aio/gather.hpp>
#include <aio/run.hpp>
#include <aio/semaphore.hpp>
#include <aio/server.hpp>
#include <aio/sleep.hpp>
#include <aio/streams.hpp>
#include <aio/wait_for.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

/// How long a page takes to come: the server's own delay, except for the page "stuck".
aio::Duration delay_of(const std::string& page, aio::Duration server_delay) {
  return page == "stuck" ? aio::Duration(5s) : server_delay;
}

aio::Coro<void> serve_pages(aio::StreamReader reader, aio::StreamWriter writer, aio::Duration delay) {
  std::string request = co_await reader.readline();  // "GET name\n"
  const std::string page = request.substr(4, request.size() - 5);
  co_await aio::sleep(delay_of(page, delay));
  writer.write("contents of " + page + "\n");
  writer.close();
}
aio::Coro<void> fast(aio::StreamReader r, aio::StreamWriter w) { return serve_pages(r, w, 100ms); }
aio::Coro<void> medium(aio::StreamReader r, aio::StreamWriter w) { return serve_pages(r, w, 300ms); }
aio::Coro<void> slow(aio::StreamReader r, aio::StreamWriter w) { return serve_pages(r, w, 600ms); }

struct Url {
  std::string server;
  std::uint16_t port;
  std::string page;
};

// book:fetch
aio::Coro<std::string> fetch(Url url) {
  auto [reader, writer] = co_await aio::open_connection("127.0.0.1", url.port);
  writer.write("GET " + url.page + "\n");
  co_await writer.drain();
  std::string body = co_await reader.readline();
  writer.close();
  co_return body.substr(0, body.size() - 1);
}

/// One request, within 1.0 s, under the semaphore if there is one: what it got, and when.
aio::Coro<std::string> fetch_one(Url url, aio::Semaphore* limit) {
  aio::EventLoop& loop = aio::get_running_loop();
  const aio::Duration started = loop.time();
  std::optional<aio::Guard<aio::Semaphore>> permit;
  if (limit != nullptr) permit.emplace(co_await limit->acquire());
  std::string outcome;
  try {
    std::string body = co_await aio::wait_for(fetch(url), 1s);
    outcome = "'" + body + "'";
  } catch (const aio::TimeoutError&) {
    outcome = "TimeoutError";
  }
  co_return "  " + url.server + "/" + url.page + ": " + outcome + ", from " + aio::format_seconds(started) +
      " to " + aio::format_seconds(loop.time()) + " s";
}
// end book:fetch

aio::Coro<void> main_coro() {
  aio::EventLoop& loop = aio::get_running_loop();
  // One co_await per statement: GCC 12 mishandles co_await inside a braced list.
  std::vector<aio::Server> servers;
  for (auto handler : {fast, medium, slow}) {
    aio::Server server = co_await aio::start_server(handler, "127.0.0.1", 0);
    servers.push_back(server);
  }
  std::printf("three page servers on 127.0.0.1: fast (0.1 s), medium (0.3 s), slow (0.6 s)\n");
  const std::vector<Url> urls{{"fast", servers[0].port(), "a"},   {"medium", servers[1].port(), "b"},
                              {"slow", servers[2].port(), "c"},   {"fast", servers[0].port(), "d"},
                              {"slow", servers[2].port(), "stuck"}, {"medium", servers[1].port(), "e"},
                              {"fast", servers[0].port(), "f"}};

  std::printf("1. one after another, each within 1.0 s\n");
  aio::Duration started = loop.time();
  for (const Url& url : urls) {
    std::string line = co_await fetch_one(url, nullptr);
    std::printf("%s\n", line.c_str());
  }
  std::printf("  took %s s\n", aio::format_seconds(loop.time() - started).c_str());

  std::printf("2. all at once, at most 3 connections (Semaphore(3)), each within 1.0 s\n");
  co_await aio::sleep(10s);  // the stuck page's handler finishes meanwhile
  started = loop.time();
  aio::Semaphore limit(3);
  std::vector<aio::Coro<std::string>> requests;
  for (const Url& url : urls) requests.push_back(fetch_one(url, &limit));
  std::vector<std::string> lines = co_await aio::gather(std::move(requests));
  for (const std::string& line : lines) std::printf("%s\n", line.c_str());
  std::printf("  took %s s\n", aio::format_seconds(loop.time() - started).c_str());
  for (aio::Server& server : servers) server.close();
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
