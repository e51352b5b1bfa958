// Tests for task groups (lesson 11): aio::task_group and aio::TaskGroup.
//
// Everything runs on the virtual clock and records what happens, with the loop's time, into a
// log; a test compares the whole log, so it checks both the order of events and their times.
// The expected logs were checked against the same programs in CPython 3.11's asyncio. Where
// asyncio cancels several children at once, it goes through a set, in no particular order; aio
// goes through the children oldest first, and these logs show aio's order.
//
// Each test is tagged with the last exercise it needs: ex1 tests pass once ex1 is written, even
// while ex2 and ex3 are stubs (nothing in them fails, so nothing reaches ex2's or ex3's code).
#include <aio/cancellation.hpp>
#include <aio/clock.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/event_loop.hpp>
#include <aio/exception_group.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio/task_group.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>

#include <chrono>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;
using aio_test::Log;
using aio_test::at;

namespace {

/// "runtime_error: b broke", "ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)".
std::string describe(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const aio::ExceptionGroup& group) {
    return std::string("ExceptionGroup: ") + group.what();
  } catch (const std::logic_error& e) {
    return std::string("logic_error: ") + e.what();
  } catch (const std::runtime_error& e) {
    return std::string("runtime_error: ") + e.what();
  } catch (const aio::CancelledError& e) {
    return "CancelledError(" + e.message() + ")";
  } catch (const std::exception& e) {
    return std::string("exception: ") + e.what();
  }
}

/// The direct members of a group, described.
std::vector<std::string> members(const aio::ExceptionGroup& group) {
  std::vector<std::string> found;
  for (const std::exception_ptr& error : group.exceptions()) found.push_back(describe(error));
  return found;
}

aio::Coro<void> job(Log* log, std::string name, aio::Duration delay) {
  log->push_back(at(name + " starts"));
  try {
    co_await aio::sleep(delay);
  } catch (const aio::CancelledError&) {
    log->push_back(at(name + " cancelled"));
    throw;
  }
  log->push_back(at(name + " done"));
}

aio::Coro<int> value_after(Log* log, std::string name, aio::Duration delay, int value) {
  co_await aio::sleep(delay);
  log->push_back(at(name + " returns " + std::to_string(value)));
  co_return value;
}

aio::Coro<void> failing(Log* log, std::string name, aio::Duration delay, std::string message) {
  log->push_back(at(name + " starts"));
  co_await aio::sleep(delay);
  log->push_back(at(name + " fails"));
  throw std::runtime_error(message);
}

/// Sleeps; if cancelled, cleans up for `cleanup` (an await outside the handler), then rethrows,
/// or, given a message, fails with std::logic_error instead.
aio::Coro<void> slow_cleanup(Log* log, std::string name, aio::Duration delay, aio::Duration cleanup,
                             std::string failure = {}) {
  log->push_back(at(name + " starts"));
  std::exception_ptr cancelled;
  try {
    co_await aio::sleep(delay);
  } catch (const aio::CancelledError&) {
    cancelled = std::current_exception();
  }
  if (cancelled) {
    log->push_back(at(name + " cleans up"));
    co_await aio::sleep(cleanup);
    if (!failure.empty()) {
      log->push_back(at(name + " cleanup fails"));
      throw std::logic_error(failure);
    }
    log->push_back(at(name + " cleaned up"));
    std::rethrow_exception(cancelled);
  }
  log->push_back(at(name + " done"));
}

/// Logs a CancelledError that passes through `sleep(delay)` in the body of a scope.
aio::Coro<void> body_sleeps(Log* log, aio::Duration delay) {
  try {
    co_await aio::sleep(delay);
  } catch (const aio::CancelledError&) {
    log->push_back(at("body cancelled"));
    throw;
  }
  log->push_back(at("body slept"));
}

/// Runs `scope`, logging how it ended: "scope ended" (ex2's tests), or with `what` the error.
aio::Coro<void> run_scope(Log* log, aio::Coro<void> scope, bool what = false) {
  try {
    co_await std::move(scope);
    log->push_back(at("scope ended normally"));
  } catch (...) {
    log->push_back(at(what ? "scope ended: " + describe(std::current_exception()) : "scope ended"));
  }
}

/// Counts loop iterations: logs "tick N" once per iteration.
aio::Coro<void> ticker(Log* log, int ticks) {
  for (int i = 0; i < ticks; ++i) {
    log->push_back("tick " + std::to_string(i));
    co_await aio::sleep(0ms);
  }
}

