// Tests for name resolution: aio::getaddrinfo in a thread of lesson 16's default executor,
// open_connection trying each address, start_server listening on each. All traffic stays on
// loopback; the only real lookups are "localhost" and a name under .invalid, which no DNS server
// answers. Other names go to a scripted resolver (detail::name_resolver).
#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/resolve.hpp>
#include <aio/run.hpp>
#include <aio/server.hpp>
#include <aio/sleep.hpp>
#include <aio/socket.hpp>
#include <aio/socket_errors.hpp>
#include <aio/streams.hpp>
#include <aio/task.hpp>
#include <aio/wait_for.hpp>
#include <aio_test/catch.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

std::atomic<int> scripted_calls{0};
std::atomic<bool> slow_started{false};
std::atomic<bool> slow_release{false};
std::atomic<bool> slow_finished{false};
std::thread::id resolver_thread;

/// A resolver that answers made-up names the way a DNS server might, in its worker thread:
///   two.test    ::1 first, then 127.0.0.1 (a host with both, as "localhost" often is)
///   slow.test   127.0.0.1, once the test sets slow_release (at most 5 s later)
///   slow50.test 127.0.0.1, 50 ms later
/// and hands other names to the C library.
std::vector<aio::AddrInfo> scripted_resolver(std::string host, std::uint16_t port, int family, int type, int flags) {
  ++scripted_calls;
  resolver_thread = std::this_thread::get_id();
  const aio::AddrInfo v6{AF_INET6, SOCK_STREAM, IPPROTO_TCP, "", {"::1", port}};
  const aio::AddrInfo v4{AF_INET, SOCK_STREAM, IPPROTO_TCP, "", {"127.0.0.1", port}};
  if (host == "two.test") return {v6, v4};
  if (host == "slow.test") {
    slow_started = true;
    const auto limit = std::chrono::steady_clock::now() + 5s;
    while (!slow_release && std::chrono::steady_clock::now() < limit) std::this_thread::sleep_for(1ms);
    slow_finished = true;
    return {v4};
  }
  if (host == "slow50.test") {
    std::this_thread::sleep_for(50ms);
    return {v4};
  }
  return aio::detail::blocking_getaddrinfo(host, port, family, type, flags);
}

/// Puts the scripted resolver in place for one test.
struct ScriptedResolver {
  ScriptedResolver() {
    scripted_calls = 0;
    slow_started = slow_release = slow_finished = false;
    aio::detail::name_resolver = &scripted_resolver;
  }
  ~ScriptedResolver() {
    slow_release = true;
    aio::detail::name_resolver = &aio::detail::blocking_getaddrinfo;
  }
  ScriptedResolver(const ScriptedResolver&) = delete;
  ScriptedResolver& operator=(const ScriptedResolver&) = delete;
};

/// Spins (real time) until `flag` is true, at most 2 s; true if it came.
bool wait_until(const std::atomic<bool>& flag) {
  const auto limit = std::chrono::steady_clock::now() + 2s;
  while (!flag.load() && std::chrono::steady_clock::now() < limit) std::this_thread::sleep_for(1ms);
  return flag.load();
}

aio::Coro<void> greet(aio::StreamReader, aio::StreamWriter writer) {
  writer.write("hello\n");
  writer.close();
  co_return;
}

/// Connects to host:port, returns the peer's address and the line it sent.
aio::Coro<std::string> hello_from(std::string host, std::uint16_t port) {
  auto [reader, writer] = co_await aio::open_connection(host, port);
  const std::string peer = writer.peername().host;
  std::string line = co_await reader.readline();
  writer.close();
  co_return peer + " says " + line.substr(0, line.size() - 1);
}

