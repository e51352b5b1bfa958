// Running a test's program on the virtual clock, with what the loop reports in the test's log:
// a report is an event like any other ("1.0 the loop reported: ..."), so a test can expect it
// in its place. For lessons 04 and later.
#pragma once

#include <aio/coro.hpp>
#include <aio/run.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>

#include <string>
#include <utility>

namespace aio_test {

namespace detail {

inline aio::Coro<void> reporting(Log* log, aio::Coro<void> program) {
  aio::get_running_loop().set_exception_handler(
      [log](const std::string& message) { log->push_back(at("the loop reported: " + message)); });
  co_await std::move(program);
}

}  // namespace detail

/// Runs `program` with aio::run on the virtual clock; what the loop reports goes into `log`. An
/// exercise not written yet fails the test with its message, wherever it surfaced: in a report of
/// the loop (an exception in a callback, a task that nobody awaited) or in a line the test logged.
inline void run_logged(Log& log, aio::Coro<void> program) {
  aio::run(detail::reporting(&log, std::move(program)), {.virtual_clock = true});
  for (const std::string& line : log) {
    if (line.find(" is not written yet") != std::string::npos) FAIL(line);
  }
}

}  // namespace aio_test
