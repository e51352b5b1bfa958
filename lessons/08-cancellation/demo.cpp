// Lesson 08's narrated program: a long job cancelled after 3 s cleans up; a task cancelled
// before it starts never runs; cancelling a task that awaits another cancels both.
// mirror.py is the same program in asyncio; both print the same lines.
#include <aio/cancellation.hpp>
#include <aio/errors.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>

using namespace std::chrono_literals;

namespace {

std::string elapsed() { return aio::format_seconds(aio::get_running_loop().time()); }
const char* py(bool value) { return value ? "True" : "False"; }

/// Stands for a resource that must be released however the job ends.
struct Connection {
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() { std::printf("%s job: connection closed\n", elapsed().c_str()); }
};

// book:long-job
aio::Coro<std::string> long_job(int chunks) {
  std::printf("%s job: connecting, %d chunks to fetch\n", elapsed().c_str(), chunks);
  Connection connection;  // closed by its destructor, however the job ends
  int chunk = 0;
  std::exception_ptr cancelled;
  try {
    for (chunk = 1; chunk <= chunks; ++chunk) {
      co_await aio::sleep(800ms);
      std::printf("%s job: chunk %d/%d saved to report.part\n", elapsed().c_str(), chunk, chunks);
    }
  } catch (const aio::CancelledError&) {
    cancelled = std::current_exception();  // no co_await in a handler: remember, leave, then await
  }
  if (cancelled) {
    std::printf("%s job: cancelled during chunk %d, removing report.part\n", elapsed().c_str(), chunk);
    co_await aio::sleep(500ms);
    std::printf("%s job: report.part removed\n", elapsed().c_str());
    std::rethrow_exception(cancelled);
  }
  co_return "report.pdf";
}
// end book:long-job

aio::Coro<std::string> supervisor() {
  auto job = aio::create_task(long_job(3));
  try {
    std::string report = co_await job;
    co_return report;
  } catch (const aio::CancelledError&) {
    std::printf("%s supervisor: cancelled while awaiting the job; job.cancelled() = %s\n",
                elapsed().c_str(), py(job.cancelled()));
    throw;
  }
}

aio::Coro<void> amain() {
  std::printf("== a long job, cancelled after 3 s\n");
  auto job = aio::create_task(long_job(10));
  co_await aio::sleep(3s);
  std::printf("%s main: job.cancel() returns %s\n", elapsed().c_str(), py(job.cancel("user pressed Ctrl-C")));
  std::printf("%s main: a request only: done() = %s, cancelling() = %d\n", elapsed().c_str(),
              py(job.done()), job.cancelling());
  try {
    co_await job;
  } catch (const aio::CancelledError& error) {
    std::printf("%s main: awaiting the job raised CancelledError('%s')\n", elapsed().c_str(),
                error.message().c_str());
  }
  std::printf("%s main: cancelled() = %s, and cancel() now returns %s\n", elapsed().c_str(),
              py(job.cancelled()), py(job.cancel()));

  std::printf("== a task cancelled before it starts\n");
  auto never = aio::create_task(long_job(5));
  std::printf("%s main: never.cancel() returns %s\n", elapsed().c_str(), py(never.cancel()));
  co_await aio::sleep(0ms);
  std::printf("%s main: cancelled() = %s, and long_job printed nothing\n", elapsed().c_str(),
              py(never.cancelled()));

  std::printf("== cancelling a task that awaits another task\n");
  auto boss = aio::create_task(supervisor());
  co_await aio::sleep(1s);
  boss.cancel();
  try {
    co_await boss;
  } catch (const aio::CancelledError&) {
    std::printf("%s main: supervisor cancelled() = %s\n", elapsed().c_str(), py(boss.cancelled()));
  }
}

}  // namespace

int main() {
  try {
    aio::run(amain());
  } catch (const std::exception& error) {  // an unfinished exercise, on the exercises track
    std::fprintf(stderr, "%s\n", error.what());
    return 1;
  }
}
