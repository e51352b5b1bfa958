// Lesson 17's measurements.
//
// 1. Sequential against concurrent fetches (UseRealTime): 20 requests to a local server that
//    answers each after 10 ms, one after another and all at once, client and server in one loop.
// 2. Echo round trips with 1, 100 and 1,000 connections, and what they cost the server in CPU
//    time. A load generator written here (one thread, epoll, non-blocking sockets, pinned to the
//    second core) keeps every connection busy: it sends a 16-byte line, waits for its echo, sends
//    the next. The server runs pinned to the first core, and is one of:
//      aio_streams        aio::start_server with readline / write / drain (this lesson)
//      raw_epoll          a hand-written epoll loop: recv, send, nothing else (the floor)
//      thread_per_client  one blocking thread per connection (the classic alternative)
//    Counters: round trips per second (rt_per_s) and the server's CPU time per round trip
//    (server_us_per_rt): the process's CPU time minus the load generator thread's, divided by the
//    round trips. Each run lasts AIO_BENCH_SECONDS (default 2; 0.2 in a smoke run) and is
//    bounded by a count as well; three repetitions, medians reported.
//    Everything stays on 127.0.0.1.
#include <aio/event.hpp>
#include <aio/gather.hpp>
#include <aio/inbox.hpp>
#include <aio/poller.hpp>
#include <aio/run.hpp>
#include <aio/server.hpp>
#include <aio/sleep.hpp>
#include <aio/socket.hpp>
#include <aio/streams.hpp>

#include "bench_support.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

// ---- 1. sequential against concurrent ------------------------------------------------------

aio::Coro<void> slow_page(aio::StreamReader reader, aio::StreamWriter writer) {
  std::string request = co_await reader.readline();
  co_await aio::sleep(10ms);  // the server's own work
  writer.write("page for " + request);
  writer.close();
}

aio::Coro<std::string> fetch(std::uint16_t port) {
  auto [reader, writer] = co_await aio::open_connection("127.0.0.1", port);
  writer.write("GET /\n");
  std::string page = co_await reader.readline();
  writer.close();
  co_return page;
}

aio::Coro<void> fetch_all(bool concurrently) {
  aio::Server server = co_await aio::start_server(slow_page, "127.0.0.1", 0);
  if (concurrently) {
    std::vector<aio::Coro<std::string>> requests;
    for (int i = 0; i < 20; ++i) requests.push_back(fetch(server.port()));
    co_await aio::gather(std::move(requests));
  } else {
    for (int i = 0; i < 20; ++i) co_await fetch(server.port());
  }
  server.close();
  co_await server.wait_closed();
}

void BM_fetch_sequential(benchmark::State& state) {
  for (auto _ : state) aio::run(fetch_all(false), {.virtual_clock = false});
}
void BM_fetch_concurrent(benchmark::State& state) {
  for (auto _ : state) aio::run(fetch_all(true), {.virtual_clock = false});
}

// ---- 2. echo round trips -------------------------------------------------------------------

constexpr std::size_t kMessage = 16;

double seconds_per_run() {
  if (aio_bench::smoke()) return 0.2;
  const char* value = std::getenv("AIO_BENCH_SECONDS");
  return value != nullptr ? std::atof(value) : 2.0;
}

void pin_to_cpu(int cpu) {
  if (std::thread::hardware_concurrency() < 2) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

int connect_blocking(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) < 0) {
    ::close(fd);
    throw std::runtime_error(std::string("load generator: connect: ") + std::strerror(errno));
  }
  const int on = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  return fd;
}

/// What one load run measured.
struct Load {
  std::uint64_t round_trips = 0;
  double seconds = 0;
  double client_cpu = 0;
};

