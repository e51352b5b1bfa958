// Tests for files through the pool (exercise l16.ex4: read_chunks) and for debug mode naming
// the task that blocked the loop.
#include <aio/async_generator.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/files.hpp>
#include <aio/gather.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio_test/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

/// A fresh directory for one test, removed at its end.
class ScratchDir {
public:
  ScratchDir() : path_(std::filesystem::temp_directory_path() / ("aio-l16-" + std::to_string(::getpid()) + "-" + std::to_string(++count_))) {
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
  static inline int count_ = 0;
  std::filesystem::path path_;
};

/// 10,000 bytes: "0123456789" a thousand times.
std::string digits() {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "0123456789";
  return text;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Whole files

TEST_CASE("three files written concurrently are read back with gather", "[l16][files]") {
  ScratchDir dir;
  auto main = [](std::string a, std::string b, std::string c) -> aio::Coro<std::string> {
    std::vector<aio::Coro<void>> writes;
    writes.push_back(aio::write_file(a, "alpha\n"));
    writes.push_back(aio::write_file(b, "beta\n"));
    writes.push_back(aio::write_file(c, "gamma\n"));
    co_await aio::gather(std::move(writes));
    auto [ra, rb, rc] = co_await aio::gather(aio::read_file(a), aio::read_file(b), aio::read_file(c));
    co_return ra + rb + rc;
  };
  CHECK(aio::run(main(dir.file("a.txt"), dir.file("b.txt"), dir.file("c.txt")), {.virtual_clock = true}) ==
        "alpha\nbeta\ngamma\n");
}

TEST_CASE("reading a missing file raises std::system_error in the coroutine", "[l16][files]") {
  ScratchDir dir;
  auto main = [](std::string path) -> aio::Coro<std::string> {
    try {
      co_await aio::read_file(path);
    } catch (const std::system_error& error) {
      co_return error.code() == std::errc::no_such_file_or_directory ? "no such file" : error.what();
    }
    co_return "read it";
  };
  CHECK(aio::run(main(dir.file("missing.txt")), {.virtual_clock = true}) == "no such file");
}

// ---------------------------------------------------------------------------------------------
// l16.ex4: a large file in chunks

TEST_CASE("read_chunks yields the file in chunks of the size asked, the last one shorter",
          "[l16][ex4]") {
  ScratchDir dir;
  auto main = [](std::string path) -> aio::Coro<std::string> {
    co_await aio::write_file(path, digits());
    auto chunks = aio::read_chunks(path, 4096);
    std::string sizes;
    std::string all;
    while (auto chunk = co_await chunks.next()) {
      sizes += (sizes.empty() ? "" : " ") + std::to_string(chunk->size());
      all += *chunk;
    }
    co_return sizes + (all == digits() ? ", same bytes" : ", different bytes");
  };
  CHECK(aio::run(main(dir.file("big.txt")), {.virtual_clock = true}) == "4096 4096 1808, same bytes");
}

TEST_CASE("an empty file yields no chunk at all", "[l16][ex4]") {
  ScratchDir dir;
  auto main = [](std::string path) -> aio::Coro<int> {
    co_await aio::write_file(path, "");
    auto chunks = aio::read_chunks(path, 16);
    int count = 0;
    while (auto chunk = co_await chunks.next()) ++count;
    co_return count;
  };
  CHECK(aio::run(main(dir.file("empty.txt")), {.virtual_clock = true}) == 0);
}

TEST_CASE("other tasks run while each chunk is read", "[l16][ex4]") {
  ScratchDir dir;
  auto main = [](std::string path) -> aio::Coro<std::string> {
    co_await aio::write_file(path, digits());
    int ticks = 0;
    bool reading = true;
    auto ticker = aio::create_task([](int* ticks, bool* reading) -> aio::Coro<void> {
      while (*reading) {
        ++*ticks;
        co_await aio::sleep(0ms);
      }
    }(&ticks, &reading));
    auto chunks = aio::read_chunks(path, 1000);
    std::vector<int> ticks_at_chunk;
    while (auto chunk = co_await chunks.next()) ticks_at_chunk.push_back(ticks);
    reading = false;
    co_await ticker;
    int stalls = 0;  // chunks that came without a single tick since the one before
    for (std::size_t i = 1; i < ticks_at_chunk.size(); ++i) stalls += ticks_at_chunk[i] == ticks_at_chunk[i - 1];
    co_return std::to_string(ticks_at_chunk.size()) + " chunks, " + std::to_string(stalls) + " without a tick";
  };
  CHECK(aio::run(main(dir.file("big.txt")), {.virtual_clock = true}) == "10 chunks, 0 without a tick");
}

TEST_CASE("read_chunks of a missing file raises in the consumer", "[l16][ex4]") {
  ScratchDir dir;
  auto main = [](std::string path) -> aio::Coro<std::string> {
    auto chunks = aio::read_chunks(path, 16);
    try {
      while (auto chunk = co_await chunks.next()) {
      }
    } catch (const std::system_error& error) {
      co_return error.code() == std::errc::no_such_file_or_directory ? "no such file" : error.what();
    }
    co_return "no error";
  };
  CHECK(aio::run(main(dir.file("missing.txt")), {.virtual_clock = true}) == "no such file");
}

// ---------------------------------------------------------------------------------------------
// Finding blocking code

// CPython: cpython/debug_names_task.py
TEST_CASE("debug mode names the task whose step blocked the loop", "[l16][debug]") {
  std::vector<std::string> reports;  // outlives the loop, whose handler may report as it closes
  auto main = [](std::vector<std::string>* reports) -> aio::Coro<void> {
    aio::EventLoop& loop = aio::get_running_loop();
    loop.set_exception_handler([reports](const std::string& message) { reports->push_back(message); });
    loop.set_slow_callback_duration(100ms);  // asyncio's default
    auto blocker = aio::create_task([]() -> aio::Coro<void> {
      std::this_thread::sleep_for(200ms);  // the mistake: a blocking call inside a coroutine
      co_return;
    }(), "blocker");
    auto polite = aio::create_task([]() -> aio::Coro<void> { co_await aio::to_thread([] { std::this_thread::sleep_for(200ms); }); }(), "polite");
    co_await blocker;
    co_await polite;
  };
  aio::run(main(&reports), {.virtual_clock = true, .debug = true});
  REQUIRE_FALSE(reports.empty());
  CHECK_THAT(reports[0], Catch::StartsWith("Executing <Task 'blocker'> took 0.2"));
  CHECK_THAT(reports[0], Catch::EndsWith(" seconds"));
  for (const auto& report : reports) CHECK_THAT(report, !Catch::Contains("polite"));  // it waited in a thread
}
