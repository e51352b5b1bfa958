// A log of events for tests that check both the order and the moment of what happens: each
// line is stamped with the loop's time, so that an expected log reads like the output of the
// same program under CPython. For lessons 04 and later: it uses the loop's clock and sleep.
#pragma once

#include <aio/clock.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/sleep.hpp>
#include <aio/task_base.hpp>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace aio_test {

using Log = std::vector<std::string>;

/// "2.0 what": the loop's time, then the event; "- what" outside a running loop (a report made
/// while the loop is being destroyed).
inline std::string at(const std::string& what) {
  if (aio::detail::running_loop == nullptr) return "- " + what;
  return aio::format_seconds(aio::detail::running_loop->time()) + " " + what;
}

/// The lines joined with " | ", to compare a whole log in one readable string.
inline std::string join(const Log& log) {
  std::string text;
  for (const auto& line : log) text += (text.empty() ? "" : " | ") + line;
  return text;
}

/// A bool the way Python prints it.
inline const char* py(bool value) { return value ? "True" : "False"; }

/// A CancelledError's message as Python prints CancelledError.args: (), ('',) or ('why',).
inline std::string args(const aio::CancelledError& error) {
  return error.has_message() ? "('" + error.message() + "',)" : "()";
}

/// The three requests whose messages asyncio tells apart: cancel(), cancel("") and cancel("m").
inline std::vector<std::pair<std::string, aio::CancelMessage>> three_cancels() {
  return {{"cancel()", std::nullopt}, {"cancel('')", ""}, {"cancel('m')", "m"}};
}

/// Sleeps for `delay`; cancelled meanwhile, logs "<time> <name> sees <args>" and lets it go on.
inline aio::Coro<void> reports_args(Log* log, std::string name, aio::Duration delay) {
  try {
    co_await aio::sleep(delay);
  } catch (const aio::CancelledError& error) {
    log->push_back(at(name + " sees " + args(error)));
    throw;
  }
}

/// Logs "tick 0", "tick 1", ... one per loop iteration: hop counts become visible in a log.
inline aio::Coro<void> ticker(Log* log, int count) {
  for (int i = 0; i < count; ++i) {
    log->push_back("tick " + std::to_string(i));
    co_await aio::sleep(std::chrono::milliseconds(0));
  }
}

}  // namespace aio_test
