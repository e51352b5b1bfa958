// Tests for the async iterator protocol written by hand (l14.ex4), the adaptors (l14.ex5) and
// as_completed_stream.
//
// On the virtual clock, with exact times. The hand-written CountUp and the generator that does
// the same are checked against each other: same values, same times, same loop iterations.
#include <aio/as_completed_stream.hpp>
#include <aio/async_generator.hpp>
#include <aio/async_iterator.hpp>
#include <aio/cancellation.hpp>
#include <aio/clock.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/pipeline.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/stop_async_iteration.hpp>
#include <aio/task.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>
#include <aio_test/run_logged.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;
using aio_test::Log;
using aio_test::at;
using aio_test::run_logged;
using aio_test::join;
using aio_test::ticker;

namespace {

/// What CountUp does, as a generator: 1, 2, ..., count, one every `interval`.
aio::AsyncGenerator<int> count_up(int count, aio::Duration interval) {
  for (int i = 1; i <= count; ++i) {
    co_await aio::sleep(interval);
    co_yield i;
  }
}

/// Logs every value of `source` with the time it came, then "end".
template <class Source>
aio::Coro<void> drain(Log* log, std::string name, Source source) {
  while (auto item = co_await source.next()) log->push_back(at(name + " " + std::to_string(*item)));
  log->push_back(at(name + " end"));
}

/// The same, for a source that stays with its owner.
template <class Source>
aio::Coro<void> drain_from(Log* log, std::string name, Source* source) {
  while (auto item = co_await source->next()) log->push_back(at(name + " " + std::to_string(*item)));
  log->push_back(at(name + " end"));
}

/// 1, 2, ..., count without waiting; logs what it yields and its cleanup.
aio::AsyncGenerator<int> logged_numbers(Log* log, int count) {
  std::exception_ptr leaving;
  try {
    for (int i = 1; i <= count; ++i) {
      log->push_back("source yields " + std::to_string(i));
      co_yield i;
    }
  } catch (...) {
    leaving = std::current_exception();
  }
  log->push_back("source cleanup");
  if (leaving) std::rethrow_exception(leaving);
}

std::string show(const std::vector<int>& values) {
  std::string text = "[";
  for (std::size_t i = 0; i < values.size(); ++i) text += (i ? " " : "") + std::to_string(values[i]);
  return text + "]";
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// ex4: an async iterator by hand
// ---------------------------------------------------------------------------------------------

// CPython: mirror_protocol.py (the class and the generator of the seeds, side by side)
TEST_CASE("CountUp counts one interval apart, then ends at once", "[l14][ex4]") {
  Log log;
  run_logged(log, drain(&log, "count", aio::CountUp(3, 500ms)));
  CHECK(join(log) == "0.5 count 1 | 1.0 count 2 | 1.5 count 3 | 1.5 count end");
}

TEST_CASE("CountUp and its generator give the same values at the same times", "[l14][ex4]") {
  Log by_hand;
  Log generated;
  run_logged(by_hand, [](Log* log) -> aio::Coro<void> {
    aio::Task<void> ticks = aio::create_task(ticker(log, 4));
    co_await drain(log, "x", aio::CountUp(2, 0ms));
    co_await drain(log, "y", aio::CountUp(2, 1s));
    co_await ticks;
  }(&by_hand));
  run_logged(generated, [](Log* log) -> aio::Coro<void> {
    aio::Task<void> ticks = aio::create_task(ticker(log, 4));
    co_await drain(log, "x", count_up(2, 0ms));
    co_await drain(log, "y", count_up(2, 1s));
    co_await ticks;
  }(&generated));
  CHECK(join(by_hand) == join(generated));
  CHECK(join(by_hand) ==
        "tick 0 | 0.0 x 1 | tick 1 | 0.0 x 2 | 0.0 x end | tick 2 | tick 3 | 1.0 y 1 | 2.0 y 2 | 2.0 y end");
}

TEST_CASE("CountUp's anext() throws StopAsyncIteration without waiting", "[l14][ex4]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    aio::CountUp range(1, 1s);
    int first = co_await range.anext();
    log->push_back(at("anext gave " + std::to_string(first)));
    try {
      co_await range.anext();
      log->push_back(at("a second value"));
    } catch (const aio::StopAsyncIteration&) {
      log->push_back(at("StopAsyncIteration"));
    }
  }(&log));
  CHECK(join(log) == "1.0 anext gave 1 | 1.0 StopAsyncIteration");
}