/// The load generator: `connections` connections to `port`, each sending a 16-byte line and
/// waiting for its echo before the next, until `seconds` have passed (or a round-trip count
/// that no run reaches in that time). Runs on the calling thread, pinned to the second core.
Load generate_load(std::uint16_t port, int connections, double seconds) {
  pin_to_cpu(1);
  std::vector<int> fds;
  for (int i = 0; i < connections; ++i) fds.push_back(connect_blocking(port));
  const int epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
  std::vector<std::size_t> received(fds.size(), 0);
  const char message[kMessage + 1] = "0123456789abcde\n";
  for (std::size_t i = 0; i < fds.size(); ++i) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = i;
    ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fds[i], &event);
  }
  Load load;
  const double cpu_before = thread_cpu_seconds();
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::duration<double>(seconds);
  constexpr std::uint64_t kMaxRoundTrips = 100'000'000;
  for (int fd : fds) ::send(fd, message, kMessage, MSG_NOSIGNAL);
  std::vector<epoll_event> events(1024);
  char buffer[4096];
  while (std::chrono::steady_clock::now() < deadline && load.round_trips < kMaxRoundTrips) {
    const int count = ::epoll_wait(epoll_fd, events.data(), int(events.size()), 100);
    for (int e = 0; e < count; ++e) {
      const std::size_t i = events[std::size_t(e)].data.u64;
      const ssize_t got = ::recv(fds[i], buffer, sizeof buffer, 0);
      if (got <= 0) throw std::runtime_error("load generator: the server closed a connection");
      received[i] += std::size_t(got);
      while (received[i] >= kMessage) {
        received[i] -= kMessage;
        ++load.round_trips;
        ::send(fds[i], message, kMessage, MSG_NOSIGNAL);
      }
    }
  }
  load.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  load.client_cpu = thread_cpu_seconds() - cpu_before;
  for (int fd : fds) ::close(fd);
  ::close(epoll_fd);
  return load;
}

void report(benchmark::State& state, const Load& load, double process_cpu) {
  if (load.round_trips == 0) {
    state.SkipWithError("no round trip finished in the time given (AIO_BENCH_SECONDS)");
    return;
  }
  const double server_cpu = process_cpu - load.client_cpu;
  state.counters["rt_per_s"] = double(load.round_trips) / load.seconds;
  state.counters["server_us_per_rt"] = server_cpu * 1e6 / double(load.round_trips);
  state.counters["client_us_per_rt"] = load.client_cpu * 1e6 / double(load.round_trips);
}

// -- the aio server: this lesson's streams, one task per client.
// book:bench-echo
aio::Coro<void> echo_lines(aio::StreamReader reader, aio::StreamWriter writer) {
  try {
    for (;;) {
      std::string line = co_await reader.readline();
      if (line.empty()) break;
      writer.write(line);
      co_await writer.drain();
    }
  } catch (const aio::ConnectionError&) {
    // The load generator stops with an echo in flight: its close resets the connection.
  }
  writer.close();
}
// end book:bench-echo

struct AioServer {
  std::promise<std::uint16_t> port;
  std::promise<aio::EventLoop*> loop;
  aio::Event* stop = nullptr;
};

aio::Coro<void> aio_server_main(AioServer* shared) {
  aio::EventLoop& loop = aio::get_running_loop();
  aio::Server server = co_await aio::start_server(echo_lines, "127.0.0.1", 0, {}, 1024);
  aio::inbox_of(loop);  // the Poller's inbox: the load thread stops us through it
  aio::Event stop;
  shared->stop = &stop;
  shared->loop.set_value(&loop);
  shared->port.set_value(server.port());
  co_await stop.wait();
  server.close();
  co_await server.wait_closed();
}

void BM_echo_aio_streams(benchmark::State& state) {
  const int connections = int(state.range(0));
  for (auto _ : state) {
    AioServer shared;
    auto port = shared.port.get_future();
    auto loop = shared.loop.get_future();
    std::thread server([&shared] {
      pin_to_cpu(0);
      aio::run(aio_server_main(&shared), {.virtual_clock = false});
    });
    const std::uint16_t p = port.get();
    aio::EventLoop* server_loop = loop.get();
    const double cpu_before = process_cpu_seconds();
    const Load load = generate_load(p, connections, seconds_per_run());
    const double cpu = process_cpu_seconds() - cpu_before;
    aio::call_soon_threadsafe(*server_loop, [&shared] { shared.stop->set(); });
    server.join();
    report(state, load, cpu);
  }
}

