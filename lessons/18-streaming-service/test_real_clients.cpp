// The service against real clients, on the real clock: curl (-N, no buffering) reads /stream and
// sees the events arrive one by one with their delays, and headless Chromium loads the page,
// whose EventSource shows every event, and leaves its DOM (and a screenshot) for the test to
// read. The clients run as programs in a worker thread (to_thread, lesson 16) while the loop
// serves them. Where curl or Chromium is missing, the test says so and checks nothing else.
#include <aio/coro.hpp>
#include <aio/run.hpp>
#include <aio/run_in_executor.hpp>
#include <aio_test/catch.hpp>

#include "service.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

/// Runs a shell command, returns what it printed (blocking: for a worker thread).
std::string shell(std::string command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, got);
  ::pclose(pipe);
  return out;
}

std::string find_program(const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    if (name.empty()) continue;
    if (name.front() == '/' && ::access(name.c_str(), X_OK) == 0) return name;
    const std::string path = shell("command -v " + name + " 2>/dev/null");
    if (!path.empty()) return path.substr(0, path.find('\n'));
  }
  return "";
}

std::string chromium() {
  const char* chosen = std::getenv("AIO_CHROMIUM");
  return find_program({chosen != nullptr ? chosen : "", "chromium", "chromium-browser", "google-chrome"});
}

struct Lines {
  std::vector<double> seconds;  // when each line arrived, from the start of the request
  std::vector<std::string> text;
};

/// "<seconds> <line>" per line, as the curl command below prints them.
Lines parse_stamped(const std::string& output) {
  Lines lines;
  std::size_t start = 0;
  while (start < output.size()) {
    std::size_t end = output.find('\n', start);
    if (end == std::string::npos) end = output.size();
    const std::string line = output.substr(start, end - start);
    const std::size_t space = line.find(' ');
    if (space != std::string::npos) {
      lines.seconds.push_back(std::stod(line.substr(0, space)));
      lines.text.push_back(line.substr(space + 1));
    }
    start = end + 1;
  }
  return lines;
}

aio::Coro<service::Services> start_real(aio::Duration delay) {
  service::Config config;
  config.token_delay = delay;
  service::Services services = co_await service::start_services(config, service::upper_model(), service::reverse_model());
  co_return services;
}

}  // namespace

TEST_CASE("curl -N sees the events of /stream one by one, with their delays", "[l18][curl]") {
  const std::string curl = find_program({"curl"});
  if (curl.empty()) {
    WARN("skipped: no curl on this machine (Debian: apt-get install curl)");
    return;
  }
  auto main = [](std::string curl) -> aio::Coro<void> {
    service::Services services = co_await start_real(200ms);
    // Each line curl prints is stamped with the time it came, in seconds since the request.
    const std::string command =
        "start=$(date +%s%N); " + curl + " -sN --max-time 20 'http://127.0.0.1:" + std::to_string(services.front.port()) +
        "/stream?prompt=one+two+three' | while IFS= read -r line; do "
        "now=$(date +%s%N); echo \"$(( (now - start) / 1000000 )) $line\"; done";
    std::string output = co_await aio::to_thread(shell, command);
    co_await services.shutdown(1s);
    const Lines lines = parse_stamped(output);
    std::vector<std::string> events;
    std::vector<double> data_times;
    for (std::size_t i = 0; i < lines.text.size(); ++i) {
      if (lines.text[i].starts_with("event: ")) events.push_back(lines.text[i].substr(7));
      if (lines.text[i] == "event: data") data_times.push_back(lines.seconds[i]);
    }
    INFO(output);
    CHECK(events == std::vector<std::string>{"init", "data", "progress", "data", "progress", "data", "progress", "done"});
    REQUIRE(data_times.size() == 3);
    // 200 ms apart on the server. A loaded machine may stretch a gap, or stamp a line late and
  // so shorten the next gap a little: half the delay is the bound.
    CHECK(data_times[1] - data_times[0] >= 100);
    CHECK(data_times[2] - data_times[1] >= 100);
  };
  aio::run(main(curl), {.virtual_clock = false});
}

TEST_CASE("headless Chromium loads the page and shows every streamed event", "[l18][browser]") {
  const std::string browser = chromium();
  if (browser.empty()) {
    WARN("skipped: no Chromium on this machine (Debian: apt-get install chromium; or set AIO_CHROMIUM)");
    return;
  }
  auto main = [](std::string browser) -> aio::Coro<void> {
    service::Services services = co_await start_real(100ms);
    const std::string url = "http://127.0.0.1:" + std::to_string(services.front.port()) + "/?prompt=hello+streaming+world";
    const std::string flags =
        " --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --user-data-dir=$(mktemp -d)"
        " --virtual-time-budget=10000 ";
    std::string dom = co_await aio::to_thread(shell, "timeout 60 " + browser + flags + "--dump-dom '" + url + "' 2>/dev/null");
    // A picture of the page for the chapter, when asked for (AIO_SCREENSHOT=path.png).
    if (const char* shot = std::getenv("AIO_SCREENSHOT")) {
      co_await aio::to_thread(shell, "timeout 60 " + browser + flags + "--window-size=720,520 --screenshot=" +
                                         std::string(shot) + " '" + url + "' >/dev/null 2>&1");
    }
    co_await services.shutdown(1s);
    INFO(dom);
    CHECK(dom.find("<span id=\"status\">done</span>") != std::string::npos);
    CHECK(dom.find("hello streaming world") != std::string::npos);
    CHECK(dom.find("data: hello</li>") != std::string::npos);
    CHECK(dom.find("data: streaming</li>") != std::string::npos);
    CHECK(dom.find("data: world</li>") != std::string::npos);
    CHECK(dom.find("progress: 3/3</li>") != std::string::npos);
    CHECK(dom.find("done: {\"tokens\":3}</li>") != std::string::npos);
  };
  aio::run(main(browser), {.virtual_clock = false});
}
