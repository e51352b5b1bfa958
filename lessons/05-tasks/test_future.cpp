// Tests for aio::Future<T> (exercise l05.ex1): a result that somebody sets later.
//
// Everything runs on the virtual clock and records, with the loop's time, what happens. The
// tasks that wait here are started with lesson 04's CoroTask::spawn, not with create_task, and
// nothing awaits a task: these tests need none of the later exercises.
#include <aio/clock.hpp>
#include <aio/event_loop.hpp>
#include <aio/future.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>

#include <chrono>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

using namespace std::chrono_literals;
using aio_test::Log;
using aio_test::at;

namespace {

template <class T>
T run_virtual(aio::Coro<T> main) {
  return aio::run(std::move(main), {.virtual_clock = true});
}

/// Starts `coro` as a task, as create_task does, with lesson 04's TaskBase only.
template <class T>
aio::Task<T> spawn(aio::Coro<T> coro) {
  return aio::Task<T>(aio::detail::CoroTask<T>::spawn(aio::get_running_loop(), std::move(coro)));
}

aio::Coro<void> waiter(Log* log, std::string name, aio::Future<int> future) {
  log->push_back(at(name + " waits"));
  try {
    int value = co_await future;
    log->push_back(at(name + " got " + std::to_string(value)));
  } catch (const aio::CancelledError& error) {
    log->push_back(at(name + " sees CancelledError" + aio_test::args(error)));
    throw;
  } catch (const std::exception& error) {
    log->push_back(at(name + " sees " + error.what()));
  }
}

aio::Coro<void> tick(Log* log, int count) {
  for (int i = 0; i < count; ++i) {
    log->push_back(at("tick " + std::to_string(i)));
    co_await aio::sleep(0ms);
  }
}

template <class F>
std::string invalid_state(F operation) {
  try {
    operation();
  } catch (const aio::InvalidStateError& error) {
    return error.what();
  }
  return "no InvalidStateError";
}

}  // namespace

// CPython: cpython/future.py
TEST_CASE("reading a pending future is an InvalidStateError", "[l05][ex1]") {
  aio::EventLoop loop(aio::Clock::virtual_time());
  aio::Future<int> future(loop);
  CHECK_FALSE(future.done());
  CHECK(invalid_state([&] { future.result(); }) == std::string("Result is not set."));
  CHECK(invalid_state([&] { (void)future.exception(); }) == std::string("Exception is not set."));
}

// CPython: cpython/future.py
TEST_CASE("a future ends once: set twice is InvalidStateError, cancel() is false", "[l05][ex1]") {
  aio::EventLoop loop(aio::Clock::virtual_time());
  aio::Future<int> future(loop);
  future.set_result(42);
  CHECK(future.done());
  CHECK(invalid_state([&] { future.set_result(43); }) == std::string("invalid state"));
  CHECK(invalid_state([&] { future.set_exception(std::make_exception_ptr(std::runtime_error("late"))); }) ==
        std::string("invalid state"));
  CHECK_FALSE(future.cancel());
  CHECK_FALSE(future.cancelled());
  CHECK(future.result() == 42);
  CHECK(future.exception() == nullptr);
}

namespace {

// book:test-future-order
aio::Coro<void> two_waiters_two_callbacks(Log* log) {
  aio::Future<int> future = aio::create_future<int>();
  future.add_done_callback([log](aio::Future<int>& f) { log->push_back(at("callback 1 sees " + std::to_string(f.result()))); });
  auto a = spawn(waiter(log, "a", future));
  auto b = spawn(waiter(log, "b", future));
  co_await aio::sleep(0ms);
  future.add_done_callback([log](aio::Future<int>& f) { log->push_back(at("callback 2 sees " + std::to_string(f.result()))); });
  aio::get_running_loop().call_later(1s, [future]() mutable { future.set_result(42); });
  co_await aio::sleep(1s);
  log->push_back(at("set_result has run"));
  auto ticker = spawn(tick(log, 3));
  for (int i = 0; i < 3; ++i) co_await aio::sleep(0ms);
}
// end book:test-future-order

}  // namespace