/// A port on `host` where nobody listens: bound, then closed.
std::uint16_t unused_port(const std::string& host) {
  aio::Socket probe = aio::listen_on({host, 0});
  return probe.local_address().port;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// getaddrinfo

// CPython: cpython/getaddrinfo_thread.py
TEST_CASE("numeric hosts are answered at once, without a thread", "[l17][resolve]") {
  ScriptedResolver scripted;
  auto main = []() -> aio::Coro<std::string> {
    std::vector<aio::AddrInfo> v4 = co_await aio::getaddrinfo("127.0.0.1", 8888, AF_UNSPEC, SOCK_STREAM);
    std::vector<aio::AddrInfo> v6 = co_await aio::getaddrinfo("::1", 8888, AF_UNSPEC, SOCK_STREAM);
    REQUIRE(v4.size() == 1);
    REQUIRE(v6.size() == 1);
    CHECK(v4[0].family == AF_INET);
    CHECK(v6[0].family == AF_INET6);
    co_return v4[0].address.to_string() + " " + v6[0].address.to_string();
  };
  CHECK(aio::run(main(), {.virtual_clock = true}) == "('127.0.0.1', 8888) ('::1', 8888)");
  CHECK(scripted_calls == 0);
}

// CPython: cpython/getaddrinfo_thread.py
TEST_CASE("a name is resolved in a worker thread, not the loop's", "[l17][resolve]") {
  ScriptedResolver scripted;
  auto main = []() -> aio::Coro<std::string> {
    std::vector<aio::AddrInfo> infos = co_await aio::getaddrinfo("localhost", 80, AF_INET, SOCK_STREAM);
    REQUIRE_FALSE(infos.empty());
    co_return infos[0].address.to_string();
  };
  CHECK(aio::run(main(), {.virtual_clock = true}) == "('127.0.0.1', 80)");
  CHECK(scripted_calls == 1);
  CHECK(resolver_thread != std::this_thread::get_id());
}

// CPython: cpython/getaddrinfo_thread.py
TEST_CASE("a name that does not resolve raises GaiError, an OSError", "[l17][resolve]") {
  auto main = []() -> aio::Coro<std::string> {
    std::string seen;
    try {
      co_await aio::open_connection("no-such-host.invalid", 80);
    } catch (const aio::GaiError& error) {
      seen = error.error_number() < 0 ? "GaiError, EAI code " : "GaiError, errno ";
      seen += std::string(error.what()).find("could not resolve 'no-such-host.invalid'; check the name") !=
                      std::string::npos
                  ? "and the name in the message"
                  : std::string("but the message is: ") + error.what();
    }
    co_return seen;
  };
  CHECK(aio::run(main(), {.virtual_clock = true}) == "GaiError, EAI code and the name in the message");
  CHECK_THROWS_AS(throw aio::GaiError(EAI_NONAME, "x"), aio::OSError);
}

// CPython: cpython/getaddrinfo_thread.py
TEST_CASE("cancelled while a name resolves, the await ends at once", "[l17][resolve]") {
  ScriptedResolver scripted;
  auto main = []() -> aio::Coro<std::string> {
    aio::EventLoop& loop = aio::get_running_loop();
    auto lookup = aio::create_task(aio::getaddrinfo("slow.test", 80));
    co_await aio::sleep(0ms);
    REQUIRE(wait_until(slow_started));
    lookup.cancel();
    std::string seen;
    try {
      co_await lookup;
    } catch (const aio::CancelledError&) {
      seen = "cancelled at " + aio::format_seconds(loop.time(), 3);
    }
    seen += slow_finished ? ", lookup finished" : ", lookup still running";
    slow_release = true;
    co_await aio::sleep(10s);  // the loop waits for the thread in real time, then jumps
    seen += slow_finished ? ", then finished" : ", then lost";
    co_return seen;
  };
  CHECK(aio::run(main(), {.virtual_clock = true}) == "cancelled at 0.000, lookup still running, then finished");
}

TEST_CASE("the virtual clock waits for a lookup instead of jumping to a timeout", "[l17][resolve]") {
  ScriptedResolver scripted;
  auto main = []() -> aio::Coro<std::string> {
    std::vector<aio::AddrInfo> infos = co_await aio::wait_for(aio::getaddrinfo("slow50.test", 80), 1s);
    co_return std::to_string(infos.size()) + " address at " + aio::format_seconds(aio::get_running_loop().time(), 3);
  };
  CHECK(aio::run(main(), {.virtual_clock = true}) == "1 address at 0.000");
}

// ---------------------------------------------------------------------------------------------
// open_connection and start_server with names

// CPython: cpython/getaddrinfo_thread.py
TEST_CASE("open_connection reaches servers by localhost, 127.0.0.1 and ::1", "[l17][resolve]") {
  auto main = []() -> aio::Coro<std::string> {
    aio::Server v4 = co_await aio::start_server(greet, "127.0.0.1", 0);
    aio::Server v6 = co_await aio::start_server(greet, "::1", 0);
    const std::string by_name = co_await hello_from("localhost", v4.port());
    const std::string by_v4 = co_await hello_from("127.0.0.1", v4.port());
    const std::string by_v6 = co_await hello_from("::1", v6.port());
    v4.close();
    v6.close();
    co_await v4.wait_closed();
    co_await v6.wait_closed();
    co_return by_name + " | " + by_v4 + " | " + by_v6;
  };
  CHECK(aio::run(main(), {.virtual_clock = true}) ==
        "127.0.0.1 says hello | 127.0.0.1 says hello | ::1 says hello");
}

// CPython: cpython/connect_each_address.py
TEST_CASE("open_connection tries each address; the first that connects wins", "[l17][resolve]") {
  ScriptedResolver scripted;
  auto main = []() -> aio::Coro<std::string> {
    // two.test is ::1 first, where nobody listens, then 127.0.0.1, where the server is.
    aio::Server server = co_await aio::start_server(greet, "127.0.0.1", 0);
    std::string seen = co_await hello_from("two.test", server.port());
    server.close();
    co_await server.wait_closed();
    co_return seen;
  };
  CHECK(aio::run(main(), {.virtual_clock = true}) == "127.0.0.1 says hello");
}

// CPython: cpython/connect_each_address.py
TEST_CASE("every address refused, differently: one OSError lists them all", "[l17][resolve]") {
  ScriptedResolver scripted;
  const std::uint16_t port = unused_port("127.0.0.1");
  auto main = [](std::uint16_t port) -> aio::Coro<std::string> {
    std::string seen;
    try {
      co_await aio::open_connection("two.test", port);
    } catch (const aio::ConnectionRefusedError&) {
      seen = "ConnectionRefusedError";
    } catch (const aio::OSError& error) {
      seen = std::string(error.what()) + " / errno " + std::to_string(error.error_number());
    }
    try {
      co_await aio::open_connection("127.0.0.1", port);
    } catch (const aio::ConnectionRefusedError& error) {
      seen += " / one address: ConnectionRefusedError " + std::to_string(error.error_number());
    }
    co_return seen;
  };
  const std::string p = std::to_string(port);
  CHECK(aio::run(main(port), {.virtual_clock = true}) ==
        "Multiple exceptions: [Errno 111] Connect call failed ('::1', " + p +
            "): Connection refused, [Errno 111] Connect call failed ('127.0.0.1', " + p +
            "): Connection refused / errno 0 / one address: ConnectionRefusedError 111");
}

// CPython: cpython/server_each_address.py
TEST_CASE("start_server listens on every address the host resolves to", "[l17][resolve]") {
  ScriptedResolver scripted;
  auto main = []() -> aio::Coro<std::string> {
    aio::Server server = co_await aio::start_server(greet, "two.test", 0);
    std::string seen = std::to_string(server.addresses().size()) + " addresses:";
    for (const aio::Address& address : server.addresses()) {
      const std::string hello = co_await hello_from(address.host, address.port);
      seen += " " + hello + ";";
    }
    server.close();
    co_await server.wait_closed();
    co_return seen + " served " + std::to_string(server.served());
  };
  CHECK(aio::run(main(), {.virtual_clock = true}) == "2 addresses: ::1 says hello; 127.0.0.1 says hello; served 2");
}

TEST_CASE("the low-level calls refuse a name and say what to use", "[l17][resolve]") {
  aio::Socket socket = aio::Socket::tcp();
  try {
    socket.bind({"localhost", 0});
    FAIL("bind took a name");
  } catch (const aio::ValueError& error) {
    CHECK_THAT(error.what(), Catch::Contains("resolve a name first with aio::getaddrinfo"));
  }
}