aio::Coro<void> yields_then_ends(Log* log, std::string name, int yields) {
  for (int i = 0; i < yields; ++i) co_await aio::sleep(0ms);
  log->push_back(name + " ends");
}

aio::Coro<void> yields_then_fails(Log* log, int yields) {
  for (int i = 0; i < yields; ++i) co_await aio::sleep(0ms);
  log->push_back("fails");
  throw std::runtime_error("x");
}

aio::Coro<void> sleeps_untimed(Log* log, std::string name) {
  try {
    co_await aio::sleep(10s);
  } catch (const aio::CancelledError&) {
    log->push_back(name + " cancelled");
    throw;
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// l11.ex1: create_task, the children the group keeps, and the scope that waits for all of them

namespace {
// book:test-waits
aio::Coro<void> three_jobs(Log* log) {
  co_await aio::task_group(
      [](aio::TaskGroup group, Log* log) -> aio::Coro<void> {
        group.create_task(job(log, "a", 1s));
        group.create_task(job(log, "b", 3s));
        group.create_task(job(log, "c", 2s));
        log->push_back(at("body ends"));
        co_return;
      },
      log);
  log->push_back(at("scope ended"));
}
// end book:test-waits
}  // namespace

TEST_CASE("the scope ends only when its last child has finished", "[l11][ex1]") {
  Log log;
  aio::run(three_jobs(&log), {.virtual_clock = true});
  REQUIRE(log == Log{"0.0 body ends", "0.0 a starts", "0.0 b starts", "0.0 c starts", "1.0 a done",
                     "2.0 c done", "3.0 b done", "3.0 scope ended"});
}

namespace {
aio::Coro<void> body_outlasts_children(Log* log) {
  co_await aio::task_group(
      [](aio::TaskGroup group, Log* log) -> aio::Coro<void> {
        group.create_task(job(log, "a", 1s));
        group.create_task(job(log, "b", 2s));
        co_await aio::sleep(5s);
        log->push_back(at("body ends, " + std::to_string(group.size()) + " children left"));
      },
      log);
  log->push_back(at("scope ended"));
}
}  // namespace

TEST_CASE("a body that outlasts its children ends the scope at once", "[l11][ex1]") {
  Log log;
  aio::run(body_outlasts_children(&log), {.virtual_clock = true});
  REQUIRE(log == Log{"0.0 a starts", "0.0 b starts", "1.0 a done", "2.0 b done", "5.0 body ends, 0 children left",
                     "5.0 scope ended"});
}

namespace {
aio::Coro<void> body_returns_tasks(Log* log) {
  using Pair = std::pair<aio::Task<int>, aio::Task<int>>;
  Pair tasks = co_await aio::task_group(
      [](aio::TaskGroup group, Log* log, int base) -> aio::Coro<Pair> {
        aio::Task<int> first = group.create_task(value_after(log, "first", 2s, base + 1));
        aio::Task<int> second = group.create_task(value_after(log, "second", 1s, base + 2));
        co_return Pair(first, second);
      },
      log, 40);
  log->push_back(at("scope ended: " + std::to_string(tasks.first.result()) + " and " +
                    std::to_string(tasks.second.result())));
}
}  // namespace

TEST_CASE("the body's result comes out of the scope; extra arguments reach the body", "[l11][ex1]") {
  Log log;
  aio::run(body_returns_tasks(&log), {.virtual_clock = true});
  REQUIRE(log == Log{"1.0 second returns 42", "2.0 first returns 41", "2.0 scope ended: 41 and 42"});
}

namespace {
aio::Coro<void> adds_a_grandchild(Log* log, aio::TaskGroup group) {
  log->push_back(at("child starts"));
  co_await aio::sleep(1s);
  group.create_task(job(log, "grandchild", 2s));
  log->push_back(at("child added a grandchild"));
}

aio::Coro<void> child_adds_task(Log* log) {
  co_await aio::task_group(
      [](aio::TaskGroup group, Log* log) -> aio::Coro<void> {
        group.create_task(adds_a_grandchild(log, group));
        co_return;
      },
      log);
  log->push_back(at("scope ended"));
}
}  // namespace

TEST_CASE("a child may add tasks to the group while the scope waits", "[l11][ex1]") {
  Log log;
  aio::run(child_adds_task(&log), {.virtual_clock = true});
  REQUIRE(log == Log{"0.0 child starts", "1.0 child added a grandchild", "1.0 grandchild starts",
                     "3.0 grandchild done", "3.0 scope ended"});
}

namespace {
aio::Coro<void> cancels_one_child(Log* log) {
  co_await aio::task_group(
      [](aio::TaskGroup group, Log* log) -> aio::Coro<void> {
        aio::Task<void> a = group.create_task(job(log, "a", 5s));
        group.create_task(job(log, "b", 2s));
        co_await aio::sleep(1s);
        a.cancel();
      },
      log);
  log->push_back(at("scope ended"));
}
}  // namespace

TEST_CASE("a child that ends cancelled is not a failure: the others go on", "[l11][ex1]") {
  Log log;
  aio::run(cancels_one_child(&log), {.virtual_clock = true});
  REQUIRE(log == Log{"0.0 a starts", "0.0 b starts", "1.0 a cancelled", "2.0 b done", "2.0 scope ended"});
}

namespace {
aio::Coro<void> counts_hops(Log* log) {
  aio::Task<void> ticks = aio::create_task(ticker(log, 8));
  co_await aio::task_group(
      [](aio::TaskGroup group, Log* log) -> aio::Coro<void> {
        group.create_task(yields_then_ends(log, "a", 1));
        group.create_task(yields_then_ends(log, "b", 2));
        log->push_back("body ends");
        co_return;
      },
      log);
  log->push_back("scope ended");
  co_await ticks;
}
}  // namespace

TEST_CASE("the scope resumes two loop iterations after its last child finished, as in asyncio", "[l11][ex1]") {
  Log log;
  aio::run(counts_hops(&log), {.virtual_clock = true});
  // CPython 3.11 prints the same order: one hop for the group's done callback, one for the wake-up.
  REQUIRE(log == Log{"body ends", "tick 0", "tick 1", "a ends", "tick 2", "b ends", "tick 3", "tick 4",
                     "scope ended", "tick 5", "tick 6", "tick 7"});
}

namespace {
aio::Coro<void> reports_itself(Log* log, std::optional<aio::TaskGroup>* keep) {
  co_await aio::task_group(
      [](aio::TaskGroup group, Log* log, std::optional<aio::TaskGroup>* keep) -> aio::Coro<void> {
        keep->emplace(group);
        group.create_task(job(log, "a", 1s));
        group.create_task(job(log, "b", 2s));
        log->push_back(at(std::to_string(group.size()) + " children: " + group.describe()));
        co_return;
      },
      log, keep);
  log->push_back(at("after the scope: " + (*keep)->describe()));
}
}  // namespace

TEST_CASE("size() and describe() follow the group", "[l11][ex1]") {
  Log log;
  std::optional<aio::TaskGroup> keep;
  aio::run(reports_itself(&log, &keep), {.virtual_clock = true});
  REQUIRE(log == Log{"0.0 2 children: <TaskGroup tasks=2 entered>", "0.0 a starts", "0.0 b starts", "1.0 a done",
                     "2.0 b done", "2.0 after the scope: <TaskGroup finished>"});
}

namespace {
// book:test-finished
aio::Coro<void> adds_after_the_end(Log* log) {
  std::optional<aio::TaskGroup> kept;  // a copy of the handle, kept past the scope: a misuse
  co_await aio::task_group(
      [](aio::TaskGroup group, Log* log, std::optional<aio::TaskGroup>* kept) -> aio::Coro<void> {
        kept->emplace(group);
        group.create_task(job(log, "a", 1s));
        co_return;
      },
      log, &kept);
  try {
    kept->create_task(job(log, "late", 1s));
    log->push_back(at("late task added"));
  } catch (const aio::InvalidStateError& error) {
    log->push_back(at(std::string("create_task: ") + error.what()));
  }
  co_await aio::sleep(2s);  // time for a late task to run, if one had been created
}
// end book:test-finished
}  // namespace

TEST_CASE("create_task on a group whose scope has ended throws InvalidStateError; the coroutine never runs",
          "[l11][ex1]") {
  Log log;
  aio::run(adds_after_the_end(&log), {.virtual_clock = true});
  REQUIRE(log == Log{"0.0 a starts", "1.0 a done",
                     "1.0 create_task: TaskGroup <TaskGroup finished> is finished: its scope has ended, so "
                     "it takes no new task (create children in the body, or in a child while the scope "
                     "waits)"});
}

TEST_CASE("aio::task_group must be awaited inside a task", "[l11][ex1]") {
  aio::EventLoop loop(aio::Clock::virtual_time());
  aio::detail::RunningLoop running(loop);
  auto scope = aio::task_group([](aio::TaskGroup) -> aio::Coro<void> { co_return; });
  scope.handle().resume();  // a coroutine run by hand, outside any task
  REQUIRE(scope.done());
  REQUIRE_THROWS_WITH(scope.take_result(), aio_test::contains("aio::task_group must be awaited inside a task"));
}

// ---------------------------------------------------------------------------------------------
// l11.ex2: a failure stops the group: the siblings and the body are cancelled

namespace {
aio::Coro<void> failure_cancels_all(Log* log) {
  aio::Coro<void> scope = aio::task_group(
      [](aio::TaskGroup group, Log* log) -> aio::Coro<void> {
        group.create_task(job(log, "a", 10s));
        group.create_task(failing(log, "b", 1s, "b broke"));
        group.create_task(job(log, "c", 10s));
        co_await body_sleeps(log, 10s);
      },
      log);
  co_await run_scope(log, std::move(scope));
}
}  // namespace

TEST_CASE("a failing child cancels its siblings and the body", "[l11][ex2]") {
  Log log;
  aio::run(failure_cancels_all(&log), {.virtual_clock = true});
  REQUIRE(log == Log{"0.0 a starts", "0.0 b starts", "0.0 c starts", "1.0 b fails", "1.0 a cancelled",
                     "1.0 c cancelled", "1.0 body cancelled", "1.0 scope ended"});
}

namespace {
aio::Coro<void> waits_for_cleanup(Log* log) {
  aio::Coro<void> scope = aio::task_group(
      [](aio::TaskGroup group, Log* log) -> aio::Coro<void> {
        group.create_task(slow_cleanup(log, "a", 10s, 500ms));
        group.create_task(failing(log, "b", 1s, "b broke"));
        co_return;
      },
      log);
  co_await run_scope(log, std::move(scope));
}
}  // namespace

TEST_CASE("the scope waits for the siblings' cleanup, even cleanup that awaits", "[l11][ex2]") {
  Log log;
  aio::run(waits_for_cleanup(&log), {.virtual_clock = true});
  REQUIRE(log == Log{"0.0 a starts", "0.0 b starts", "1.0 b fails", "1.0 a cleans up", "1.5 a cleaned up",
                     "1.5 scope ended"});
}

namespace {
// book:test-shutting-down
aio::Coro<void> refuses_while_shutting_down(Log* log) {
  aio::Coro<void> scope = aio::task_group(
      [](aio::TaskGroup group, Log* log) -> aio::Coro<void> {
        group.create_task(failing(log, "b", 1s, "b broke"));
        std::exception_ptr cancelled;
        try {
          co_await aio::sleep(10s);
        } catch (const aio::CancelledError&) {
          cancelled = std::current_exception();
        }
        log->push_back(at("body cancelled, cancelling() = " + std::to_string(aio::current_task()->cancelling())));
        try {
          group.create_task(job(log, "late", 1s));
        } catch (const aio::InvalidStateError& error) {
          log->push_back(at(std::string("create_task: ") + error.what()));
        }
        std::rethrow_exception(cancelled);
      },
      log);
  co_await run_scope(log, std::move(scope));
  co_await aio::sleep(2s);  // a late task would run now
}
// end book:test-shutting-down
}  // namespace

TEST_CASE("a group that is shutting down refuses new tasks with InvalidStateError", "[l11][ex2]") {
  Log log;
  aio::run(refuses_while_shutting_down(&log), {.virtual_clock = true});
  REQUIRE(log == Log{"0.0 b starts", "1.0 b fails", "1.0 body cancelled, cancelling() = 1",
                     "1.0 create_task: TaskGroup <TaskGroup errors=1 cancelling> is shutting down: a child "
                     "failed, the body threw, or the task running the scope was cancelled, so it takes no "
                     "new task",
                     "1.0 scope ended"});
}

namespace {
aio::Coro<void> body_throws(Log* log) {
  aio::Coro<void> scope = aio::task_group(
      [](aio::TaskGroup group, Log* log) -> aio::Coro<void> {
        group.create_task(job(log, "a", 10s));
        group.create_task(slow_cleanup(log, "c", 10s, 500ms));
        co_await aio::sleep(1s);
        log->push_back(at("body throws"));
        throw std::invalid_argument("body broke");
      },
      log);
  co_await run_scope(log, std::move(scope));
}
}  // namespace

TEST_CASE("an exception thrown by the body cancels the children", "[l11][ex2]") {
  Log log;
  aio::run(body_throws(&log), {.virtual_clock = true});
  REQUIRE(log == Log{"0.0 a starts", "0.0 c starts", "1.0 body throws", "1.0 a cancelled", "1.0 c cleans up",
                     "1.5 c cleaned up", "1.5 scope ended"});
}

namespace {
aio::Coro<void> two_fail_together(Log* log) {
  aio::Coro<void> scope = aio::task_group(
      [](aio::TaskGroup group, Log* log) -> aio::Coro<void> {
        group.create_task(failing(log, "b", 1s, "b broke"));
        group.create_task(failing(log, "c", 1s, "c broke"));
        try {
          co_await aio::sleep(10s);
        } catch (const aio::CancelledError&) {
          log->push_back(at("body cancelled, cancelling() = " + std::to_string(aio::current_task()->cancelling())));
          throw;
        }
      },
      log);
  co_await run_scope(log, std::move(scope));
}
}  // namespace

TEST_CASE("only the first failure cancels the body: two failures, one request", "[l11][ex2]") {
  Log log;
  aio::run(two_fail_together(&log), {.virtual_clock = true});
  REQUIRE(log == Log{"0.0 b starts", "0.0 c starts", "1.0 b fails", "1.0 c fails",
                     "1.0 body cancelled, cancelling() = 1", "1.0 scope ended"});
}

namespace {
aio::Coro<void> runs_a_group(Log* log, bool body_waits) {
  aio::Coro<void> scope = aio::task_group(
      [](aio::TaskGroup group, Log* log, bool body_waits) -> aio::Coro<void> {
        group.create_task(job(log, "a", 10s));
        group.create_task(slow_cleanup(log, "b", 10s, 500ms));
        if (body_waits) co_await body_sleeps(log, 10s);
      },
      log, body_waits);
  co_await run_scope(log, std::move(scope), true);
}

aio::Coro<void> cancels_the_runner(Log* log, bool body_waits) {
  aio::Task<void> runner = aio::create_task(runs_a_group(log, body_waits));
  co_await aio::sleep(2s);
  log->push_back(at("cancel the runner"));
  runner.cancel("stop");
  try {
    co_await runner;
  } catch (...) {
  }
}
}  // namespace

TEST_CASE("cancelling the task that runs the scope cancels the body and every child", "[l11][ex2]") {
  Log log;
  aio::run(cancels_the_runner(&log, true), {.virtual_clock = true});
  REQUIRE(log.size() == 8);
  log.pop_back();  // how the scope ended: ex3's business
  REQUIRE(log == Log{"0.0 a starts", "0.0 b starts", "2.0 cancel the runner", "2.0 body cancelled", "2.0 a cancelled",
                     "2.0 b cleans up", "2.5 b cleaned up"});
}

TEST_CASE("cancelling the task while the scope waits for its children cancels every child", "[l11][ex2]") {
  Log log;
  aio::run(cancels_the_runner(&log, false), {.virtual_clock = true});
  REQUIRE(log.size() == 7);
  log.pop_back();
  REQUIRE(log == Log{"0.0 a starts", "0.0 b starts", "2.0 cancel the runner", "2.0 a cancelled", "2.0 b cleans up",
                     "2.5 b cleaned up"});
}

// ---------------------------------------------------------------------------------------------
// l11.ex3: what leaves the scope: an ExceptionGroup, a CancelledError, or nothing

namespace {
// book:test-group-error
aio::Coro<void> collects_failures(Log* log) {
  try {
    co_await aio::task_group(
        [](aio::TaskGroup group, Log* log) -> aio::Coro<void> {
          group.create_task(slow_cleanup(log, "a", 10s, 500ms, "a's cleanup broke"));
          group.create_task(failing(log, "b", 1s, "b broke"));
          group.create_task(job(log, "c", 10s));
          co_return;
        },
        log);
  } catch (const aio::ExceptionGroup& errors) {
    log->push_back(at(errors.what()));
    for (const std::string& error : members(errors)) log->push_back("  " + error);
  }
  log->push_back(at("cancelling() = " + std::to_string(aio::current_task()->cancelling())));
}
// end book:test-group-error
}  // namespace

TEST_CASE("the failures leave the scope together as an ExceptionGroup, in the order they happened", "[l11][ex3]") {
  Log log;
  aio::run(collects_failures(&log), {.virtual_clock = true});
  REQUIRE(log == Log{"0.0 a starts", "0.0 b starts", "0.0 c starts", "1.0 b fails", "1.0 a cleans up",
                     "1.0 c cancelled", "1.5 a cleanup fails",
                     "1.5 unhandled errors in a TaskGroup (2 sub-exceptions)", "  runtime_error: b broke",
                     "  logic_error: a's cleanup broke", "1.5 cancelling() = 0"});
}

namespace {
aio::Coro<void> goes_on_after_failure(Log* log) {
  aio::Coro<void> scope = aio::task_group(
      [](aio::TaskGroup group, Log* log) -> aio::Coro<void> {
        group.create_task(failing(log, "b", 1s, "b broke"));
        co_await body_sleeps(log, 10s);
      },
      log);
  co_await run_scope(log, std::move(scope), true);
  log->push_back(at("cancelling() = " + std::to_string(aio::current_task()->cancelling())));
  co_await aio::sleep(1s);
  log->push_back(at("the task sleeps as usual"));
}
}  // namespace

TEST_CASE("after a failure the task that ran the scope is not left cancelled", "[l11][ex3]") {
  Log log;
  aio::run(goes_on_after_failure(&log), {.virtual_clock = true});
  REQUIRE(log == Log{"0.0 b starts", "1.0 b fails", "1.0 body cancelled",
                     "1.0 scope ended: ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)",
                     "1.0 cancelling() = 0", "2.0 the task sleeps as usual"});
}

namespace {
aio::Coro<void> fails_while_waiting(Log* log) {
  aio::Coro<void> scope = aio::task_group(
      [](aio::TaskGroup group, Log* log) -> aio::Coro<void> {
        group.create_task(job(log, "a", 10s));
        group.create_task(failing(log, "b", 1s, "b broke"));
        log->push_back(at("body ends"));
        co_return;
      },
      log);
  co_await run_scope(log, std::move(scope), true);
  log->push_back(at("cancelling() = " + std::to_string(aio::current_task()->cancelling())));
}
}  // namespace

TEST_CASE("a failure while the scope waits: the ExceptionGroup, and cancelling() back to 0 (3.11 leaves 1)",
          "[l11][ex3]") {
  Log log;
  aio::run(fails_while_waiting(&log), {.virtual_clock = true});
  REQUIRE(log == Log{"0.0 body ends", "0.0 a starts", "0.0 b starts", "1.0 b fails", "1.0 a cancelled",
                     "1.0 scope ended: ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)",
                     "1.0 cancelling() = 0"});
}

namespace {
aio::Coro<void> body_error_comes_last(Log* log) {
  try {
    co_await aio::task_group(
        [](aio::TaskGroup group, Log* log) -> aio::Coro<void> {
          group.create_task(job(log, "a", 10s));
          group.create_task(slow_cleanup(log, "c", 10s, 500ms, "c's cleanup broke"));
          co_await aio::sleep(1s);
          log->push_back(at("body throws"));
          throw std::invalid_argument("body broke");
        },
        log);
  } catch (const aio::ExceptionGroup& errors) {
    log->push_back(at(errors.what()));
    for (const std::string& error : members(errors)) log->push_back("  " + error);
  }
}
}  // namespace

TEST_CASE("the body's own exception comes last in the ExceptionGroup", "[l11][ex3]") {
  Log log;
  aio::run(body_error_comes_last(&log), {.virtual_clock = true});
  REQUIRE(log == Log{"0.0 a starts", "0.0 c starts", "1.0 body throws", "1.0 a cancelled", "1.0 c cleans up",
                     "1.5 c cleanup fails", "1.5 unhandled errors in a TaskGroup (2 sub-exceptions)",
                     "  logic_error: c's cleanup broke", "  logic_error: body broke"});
}

TEST_CASE("an outer cancellation leaves the scope as CancelledError, not as an ExceptionGroup", "[l11][ex3]") {
  Log log;
  aio::run(cancels_the_runner(&log, true), {.virtual_clock = true});
  REQUIRE(log == Log{"0.0 a starts", "0.0 b starts", "2.0 cancel the runner", "2.0 body cancelled", "2.0 a cancelled",
                     "2.0 b cleans up", "2.5 b cleaned up", "2.5 scope ended: CancelledError(stop)"});
}

TEST_CASE("an outer cancellation while the scope waits leaves it as CancelledError", "[l11][ex3]") {
  Log log;
  aio::run(cancels_the_runner(&log, false), {.virtual_clock = true});
  REQUIRE(log == Log{"0.0 a starts", "0.0 b starts", "2.0 cancel the runner", "2.0 a cancelled", "2.0 b cleans up",
                     "2.5 b cleaned up", "2.5 scope ended: CancelledError(stop)"});
}

namespace {
aio::Coro<void> cancelled_while_failing(Log* log) {
  try {
    co_await aio::task_group(
        [](aio::TaskGroup group, Log* log) -> aio::Coro<void> {
          group.create_task(slow_cleanup(log, "a", 10s, 500ms, "a's cleanup broke"));
          group.create_task(job(log, "b", 10s));
          co_await aio::sleep(10s);
        },
        log);
  } catch (const aio::ExceptionGroup& errors) {
    log->push_back(at(errors.what()));
    for (const std::string& error : members(errors)) log->push_back("  " + error);
    log->push_back(at("cancelling() = " + std::to_string(aio::current_task()->cancelling())));
    throw;
  }
}

aio::Coro<void> cancels_a_failing_group(Log* log) {
  aio::Task<void> runner = aio::create_task(cancelled_while_failing(log));
  co_await aio::sleep(2s);
  runner.cancel();
  try {
    co_await runner;
  } catch (const aio::ExceptionGroup&) {
    log->push_back(at("the runner failed with the ExceptionGroup"));
  }
}
}  // namespace

TEST_CASE("an outer cancellation while children fail: the ExceptionGroup has priority, as in 3.11", "[l11][ex3]") {
  Log log;
  aio::run(cancels_a_failing_group(&log), {.virtual_clock = true});
  REQUIRE(log == Log{"0.0 a starts", "0.0 b starts", "2.0 a cleans up", "2.0 b cancelled", "2.5 a cleanup fails",
                     "2.5 unhandled errors in a TaskGroup (1 sub-exception)", "  logic_error: a's cleanup broke",
                     "2.5 cancelling() = 1", "2.5 the runner failed with the ExceptionGroup"});
}

namespace {
aio::Coro<void> body_swallows(Log* log) {
  aio::Coro<void> scope = aio::task_group(
      [](aio::TaskGroup group, Log* log) -> aio::Coro<void> {
        group.create_task(failing(log, "b", 1s, "b broke"));
        try {
          co_await aio::sleep(10s);
        } catch (const aio::CancelledError&) {
          log->push_back(at("body swallows the cancellation"));
        }
        co_await aio::sleep(2s);
        log->push_back(at("body ends"));
      },
      log);
  co_await run_scope(log, std::move(scope), true);
}
}  // namespace

TEST_CASE("a body that swallows the group's cancellation runs on, then the ExceptionGroup leaves", "[l11][ex3]") {
  Log log;
  aio::run(body_swallows(&log), {.virtual_clock = true});
  REQUIRE(log == Log{"0.0 b starts", "1.0 b fails", "1.0 body swallows the cancellation", "3.0 body ends",
                     "3.0 scope ended: ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)"});
}

namespace {
aio::Coro<void> inner_group(Log* log) {
  co_await aio::task_group(
      [](aio::TaskGroup group, Log* log) -> aio::Coro<void> {
        group.create_task(failing(log, "x", 1s, "x broke"));
        group.create_task(job(log, "y", 10s));
        co_return;
      },
      log);
}

aio::Coro<void> nested_groups(Log* log) {
  try {
    co_await aio::task_group(
        [](aio::TaskGroup group, Log* log) -> aio::Coro<void> {
          group.create_task(inner_group(log));
          group.create_task(failing(log, "z", 2s, "z broke"));
          group.create_task(job(log, "w", 10s));
          co_return;
        },
        log);
  } catch (const aio::ExceptionGroup& errors) {
    log->push_back(at(errors.what()));
    for (const std::string& error : members(errors)) log->push_back("  " + error);
    auto inner = aio::ExceptionGroup::as_group(errors.exceptions().front());
    REQUIRE(inner.has_value());
    for (const std::string& error : members(*inner)) log->push_back("    " + error);
  }
}
}  // namespace

TEST_CASE("nested groups: a failed inner group is one member of the outer ExceptionGroup", "[l11][ex3]") {
  Log log;
  aio::run(nested_groups(&log), {.virtual_clock = true});
  REQUIRE(log == Log{"0.0 z starts", "0.0 w starts", "0.0 x starts", "0.0 y starts", "1.0 x fails",
                     "1.0 y cancelled", "1.0 w cancelled", "1.0 unhandled errors in a TaskGroup (1 sub-exception)",
                     "  ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)",
                     "    runtime_error: x broke"});
}

namespace {
aio::Coro<void> counts_failure_hops(Log* log, bool body_waits) {
  aio::Task<void> ticks = aio::create_task(ticker(log, 8));
  try {
    co_await aio::task_group(
        [](aio::TaskGroup group, Log* log, bool body_waits) -> aio::Coro<void> {
          group.create_task(sleeps_untimed(log, "s1"));
          group.create_task(yields_then_fails(log, body_waits ? 1 : 2));
          if (!body_waits) {
            log->push_back("body ends");
            co_return;
          }
          group.create_task(sleeps_untimed(log, "s2"));
          try {
            co_await aio::sleep(10s);
          } catch (const aio::CancelledError&) {
            log->push_back("body cancelled");
            throw;
          }
        },
        log, body_waits);
  } catch (const aio::ExceptionGroup&) {
    log->push_back("scope ended with the ExceptionGroup");
  }
  co_await ticks;
}
}  // namespace

TEST_CASE("after a failure the scope ends as many loop iterations later as in asyncio", "[l11][ex3]") {
  Log log;
  aio::run(counts_failure_hops(&log, true), {.virtual_clock = true});
  REQUIRE(log == Log{"tick 0", "tick 1", "fails", "tick 2", "tick 3", "s1 cancelled", "s2 cancelled", "body cancelled",
                     "tick 4", "tick 5", "scope ended with the ExceptionGroup", "tick 6", "tick 7"});
  log.clear();
  aio::run(counts_failure_hops(&log, false), {.virtual_clock = true});
  REQUIRE(log == Log{"body ends", "tick 0", "tick 1", "tick 2", "fails", "tick 3", "tick 4", "s1 cancelled", "tick 5",
                     "tick 6", "scope ended with the ExceptionGroup", "tick 7"});
}

namespace {
aio::Coro<void> body_awaits_a_failing_child(Log* log) {
  try {
    co_await aio::task_group(
        [](aio::TaskGroup group, Log* log) -> aio::Coro<void> {
          aio::Task<void> child = group.create_task(failing(log, "b", 1s, "b broke"));
          try {
            co_await child;
          } catch (const aio::CancelledError&) {
            log->push_back(at("the body's co_await child threw CancelledError"));
            throw;
          }
        },
        log);
  } catch (const aio::ExceptionGroup& errors) {
    log->push_back(at(errors.what()));
    for (const std::string& error : members(errors)) log->push_back("  " + error);
  }
}

aio::Coro<void> cancel_later(aio::Task<void> task, aio::Duration delay) {
  co_await aio::sleep(delay);
  task.cancel();
}

aio::Coro<void> body_awaits_a_cancelled_child(Log* log) {
  aio::Coro<void> scope = aio::task_group(
      [](aio::TaskGroup group, Log* log) -> aio::Coro<void> {
        aio::Task<void> child = group.create_task(job(log, "a", 5s));
        aio::create_task(cancel_later(child, 1s));  // someone outside the group cancels it
        co_await child;
      },
      log);
  co_await run_scope(log, std::move(scope), true);
  log->push_back(at("cancelling() = " + std::to_string(aio::current_task()->cancelling())));
}
}  // namespace

TEST_CASE("a body awaiting a failing child gets the group's CancelledError; the error is in the group once",
          "[l11][ex3]") {
  Log log;
  aio::run(body_awaits_a_failing_child(&log), {.virtual_clock = true});
  REQUIRE(log == Log{"0.0 b starts", "1.0 b fails", "1.0 the body's co_await child threw CancelledError",
                     "1.0 unhandled errors in a TaskGroup (1 sub-exception)", "  runtime_error: b broke"});
}

TEST_CASE("a body awaiting a child that someone cancelled lets CancelledError out, though nobody cancelled it",
          "[l11][ex3]") {
  Log log;
  aio::run(body_awaits_a_cancelled_child(&log), {.virtual_clock = true});
  // CPython 3.11 does the same: the body's CancelledError looks like a cancellation of the task.
  REQUIRE(log == Log{"0.0 a starts", "1.0 a cancelled", "1.0 scope ended: CancelledError()", "1.0 cancelling() = 0"});
}
