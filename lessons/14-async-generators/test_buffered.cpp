// Tests for aio::buffered (l14.ex6): a producer task, a bounded queue, and a generator that
// reads from it. On the virtual clock, with exact times: the times show the backpressure.
#include <aio/async_generator.hpp>
#include <aio/buffered.hpp>
#include <aio/cancellation.hpp>
#include <aio/clock.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>
#include <aio_test/run_logged.hpp>

#include <chrono>
#include <exception>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;
using aio_test::Log;
using aio_test::at;
using aio_test::run_logged;
using aio_test::join;

namespace {

/// 1, 2, ..., count, one every `interval`; logs each value made, an error after `fail_after`
/// values (0: never), and its cleanup.
aio::AsyncGenerator<int> source(Log* log, int count, aio::Duration interval, int fail_after = 0) {
  std::exception_ptr leaving;
  try {
    for (int i = 1; i <= count; ++i) {
      co_await aio::sleep(interval);
      if (i == fail_after + 1 && fail_after > 0) throw std::runtime_error("the source broke");
      log->push_back(at("made " + std::to_string(i)));
      co_yield i;
    }
  } catch (...) {
    leaving = std::current_exception();
  }
  log->push_back(at("source cleanup"));
  if (leaving) std::rethrow_exception(leaving);
}

/// Reads everything, taking `work` per value.
aio::Coro<void> slow_reader(Log* log, aio::AsyncGenerator<int> values, aio::Duration work) {
  while (auto value = co_await values.next()) {
    log->push_back(at("used " + std::to_string(*value)));
    co_await aio::sleep(work);
  }
  log->push_back(at("the end"));
}

}  // namespace

// CPython: cpython/backpressure.py
TEST_CASE("a fast producer runs at most maxsize values ahead", "[l14][ex6]") {
  Log log;
  run_logged(log, slow_reader(&log, aio::buffered(source(&log, 5, 100ms), 2), 1s));
  CHECK(join(log) ==
        "0.1 made 1 | 0.1 used 1 | 0.2 made 2 | 0.3 made 3 | 0.4 made 4 | "
        "1.1 used 2 | 1.2 made 5 | 2.1 used 3 | 2.1 source cleanup | 3.1 used 4 | 4.1 used 5 | 5.1 the end");
}

TEST_CASE("a slow producer makes the consumer wait", "[l14][ex6]") {
  Log log;
  run_logged(log, slow_reader(&log, aio::buffered(source(&log, 3, 1s), 2), 100ms));
  CHECK(join(log) ==
        "1.0 made 1 | 1.0 used 1 | 2.0 made 2 | 2.0 used 2 | 3.0 made 3 | 3.0 source cleanup | "
        "3.0 used 3 | 3.1 the end");
}

TEST_CASE("the source's error comes after the values before it", "[l14][ex6]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    try {
      co_await slow_reader(log, aio::buffered(source(log, 5, 100ms, 2), 5), 1s);
    } catch (const std::runtime_error& error) {
      log->push_back(at(std::string("the reader got: ") + error.what()));
    }
  }(&log));
  CHECK(join(log) ==
        "0.1 made 1 | 0.1 used 1 | 0.2 made 2 | 0.3 source cleanup | 1.1 used 2 | "
        "2.1 the reader got: the source broke");
}

TEST_CASE("closing the buffer stops the producer and closes the source", "[l14][ex6]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    auto values = aio::buffered(source(log, 100, 100ms), 3);
    auto first = co_await values.next();
    log->push_back(at("used " + std::to_string(first.value_or(-1))));
    co_await aio::sleep(1s);
    co_await values.aclose();
    log->push_back(at("closed; pending tasks: " + std::to_string(aio::all_tasks().size())));
  }(&log));
  CHECK(join(log) ==
        "0.1 made 1 | 0.1 used 1 | 0.2 made 2 | 0.3 made 3 | 0.4 made 4 | 0.5 made 5 | "
        "1.1 source cleanup | 1.1 closed; pending tasks: 1");
}

TEST_CASE("a consumer cancelled at get() stops the producer at once", "[l14][ex6]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    aio::Task<void> reader = aio::create_task(slow_reader(log, aio::buffered(source(log, 100, 1s), 2), 0ms));
    co_await aio::sleep(1500ms);  // the reader waits at the queue's get(), inside the generator
    reader.cancel();
    try {
      co_await reader;
    } catch (const aio::CancelledError&) {
      log->push_back(at("reader cancelled; pending tasks: " + std::to_string(aio::all_tasks().size())));
    }
  }(&log));
  CHECK(join(log) == "1.0 made 1 | 1.0 used 1 | 1.5 source cleanup | 1.5 reader cancelled; pending tasks: 1");
}

TEST_CASE("a consumer cancelled elsewhere leaves the closing to the finalizer", "[l14][ex6]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    {
      aio::Task<void> reader = aio::create_task(slow_reader(log, aio::buffered(source(log, 100, 100ms), 1), 1s));
      co_await aio::sleep(1500ms);  // the reader sleeps in its own body, the generator is parked
      reader.cancel();
      try {
        co_await reader;
      } catch (const aio::CancelledError&) {
        log->push_back(at("reader cancelled; pending tasks: " + std::to_string(aio::all_tasks().size())));
      }
    }  // the reader's frame, and the generator it holds as a parameter, go with the last handle
    co_await aio::sleep(1s);
    log->push_back(at("pending tasks: " + std::to_string(aio::all_tasks().size())));
  }(&log));
  CHECK(join(log) ==
        "0.1 made 1 | 0.1 used 1 | 0.2 made 2 | 0.3 made 3 | 1.1 used 2 | 1.2 made 4 | "
        "1.5 reader cancelled; pending tasks: 2 | 1.5 source cleanup | 2.5 pending tasks: 1");
}

TEST_CASE("a buffer of 0 values is a ValueError at the first step", "[l14][ex6]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    auto values = aio::buffered(source(log, 3, 1s), 0);
    try {
      co_await values.next();
      log->push_back("a value");
    } catch (const aio::ValueError& error) {
      log->push_back(std::string("ValueError: ") + error.what());
    }
  }(&log));
  CHECK(join(log) == "ValueError: a buffer of 0 values holds nothing: maxsize must be at least 1");
}
