// Tests for aio::Task<T>, create_task, current_task and all_tasks (exercises l05.ex2 to l05.ex5).
//
// Everything runs on the virtual clock: a test that sleeps for seconds finishes at once, and
// checks the exact virtual time at which each thing happened, and in what order.
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>

#include <algorithm>
#include <chrono>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;

namespace {

using Log = std::vector<std::string>;

template <class T>
T run_virtual(aio::Coro<T> main) {
  aio::RunOptions options;
  options.virtual_clock = true;
  return aio::run(std::move(main), options);
}

/// The running loop's time, as "1.5".
std::string now() { return aio::format_seconds(aio::get_running_loop().time()); }

aio::Coro<void> nothing() { co_return; }

aio::Coro<void> note(Log* log, std::string what) {
  log->push_back(what);
  co_return;
}

aio::Coro<int> value_after(aio::Duration delay, int value) {
  co_await aio::sleep(delay);
  co_return value;
}

aio::Coro<std::string> text_after(aio::Duration delay, std::string text) {
  co_await aio::sleep(delay);
  co_return text;
}

aio::Coro<void> fail_after(aio::Duration delay, std::string message) {
  co_await aio::sleep(delay);
  throw std::runtime_error(message);
}

// book:say-after-test
aio::Coro<void> say_after(aio::Duration delay, std::string what, Log* log) {
  co_await aio::sleep(delay);
  log->push_back(now() + " " + what);
}
// end book:say-after-test

std::string message_of(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// l05.ex2: create_task, current_task, all_tasks

namespace {
// book:test-creator
aio::Coro<void> creator(Log* log) {
  aio::Task<void> task = aio::create_task(note(log, "the task runs"));
  log->push_back(task.done() ? "created, already done" : "created, not run yet");
  co_await aio::sleep(0s);  // the creator yields: the task's first step runs now
  log->push_back(task.done() ? "creator resumes, task done" : "creator resumes, task pending");
}
// end book:test-creator
}  // namespace

// book:test-create-task
TEST_CASE("create_task schedules the coroutine; it runs once its creator yields",
          "[l05][ex2]") {
  Log log;
  run_virtual(creator(&log));
  CHECK(log == Log{"created, not run yet", "the task runs", "creator resumes, task done"});
}
// end book:test-create-task

namespace {
aio::Coro<void> start_two_greetings(Log* log) {
  aio::create_task(say_after(1s, "hello", log));
  aio::create_task(say_after(2s, "world", log));
  co_await aio::sleep(3s);
}
}  // namespace

TEST_CASE("two tasks that sleep 1 s and 2 s run side by side, both done at 2 s", "[l05][ex2]") {
  Log log;
  run_virtual(start_two_greetings(&log));
  CHECK(log == Log{"1.0 hello", "2.0 world"});
}

namespace {
aio::Coro<Log> name_some_tasks() {
  Log names;
  names.push_back(aio::current_task()->name());  // the main task
  aio::Task<void> second = aio::create_task(nothing());
  aio::Task<void> third = aio::create_task(nothing());
  aio::Task<void> worker = aio::create_task(nothing(), "worker");
  names.push_back(second.get_name());
  names.push_back(third.get_name());
  names.push_back(worker.get_name());
  third.set_name("renamed");
  names.push_back(third.get_name());
  co_await aio::sleep(0s);
  co_return names;
}
}  // namespace

TEST_CASE("tasks are named Task-N unless given a name; set_name renames them",
          "[l05][ex2]") {
  // Names count per loop: each of two loops starts at Task-1 (its main task).
  aio::EventLoop first(aio::Clock::virtual_time());
  aio::EventLoop second(aio::Clock::virtual_time());
  const Log expected{"Task-1", "Task-2", "Task-3", "worker", "renamed"};
  CHECK(aio::run_until_complete(first, name_some_tasks()) == expected);
  CHECK(aio::run_until_complete(second, name_some_tasks()) == expected);
}

namespace {
aio::Coro<void> whoami(Log* log) {
  log->push_back(aio::current_task()->name());
  co_await aio::sleep(1s);
  log->push_back(aio::current_task()->name());  // still the same task after a suspension
}

aio::Coro<void> current_tasks(Log* log) {
  aio::TaskBase* main_task = aio::current_task();
  aio::Task<void> first = aio::create_task(whoami(log), "first");
  aio::Task<void> second = aio::create_task(whoami(log), "second");
  log->push_back(aio::current_task() == main_task ? "main" : "someone else");
  co_await aio::sleep(2s);
  log->push_back(aio::current_task() == main_task ? "main" : "someone else");
}
}  // namespace

TEST_CASE("current_task() is the task whose step runs, null outside any task",
          "[l05][ex2]") {
  CHECK(aio::current_task() == nullptr);
  Log log;
  run_virtual(current_tasks(&log));
  CHECK(log == Log{"main", "first", "second", "first", "second", "main"});
  CHECK(aio::current_task() == nullptr);
}

namespace {
Log pending_names() {
  Log names;
  for (aio::TaskBase* task : aio::all_tasks()) names.push_back(task->name());
  return names;
}

aio::Coro<Log> watch_all_tasks() {
  Log seen;
  aio::Task<int> quick = aio::create_task(value_after(1s, 1), "quick");
  aio::Task<int> slow = aio::create_task(value_after(2s, 2), "slow");
  for (const std::string& name : pending_names()) seen.push_back("0.0 " + name);
  co_await aio::sleep(1500ms);
  for (const std::string& name : pending_names()) seen.push_back(now() + " " + name);
  co_await aio::sleep(1s);
  for (const std::string& name : pending_names()) seen.push_back(now() + " " + name);
  co_return seen;
}
}  // namespace

TEST_CASE("all_tasks() lists the unfinished tasks, oldest first, caller included",
          "[l05][ex2]") {
  const Log seen = run_virtual(watch_all_tasks());
  const std::string main_task = seen.at(0).substr(4);
  CHECK(seen == Log{"0.0 " + main_task, "0.0 quick", "0.0 slow",  // at 0 s all three
                    "1.5 " + main_task, "1.5 slow",               // quick is done at 1 s
                    "2.5 " + main_task});                         // slow is done at 2 s
}

namespace {
// book:test-dropped
aio::Coro<void> fire_and_forget(Log* log) {
  aio::create_task(say_after(1s, "the forgotten task finished", log));  // the handle is dropped here
  co_await aio::sleep(2s);
  log->push_back(now() + " main: " + std::to_string(aio::all_tasks().size()) + " task(s) left");
}
// end book:test-dropped
}  // namespace

TEST_CASE("a task whose every handle was dropped still runs to completion", "[l05][ex2]") {
  Log log;
  run_virtual(fire_and_forget(&log));
  CHECK(log == Log{"1.0 the forgotten task finished", "2.0 main: 1 task(s) left"});
}

namespace {
// Logs when the coroutine frame that holds it is destroyed: a coroutine's parameters live in its
// frame until the frame goes, and the frame goes with the task.
struct FrameWitness {
  Log* log;
  explicit FrameWitness(Log* l) : log(l) {}
  FrameWitness(FrameWitness&& other) noexcept : log(std::exchange(other.log, nullptr)) {}
  FrameWitness& operator=(FrameWitness&&) = delete;
  ~FrameWitness() {
    if (log != nullptr) log->push_back(aio_test::at("the task is freed"));
  }
};

aio::Coro<void> witnessed_job(FrameWitness witness, Log* log) {
  co_await aio::sleep(1s);
  log->push_back(now() + " the job ends");
  (void)witness;
}

aio::Coro<void> drop_a_witnessed_task(Log* log) {
  aio::create_task(witnessed_job(FrameWitness(log), log));  // the only handle is dropped at once
  co_await aio::sleep(2s);
  log->push_back(now() + " main returns");
}
}  // namespace

namespace {
aio::Coro<std::string> long_text(aio::Duration delay) {
  co_await aio::sleep(delay);
  co_return std::string(1000, 'x');  // on the heap: a copy too many, or none freed, shows under ASan
}

aio::Coro<void> read_a_kept_result(Log* log) {
  aio::Task<std::string> task = aio::create_task(long_text(1s));
  aio::Task<std::string> late = aio::create_task(long_text(3s));
  co_await aio::sleep(2s);
  late.cancel();  // pending: it ends cancelled, and keeps no value
  std::string first = task.result();
  std::string again = task.result();  // a task answers as often as it is asked
  log->push_back(now() + " read " + std::to_string(first.size()) + " and " + std::to_string(again.size()));
  try {
    co_await late;
  } catch (const aio::CancelledError&) {
    log->push_back(now() + " the late one was cancelled");
  }
}
}  // namespace

TEST_CASE("a finished task keeps a result that owns memory, and reads it as often as asked", "[l05][ex3]") {
  Log log;
  run_virtual(read_a_kept_result(&log));
  CHECK(log == Log{"2.0 read 1000 and 1000", "2.0 the late one was cancelled"});
}

TEST_CASE("a task with no handle left is freed as soon as it finishes", "[l05][ex2]") {
  // The loop's own reference goes when the task finishes; a handle that create_task took one
  // reference too many for would keep the task (and its frame) alive for ever.
  Log log;
  run_virtual(drop_a_witnessed_task(&log));
  CHECK(log == Log{"1.0 the job ends", "1.0 the task is freed", "2.0 main returns"});
}

TEST_CASE("create_task without a running loop throws InvalidStateError", "[l05][ex2]") {
  CHECK_THROWS_AS(aio::create_task(nothing()), aio::InvalidStateError);
}

// ---------------------------------------------------------------------------------------------
// l05.ex3: result() and exception(), and the report of an exception that nobody retrieved

namespace {
// book:test-too-early
aio::Coro<std::string> ask_too_early() {
  aio::Task<int> task = aio::create_task(value_after(1s, 42));
  std::string message = "no exception";
  try {
    task.result();
  } catch (const aio::InvalidStateError& error) {
    message = error.what();
  }
  co_await aio::sleep(2s);  // let the task finish
  co_return message;
}
// end book:test-too-early
}  // namespace

TEST_CASE("result() of a pending task throws InvalidStateError naming the task",
          "[l05][ex3]") {
  const std::string message = run_virtual(ask_too_early());
  CHECK_THAT(message, aio_test::contains("Result is not set"));
  CHECK_THAT(message, aio_test::contains("<Task pending name='Task-"));
  CHECK_THAT(message, aio_test::contains("has not finished yet"));
}

namespace {
aio::Coro<Log> read_results() {
  Log seen;
  aio::Task<std::string> task = aio::create_task(text_after(1s, "tea"));
  co_await aio::sleep(1500ms);
  seen.push_back(now() + " done: " + (task.done() ? "yes" : "no"));
  std::string copy = task.result();
  copy += " with milk";  // a copy: the task's own result does not change
  seen.push_back(copy);
  seen.push_back(task.result());
  seen.push_back(task.exception() == nullptr ? "no exception" : "an exception");
  co_return seen;
}
}  // namespace

TEST_CASE("result() of a finished task returns a copy of its value, every time",
          "[l05][ex3]") {
  CHECK(run_virtual(read_results()) == Log{"1.5 done: yes", "tea with milk", "tea", "no exception"});
}

namespace {
aio::Coro<Log> read_a_failure() {
  Log seen;
  aio::Task<void> task = aio::create_task(fail_after(1s, "boom"));
  try {
    task.exception();
  } catch (const aio::InvalidStateError& error) {
    seen.push_back(std::string("pending: ") + error.what());
  }
  co_await aio::sleep(1500ms);
  seen.push_back(task.done() ? "done" : "pending");
  seen.push_back(task.cancelled() ? "cancelled" : "not cancelled");
  seen.push_back("exception(): " + message_of(task.exception()));
  try {
    task.result();
  } catch (const std::runtime_error& error) {
    seen.push_back(std::string("result() rethrows: ") + error.what());
  }
  co_return seen;
}
}  // namespace

TEST_CASE("exception() returns what a failed task threw; result() rethrows it", "[l05][ex3]") {
  const Log seen = run_virtual(read_a_failure());
  REQUIRE(seen.size() == 5);
  CHECK_THAT(seen[0], aio_test::contains("pending: Exception is not set"));
  CHECK(Log(seen.begin() + 1, seen.end()) ==
        Log{"done", "not cancelled", "exception(): boom", "result() rethrows: boom"});
}

namespace {
aio::Coro<Log> read_a_cancelled_task() {
  Log seen;
  aio::Task<int> task = aio::create_task(value_after(10s, 1));
  co_await aio::sleep(0s);   // the task starts its sleep
  task.cancel("not needed");  // lesson 08's cancel(), used as a black box
  co_await aio::sleep(0s);   // the task ends cancelled
  seen.push_back(task.cancelled() ? "cancelled" : "not cancelled");
  try {
    seen.push_back(task.exception() ? "exception() returned an exception" : "exception() returned null");
  } catch (const aio::CancelledError& error) {
    seen.push_back("exception() raised CancelledError: " + error.message());
  }
  try {
    seen.push_back("result() returned " + std::to_string(task.result()));
  } catch (const aio::CancelledError& error) {
    seen.push_back("result() raised CancelledError: " + error.message());
  }
  co_return seen;
}
}  // namespace

TEST_CASE("exception() and result() raise a cancelled task's CancelledError", "[l05][ex3]") {
  // CPython: cpython/exception_of_cancelled.py
  CHECK(run_virtual(read_a_cancelled_task()) ==
        Log{"cancelled", "exception() raised CancelledError: not needed",
            "result() raised CancelledError: not needed"});
}

namespace {
// book:test-unretrieved
aio::Coro<aio::Task<void>> start_doomed_task() {
  aio::Task<void> doomed = aio::create_task(fail_after(1s, "boom"), "doomed");
  co_await aio::sleep(2s);
  co_return doomed;  // the handle outlives the loop's run; nobody reads the exception
}
// end book:test-unretrieved
}  // namespace

// book:test-unretrieved-report
TEST_CASE("an exception nobody retrieved is reported once, when the loop closes",
          "[l05][ex3]") {
  Log reports;
  aio::Task<void> kept;
  {
    aio::EventLoop loop(aio::Clock::virtual_time());
    loop.set_exception_handler([&reports](const std::string& message) { reports.push_back(message); });
    kept = aio::run_until_complete(loop, start_doomed_task());
    CHECK(kept.done());
    CHECK(reports.empty());  // a handle still holds the task: nothing is reported yet
  }                          // the loop closes here
  REQUIRE(reports.size() == 1);
  CHECK_THAT(reports[0], aio_test::contains("Task exception was never retrieved"));
  CHECK_THAT(reports[0], aio_test::contains("'doomed'"));
  CHECK_THAT(reports[0], aio_test::contains("boom"));
  kept = {};  // the last handle goes: no second report
  CHECK(reports.size() == 1);
}
// end book:test-unretrieved-report

namespace {
aio::Coro<void> fail_and_be_forgotten() {
  aio::create_task(fail_after(1s, "nobody listens"));
  co_await aio::sleep(2s);
}
}  // namespace

TEST_CASE("a failed task with no handle left is reported as soon as it finishes",
          "[l05][ex3]") {
  Log reports;
  aio::EventLoop loop(aio::Clock::virtual_time());
  loop.set_exception_handler([&reports, &loop](const std::string& message) {
    reports.push_back(aio::format_seconds(loop.time()) + " " + message);
  });
  aio::run_until_complete(loop, fail_and_be_forgotten());
  REQUIRE(reports.size() == 1);
  CHECK_THAT(reports[0], aio_test::contains("1.0 Task exception was never retrieved"));
  CHECK_THAT(reports[0], aio_test::contains("nobody listens"));
}

namespace {
aio::Coro<aio::Task<void>> start_task_and_read(bool through_result) {
  aio::Task<void> failing = aio::create_task(fail_after(1s, "boom"));
  co_await aio::sleep(2s);
  if (through_result) {
    try {
      failing.result();
    } catch (const std::runtime_error&) {
    }
  } else {
    (void)failing.exception();
  }
  co_return failing;
}
}  // namespace

TEST_CASE("an exception read through result() or exception() is never reported", "[l05][ex3]") {
  const bool through_result = GENERATE(true, false);
  Log reports;
  {
    aio::EventLoop loop(aio::Clock::virtual_time());
    loop.set_exception_handler([&reports](const std::string& message) { reports.push_back(message); });
    aio::Task<void> kept = aio::run_until_complete(loop, start_task_and_read(through_result));
    CHECK(kept.done());
  }
  CHECK(reports.empty());
}

// ---------------------------------------------------------------------------------------------
// l05.ex4: add_done_callback

namespace {
// book:test-callback-order
aio::Coro<void> callbacks_go_through_the_loop(Log* log) {
  aio::Task<void> first = aio::create_task(note(log, "first task ends"));
  first.add_done_callback([log](const aio::Task<void>&) { log->push_back("callback 1"); });
  first.add_done_callback([log](const aio::Task<void>&) { log->push_back("callback 2"); });
  aio::Task<void> second = aio::create_task(note(log, "second task runs"));
  co_await aio::sleep(0s);
  log->push_back("main resumes");
  co_await aio::sleep(0s);
  log->push_back("main resumes again");
}
// end book:test-callback-order
}  // namespace

// book:test-callback-order-check
TEST_CASE("done callbacks run from the loop, not inline, in the order added",
          "[l05][ex4]") {
  Log log;
  run_virtual(callbacks_go_through_the_loop(&log));
  // One iteration runs `first` (which schedules its callbacks), `second` and main; the next runs
  // the callbacks. Called inline, they would come straight after "first task ends".
  CHECK(log == Log{"first task ends", "second task runs", "main resumes", "callback 1", "callback 2",
                   "main resumes again"});
}
// end book:test-callback-order-check

namespace {
aio::Coro<void> late_callback(Log* log) {
  aio::Task<int> task = aio::create_task(value_after(1s, 7));
  co_await aio::sleep(2s);
  task.add_done_callback([log](aio::Task<int> finished) {
    log->push_back(now() + " callback sees " + std::to_string(finished.result()));
  });
  log->push_back(now() + " callback added");
  co_await aio::sleep(0s);
  log->push_back(now() + " main after one yield");
}
}  // namespace

TEST_CASE("a callback added after the task finished is scheduled, not run", "[l05][ex4]") {
  Log log;
  run_virtual(late_callback(&log));
  CHECK(log == Log{"2.0 callback added", "2.0 callback sees 7", "2.0 main after one yield"});
}

namespace {
aio::Coro<void> callback_reads_the_task(Log* log) {
  aio::Task<std::string> task = aio::create_task(text_after(1s, "tea"), "brew");
  task.add_done_callback([log](aio::Task<std::string> finished) {
    log->push_back(now() + " " + finished.get_name() + " gave " + finished.result());
  });
  aio::Task<void> failing = aio::create_task(fail_after(2s, "burnt"), "toast");
  failing.add_done_callback([log](aio::Task<void> finished) {
    log->push_back(now() + " " + finished.get_name() + " failed: " + message_of(finished.exception()));
  });
  co_await aio::sleep(3s);
}
}  // namespace

TEST_CASE("a done callback receives the task and can read how it ended",
          "[l05][ex4]") {
  Log log;
  Log reports;
  aio::EventLoop loop(aio::Clock::virtual_time());
  loop.set_exception_handler([&reports](const std::string& message) { reports.push_back(message); });
  aio::run_until_complete(loop, callback_reads_the_task(&log));
  CHECK(log == Log{"1.0 brew gave tea", "2.0 toast failed: burnt"});
  CHECK(reports.empty());  // the callback retrieved the exception
}

namespace {
aio::Coro<void> throwing_callback(Log* log) {
  aio::Task<void> task = aio::create_task(nothing());
  task.add_done_callback([](const aio::Task<void>&) { throw std::runtime_error("callback broke"); });
  task.add_done_callback([log](const aio::Task<void>&) { log->push_back("the next callback runs"); });
  co_await aio::sleep(1s);
}
}  // namespace

TEST_CASE("a done callback that throws is reported by the exception handler",
          "[l05][ex4]") {
  Log log;
  Log reports;
  aio::EventLoop loop(aio::Clock::virtual_time());
  loop.set_exception_handler([&reports](const std::string& message) { reports.push_back(message); });
  aio::run_until_complete(loop, throwing_callback(&log));
  CHECK(log == Log{"the next callback runs"});
  REQUIRE(reports.size() == 1);
  CHECK_THAT(reports[0], aio_test::contains("callback broke"));
}

// ---------------------------------------------------------------------------------------------
// l05.ex5: co_await on a task

namespace {
aio::Coro<Log> await_one() {
  Log seen;
  aio::Task<int> task = aio::create_task(value_after(1s, 42));
  const int value = co_await task;
  seen.push_back(now() + " got " + std::to_string(value));
  co_return seen;
}
}  // namespace

TEST_CASE("co_await on a task returns its result when the task finishes", "[l05][ex5]") {
  CHECK(run_virtual(await_one()) == Log{"1.0 got 42"});
}

namespace {
// book:test-sequential
aio::Coro<void> sequential(Log* log) {
  co_await say_after(1s, "hello", log);
  co_await say_after(2s, "world", log);
  log->push_back(now() + " finished");
}
// end book:test-sequential

// book:test-concurrent
aio::Coro<void> concurrent(Log* log) {
  aio::Task<void> task1 = aio::create_task(say_after(1s, "hello", log));
  aio::Task<void> task2 = aio::create_task(say_after(2s, "world", log));
  co_await task1;
  co_await task2;
  log->push_back(now() + " finished");
}
// end book:test-concurrent
}  // namespace

// book:test-classic
TEST_CASE("greetings after 1 s and 2 s take 3 s awaited in turn, 2 s as tasks", "[l05][ex5]") {
  Log one_after_the_other;
  run_virtual(sequential(&one_after_the_other));
  CHECK(one_after_the_other == Log{"1.0 hello", "3.0 world", "3.0 finished"});

  Log side_by_side;
  run_virtual(concurrent(&side_by_side));
  CHECK(side_by_side == Log{"1.0 hello", "2.0 world", "2.0 finished"});
}
// end book:test-classic

namespace {
aio::Coro<void> await_a_finished_task(Log* log) {
  aio::Task<int> task = aio::create_task(value_after(0s, 5));
  co_await aio::sleep(0s);  // the task runs to its end in this iteration
  co_await aio::sleep(0s);
  aio::Task<void> other = aio::create_task(note(log, "another task runs"));
  const int first = co_await task;  // done already: no suspension, so `other` cannot run yet
  const int second = co_await task;
  log->push_back("main got " + std::to_string(first) + " and " + std::to_string(second));
  co_await aio::sleep(0s);
}
}  // namespace

TEST_CASE("awaiting a finished task returns its result at once, every time",
          "[l05][ex5]") {
  Log log;
  run_virtual(await_a_finished_task(&log));
  CHECK(log == Log{"main got 5 and 5", "another task runs"});
}

namespace {
aio::Coro<void> wait_for(aio::Task<int> target, std::string who, Log* log) {
  const int value = co_await target;
  log->push_back(now() + " " + who + " got " + std::to_string(value));
}

aio::Coro<void> many_waiters(Log* log) {
  aio::Task<int> target = aio::create_task(value_after(1s, 9));
  aio::Task<void> a = aio::create_task(wait_for(target, "A", log));
  aio::Task<void> b = aio::create_task(wait_for(target, "B", log));
  aio::Task<void> c = aio::create_task(wait_for(target, "C", log));
  const int value = co_await target;
  log->push_back(now() + " main got " + std::to_string(value));
  co_await aio::sleep(0s);
}
}  // namespace

TEST_CASE("every awaiter of a task gets its result, in the order they waited",
          "[l05][ex5]") {
  Log log;
  run_virtual(many_waiters(&log));
  // main began waiting first (in its first step); A, B and C in the iteration after.
  CHECK(log == Log{"1.0 main got 9", "1.0 A got 9", "1.0 B got 9", "1.0 C got 9"});
}

namespace {
aio::Coro<void> wait_for_failure(aio::Task<void> target, std::string who, Log* log) {
  try {
    co_await target;
    log->push_back(who + ": no exception");
  } catch (const std::runtime_error& error) {
    log->push_back(now() + " " + who + " caught " + error.what());
  }
}

aio::Coro<void> many_catchers(Log* log) {
  aio::Task<void> target = aio::create_task(fail_after(1s, "boom"));
  aio::Task<void> a = aio::create_task(wait_for_failure(target, "A", log));
  aio::Task<void> b = aio::create_task(wait_for_failure(target, "B", log));
  co_await aio::sleep(2s);
}
}  // namespace

TEST_CASE("co_await rethrows a failed task's exception in every awaiter",
          "[l05][ex5]") {
  Log log;
  Log reports;
  aio::EventLoop loop(aio::Clock::virtual_time());
  loop.set_exception_handler([&reports](const std::string& message) { reports.push_back(message); });
  aio::run_until_complete(loop, many_catchers(&log));
  CHECK(log == Log{"1.0 A caught boom", "1.0 B caught boom"});
  CHECK(reports.empty());
}

namespace {
// book:test-listeners
aio::Coro<void> listeners_in_order(Log* log) {
  aio::Task<int> target = aio::create_task(value_after(1s, 7));
  target.add_done_callback([log](const aio::Task<int>&) { log->push_back("callback 1"); });
  aio::Task<void> waiter = aio::create_task(wait_for(target, "waiter", log));  // waits from its first step
  co_await aio::sleep(0s);                                                    // ... which runs now
  target.add_done_callback([log](const aio::Task<int>&) { log->push_back("callback 2"); });
  co_await aio::sleep(2s);
}
// end book:test-listeners
}  // namespace

TEST_CASE("callbacks and awaiting tasks are told in the order they listened",
          "[l05][ex5]") {
  Log log;
  run_virtual(listeners_in_order(&log));
  CHECK(log == Log{"callback 1", "1.0 waiter got 7", "callback 2"});
}

namespace {
aio::Coro<void> await_myself(aio::Task<void>* self, Log* log) {
  try {
    co_await *self;
    log->push_back("awaited itself?");
  } catch (const aio::InvalidStateError& error) {
    log->push_back(error.what());
  }
}

aio::Coro<void> start_self_awaiter(Log* log) {
  aio::Task<void> task;
  task = aio::create_task(await_myself(&task, log), "narcissus");  // stored before the task runs
  co_await task;
}
}  // namespace

TEST_CASE("a task that awaits itself gets InvalidStateError", "[l05][ex5]") {
  // CPython: cpython/await_itself.py (asyncio raises RuntimeError with the same words)
  Log log;
  run_virtual(start_self_awaiter(&log));
  REQUIRE(log.size() == 1);
  CHECK_THAT(log[0], aio_test::contains("cannot await on itself"));
  CHECK_THAT(log[0], aio_test::contains("narcissus"));
}

// The awaiter's cancellation paths. cancel() is lesson 08's: these tests use the finished one
// (solutions/08-cancellation) as a black box. What they check is this lesson's part: the awaiter
// is the waiting task's Wait, and await_resume delivers a cancel that arrived meanwhile.

namespace {
aio::Coro<int> target_body(aio::Duration delay, int value, Log* log) {
  try {
    co_await aio::sleep(delay);
  } catch (const aio::CancelledError&) {
    log->push_back(now() + " target cancelled");
    throw;
  }
  log->push_back(now() + " target returns " + std::to_string(value));
  co_return value;
}

aio::Coro<void> waiter_body(aio::Task<int> target, Log* log) {
  try {
    const int value = co_await target;
    log->push_back(now() + " waiter got " + std::to_string(value));
  } catch (const aio::CancelledError& error) {
    log->push_back(now() + " waiter got CancelledError" + (error.message().empty() ? "" : ": " + error.message()));
    throw;
  }
}

// book:test-cancel-waiter
aio::Coro<void> cancel_a_waiter(Log* log) {
  aio::Task<int> target = aio::create_task(target_body(5s, 7, log));
  aio::Task<void> waiter = aio::create_task(waiter_body(target, log));
  co_await aio::sleep(1s);
  log->push_back(now() + " cancel the waiter: " + aio_test::py(waiter.cancel("stop")));
  co_await aio::sleep(500ms);
  log->push_back(now() + " target cancelled " + aio_test::py(target.cancelled()) + ", waiter cancelled " +
                 aio_test::py(waiter.cancelled()));
}
// end book:test-cancel-waiter
}  // namespace

TEST_CASE("cancelling a task that awaits another cancels that one too", "[l05][ex5]") {
  // CPython: cpython/cancel_reaches_awaited_task.py
  // The cancel reaches the target only through the Wait the waiter was suspended with.
  Log log;
  run_virtual(cancel_a_waiter(&log));
  CHECK(log == Log{"1.0 cancel the waiter: True", "1.0 target cancelled", "1.0 waiter got CancelledError: stop",
                   "1.5 target cancelled True, waiter cancelled True"});
}

namespace {
aio::Coro<void> cancel_after_the_target_ended(Log* log) {
  aio::Task<int> target = aio::create_task(target_body(1s, 7, log));
  aio::Task<void> waiter = aio::create_task(waiter_body(target, log));
  co_await aio::sleep(0s);  // the target starts its 1 s sleep before ours
  co_await aio::sleep(1s);  // we wake in the iteration in which the target ended, right after it
  log->push_back(now() + " target done " + aio_test::py(target.done()) + "; cancel the waiter: " +
                 aio_test::py(waiter.cancel()));
  co_await aio::sleep(0s);
  log->push_back(now() + " waiter cancelled " + aio_test::py(waiter.cancelled()));
}
}  // namespace

TEST_CASE("a cancel that comes after the awaited task ended is not lost", "[l05][ex5]") {
  // CPython: cpython/cancel_after_awaited_task_finished.py
  // The waiter's wake-up is already queued and the target cannot take the request: the waiter's
  // own await_resume must raise it.
  Log log;
  run_virtual(cancel_after_the_target_ended(&log));
  CHECK(log == Log{"1.0 target returns 7", "1.0 target done True; cancel the waiter: True",
                   "1.0 waiter got CancelledError", "1.0 waiter cancelled True"});
}

namespace {
struct Circle {
  aio::Task<void> a;
  aio::Task<void> b;
};

aio::Coro<void> await_other(aio::Task<void>* other) { co_await *other; }

aio::Coro<void> start_circle(Circle* circle) {
  circle->a = aio::create_task(await_other(&circle->b), "a");  // a awaits b ...
  circle->b = aio::create_task(await_other(&circle->a), "b");  // ... and b awaits a
  co_await circle->a;
}
}  // namespace

TEST_CASE("a circle of awaiting tasks deadlocks; a cancel does not loop forever",
          "[l05][ex5]") {
  Log reports;
  Circle circle;
  {
    aio::EventLoop loop(aio::Clock::virtual_time());
    loop.set_exception_handler([&reports](const std::string& message) { reports.push_back(message); });
    REQUIRE_THROWS_AS(aio::run_until_complete(loop, start_circle(&circle)), aio::DeadlockError);
    REQUIRE(circle.a.valid());
    // cancel() is lesson 08's (a black box here): a forwards to b, b back to a, declined there.
    CHECK(circle.a.cancel());
    CHECK_FALSE(circle.a.done());
  }  // the loop closes with main, a and b still pending, and says so
  CHECK(reports.size() == 3);
  for (const std::string& report : reports) {
    CHECK_THAT(report, aio_test::contains("Task was destroyed but it is pending"));
  }
}