// CPython: cpython/future.py
TEST_CASE("a future set later wakes every listener in the order it came", "[l05][ex1]") {
  Log log;
  run_virtual(two_waiters_two_callbacks(&log));
  CHECK(log == Log{"0.0 a waits", "0.0 b waits", "1.0 callback 1 sees 42", "1.0 a got 42", "1.0 b got 42",
                   "1.0 callback 2 sees 42", "1.0 set_result has run", "1.0 tick 0", "1.0 tick 1", "1.0 tick 2"});
}

namespace {
aio::Coro<void> late_callback(Log* log) {
  aio::Future<void> future = aio::create_future<void>();
  future.set_result();
  future.add_done_callback([log](aio::Future<void>&) { log->push_back(at("late callback runs")); });
  log->push_back(at("late callback added"));
  co_await aio::sleep(0ms);
  log->push_back(at("after one iteration"));
}
}  // namespace

// CPython: cpython/future.py
TEST_CASE("a callback added after the end still goes through the ready queue", "[l05][ex1]") {
  Log log;
  run_virtual(late_callback(&log));
  CHECK(log == Log{"0.0 late callback added", "0.0 late callback runs", "0.0 after one iteration"});
}

namespace {
aio::Coro<void> awaits_finished_future(Log* log) {
  aio::Future<int> future = aio::create_future<int>();
  future.set_result(7);
  auto ticker = spawn(tick(log, 2));
  int value = co_await future;  // done already: no suspension, so the ticker has not run yet
  log->push_back(at("got " + std::to_string(value)));
  co_await aio::sleep(0ms);
  co_await aio::sleep(0ms);
}
}  // namespace

// CPython: cpython/future_done.py
TEST_CASE("co_await on a finished future does not suspend", "[l05][ex1]") {
  Log log;
  run_virtual(awaits_finished_future(&log));
  CHECK(log == Log{"0.0 got 7", "0.0 tick 0", "0.0 tick 1"});
}

namespace {
aio::Coro<void> failed_and_cancelled(Log* log) {
  aio::Future<int> bad = aio::create_future<int>();
  bad.set_exception(std::make_exception_ptr(std::invalid_argument("bad input")));
  CHECK(bad.exception() != nullptr);
  co_await waiter(log, "c", bad);

  aio::Future<int> box = aio::create_future<int>();
  auto d = spawn(waiter(log, "d", box));
  co_await aio::sleep(0ms);
  log->push_back(at(std::string("cancel('stop') returns ") + aio_test::py(box.cancel("stop"))));
  co_await aio::sleep(0ms);
  CHECK(box.cancelled());
  try {
    box.result();
  } catch (const aio::CancelledError& error) {
    log->push_back(at("result() throws CancelledError" + aio_test::args(error)));
  }
}
}  // namespace

// CPython: cpython/future_done.py
TEST_CASE("an exception or a cancel ends the future for every waiter", "[l05][ex1]") {
  Log log;
  run_virtual(failed_and_cancelled(&log));
  CHECK(log == Log{"0.0 c waits", "0.0 c sees bad input", "0.0 d waits", "0.0 cancel('stop') returns True",
                   "0.0 d sees CancelledError('stop',)", "0.0 result() throws CancelledError('stop',)"});
}

namespace {
aio::Coro<void> cancels_the_waiter(Log* log) {
  aio::Future<int> box = aio::create_future<int>();
  auto e = spawn(waiter(log, "e", box));
  auto f = spawn(waiter(log, "f", box));
  co_await aio::sleep(0ms);
  e.cancel("bye");  // cancel() is lesson 08's, used here as a black box
  co_await aio::sleep(0ms);
  log->push_back(at(std::string("the future is cancelled: ") + aio_test::py(box.cancelled())));
}
}  // namespace

