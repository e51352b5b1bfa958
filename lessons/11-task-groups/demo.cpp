// Lesson 11's narrated program: three jobs, one of which fails, under gather (the others keep
// running) and under a task group (the others are cancelled, and the errors arrive together);
// then a task group whose task is cancelled from outside.
// mirror.py is the same program in asyncio; both print the same lines.
#include <aio/errors.hpp>
#include <aio/exception_group.hpp>
#include <aio/gather.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio/task_group.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

/// Python's built-in ConnectionError.
struct ConnectionError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
/// A job could not undo its work after it was cancelled.
struct RollbackError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string elapsed() { return aio::format_seconds(aio::get_running_loop().time()); }
const char* py(bool value) { return value ? "True" : "False"; }
aio::Duration tenths(int n) { return std::chrono::milliseconds(100 * n); }

// book:jobs
/// Works for `seconds`; if cancelled, takes number/10 s to roll its work back.
aio::Coro<int> job(int number, aio::Duration seconds) {
  std::printf("%s job %d: started, %s s of work\n", elapsed().c_str(), number, aio::format_seconds(seconds).c_str());
  std::exception_ptr cancelled;
  try {
    co_await aio::sleep(seconds);
  } catch (const aio::CancelledError&) {
    cancelled = std::current_exception();  // no co_await in a handler: remember, leave, then await
  }
  if (cancelled) {
    const std::string cancelled_at = elapsed();
    co_await aio::sleep(tenths(number));
    std::printf("%s job %d: cancelled at %s, rolled back\n", elapsed().c_str(), number, cancelled_at.c_str());
    std::rethrow_exception(cancelled);
  }
  std::printf("%s job %d: done\n", elapsed().c_str(), number);
  co_return number;
}

/// Fails after `seconds`.
aio::Coro<int> broken_job(int number, aio::Duration seconds) {
  std::printf("%s job %d: started, %s s of work\n", elapsed().c_str(), number, aio::format_seconds(seconds).c_str());
  co_await aio::sleep(seconds);
  std::printf("%s job %d: the connection was reset\n", elapsed().c_str(), number);
  throw ConnectionError("job " + std::to_string(number) + ": connection reset");
}

/// Like job(), but its rollback fails.
aio::Coro<int> fragile_job(int number, aio::Duration seconds) {
  std::printf("%s job %d: started, %s s of work\n", elapsed().c_str(), number, aio::format_seconds(seconds).c_str());
  bool cancelled = false;
  try {
    co_await aio::sleep(seconds);
  } catch (const aio::CancelledError&) {
    cancelled = true;
  }
  if (cancelled) {
    const std::string cancelled_at = elapsed();
    co_await aio::sleep(tenths(number));
    std::printf("%s job %d: cancelled at %s, but the rollback failed\n", elapsed().c_str(), number,
                cancelled_at.c_str());
    throw RollbackError("job " + std::to_string(number) + ": rollback failed");
  }
  std::printf("%s job %d: done\n", elapsed().c_str(), number);
  co_return number;
}
// end book:jobs

aio::Coro<void> with_gather() {
  std::vector<aio::Task<int>> jobs{aio::create_task(job(1, 2s)), aio::create_task(broken_job(2, 1s)),
                                   aio::create_task(job(3, 3s))};
  try {
    co_await aio::gather(jobs);
  } catch (const ConnectionError& error) {
    std::printf("%s main: gather raised ConnectionError: %s\n", elapsed().c_str(), error.what());
  }
  std::printf("%s main: job 1 done() = %s, job 3 done() = %s\n", elapsed().c_str(), py(jobs[0].done()),
              py(jobs[2].done()));
  co_await aio::sleep(2500ms);
  std::printf("%s main: job 1 returned %d, job 3 returned %d\n", elapsed().c_str(), jobs[0].result(),
              jobs[2].result());
}

// book:with-task-group
aio::Coro<void> with_task_group() {
  try {
    co_await aio::task_group([](aio::TaskGroup group) -> aio::Coro<void> {
      group.create_task(job(1, 3s));
      group.create_task(broken_job(2, 1s));
      group.create_task(fragile_job(3, 3s));
      try {
        co_await aio::sleep(5s);
      } catch (const aio::CancelledError&) {
        std::printf("%s main: the body was cancelled too\n", elapsed().c_str());
        throw;
      }
    });
  } catch (const aio::ExceptionGroup& errors) {
    errors
        .handle<ConnectionError>([](const ConnectionError& error) {
          std::printf("%s main: caught ConnectionError: %s\n", elapsed().c_str(), error.what());
        })
        .handle<RollbackError>([](const RollbackError& error) {
          std::printf("%s main: caught RollbackError: %s\n", elapsed().c_str(), error.what());
        })
        .rethrow();  // anything else goes on, as except* re-raises what no clause matched
  }
  std::printf("%s main: after the group, cancelling() = %d\n", elapsed().c_str(), aio::current_task()->cancelling());
}
// end book:with-task-group

aio::Coro<void> group_runner() {
  try {
    co_await aio::task_group([](aio::TaskGroup group) -> aio::Coro<void> {
      group.create_task(job(1, 3s));
      group.create_task(job(2, 3s));
      co_return;
    });
  } catch (const aio::CancelledError&) {
    std::printf("%s runner: CancelledError left the scope\n", elapsed().c_str());
    throw;
  }
}

aio::Coro<void> cancelled_from_outside() {
  aio::Task<void> runner = aio::create_task(group_runner());
  co_await aio::sleep(1500ms);
  std::printf("%s main: runner.cancel()\n", elapsed().c_str());
  runner.cancel();
  try {
    co_await runner;
  } catch (const aio::CancelledError&) {
    std::printf("%s main: the runner ended cancelled: %s\n", elapsed().c_str(), py(runner.cancelled()));
  }
}

aio::Coro<void> amain() {
  std::printf("== gather: the first error comes out, the other jobs keep running\n");
  co_await with_gather();
  std::printf("== TaskGroup: the first error cancels the other jobs; all errors come out together\n");
  co_await with_task_group();
  std::printf("== TaskGroup: the task running it is cancelled from outside\n");
  co_await cancelled_from_outside();
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