// -- the floor: a hand-written epoll echo server, nothing but the system calls.
int listen_socket() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::listen(fd, 1024);
  return fd;
}

std::uint16_t port_of(int fd) {
  sockaddr_in address{};
  socklen_t size = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  return ntohs(address.sin_port);
}

void BM_echo_raw_epoll(benchmark::State& state) {
  const int connections = int(state.range(0));
  for (auto _ : state) {
    const int listener = listen_socket();
    std::atomic<bool> stop{false};
    std::thread server([listener, &stop] {
      pin_to_cpu(0);
      const int epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
      epoll_event event{};
      event.events = EPOLLIN;
      event.data.fd = listener;
      ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listener, &event);
      std::vector<epoll_event> events(1024);
      std::vector<int> clients;
      char buffer[4096];
      while (!stop.load(std::memory_order_relaxed)) {
        const int count = ::epoll_wait(epoll_fd, events.data(), int(events.size()), 50);
        for (int e = 0; e < count; ++e) {
          const int fd = events[std::size_t(e)].data.fd;
          if (fd == listener) {
            const int client = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (client < 0) continue;
            const int on = 1;
            ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
            epoll_event added{};
            added.events = EPOLLIN;
            added.data.fd = client;
            ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, client, &added);
            clients.push_back(client);
            continue;
          }
          const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
          if (got > 0) {
            ::send(fd, buffer, std::size_t(got), MSG_NOSIGNAL);
          } else if (got == 0) {
            ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, nullptr);
          }
        }
      }
      for (int fd : clients) ::close(fd);
      ::close(epoll_fd);
    });
    const double cpu_before = process_cpu_seconds();
    const Load load = generate_load(port_of(listener), connections, seconds_per_run());
    const double cpu = process_cpu_seconds() - cpu_before;
    stop = true;
    server.join();
    ::close(listener);
    report(state, load, cpu);
  }
}

// -- the classic alternative: a blocking thread per client.
void BM_echo_thread_per_client(benchmark::State& state) {
  const int connections = int(state.range(0));
  for (auto _ : state) {
    const int listener = listen_socket();
    std::vector<std::thread> threads;
    std::thread acceptor([listener, connections, &threads] {
      pin_to_cpu(0);
      for (int i = 0; i < connections; ++i) {
        const int client = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) break;
        const int on = 1;
        ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        threads.emplace_back([client] {
          pin_to_cpu(0);
          char buffer[4096];
          for (;;) {
            const ssize_t got = ::recv(client, buffer, sizeof buffer, 0);
            if (got <= 0) break;
            ::send(client, buffer, std::size_t(got), MSG_NOSIGNAL);
          }
          ::close(client);
        });
      }
    });
    const double cpu_before = process_cpu_seconds();
    const Load load = generate_load(port_of(listener), connections, seconds_per_run());
    const double cpu = process_cpu_seconds() - cpu_before;
    acceptor.join();
    for (auto& thread : threads) thread.join();  // each ends when its client closed
    ::close(listener);
    report(state, load, cpu);
  }
}

void connection_counts(benchmark::internal::Benchmark* bench) {
  for (const int c : {1, 100, 1000}) bench->Arg(c);
  bench->Iterations(1)->Repetitions(3)->ReportAggregatesOnly(true)->UseRealTime()->Unit(benchmark::kSecond);
}

}  // namespace

BENCHMARK(BM_fetch_sequential)->Iterations(3)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_fetch_concurrent)->Iterations(3)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_echo_raw_epoll)->Apply(connection_counts);
BENCHMARK(BM_echo_aio_streams)->Apply(connection_counts);
BENCHMARK(BM_echo_thread_per_client)->Apply(connection_counts);

BENCHMARK_MAIN();
