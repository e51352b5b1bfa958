// Lesson 18's benchmarks, on 127.0.0.1 and the real clock.
//
//   BM_gateway_sequential   the gateway's two upstream calls (300 ms each: three tokens 100 ms
//                           apart), one after the other: about 600 ms a call
//   BM_gateway_fan_out      the same two calls through aio::fan_out: about 300 ms
//   BM_keepalive_requests   server CPU per request: 100 keep-alive connections, each sending
//                           requests one after another, from a client process of its own; the
//                           counter server_us_per_request is this process's CPU time (user +
//                           system) divided by the requests served
//   BM_sse_events/B         server CPU per SSE event: 100 streaming clients, each stream 2,000
//                           events yielded B at a time between two turns of the loop. B = 1 is
//                           one event per turn, so one write (one send) per event; B = 100 lets
//                           coalescing put 100 events in one write. Counter server_us_per_event
//   BM_asyncio_requests     BM_keepalive_requests against mirror.py's server on CPython (asyncio
//   BM_asyncio_events/B     streams), and BM_sse_events likewise: the same clients, in the same
//                           run; the counters come from the Python process's own process_time()
//   BM_idle_streams         memory per idle streaming connection: 1,000 clients each hold a
//                           stream that sent its first event and waits; the counter
//                           bytes_per_connection is the growth of this process's resident memory
//                           divided by 1,000
//
// The clients run in a forked child process with a loop of its own, so the counters measure the
// server alone, as a load generator would.
#include "bench_support.hpp"

#include <aio/async_generator.hpp>
#include <aio/coro.hpp>
#include <aio/fan_out.hpp>
#include <aio/http_server.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/sse.hpp>
#include <aio/streams.hpp>
#include <aio/task.hpp>

#include "../lessons/18-streaming-service/service.hpp"

#include <benchmark/benchmark.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <cstdio>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

// ---- sequential against concurrent --------------------------------------------------------------

aio::Coro<void> gateway(benchmark::State* state, bool concurrent) {
  service::Services services =
      co_await service::start_services(service::Config{}, service::upper_model(100ms), service::reverse_model(100ms));
  const std::uint16_t upper = services.config->upper_port;
  const std::uint16_t reverse = services.config->reverse_port;
  for (auto _ : *state) {
    if (concurrent) {
      std::vector<aio::Coro<std::string>> calls;
      calls.push_back(service::call_model(upper, "one two three"));
      calls.push_back(service::call_model(reverse, "one two three"));
      std::vector<aio::Outcome<std::string>> outcomes = co_await aio::fan_out(std::move(calls), 2s);
      benchmark::DoNotOptimize(outcomes);
    } else {
      std::string a = co_await service::call_model(upper, "one two three");
      std::string b = co_await service::call_model(reverse, "one two three");
      benchmark::DoNotOptimize(a);
      benchmark::DoNotOptimize(b);
    }
  }
  co_await services.shutdown(1s);
}

void BM_gateway_sequential(benchmark::State& state) { aio::run(gateway(&state, false), {.virtual_clock = false}); }
void BM_gateway_fan_out(benchmark::State& state) { aio::run(gateway(&state, true), {.virtual_clock = false}); }
BENCHMARK(BM_gateway_sequential)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(BM_gateway_fan_out)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// ---- a server, and clients in another process ----------------------------------------------------

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