// asyncio's Task.cancel cancels the future its task waits on. CPython: cpython/future_done.py
TEST_CASE("cancelling a task that awaits a future cancels the future", "[l05][ex1]") {
  Log log;
  run_virtual(cancels_the_waiter(&log));
  CHECK(log == Log{"0.0 e waits", "0.0 f waits", "0.0 e sees CancelledError('bye',)",
                   "0.0 f sees CancelledError('bye',)", "0.0 the future is cancelled: True"});
}

TEST_CASE("a future dropped before it ends frees its callbacks", "[l05][ex1]") {
  // Under AddressSanitizer a listener that is never freed is a leak, and one freed twice a crash.
  aio::EventLoop loop(aio::Clock::virtual_time());
  auto counter = std::make_shared<int>(0);
  {
    aio::Future<int> future(loop);
    future.add_done_callback([counter](aio::Future<int>&) { ++*counter; });
    future.add_done_callback([counter](aio::Future<int>&) { ++*counter; });
    CHECK(counter.use_count() == 3);
  }
  CHECK(counter.use_count() == 1);
  CHECK(*counter == 0);
}

namespace {

aio::Coro<int> answer_after(aio::Duration delay, int value) {
  co_await aio::sleep(delay);
  co_return value;
}

// Listens to a TaskBase as gather and wait do, and says when it is told. Stops listening when
// it goes, even if the future never ended (an unfinished exercise throws before it does).
struct Told : aio::DoneListener {
  Told(aio::TaskBase& task, Log* l) : watched(&task), log(l) {
    on_done = [](aio::DoneListener* self, aio::TaskBase& done) {
      auto* told = static_cast<Told*>(self);
      told->log->push_back(std::string("told: ") + (done.cancelled() ? "cancelled" : done.error() ? "failed" : "finished"));
    };
    task.add_done_listener(*this);
  }
  Told(const Told&) = delete;
  Told& operator=(const Told&) = delete;
  ~Told() { watched->remove_done_listener(*this); }
  aio::TaskBase* watched;
  Log* log;
};

aio::Coro<void> watches_futures_as_tasks(Log* log) {
  aio::Future<int> future = aio::create_future<int>();
  aio::TaskBase& view = future.base();
  CHECK(&view == &future.base());  // made once
  Told told(view, log);
  future.set_result(1);
  log->push_back(std::string("after set_result: view done() = ") + aio_test::py(view.done()));

  aio::Future<int> failing = aio::create_future<int>();
  Told told_failing(failing.base(), log);
  failing.set_exception(std::make_exception_ptr(std::runtime_error("no")));

  aio::Future<int> cancelled = aio::create_future<int>();
  Told told_cancelled(cancelled.base(), log);
  const bool took = cancelled.base().cancel("x");
  log->push_back(std::string("view.cancel(): ") + aio_test::py(took) + ", future cancelled: " +
                 aio_test::py(cancelled.cancelled()));

  aio::Future<int> done_first = aio::create_future<int>();
  done_first.set_result(2);
  log->push_back(std::string("made after the end: done() = ") + aio_test::py(done_first.base().done()));

  aio::Task<int> task = spawn(answer_after(0s, 3));
  log->push_back("the next task is " + task.get_name());
  co_await task;
}

}  // namespace

TEST_CASE("a future seen as a task ends with it, inline, and takes no Task-N name", "[l05][ex1]") {
  // What gather, wait, as_completed and shield hold for a future (future.base()). The listener
  // is told inside set_result, as a task's listeners are told inside its completion.
  Log log;
  run_virtual(watches_futures_as_tasks(&log));
  CHECK(log == Log{"told: finished", "after set_result: view done() = True", "told: failed", "told: cancelled",
                   "view.cancel(): True, future cancelled: True", "made after the end: done() = True",
                   "the next task is Task-2"});
}