TEST_CASE("a cancelled CountUp step counts nothing", "[l14][ex4]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    aio::CountUp range(3, 1s);
    aio::Task<void> reader = aio::create_task(drain_from(log, "count", &range));
    co_await aio::sleep(1500ms);
    reader.cancel();
    try {
      co_await reader;
    } catch (const aio::CancelledError&) {
      log->push_back(at("reader cancelled"));
    }
    co_await drain_from(log, "again", &range);
  }(&log));
  CHECK(join(log) == "1.0 count 1 | 1.5 reader cancelled | 2.5 again 2 | 3.5 again 3 | 3.5 again end");
}

// ---------------------------------------------------------------------------------------------
// Adaptors. map, filter and take are given; they close their source through aclose (ex3).
// batch is ex5.
// ---------------------------------------------------------------------------------------------

TEST_CASE("take gives the first n values and closes its source at once", "[l14][ex3]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    auto first_two = aio::take(logged_numbers(log, 5), 2);
    while (auto item = co_await first_two.next()) log->push_back("got " + std::to_string(*item));
    log->push_back("the end");
  }(&log));
  CHECK(join(log) == "source yields 1 | got 1 | source yields 2 | got 2 | source cleanup | the end");
}

TEST_CASE("take ends with a source that ends first", "[l14][ex3]") {
  Log log;
  run_logged(log, drain(&log, "took", aio::take(count_up(2, 1s), 5)));
  CHECK(join(log) == "1.0 took 1 | 2.0 took 2 | 2.0 took end");
}

TEST_CASE("take of zero values reads nothing", "[l14][ex3]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    auto none = aio::take(logged_numbers(log, 5), 0);
    auto item = co_await none.next();
    log->push_back(item ? "a value" : "the end");
  }(&log));
  CHECK(join(log) == "the end");
}

TEST_CASE("batch yields full lists, then what is left", "[l14][ex5]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    auto lists = aio::batch(aio::CountUp(7, 1s), 3);
    while (auto list = co_await lists.next()) log->push_back(at(show(*list)));
    log->push_back(at("the end"));
  }(&log));
  CHECK(join(log) == "3.0 [1 2 3] | 6.0 [4 5 6] | 7.0 [7] | 7.0 the end");
}

TEST_CASE("batch never yields an empty list", "[l14][ex5]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    auto lists = aio::batch(aio::CountUp(4, 1s), 2);
    while (auto list = co_await lists.next()) log->push_back(at(show(*list)));
    auto none = aio::batch(aio::CountUp(0, 1s), 2);
    auto first = co_await none.next();
    log->push_back(at(first ? "an empty batch" : "no batch from an empty source"));
  }(&log));
  CHECK(join(log) == "2.0 [1 2] | 4.0 [3 4] | 4.0 no batch from an empty source");
}

TEST_CASE("batch of size 0 is a ValueError at the first step", "[l14][ex5]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    auto lists = aio::batch(aio::CountUp(4, 1s), 0);
    try {
      co_await lists.next();
      log->push_back("a batch");
    } catch (const aio::ValueError& error) {
      log->push_back(std::string("ValueError: ") + error.what());
    }
  }(&log));
  CHECK(join(log) == "ValueError: batch size must be at least 1, not 0");
}

TEST_CASE("closing a batch closes its source, and drops the partial list", "[l14][ex5]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    auto lists = aio::batch(logged_numbers(log, 9), 2);
    auto first = co_await lists.next();
    log->push_back("got " + show(first.value_or(std::vector<int>{})));
    co_await lists.aclose();
    log->push_back("closed");
  }(&log));
  CHECK(join(log) == "source yields 1 | source yields 2 | got [1 2] | source cleanup | closed");
}

