// Graceful shutdown: the server stops accepting, closes idle keep-alive connections at once,
// lets running streams finish within the grace period, then cancels them (their generators'
// cleanup runs). On the virtual clock.
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/run.hpp>
#include <aio/signals.hpp>
#include <aio/sleep.hpp>
#include <aio/socket_errors.hpp>
#include <aio/streams.hpp>
#include <aio/task.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>

#include "http_test_support.hpp"
#include "service.hpp"

#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <string>

using namespace std::chrono_literals;
using aio_test::at;
using aio_test::join;
using aio_test::Log;

namespace {

aio::Coro<service::Services> start_logged(Log* log) {
  service::Config config;
  config.token_delay = 1s;
  config.log = [log](const std::string& line) { log->push_back(at("service: " + line)); };
  aio::HttpOptions options;
  options.log = [log](const std::string& line) { log->push_back(at("server: " + line)); };
  service::Services services = co_await service::start_services(config, service::upper_model(), service::reverse_model(), options);
  co_return services;
}

aio::Coro<void> watch_stream(aio::StreamReader reader, Log* log) {
  std::string all = co_await aio_test::read_logging(reader, log);
  log->push_back(at("stream ended, complete: " + std::string(aio_test::py(all.ends_with("0\r\n\r\n")))));
}

aio::Coro<void> signal_later(Log* log, aio::SignalSet* signals) {
  aio::Task<int> waiting = aio::create_task(signals->wait());
  co_await aio::sleep(0s);  // the waiting task reads the signalfd, finds nothing, and waits
  log->push_back("SIGUSR2 sent");
  // To this thread, which blocks it: a signal sent to the process could go to another thread of
  // the test program (its watchdog), where nothing blocks it.
  pthread_kill(pthread_self(), SIGUSR2);
  const int got = co_await waiting;
  log->push_back(got == SIGUSR2 ? "the waiting task got SIGUSR2" : "the waiting task got another signal");
}

aio::Coro<bool> refused(std::uint16_t port) {
  try {
    co_await aio::open_connection("127.0.0.1", port);
  } catch (const aio::ConnectionRefusedError&) {
    co_return true;
  }
  co_return false;
}

}  // namespace

TEST_CASE("shutdown closes idle connections at once and lets a stream finish", "[l18][shutdown]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    service::Services services = co_await start_logged(log);
    const std::uint16_t port = services.front.port();
    // An idle keep-alive connection: one request answered, then silence.
    auto [idle_reader, idle_writer] = co_await aio::open_connection("127.0.0.1", port);
    idle_writer.write("GET / HTTP/1.1\r\n\r\n");
    co_await idle_reader.readuntil("</html>\n");
    // A stream of three tokens, one a second.
    auto [reader, writer] = co_await aio::open_connection("127.0.0.1", port);
    writer.write("GET /stream?prompt=a+b+c HTTP/1.1\r\n\r\n");
    aio::Task<void> watching = aio::create_task(watch_stream(reader, log));
    co_await aio::sleep(1500ms);
    aio::Task<void> stopping = aio::create_task(services.front.shutdown(5s));
    co_await aio::sleep(0s);
    const bool new_client_refused = co_await refused(port);
    std::string idle_rest = co_await idle_reader.read();
    log->push_back(at("new client refused: " + std::string(aio_test::py(new_client_refused)) +
                      ", idle connection closed: " + aio_test::py(idle_rest.empty())));
    co_await stopping;
    log->push_back(at("shutdown returned"));
    co_await watching;
    idle_writer.close();
    writer.close();
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) ==
        "0.0 got init | 1.0 got data progress | 1.5 server: shutting down: 2 connections open | "
        "1.5 new client refused: True, idle connection closed: True | 2.0 got data progress | "
        "3.0 got data progress done | 3.0 stream ended, complete: True | 3.0 shutdown returned");
}

TEST_CASE("a stream longer than the grace period is cancelled and cleans up", "[l18][shutdown]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    service::Services services = co_await start_logged(log);
    auto [reader, writer] = co_await aio::open_connection("127.0.0.1", services.front.port());
    writer.write("GET /stream?prompt=a+b+c+d+e+f+g+h+i+j HTTP/1.1\r\n\r\n");
    aio::Task<void> watching = aio::create_task(watch_stream(reader, log));
    co_await aio::sleep(2500ms);
    co_await services.front.shutdown(3s);
    log->push_back(at("shutdown returned"));
    co_await watching;
    writer.close();
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) ==
        "0.0 got init | 1.0 got data progress | 2.0 got data progress | "
        "2.5 server: shutting down: 1 connections open | 3.0 got data progress | 4.0 got data progress | "
        "5.0 got data progress | 5.5 server: grace period over: cancelling 1 connections | "
        "5.5 service: stream of 'a b c d e f g h i j' stopped after 5 tokens | 5.5 shutdown returned | "
        "5.5 stream ended, complete: False");
}

// The demo's --serve mode stops on SIGINT or SIGTERM this way: the signal arrives as data on a
// signalfd, in the loop, and the task that awaited it runs the graceful shutdown tested above.
// On the real clock: a signal is not I/O that the virtual clock's poller could see coming.
TEST_CASE("a signal reaches a task through the loop as data on a signalfd", "[l18][shutdown]") {
  aio::SignalSet signals{SIGUSR1, SIGUSR2};
  Log log;
  aio::run(signal_later(&log, &signals), {.virtual_clock = false});
  CHECK(join(log) == "SIGUSR2 sent | the waiting task got SIGUSR2");
}
