// Tests for fan_out (exercise l18.ex5: the fan-out) and the gateway built on it: calls run at
// once, each under its own deadline, and each outcome stays its own; then /process end to end,
// with the two model services streaming their tokens.
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/fan_out.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>

#include "http_test_support.hpp"
#include "service.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using aio_test::at;
using aio_test::join;
using aio_test::Log;

namespace {

Log* call_log = nullptr;

/// A pretend upstream call: logs its start and end, answers after `delay`.
aio::Coro<std::string> upstream(std::string name, aio::Duration delay) {
  call_log->push_back(at(name + " starts"));
  std::exception_ptr stopped;
  try {
    co_await aio::sleep(delay);
  } catch (...) {
    stopped = std::current_exception();
  }
  if (stopped) {
    call_log->push_back(at(name + " cancelled"));
    std::rethrow_exception(stopped);
  }
  call_log->push_back(at(name + " answers"));
  co_return name + " done";
}

aio::Coro<std::string> failing(std::string name, aio::Duration delay) {
  co_await aio::sleep(delay);
  call_log->push_back(at(name + " fails"));
  throw aio::ValueError(name + " is broken");
}

std::string describe(const std::vector<aio::Outcome<std::string>>& outcomes) {
  std::string text;
  for (const auto& outcome : outcomes) {
    text += text.empty() ? "" : ", ";
    text += outcome.has_value() ? outcome.value() : "error: " + aio::describe_error(outcome.exception());
  }
  return text;
}

/// POST /process?prompt=... through a raw connection; returns the time, the status and the body.
aio::Coro<std::string> post_process(std::uint16_t port, std::string prompt) {
  std::string answer = co_await aio_test::exchange(
      port, "POST /process?prompt=" + aio::url_encode(prompt) + " HTTP/1.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  co_return at(std::to_string(aio_test::status_of(answer)) + " " + aio_test::body_of(answer));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// l18.ex5: the fan-out

TEST_CASE("two calls of 300 ms run at once: both answers at 0.3 s, in order", "[l18][ex5]") {
  Log log;
  call_log = &log;
  auto main = [](Log* log) -> aio::Coro<void> {
    std::vector<aio::Coro<std::string>> calls;
    calls.push_back(upstream("a", 300ms));
    calls.push_back(upstream("b", 300ms));
    std::vector<aio::Outcome<std::string>> outcomes = co_await aio::fan_out(std::move(calls), 1s);
    log->push_back(at(describe(outcomes)));
  };
  aio::run(main(&log), {.virtual_clock = true});
  call_log = nullptr;
  CHECK(join(log) == "0.0 a starts | 0.0 b starts | 0.3 a answers | 0.3 b answers | 0.3 a done, b done");
}

// CPython: cpython/gather_deadlines.py
TEST_CASE("a call past its deadline is cancelled and becomes a TimeoutError", "[l18][ex5]") {
  Log log;
  call_log = &log;
  auto main = [](Log* log) -> aio::Coro<void> {
    std::vector<aio::Coro<std::string>> calls;
    calls.push_back(upstream("slow", 5s));
    calls.push_back(upstream("fast", 200ms));
    std::vector<aio::Outcome<std::string>> outcomes = co_await aio::fan_out(std::move(calls), 1s);
    log->push_back(at(describe(outcomes)));
  };
  aio::run(main(&log), {.virtual_clock = true});
  call_log = nullptr;
  // Each call has its own deadline: the fast one is not cut short, the slow one costs 1 s.
  CHECK(join(log) ==
        "0.0 slow starts | 0.0 fast starts | 0.2 fast answers | 1.0 slow cancelled | "
        "1.0 error: TimeoutError, fast done");
}

TEST_CASE("a call that fails does not cancel the others", "[l18][ex5]") {
  Log log;
  call_log = &log;
  auto main = [](Log* log) -> aio::Coro<void> {
    std::vector<aio::Coro<std::string>> calls;
    calls.push_back(failing("broken", 100ms));
    calls.push_back(upstream("steady", 500ms));
    std::vector<aio::Outcome<std::string>> outcomes = co_await aio::fan_out(std::move(calls), 1s);
    log->push_back(at(describe(outcomes)));
  };
  aio::run(main(&log), {.virtual_clock = true});
  call_log = nullptr;
  CHECK(join(log) == "0.0 steady starts | 0.1 broken fails | 0.5 steady answers | 0.5 error: broken is broken, steady done");
}

TEST_CASE("/process calls both models at once and returns both answers", "[l18][ex5]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    service::Services services =
        co_await service::start_services(service::Config{}, service::upper_model(100ms), service::reverse_model(150ms));
    std::string answer = co_await post_process(services.front.port(), "stream it");
    log->push_back(answer);
    co_await services.shutdown(1s);
  };
  aio::run(main(&log), {.virtual_clock = true});
  // Two tokens each: 0.2 s and 0.3 s, at once: 0.3 s, not 0.5 s.
  CHECK(join(log) == R"(0.3 200 {"prompt":"stream it","results":{"reverse":{"text":"maerts ti"},"upper":{"text":"STREAM IT"}}})");
}

TEST_CASE("/process with a model too slow: its TimeoutError, the other's answer", "[l18][ex5]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    service::Config config;
    config.call_timeout = 500ms;
    service::Services services = co_await service::start_services(config, service::upper_model(100ms), service::reverse_model(1s));
    std::string answer = co_await post_process(services.front.port(), "stream it");
    log->push_back(answer);
    std::string empty = co_await post_process(services.front.port(), "");
    log->push_back(empty);
    co_await services.shutdown(1s);
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) ==
        R"(0.5 200 {"prompt":"stream it","results":{"reverse":{"error":"TimeoutError"},"upper":{"text":"STREAM IT"}}} | )"
        R"(0.5 400 {"error":"the prompt is empty"})");
}

TEST_CASE("/process with a model that is down: ConnectionRefusedError for it alone", "[l18][ex5]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    service::Services services = co_await service::start_services(service::Config{}, service::upper_model(), service::reverse_model());
    co_await services.reverse.shutdown(0s);  // the reverse model goes down
    std::string answer = co_await post_process(services.front.port(), "hi");
    const nlohmann::json json = nlohmann::json::parse(answer.substr(answer.find('{')));
    log->push_back(answer.substr(0, 7) + " upper: " + json["results"]["upper"]["text"].get<std::string>());
    log->push_back(json["results"]["reverse"]["error"].get<std::string>().substr(0, 22));
    co_await services.front.shutdown(1s);
    co_await services.upper.shutdown(1s);
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "0.1 200 upper: HI | ConnectionRefusedError");
}
