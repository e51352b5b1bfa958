// Lesson 18's program: the streaming service and a scripted client. It starts two model services
// and the front server on free ports of 127.0.0.1, runs a streaming search, two gateway calls
// and a token stream, prints what the client receives and when, and shuts the servers down.
// mirror.py is the same service written with plain asyncio streams; both print the same lines.
//
//   ./learn run 18                 on the real clock (the delays are real)
//   AIO_CLOCK=virtual l18_demo     on the virtual clock, at once
//   l18_demo --serve               serves until Ctrl-C: open http://127.0.0.1:8018/ in a browser
#include <aio/coro.hpp>
#include <aio/http_client.hpp>
#include <aio/run.hpp>
#include <aio/signals.hpp>
#include <aio/sleep.hpp>

#include "service.hpp"

#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

using namespace std::chrono_literals;

namespace {

std::string now() { return aio::format_seconds(aio::get_running_loop().time()); }

// book:read-events
/// Reads an SSE body as it arrives and prints each record: the time, the event, the data.
aio::Coro<void> print_events(aio::HttpClient client) {
  std::string buffered;
  auto pieces = client.body();
  while (auto piece = co_await pieces.next()) {
    buffered += *piece;
    for (std::size_t end = buffered.find("\n\n"); end != std::string::npos; end = buffered.find("\n\n")) {
      const std::string record = buffered.substr(0, end);
      buffered.erase(0, end + 2);
      const std::size_t data = record.find("\ndata: ");
      std::printf("  %s %s %s\n", now().c_str(), record.substr(7, data - 7).c_str(), record.substr(data + 7).c_str());
    }
  }
}
// end book:read-events

aio::Coro<void> stream(std::uint16_t port, std::string target) {
  std::printf("GET %s\n", target.c_str());
  aio::HttpClient client = co_await aio::HttpClient::connect("127.0.0.1", port);
  aio::ClientResponse head = co_await client.request("GET", target);
  std::printf("  %s %d %s\n", now().c_str(), head.status, std::string(head.header("content-type").value_or("")).c_str());
  co_await print_events(client);
  client.close();
}

aio::Coro<void> process(std::uint16_t port, std::string prompt) {
  std::printf("POST /process?prompt=%s\n", prompt.c_str());
  aio::HttpClient client = co_await aio::HttpClient::connect("127.0.0.1", port);
  aio::ClientResponse head = co_await client.request("POST", "/process?prompt=" + aio::url_encode(prompt));
  std::string body = co_await client.text();
  std::printf("  %s %d %s\n", now().c_str(), head.status, body.c_str());
  client.close();
}

service::Config config() {
  service::Config config;
  config.token_delay = 100ms;
  config.call_timeout = 500ms;
  return config;
}

aio::Coro<void> scripted() {
  service::Services services = co_await service::start_services(config(), service::upper_model(100ms), service::reverse_model(150ms));
  std::printf("%s two models and the front server are listening\n", now().c_str());
  co_await stream(services.front.port(), "/search?q=loop");
  co_await process(services.front.port(), "hi there");
  co_await process(services.front.port(), "one two three four");
  co_await stream(services.front.port(), "/stream?prompt=async+all+the+way");
  co_await services.shutdown(1s);
  std::printf("%s servers closed\n", now().c_str());
}

// ---- --serve: the service for a browser, until Ctrl-C ------------------------------------------
aio::Coro<void> serve(std::uint16_t port, aio::SignalSet* stop) {
  service::Config settings = config();
  settings.log = [](const std::string& line) { std::printf("%s %s\n", now().c_str(), line.c_str()); };
  aio::HttpOptions options;
  options.log = settings.log;
  aio::HttpServer upper = co_await aio::HttpServer::start(service::model_router(service::upper_model()), "127.0.0.1", 0, options);
  aio::HttpServer reverse = co_await aio::HttpServer::start(service::model_router(service::reverse_model()), "127.0.0.1", 0, options);
  settings.upper_port = upper.port();
  settings.reverse_port = reverse.port();
  auto shared = std::make_shared<service::Config>(settings);
  aio::HttpServer front = co_await aio::HttpServer::start(service::front_router(shared), "127.0.0.1", port, options);
  std::printf("serving on http://127.0.0.1:%u/ (Ctrl-C stops)\n", unsigned(front.port()));
  std::fflush(stdout);
  // The signal comes as data on a signalfd, through the loop (aio/signals.hpp).
  const int signal = co_await stop->wait();
  std::printf("%s: stopping, streams get 2 s to finish\n", signal == SIGINT ? "SIGINT" : "SIGTERM");
  std::fflush(stdout);
  co_await front.shutdown(2s);
  co_await upper.shutdown(0s);
  co_await reverse.shutdown(0s);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "--serve") == 0) {
    aio::SignalSet stop{SIGINT, SIGTERM};  // before any thread starts: they inherit the mask
    const int port = argc >= 3 ? std::atoi(argv[2]) : 8018;
    aio::run(serve(std::uint16_t(port), &stop), {.virtual_clock = false});
    return 0;
  }
  aio::run(scripted());
}