std::int64_t resident_bytes() {
  long pages = 0;
  long resident = 0;
  if (FILE* statm = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(statm, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(statm);
  }
  return std::int64_t(resident) * sysconf(_SC_PAGESIZE);
}

aio::AsyncGenerator<std::string> events(int count, int batch) {
  const std::string record = aio::sse_event("tick", "0123456789");
  for (int i = 0; i < count; ++i) {
    if (i % batch == 0) co_await aio::sleep(0s);  // a turn of the loop between batches
    co_yield record;
  }
}

aio::AsyncGenerator<std::string> idle_stream() {
  co_yield aio::sse_event("init", "{}");
  co_await aio::sleep(std::chrono::hours(1));
}

aio::Router bench_router() {
  aio::Router router;
  router.get("/hello", [](aio::Request) -> aio::Coro<aio::Response> {
    return []() -> aio::Coro<aio::Response> { co_return aio::Response::text("hello"); }();
  });
  router.get("/events", [](aio::Request request) -> aio::Coro<aio::Response> {
    return [](aio::Request r) -> aio::Coro<aio::Response> {
      co_return aio::Response::streaming(events(std::stoi(r.query("n")), std::stoi(r.query("batch"))),
                                         std::string(aio::event_stream_type));
    }(std::move(request));
  });
  router.get("/idle", [](aio::Request) -> aio::Coro<aio::Response> {
    return []() -> aio::Coro<aio::Response> {
      co_return aio::Response::streaming(idle_stream(), std::string(aio::event_stream_type));
    }();
  });
  return router;
}

// The client side, in the child process.
aio::Coro<void> ask_repeatedly(std::uint16_t port, int requests) {
  auto [reader, writer] = co_await aio::open_connection("127.0.0.1", port);
  for (int i = 0; i < requests; ++i) {
    writer.write("GET /hello HTTP/1.1\r\n\r\n");
    co_await reader.readuntil("\r\n\r\n");
    co_await reader.readexactly(5);
  }
  writer.close();
}

aio::Coro<void> read_to_end(std::uint16_t port, std::string target) {
  auto [reader, writer] = co_await aio::open_connection("127.0.0.1", port);
  writer.write("GET " + target + " HTTP/1.1\r\nConnection: close\r\n\r\n");
  for (;;) {
    std::string piece = co_await reader.read(256 * 1024);
    if (piece.empty()) break;
  }
  writer.close();
}

aio::Coro<void> clients(std::uint16_t port, int count, std::string target, int requests) {
  std::vector<aio::Coro<void>> all;
  for (int i = 0; i < count; ++i) {
    if (target.empty()) {
      all.push_back(ask_repeatedly(port, requests));
    } else {
      all.push_back(read_to_end(port, target));
    }
  }
  co_await aio::gather(std::move(all));
}

/// Forks a client process that waits for the port on a pipe, runs `clients`, and exits.
pid_t fork_clients(int* port_pipe, int count, std::string target, int requests) {
  int fds[2];
  if (::pipe(fds) != 0) return -1;
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(fds[1]);
    std::uint16_t port = 0;
    if (::read(fds[0], &port, sizeof port) != sizeof port) ::_exit(1);
    aio::run(clients(port, count, target, requests), {.virtual_clock = false});
    ::_exit(0);
  }
  ::close(fds[0]);
  *port_pipe = fds[1];
  return child;
}

void tell_port(int port_pipe, std::uint16_t port) {
  if (::write(port_pipe, &port, sizeof port) != sizeof port) std::perror("write");
  ::close(port_pipe);
}

aio::Coro<void> serve_until_done(int port_pipe, pid_t child, std::size_t expected_connections, double* cpu) {
  aio::HttpServer server = co_await aio::HttpServer::start(bench_router(), "127.0.0.1", 0);
  const double before = cpu_seconds();
  tell_port(port_pipe, server.port());
  // The child closes its connections when it is done; wait for that, then for the child. The
  // count sampled every millisecond may never reach `expected_connections` at once (quick clients
  // come and go between two looks), so a child that has exited ends the wait too.
  std::size_t seen = 0;
  int status = 0;
  bool child_exited = false;
  while (true) {
    seen = std::max(seen, server.connections());
    if (!child_exited && ::waitpid(child, &status, WNOHANG) == child) child_exited = true;
    if ((seen >= expected_connections || child_exited) && server.connections() == 0) break;
    co_await aio::sleep(1ms);
  }
  *cpu = cpu_seconds() - before;
  if (!child_exited) ::waitpid(child, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "the client process failed (status %d): its numbers are not to be trusted\n", status);
  }
  co_await server.shutdown(0s);
}

// book:bench-keepalive
void BM_keepalive_requests(benchmark::State& state) {
  const int connections = 100;
  const int each = aio_bench::smoke() ? 20 : 200;
  double cpu_total = 0;
  for (auto _ : state) {
    int port_pipe = -1;
    const pid_t child = fork_clients(&port_pipe, connections, "", each);
    double cpu = 0;
    aio::run(serve_until_done(port_pipe, child, connections, &cpu), {.virtual_clock = false});
    cpu_total += cpu;
  }
  const double requests = double(state.iterations()) * connections * each;
  state.counters["server_us_per_request"] = cpu_total / requests * 1e6;
  state.SetItemsProcessed(std::int64_t(requests));
}
// end book:bench-keepalive
BENCHMARK(BM_keepalive_requests)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

void BM_sse_events(benchmark::State& state) {
  const int connections = 100;
  const int each = aio_bench::smoke() ? 200 : 2000;
  const int batch = int(state.range(0));
  double cpu_total = 0;
  for (auto _ : state) {
    int port_pipe = -1;
    const std::string target = "/events?n=" + std::to_string(each) + "&batch=" + std::to_string(batch);
    const pid_t child = fork_clients(&port_pipe, connections, target, 0);
    double cpu = 0;
    aio::run(serve_until_done(port_pipe, child, connections, &cpu), {.virtual_clock = false});
    cpu_total += cpu;
  }
  const double sent = double(state.iterations()) * connections * each;
  state.counters["server_us_per_event"] = cpu_total / sent * 1e6;
  state.SetItemsProcessed(std::int64_t(sent));
}
BENCHMARK(BM_sse_events)->Arg(1)->Arg(100)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// ---- the same clients against mirror.py's server on CPython ----------------------------------------