TEST_CASE("an error of the source comes out of batch after the full lists", "[l14][ex5]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    auto failing = []() -> aio::AsyncGenerator<int> {
      for (int i = 1; i <= 3; ++i) co_yield i;
      throw std::runtime_error("the source broke");
    }();
    auto lists = aio::batch(std::move(failing), 2);
    try {
      while (auto list = co_await lists.next()) log->push_back("got " + show(*list));
    } catch (const std::runtime_error& error) {
      log->push_back(std::string("caught: ") + error.what());
    }
  }(&log));
  CHECK(join(log) == "got [1 2] | caught: the source broke");
}

TEST_CASE("a chain of adaptors pulls one value at a time, on demand", "[l14][ex3]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    auto is_odd = [](int x) { return x % 2 == 1; };
    auto squared = [](int x) { return x * x; };
    auto chain = aio::take(aio::map(aio::filter(logged_numbers(log, 9), is_odd), squared), 2);
    while (auto item = co_await chain.next()) log->push_back("got " + std::to_string(*item));
  }(&log));
  CHECK(join(log) ==
        "source yields 1 | got 1 | source yields 2 | source yields 3 | got 9 | source cleanup");
}

TEST_CASE("map is the async generator expression (x * 2 async for x in ...)", "[l14][ex3]") {
  Log log;
  run_logged(log, drain(&log, "doubled", aio::take(aio::map(count_up(5, 100ms), [](int x) { return x * 2; }), 3)));
  CHECK(join(log) == "0.1 doubled 2 | 0.2 doubled 4 | 0.3 doubled 6 | 0.3 doubled end");
}

// ---------------------------------------------------------------------------------------------
// as_completed as an async generator (given: it needs only ex1's hand-off)
// ---------------------------------------------------------------------------------------------

namespace {
aio::Coro<int> job(int value, aio::Duration delay) {
  co_await aio::sleep(delay);
  if (value < 0) throw std::runtime_error("job " + std::to_string(value) + " failed");
  co_return value;
}
}  // namespace

// CPython: cpython/as_completed_async_for.py (3.13's async for over as_completed)
TEST_CASE("as_completed_stream yields results as tasks finish", "[l14][ex1]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(job(3, 3s)));
    tasks.push_back(aio::create_task(job(1, 1s)));
    tasks.push_back(aio::create_task(job(2, 2s)));
    co_await drain(log, "result", aio::as_completed_stream(std::move(tasks)));
  }(&log));
  CHECK(join(log) == "1.0 result 1 | 2.0 result 2 | 3.0 result 3 | 3.0 result end");
}

TEST_CASE("as_completed_stream ends with a failed task's error", "[l14][ex1]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(job(1, 1s)));
    tasks.push_back(aio::create_task(job(-2, 2s)));
    tasks.push_back(aio::create_task(job(3, 3s)));
    aio::Task<int> last = tasks.back();
    try {
      co_await drain(log, "result", aio::as_completed_stream(std::move(tasks)));
    } catch (const std::runtime_error& error) {
      log->push_back(at(std::string("the stream ended: ") + error.what()));
    }
    int value = co_await last;  // nothing was cancelled
    log->push_back(at("the last task still gave " + std::to_string(value)));
  }(&log));
  CHECK(join(log) == "1.0 result 1 | 2.0 the stream ended: job -2 failed | 3.0 the last task still gave 3");
}

TEST_CASE("as_completed_stream with a timeout ends with TimeoutError", "[l14][ex1]") {
  Log log;
  run_logged(log, [](Log* log) -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(job(1, 1s)));
    tasks.push_back(aio::create_task(job(5, 5s)));
    try {
      co_await drain(log, "result", aio::as_completed_stream(std::move(tasks), 2s));
    } catch (const aio::TimeoutError&) {
      log->push_back(at("TimeoutError"));
    }
  }(&log));
  CHECK(join(log) == "1.0 result 1 | 2.0 TimeoutError");
}
