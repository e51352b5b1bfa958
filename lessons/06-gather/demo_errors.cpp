// Lesson 06, demo 4: what gather does when things go wrong. The first failure ends the gather
// while the other jobs keep running; aio::return_exceptions keeps every outcome instead; and
// cancelling the task that awaits a gather cancels the jobs. mirror_errors.py is the same
// program in Python; both print the same lines.
#include <aio/gather.hpp>
#include <aio/outcome.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>

using namespace std::chrono_literals;

namespace {

/// Seconds since the loop started, as "1.0".
std::string now() { return aio::format_seconds(aio::get_running_loop().time()); }

// book:job
aio::Coro<std::string> job(std::string name, aio::Duration seconds, bool fails = false) {
  try {
    co_await aio::sleep(seconds);
  } catch (const aio::CancelledError&) {
    std::printf("%s %s: cancelled\n", now().c_str(), name.c_str());
    throw;
  }
  if (fails) {
    std::printf("%s %s: fails\n", now().c_str(), name.c_str());
    throw std::runtime_error(name + " failed");
  }
  std::printf("%s %s: done\n", now().c_str(), name.c_str());
  co_return name;
}
// end book:job

// book:pipeline
aio::Coro<void> pipeline() {
  try {
    [[maybe_unused]] auto results = co_await aio::gather(job("download", 3s), job("upload", 2s));
  } catch (const aio::CancelledError&) {
    std::printf("%s pipeline: cancelled while gathering\n", now().c_str());
    throw;
  }
}
// end book:pipeline

void print_outcome(const aio::Outcome<std::string>& outcome) {
  if (outcome.has_exception()) {
    std::printf("%s main: error '%s'\n", now().c_str(), outcome.what().c_str());
  } else {
    std::printf("%s main: value '%s'\n", now().c_str(), outcome.value().c_str());
  }
}

aio::Coro<void> main_coro() {
  std::printf("1. the first failure ends the gather; the other jobs keep running\n");
  // book:first-failure
  try {
    [[maybe_unused]] auto results =
        co_await aio::gather(job("download", 3s), job("parse", 1s, true), job("upload", 2s, true));
  } catch (const std::runtime_error& error) {
    std::printf("%s main: caught '%s'\n", now().c_str(), error.what());
  }
  co_await aio::sleep(3s);  // meanwhile, upload fails (nobody hears of it) and download ends
  // end book:first-failure

  std::printf("2. return_exceptions=True: every job's outcome, in argument order\n");
  // book:return-exceptions
  auto [download, parse, upload] = co_await aio::gather(aio::return_exceptions, job("download", 3s),
                                                        job("parse", 1s, true), job("upload", 2s, true));
  for (const aio::Outcome<std::string>* outcome : {&download, &parse, &upload}) print_outcome(*outcome);
  // end book:return-exceptions

  std::printf("3. cancelling the task that awaits gather cancels the jobs\n");
  // book:cancel
  aio::Task<void> task = aio::create_task(pipeline());
  co_await aio::sleep(1s);
  std::printf("%s main: cancel the pipeline\n", now().c_str());
  task.cancel();
  try {
    co_await task;
  } catch (const aio::CancelledError&) {
    std::printf("%s main: pipeline cancelled: %s\n", now().c_str(), task.cancelled() ? "True" : "False");
  }
  // end book:cancel
}

}  // namespace

int main() {
  try {
    aio::run(main_coro());
  } catch (const std::exception& error) {  // an exercise not written yet, for instance
    std::fprintf(stderr, "%s\n", error.what());
    return 1;
  }
}