struct PythonServer {
  pid_t pid = -1;
  int input = -1;           // its standard input: closing it ends the server
  FILE* output = nullptr;   // its standard output: the port, then "cpu SECONDS"
  std::uint16_t port = 0;
};

std::optional<PythonServer> start_python() {
  const std::string mirror = std::string(__FILE__).substr(0, std::string(__FILE__).rfind('/')) +
                             "/../lessons/18-streaming-service/mirror.py";
  int to_child[2];
  int from_child[2];
  if (::pipe(to_child) != 0 || ::pipe(from_child) != 0) return std::nullopt;
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(to_child[0], 0);
    ::dup2(from_child[1], 1);
    ::close(to_child[1]);
    ::close(from_child[0]);
    ::execlp("python3", "python3", mirror.c_str(), "--serve-bench", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(to_child[0]);
  ::close(from_child[1]);
  PythonServer server{pid, to_child[1], ::fdopen(from_child[0], "r"), 0};
  unsigned port = 0;
  if (std::fscanf(server.output, "%u", &port) != 1) {
    ::close(server.input);
    std::fclose(server.output);
    ::waitpid(pid, nullptr, 0);
    return std::nullopt;
  }
  server.port = std::uint16_t(port);
  return server;
}

/// Ends the server; returns the CPU seconds it spent serving.
double stop_python(PythonServer& server) {
  ::close(server.input);
  double cpu = 0;
  if (std::fscanf(server.output, " cpu %lf", &cpu) != 1) cpu = 0;
  std::fclose(server.output);
  ::waitpid(server.pid, nullptr, 0);
  return cpu;
}

/// One round of `count` clients against the Python server; the server's CPU seconds.
std::optional<double> python_round(int count, std::string target, int requests) {
  std::optional<PythonServer> server = start_python();
  if (!server) return std::nullopt;
  int port_pipe = -1;
  const pid_t child = fork_clients(&port_pipe, count, std::move(target), requests);
  tell_port(port_pipe, server->port);
  ::waitpid(child, nullptr, 0);
  return stop_python(*server);
}

void BM_asyncio_requests(benchmark::State& state) {
  const int connections = 100;
  const int each = aio_bench::smoke() ? 20 : 200;
  double cpu_total = 0;
  for (auto _ : state) {
    const std::optional<double> cpu = python_round(connections, "", each);
    if (!cpu) {
      state.SkipWithError("no python3 to run mirror.py --serve-bench");
      return;
    }
    cpu_total += *cpu;
  }
  state.counters["server_us_per_request"] = cpu_total / (double(state.iterations()) * connections * each) * 1e6;
}
BENCHMARK(BM_asyncio_requests)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

void BM_asyncio_events(benchmark::State& state) {
  const int connections = 100;
  const int each = aio_bench::smoke() ? 200 : 2000;
  const std::string target = "/events?n=" + std::to_string(each) + "&batch=" + std::to_string(state.range(0));
  double cpu_total = 0;
  for (auto _ : state) {
    const std::optional<double> cpu = python_round(connections, target, 0);
    if (!cpu) {
      state.SkipWithError("no python3 to run mirror.py --serve-bench");
      return;
    }
    cpu_total += *cpu;
  }
  state.counters["server_us_per_event"] = cpu_total / (double(state.iterations()) * connections * each) * 1e6;
}
BENCHMARK(BM_asyncio_events)->Arg(1)->Arg(100)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

aio::Coro<void> hold_idle(int port_pipe, pid_t child, std::size_t connections, double* per_connection) {
  aio::HttpServer server = co_await aio::HttpServer::start(bench_router(), "127.0.0.1", 0);
  co_await aio::sleep(10ms);
  const std::int64_t before = resident_bytes();
  tell_port(port_pipe, server.port());
  int status = 0;
  bool child_exited = false;  // it failed: it cannot have read every stream to its end yet
  while (server.connections() < connections && !child_exited) {
    if (::waitpid(child, &status, WNOHANG) == child) child_exited = true;
    co_await aio::sleep(1ms);
  }
  co_await aio::sleep(200ms);  // every stream has sent its first event and waits
  *per_connection = double(resident_bytes() - before) / double(connections);
  co_await server.shutdown(0s);  // cancels the streams: the child reads the end and exits
  if (!child_exited) ::waitpid(child, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "the client process failed (status %d): its numbers are not to be trusted\n", status);
  }
}

void BM_idle_streams(benchmark::State& state) {
  const int connections = aio_bench::smoke() ? 100 : 1000;
  double per_connection = 0;
  for (auto _ : state) {
    int port_pipe = -1;
    const pid_t child = fork_clients(&port_pipe, connections, "/idle", 0);
    aio::run(hold_idle(port_pipe, child, std::size_t(connections), &per_connection), {.virtual_clock = false});
  }
  state.counters["bytes_per_connection"] = per_connection;
}
BENCHMARK(BM_idle_streams)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
