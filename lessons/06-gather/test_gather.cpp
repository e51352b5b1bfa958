// Tests for aio::gather (exercises l06.ex1 to l06.ex4). Everything runs on the virtual clock, so
// the timestamps below are exact. Where a test says "CPython: cpython/NAME.py", that program runs
// the same scenario with asyncio.gather and keeps the output it must print (lNN.cpython runs it).
#include <aio/future.hpp>
#include <aio/gather.hpp>
#include <aio/outcome.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

using namespace std::chrono_literals;

namespace {

using Log = std::vector<std::string>;

template <class T>
T run_virtual(aio::Coro<T> main) {
  return aio::run(std::move(main), {.virtual_clock = true});
}

std::string now() { return aio::format_seconds(aio::get_running_loop().time()); }

// Records "<time> <what>" so that a test can check both the order and the moment of events.
void stamp(Log* log, const std::string& what) { log->push_back(now() + " " + what); }

aio::Coro<std::string> fetch(std::string name, aio::Duration delay, Log* log) {
  stamp(log, name + " starts");
  co_await aio::sleep(delay);
  stamp(log, name + " ends");
  co_return name;
}

aio::Coro<std::string> text_after_quietly(std::string text, aio::Duration delay) {
  co_await aio::sleep(delay);
  co_return text;
}

aio::Coro<int> square_after(int n, aio::Duration delay) {
  co_await aio::sleep(delay);
  co_return n * n;
}

aio::Coro<int> fail_after(std::string message, aio::Duration delay, Log* log) {
  co_await aio::sleep(delay);
  stamp(log, message + " fails");
  throw std::runtime_error(message);
}

aio::Coro<void> pause(aio::Duration delay, Log* log) {
  co_await aio::sleep(delay);
  stamp(log, "pause ends");
}

// Sleeps, and says so if it is cancelled while sleeping.
aio::Coro<int> cancellable(std::string name, aio::Duration delay, Log* log) {
  try {
    co_await aio::sleep(delay);
  } catch (const aio::CancelledError& cancelled) {
    stamp(log, name + " cancelled: " + cancelled.message());
    throw;
  }
  stamp(log, name + " ends");
  co_return static_cast<int>(name.size());
}

// Counts loop iterations: one line per iteration, so that hop counts are visible in a log.
aio::Coro<void> ticker(int ticks, Log* log) {
  for (int i = 0; i < ticks; ++i) {
    log->push_back("tick " + std::to_string(i));
    co_await aio::sleep(0ms);
  }
}

aio::Coro<std::string> after_yields(std::string name, int yields, Log* log) {
  for (int i = 0; i < yields; ++i) co_await aio::sleep(0ms);
  log->push_back(name + " done");
  co_return name;
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) out += (out.empty() ? "" : ",") + word;
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// ex1: the range form collects the results in argument order

// book:test-order
TEST_CASE("gather of a vector returns results in argument order, not finishing order",
          "[l06][ex1]") {
  Log log;
  auto main_coro = [](Log* log) -> aio::Coro<std::vector<std::string>> {
    std::vector<aio::Coro<std::string>> coros;
    coros.push_back(fetch("slow", 3s, log));
    coros.push_back(fetch("fast", 1s, log));
    coros.push_back(fetch("middle", 2s, log));
    std::vector<std::string> results = co_await aio::gather(std::move(coros));
    stamp(log, "gathered " + join(results));
    co_return results;
  };
  const auto results = run_virtual(main_coro(&log));
  CHECK(results == std::vector<std::string>{"slow", "fast", "middle"});
  CHECK(log == Log{"0.0 slow starts", "0.0 fast starts", "0.0 middle starts", "1.0 fast ends",
                   "2.0 middle ends", "3.0 slow ends", "3.0 gathered slow,fast,middle"});
}
// end book:test-order

TEST_CASE("gather of tasks takes as long as the slowest, not the sum",
          "[l06][ex1]") {
  auto main_coro = []() -> aio::Coro<int> {
    std::vector<aio::Task<int>> tasks;
    for (int n = 1; n <= 4; ++n) tasks.push_back(aio::create_task(square_after(n, std::chrono::seconds(5 - n))));
    std::vector<int> squares = co_await aio::gather(tasks);
    CHECK(squares == std::vector<int>{1, 4, 9, 16});
    CHECK(aio::get_running_loop().time() == 4s);
    for (const auto& task : tasks) CHECK(task.done());
    co_return squares.back();
  };
  CHECK(run_virtual(main_coro()) == 16);
}

TEST_CASE("gather wraps each coroutine in a task, created in argument order", "[l06][ex1]") {
  auto name_of_task = []() -> aio::Coro<std::string> {
    co_await aio::sleep(0ms);
    co_return aio::current_task()->name();
  };
  auto main_coro = [](decltype(name_of_task) child) -> aio::Coro<void> {
    std::vector<aio::Coro<std::string>> coros;
    for (int i = 0; i < 3; ++i) coros.push_back(child());
    std::vector<std::string> names = co_await aio::gather(std::move(coros));
    // The main task is Task-1; the children are numbered in the order gather made them.
    CHECK(names == std::vector<std::string>{"Task-2", "Task-3", "Task-4"});
  };
  run_virtual(main_coro(name_of_task));
}

// book:test-hops
TEST_CASE("the waiter resumes two iterations after the last child finishes", "[l06][ex1]") {
  // CPython: cpython/gather_hops.py. asyncio's gather learns about a child in a done callback
  // (one hop), then wakes the awaiting task through its outer future (another).
  Log log;
  auto main_coro = [](Log* log) -> aio::Coro<void> {
    aio::Task<void> ticks = aio::create_task(ticker(8, log));
    co_await aio::sleep(0ms);
    std::vector<aio::Coro<std::string>> coros;
    coros.push_back(after_yields("a", 1, log));
    coros.push_back(after_yields("b", 2, log));
    std::vector<std::string> results = co_await aio::gather(std::move(coros));
    log->push_back("main resumed " + join(results));
    co_await ticks;
  };
  run_virtual(main_coro(&log));
  CHECK(log == Log{"tick 0", "tick 1", "tick 2", "a done", "tick 3", "b done", "tick 4", "tick 5",
                   "main resumed a,b", "tick 6", "tick 7"});
}
// end book:test-hops

TEST_CASE("gather of a task that already finished still takes two iterations", "[l06][ex1]") {
  // CPython: cpython/gather_finished_tasks.py. This is 3.11's order; from 3.12 on, asyncio's
  // gather of finished tasks completes at once, without suspending.
  Log log;
  auto main_coro = [](Log* log) -> aio::Coro<void> {
    aio::Task<void> ticks = aio::create_task(ticker(5, log));
    aio::Task<std::string> done = aio::create_task(after_yields("c", 0, log));
    co_await aio::sleep(0ms);
    co_await aio::sleep(0ms);
    log->push_back(done.done() ? "c is done" : "c is pending");
    std::vector<aio::Task<std::string>> tasks{done};
    std::vector<std::string> results = co_await aio::gather(tasks);
    log->push_back("main resumed " + join(results));
    co_await ticks;
  };
  run_virtual(main_coro(&log));
  CHECK(log == Log{"tick 0", "c done", "tick 1", "c is done", "tick 2", "tick 3", "main resumed c", "tick 4"});
}

TEST_CASE("a task passed twice fills both slots, with the hops of asyncio", "[l06][ex1]") {
  // CPython: cpython/gather_same_task_twice.py
  Log log;
  auto main_coro = [](Log* log) -> aio::Coro<void> {
    aio::Task<void> ticks = aio::create_task(ticker(6, log));
    aio::Task<std::string> twice = aio::create_task(after_yields("t", 1, log));
    std::vector<aio::Task<std::string>> tasks{twice, twice};
    std::vector<std::string> results = co_await aio::gather(tasks);
    log->push_back("main resumed " + join(results));
    co_await ticks;
  };
  run_virtual(main_coro(&log));
  CHECK(log == Log{"tick 0", "tick 1", "t done", "tick 2", "tick 3", "main resumed t,t", "tick 4", "tick 5"});
}

TEST_CASE("gather of void coroutines gives one aio::Nothing per child", "[l06][ex1]") {
  Log log;
  auto main_coro = [](Log* log) -> aio::Coro<std::size_t> {
    std::vector<aio::Coro<void>> coros;
    coros.push_back(pause(2s, log));
    coros.push_back(pause(1s, log));
    std::vector<aio::Nothing> results = co_await aio::gather(std::move(coros));
    co_return results.size();
  };
  CHECK(run_virtual(main_coro(&log)) == 2);
  CHECK(log == Log{"1.0 pause ends", "2.0 pause ends"});
}

TEST_CASE("gather of an empty vector completes at once, without suspending", "[l06][ex1]") {
  auto main_coro = []() -> aio::Coro<std::size_t> {
    std::vector<aio::Task<int>> none;
    std::vector<int> results = co_await aio::gather(none);
    co_return results.size();
  };
  CHECK(run_virtual(main_coro()) == 0);
}

// ---------------------------------------------------------------------------------------------
// ex2: the first exception reaches the caller; the other children keep running

// book:test-first-exception
TEST_CASE("the first exception reaches the waiter; the other children run on",
          "[l06][ex2]") {
  Log log;
  auto main_coro = [](Log* log) -> aio::Coro<void> {
    std::vector<aio::Coro<int>> coros;
    coros.push_back(square_after(3, 3s));
    coros.push_back(fail_after("boom", 1s, log));
    auto gathering = aio::gather(std::move(coros));
    const std::vector<aio::Task<int>> children = gathering.tasks();
    try {
      std::vector<int> results = co_await gathering;
      stamp(log, "no exception");
    } catch (const std::runtime_error& error) {
      stamp(log, std::string("caught ") + error.what());
    }
    CHECK_FALSE(children[0].done());  // still running: gather does not cancel it
    co_await aio::sleep(5s);
    CHECK(children[0].done());
    CHECK(children[0].result() == 9);
  };
  run_virtual(main_coro(&log));
  CHECK(log == Log{"1.0 boom fails", "1.0 caught boom"});
}
// end book:test-first-exception

TEST_CASE("the first exception in finishing order wins, not in argument order", "[l06][ex2]") {
  Log log;
  auto main_coro = [](Log* log) -> aio::Coro<std::string> {
    std::vector<aio::Coro<int>> coros;
    coros.push_back(fail_after("late", 2s, log));
    coros.push_back(fail_after("early", 1s, log));
    try {
      std::vector<int> results = co_await aio::gather(std::move(coros));
    } catch (const std::runtime_error& error) {
      co_return error.what();
    }
    co_return "nothing";
  };
  CHECK(run_virtual(main_coro(&log)) == "early");
}

// book:test-not-reported
TEST_CASE("a later failure of another child is not reported", "[l06][ex2]") {
  Log log;
  Log reports;
  auto main_coro = [](Log* log, Log* reports) -> aio::Coro<void> {
    aio::get_running_loop().set_exception_handler([reports](const std::string& message) {
      reports->push_back(message);
    });
    std::vector<aio::Coro<int>> coros;
    coros.push_back(fail_after("first", 1s, log));
    coros.push_back(fail_after("second", 2s, log));
    try {
      std::vector<int> results = co_await aio::gather(std::move(coros));
    } catch (const std::runtime_error& error) {
      stamp(log, std::string("caught ") + error.what());
    }
    co_await aio::sleep(3s);
  };
  run_virtual(main_coro(&log, &reports));
  CHECK(log == Log{"1.0 first fails", "1.0 caught first", "2.0 second fails"});
  CHECK(reports.empty());
}
// end book:test-not-reported

TEST_CASE("a failure of the last child to finish reaches the waiter", "[l06][ex2]") {
  // The failure is also the last child in: it settles the gather, and nothing else may.
  Log log;
  auto main_coro = [](Log* log) -> aio::Coro<std::string> {
    try {
      [[maybe_unused]] auto [a, b] = co_await aio::gather(square_after(2, 1s), fail_after("last", 2s, log));
      co_return "no exception";
    } catch (const std::runtime_error& error) {
      co_return now() + " " + error.what();
    }
  };
  CHECK(run_virtual(main_coro(&log)) == "2.0 last");
}

// book:test-failed-twice
TEST_CASE("a failed task passed twice settles the gather once", "[l06][ex2]") {
  // CPython: cpython/gather_failed_task_twice.py. Both slots listen to the one task, so the
  // second is told of the failure after the first has settled the gather: it must change nothing.
  Log log;
  auto main_coro = [](Log* log) -> aio::Coro<std::string> {
    aio::Task<int> task = aio::create_task(fail_after("boom", 1s, log));
    std::vector<aio::Task<int>> twice{task, task};
    std::string seen = "no exception";
    try {
      std::vector<int> results = co_await aio::gather(twice);
    } catch (const std::runtime_error& error) {
      seen = now() + " caught " + error.what();
    }
    co_await aio::sleep(1s);
    co_return seen + ", " + now() + " main returns";
  };
  CHECK(run_virtual(main_coro(&log)) == "1.0 caught boom, 2.0 main returns");
}
// end book:test-failed-twice

TEST_CASE("a sibling that had already failed is not reported", "[l06][ex2]") {
  // CPython: cpython/gather_failed_siblings.py. Both tasks failed before the gather was awaited:
  // it raises the first, and nobody will ever look at the second, so the gather retrieves it.
  Log log;
  Log reports;
  auto main_coro = [](Log* log, Log* reports) -> aio::Coro<void> {
    aio::get_running_loop().set_exception_handler([reports](const std::string& message) {
      reports->push_back(now() + " reported: " + message);
    });
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(fail_after("first", 1s, log)));
    tasks.push_back(aio::create_task(fail_after("second", 2s, log)));
    co_await aio::sleep(3s);
    try {
      std::vector<int> results = co_await aio::gather(tasks);
    } catch (const std::runtime_error& error) {
      stamp(log, std::string("caught ") + error.what());
    }
    tasks.clear();  // the last handles go: an exception nobody retrieved would be reported now
    co_await aio::sleep(1s);
    stamp(log, "main returns");
  };
  run_virtual(main_coro(&log, &reports));
  CHECK(log == Log{"1.0 first fails", "2.0 second fails", "3.0 caught first", "4.0 main returns"});
  CHECK(reports.empty());
}

TEST_CASE("a cancelled child raises CancelledError; the waiter is not cancelled",
          "[l06][ex2]") {
  // CPython: cpython/gather_cancelled_child.py (cancel() is lesson 08's, a black box here)
  Log log;
  auto main_coro = [](Log* log) -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(cancellable("a", 1s, log)));
    tasks.push_back(aio::create_task(cancellable("bb", 2s, log)));
    auto canceller = [](aio::Task<int> victim) -> aio::Coro<void> {
      co_await aio::sleep(500ms);
      victim.cancel("child only");
    };
    aio::Task<void> cancelling = aio::create_task(canceller(tasks[1]));
    try {
      std::vector<int> results = co_await aio::gather(tasks);
      stamp(log, "no exception");
    } catch (const aio::CancelledError& cancelled) {
      stamp(log, "gather raised CancelledError: " + cancelled.message());
    }
    CHECK(aio::current_task()->cancelling() == 0);
    co_await cancelling;
    co_await aio::sleep(2s);
  };
  run_virtual(main_coro(&log));
  CHECK(log == Log{"0.5 bb cancelled: child only", "0.5 gather raised CancelledError: child only", "1.0 a ends"});
}

// ---------------------------------------------------------------------------------------------
// ex3: return_exceptions collects values and exceptions alike

TEST_CASE("return_exceptions gives each value or exception, in argument order",
          "[l06][ex3]") {
  Log log;
  auto main_coro = [](Log* log) -> aio::Coro<void> {
    std::vector<aio::Coro<int>> coros;
    coros.push_back(square_after(4, 2s));
    coros.push_back(fail_after("bad input", 1s, log));
    coros.push_back(square_after(5, 3s));
    std::vector<aio::Outcome<int>> outcomes = co_await aio::gather(aio::return_exceptions, std::move(coros));
    stamp(log, "gathered");
    REQUIRE(outcomes.size() == 3);
    CHECK(outcomes[0].has_value());
    CHECK(outcomes[0].value() == 16);
    CHECK(outcomes[1].has_exception());
    CHECK(outcomes[1].what() == "bad input");
    CHECK_THROWS_AS(outcomes[1].value(), std::runtime_error);
    CHECK_FALSE(outcomes[1].cancelled());
    CHECK(outcomes[2].value() == 25);
  };
  run_virtual(main_coro(&log));
  // A failure does not end the gather: it waits for every child.
  CHECK(log == Log{"1.0 bad input fails", "3.0 gathered"});
}

TEST_CASE("return_exceptions puts a cancelled child's CancelledError in its slot", "[l06][ex3]") {
  Log log;
  auto main_coro = [](Log* log) -> aio::Coro<void> {
    std::vector<aio::Task<int>> tasks;
    tasks.push_back(aio::create_task(cancellable("a", 1s, log)));
    tasks.push_back(aio::create_task(cancellable("bb", 2s, log)));
    tasks[1].cancel("not needed");  // lesson 08's cancel(), a black box here
    std::vector<aio::Outcome<int>> outcomes = co_await aio::gather(aio::return_exceptions, tasks);
    stamp(log, "gathered");
    CHECK(outcomes[0].value() == 1);
    CHECK(outcomes[1].cancelled());
    CHECK(outcomes[1].what() == "not needed");
    CHECK(aio::current_task()->cancelling() == 0);
  };
  run_virtual(main_coro(&log));
  CHECK(log == Log{"1.0 a ends", "1.0 gathered"});
}

TEST_CASE("return_exceptions fills the slots of void children with aio::Nothing", "[l06][ex3]") {
  Log log;
  auto main_coro = [](Log* log) -> aio::Coro<void> {
    std::vector<aio::Coro<void>> coros;
    coros.push_back(pause(1s, log));
    std::vector<aio::Outcome<void>> outcomes = co_await aio::gather(aio::return_exceptions, std::move(coros));
    REQUIRE(outcomes.size() == 1);
    CHECK(outcomes[0].value() == aio::Nothing{});
    CHECK(outcomes[0].exception() == nullptr);
  };
  run_virtual(main_coro(&log));
  CHECK(log == Log{"1.0 pause ends"});
}

// ---------------------------------------------------------------------------------------------
// ex3 (continued): the variadic form returns a tuple

TEST_CASE("variadic gather returns a tuple in order, with aio::Nothing for void", "[l06][ex3]") {
  Log log;
  auto main_coro = [](Log* log) -> aio::Coro<void> {
    auto [name, nothing, square] = co_await aio::gather(fetch("page", 2s, log), pause(3s, log), square_after(7, 1s));
    static_assert(std::is_same_v<decltype(nothing), aio::Nothing>);
    stamp(log, "gathered " + name + " " + std::to_string(square));
  };
  run_virtual(main_coro(&log));
  CHECK(log == Log{"0.0 page starts", "2.0 page ends", "3.0 pause ends", "3.0 gathered page 49"});
}

TEST_CASE("variadic gather accepts a mix of coroutines and tasks", "[l06][ex3]") {
  Log log;
  auto main_coro = [](Log* log) -> aio::Coro<int> {
    aio::Task<int> early = aio::create_task(square_after(3, 1s));
    std::tuple<int, std::string> both = co_await aio::gather(early, fetch("late", 2s, log));
    CHECK(std::get<1>(both) == "late");
    CHECK(aio::get_running_loop().time() == 2s);
    co_return std::get<0>(both);
  };
  CHECK(run_virtual(main_coro(&log)) == 9);
}

TEST_CASE("variadic gather with return_exceptions gives a tuple of outcomes", "[l06][ex3]") {
  Log log;
  auto main_coro = [](Log* log) -> aio::Coro<void> {
    auto [ok, failed, nothing] =
        co_await aio::gather(aio::return_exceptions, square_after(2, 1s), fail_after("oops", 2s, log), pause(1s, log));
    CHECK(ok.value() == 4);
    CHECK(failed.what() == "oops");
    CHECK(nothing.has_value());
    stamp(log, "gathered");
  };
  run_virtual(main_coro(&log));
  CHECK(log == Log{"1.0 pause ends", "2.0 oops fails", "2.0 gathered"});
}

TEST_CASE("variadic gather propagates the first exception", "[l06][ex3]") {
  Log log;
  auto main_coro = [](Log* log) -> aio::Coro<std::string> {
    try {
      [[maybe_unused]] auto [a, b] = co_await aio::gather(square_after(2, 2s), fail_after("first", 1s, log));
      co_return "no exception";
    } catch (const std::runtime_error& error) {
      co_return now() + " " + error.what();
    }
  };
  CHECK(run_virtual(main_coro(&log)) == "1.0 first");
}

TEST_CASE("an empty variadic gather completes at once with an empty tuple", "[l06][ex3]") {
  auto main_coro = []() -> aio::Coro<int> {
    std::tuple<> nothing = co_await aio::gather();
    (void)nothing;
    co_return 1;
  };
  CHECK(run_virtual(main_coro()) == 1);
}

namespace {

std::string py_list(const std::vector<std::string>& items) {
  std::string text = "[";
  for (const std::string& item : items) text += (text.size() > 1 ? ", '" : "'") + item + "'";
  return text + "]";
}

aio::Coro<void> awaits_held(std::string name, aio::GatherRange<false, std::string> gathering, Log* log) {
  std::vector<std::string> results = co_await gathering;
  stamp(log, name + " got " + py_list(results));
}

// book:test-held
aio::Coro<void> holds_a_gather(Log* log) {
  std::vector<aio::Coro<std::string>> children;
  children.push_back(text_after_quietly("a", 1s));
  children.push_back(text_after_quietly("b", 2s));
  auto gathering = aio::gather(std::move(children));
  stamp(log, std::string("held: done() = ") + aio_test::py(gathering.done()));
  auto first = aio::create_task(awaits_held("w1", gathering, log));
  auto second = aio::create_task(awaits_held("w2", gathering, log));
  co_await aio::sleep(3s);
  stamp(log, std::string("done() = ") + aio_test::py(gathering.done()));
  std::vector<std::string> results = co_await gathering;
  stamp(log, "main got " + py_list(results) + " at once");
  log->push_back(std::string("cancel() when done: ") + aio_test::py(gathering.cancel()));
}
// end book:test-held

}  // namespace

// CPython: cpython/gather_held.py
TEST_CASE("a held gather is awaited later, and by two tasks", "[l06][ex1]") {
  Log log;
  run_virtual(holds_a_gather(&log));
  CHECK(log == Log{"0.0 held: done() = False", "2.0 w1 got ['a', 'b']", "2.0 w2 got ['a', 'b']",
                   "3.0 done() = True", "3.0 main got ['a', 'b'] at once", "cancel() when done: False"});
}

namespace {

// A result that says when it is read: the one copy a gather makes of each child's value.
struct Loud {
  int n = 0;
  Log* log = nullptr;
  Loud(int value, Log* to) : n(value), log(to) {}
  Loud(const Loud& other) : n(other.n), log(other.log) { log->push_back("read " + std::to_string(n)); }
  Loud(Loud&&) noexcept = default;
  Loud& operator=(const Loud&) = default;
  Loud& operator=(Loud&&) noexcept = default;
  ~Loud() = default;
};

// A parameter that says when its coroutine's frame is freed (a moved-from one stays quiet).
struct FreedProbe {
  int n = 0;
  Log* log = nullptr;
  FreedProbe(int value, Log* to) : n(value), log(to) {}
  FreedProbe(FreedProbe&& other) noexcept : n(other.n), log(std::exchange(other.log, nullptr)) {}
  FreedProbe(const FreedProbe&) = delete;
  FreedProbe& operator=(const FreedProbe&) = delete;
  FreedProbe& operator=(FreedProbe&&) = delete;
  ~FreedProbe() {
    if (log != nullptr) log->push_back("freed " + std::to_string(n));
  }
};

aio::Coro<Loud> loud_child(int n, FreedProbe probe) {
  co_await aio::sleep(std::chrono::seconds(3 - n));  // finishes in reverse order: 2, 1, 0
  co_return Loud(n, probe.log);
}

std::vector<aio::Task<Loud>> three_loud_children(Log* log) {
  std::vector<aio::Task<Loud>> tasks;
  for (int n = 0; n < 3; ++n) tasks.push_back(aio::create_task(loud_child(n, FreedProbe(n, log))));
  return tasks;
}

}  // namespace

TEST_CASE("the last reader lets go of each child as soon as its slot is read", "[l06][ex1]") {
  Log log;
  auto main_coro = [](Log* log) -> aio::Coro<void> {
    std::vector<Loud> results = co_await aio::gather(three_loud_children(log));
    log->push_back("gathered " + std::to_string(results.size()));
  };
  run_virtual(main_coro(&log));
  // One pass over the children, in argument order: a child's frame goes right after its slot is
  // read, not after every slot is (which would read every child's memory a second time).
  CHECK(log == Log{"read 0", "freed 0", "read 1", "freed 1", "read 2", "freed 2", "gathered 3"});
}

TEST_CASE("a kept handle reads the results again; a moved-from last one cannot", "[l06][ex1]") {
  Log log;
  auto main_coro = [](Log* log) -> aio::Coro<void> {
    auto gathering = aio::gather(three_loud_children(log));
    {
      auto copy = gathering;
      // Two handles hold the gather: this co_await is not the last reader; it keeps the children.
      std::vector<Loud> first = co_await std::move(copy);
      log->push_back("first " + std::to_string(first.size()));
    }
    // The last handle, moved: this reader takes the results, freeing each child as it goes.
    std::vector<Loud> second = co_await std::move(gathering);
    log->push_back("second " + std::to_string(second.size()));
    log->push_back(std::string("task handles kept: ") + aio_test::py(gathering.tasks().front().valid()));
    try {
      co_await gathering;
      log->push_back("read a third time");
    } catch (const aio::InvalidStateError& error) {
      log->push_back(std::string("third: ") + error.what());
    }
  };
  run_virtual(main_coro(&log));
  REQUIRE(log.size() == 13);
  CHECK(Log(log.begin(), log.begin() + 12) ==
        Log{"read 0", "read 1", "read 2", "first 3", "read 0", "freed 0", "read 1", "freed 1", "read 2",
            "freed 2", "second 3", "task handles kept: False"});
  CHECK(log[12].rfind("third: this gather's results were taken by an earlier co_await", 0) == 0);
}

TEST_CASE("a gather whose results were taken says so when read again", "[l06][misuse]") {
  auto main_coro = []() -> aio::Coro<std::string> {
    auto pair = aio::gather(square_after(2, 1s), square_after(3, 2s));
    auto [four, nine] = co_await std::move(pair);
    try {
      co_await pair;
    } catch (const aio::InvalidStateError& error) {
      co_return std::to_string(four + nine) + ": " + error.what();
    }
    co_return "read twice";
  };
  const std::string outcome = run_virtual(main_coro());
  CHECK(outcome.rfind("13: this gather's results were taken by an earlier co_await of a moved-from handle", 0) == 0);
  CHECK(outcome.find("co_await the handle itself, not moved") != std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// ex4: cancelling the awaiting task cancels the children. cancel() is lesson 08's: these tests
// use the finished one (solutions/08-cancellation) as a black box. What they check is this
// lesson's part, GatherCore::forward_cancel.

namespace {

aio::Coro<void> gather_two(bool return_exceptions, Log* log) {
  try {
    if (return_exceptions) {
      auto outcomes = co_await aio::gather(aio::return_exceptions, cancellable("a", 1s, log), cancellable("bb", 2s, log));
      stamp(log, "gathered");
    } else {
      [[maybe_unused]] auto results = co_await aio::gather(cancellable("a", 1s, log), cancellable("bb", 2s, log));
      stamp(log, "gathered");
    }
  } catch (const aio::CancelledError& cancelled) {
    stamp(log, "waiter cancelled: " + cancelled.message());
    throw;
  }
}

aio::Coro<void> cancel_waiter_after_half_a_second(bool return_exceptions, Log* log) {
  aio::Task<void> waiter = aio::create_task(gather_two(return_exceptions, log));
  co_await aio::sleep(500ms);
  const bool accepted = waiter.cancel("stop");
  stamp(log, accepted ? "cancel accepted" : "cancel refused");
  try {
    co_await waiter;
  } catch (const aio::CancelledError&) {
    stamp(log, waiter.cancelled() ? "waiter ended cancelled" : "waiter ended otherwise");
  }
}

}  // namespace

TEST_CASE("cancelling the task that awaits gather cancels every child", "[l06][ex4]") {
  Log log;
  run_virtual(cancel_waiter_after_half_a_second(false, &log));
  CHECK(log == Log{"0.5 cancel accepted", "0.5 a cancelled: stop", "0.5 bb cancelled: stop",
                   "0.5 waiter cancelled: stop", "0.5 waiter ended cancelled"});
}

TEST_CASE("with return_exceptions, a cancelled waiter still gets CancelledError", "[l06][ex4]") {
  Log log;
  run_virtual(cancel_waiter_after_half_a_second(true, &log));
  CHECK(log == Log{"0.5 cancel accepted", "0.5 a cancelled: stop", "0.5 bb cancelled: stop",
                   "0.5 waiter cancelled: stop", "0.5 waiter ended cancelled"});
}

namespace {

// Says what a cancelled child or waiter sees, as Python prints CancelledError.args.
aio::Coro<void> child_reports_args(std::string name, Log* log) {
  try {
    co_await aio::sleep(10s);
  } catch (const aio::CancelledError& cancelled) {
    stamp(log, name + " sees " + aio_test::args(cancelled));
    throw;
  }
}

aio::Coro<void> awaits_gather(Log* log) {
  co_await aio::gather(child_reports_args("a", log), child_reports_args("b", log));
}

aio::Coro<void> cancel_gather_waiter_three_ways(Log* log) {
  const std::vector<std::pair<std::string, aio::CancelMessage>> requests = {
      {"cancel()", std::nullopt}, {"cancel('')", ""}, {"cancel('m')", "m"}};
  for (const auto& [name, message] : requests) {
    aio::Task<void> waiter = aio::create_task(awaits_gather(log));
    co_await aio::sleep(1s);
    stamp(log, name);
    waiter.cancel(message);
    try {
      co_await waiter;
    } catch (const aio::CancelledError& cancelled) {
      stamp(log, "main sees " + aio_test::args(cancelled));
    }
  }
}

}  // namespace

// CPython: cpython/cancel_message.py
TEST_CASE("a cancel message reaches every child and the waiter, or none does", "[l06][ex4]") {
  Log log;
  run_virtual(cancel_gather_waiter_three_ways(&log));
  CHECK(log == Log{"1.0 cancel()", "1.0 a sees ()", "1.0 b sees ()", "1.0 main sees ()",
                   "2.0 cancel('')", "2.0 a sees ('',)", "2.0 b sees ('',)", "2.0 main sees ('',)",
                   "3.0 cancel('m')", "3.0 a sees ('m',)", "3.0 b sees ('m',)", "3.0 main sees ('m',)"});
}

namespace {

aio::Coro<std::string> child_reporting(std::string name, aio::Duration delay, Log* log) {
  try {
    co_await aio::sleep(delay);
  } catch (const aio::CancelledError& cancelled) {
    stamp(log, name + " sees CancelledError" + aio_test::args(cancelled));
    throw;
  }
  co_return name;
}

// book:test-held-cancel
aio::Coro<void> cancels_a_held_gather(Log* log) {
  auto gathering = aio::gather(child_reporting("c", 1s, log), child_reporting("d", 2s, log));
  co_await aio::sleep(0s);
  stamp(log, std::string("cancel('stop'): ") + aio_test::py(gathering.cancel("stop")));
  try {
    co_await gathering;
  } catch (const aio::CancelledError& cancelled) {
    stamp(log, "await raises CancelledError" + aio_test::args(cancelled));
  }
  log->push_back(std::string("done() = ") + aio_test::py(gathering.done()) + ", cancel() again: " +
                 aio_test::py(gathering.cancel()));
}
// end book:test-held-cancel

}  // namespace

// CPython: cpython/gather_held.py
TEST_CASE("cancel() of a held gather cancels its children; awaiting it raises CancelledError",
          "[l06][ex4]") {
  Log log;
  run_virtual(cancels_a_held_gather(&log));
  CHECK(log == Log{"0.0 cancel('stop'): True", "0.0 c sees CancelledError('stop',)",
                   "0.0 d sees CancelledError('stop',)", "0.0 await raises CancelledError('stop',)",
                   "done() = True, cancel() again: False"});
}

// book:test-stubborn
TEST_CASE("a child that ignores the cancel is waited for; then CancelledError",
          "[l06][ex4]") {
  // CPython: cpython/gather_stubborn_child.py
  Log log;
  auto stubborn = [](Log* log) -> aio::Coro<int> {
    try {
      co_await aio::sleep(1s);
    } catch (const aio::CancelledError&) {
      stamp(log, "stubborn ignores the cancellation");
    }
    co_await aio::sleep(1s);
    stamp(log, "stubborn ends");
    co_return 1;
  };
  auto waiter = [](decltype(stubborn) child, Log* log) -> aio::Coro<void> {
    try {
      auto outcomes = co_await aio::gather(aio::return_exceptions, child(log));
      stamp(log, "gathered");
    } catch (const aio::CancelledError&) {
      stamp(log, "waiter cancelled");
    }
  };
  auto main_coro = [](decltype(stubborn) child, decltype(waiter) wait, Log* log) -> aio::Coro<void> {
    aio::Task<void> task = aio::create_task(wait(child, log));
    co_await aio::sleep(500ms);
    task.cancel();
    co_await task;
  };
  run_virtual(main_coro(stubborn, waiter, &log));
  CHECK(log == Log{"0.5 stubborn ignores the cancellation", "1.5 stubborn ends", "1.5 waiter cancelled"});
}
// end book:test-stubborn

// book:test-cancel-too-late
TEST_CASE("a cancel after every child finished reaches the waiter itself", "[l06][ex4]") {
  // CPython: cpython/gather_cancel_too_late.py
  Log log;
  auto waiter = [](Log* log) -> aio::Coro<void> {
    try {
      [[maybe_unused]] auto results = co_await aio::gather(cancellable("c", 1s, log));
      stamp(log, "gathered");
    } catch (const aio::CancelledError&) {
      stamp(log, "waiter cancelled");
    }
  };
  auto main_coro = [](decltype(waiter) wait, Log* log) -> aio::Coro<void> {
    aio::Task<void> task = aio::create_task(wait(log));
    co_await aio::sleep(0ms);  // the waiter starts, and creates the child
    co_await aio::sleep(0ms);  // the child starts its 1 s sleep just before ours
    co_await aio::sleep(1s);
    // The child finished just before this step, and the gather has not completed yet: no
    // child can take the cancellation, so the awaiting task is cancelled at its next step.
    stamp(log, task.cancel() ? "cancel accepted" : "cancel refused");
    co_await task;
  };
  run_virtual(main_coro(waiter, &log));
  // The child was not cancelled: it had ended.
  CHECK(log == Log{"1.0 c ends", "1.0 cancel accepted", "1.0 waiter cancelled"});
}
// end book:test-cancel-too-late

TEST_CASE("a cancel after a failure cancels the others; the failure wins", "[l06][ex4]") {
  // CPython: cpython/gather_cancel_after_failure.py. The failure has settled the gather, but it
  // has not completed yet, so the cancel still reaches the child that runs; the failure wins.
  Log log;
  auto waiter = [](Log* log) -> aio::Coro<void> {
    try {
      [[maybe_unused]] auto results =
          co_await aio::gather(fail_after("a", 1s, log), cancellable("b", 5s, log));
      stamp(log, "gathered");
    } catch (const std::runtime_error& error) {
      stamp(log, std::string("waiter got ") + error.what());
    } catch (const aio::CancelledError&) {
      stamp(log, "waiter cancelled");
    }
  };
  auto main_coro = [](decltype(waiter) wait, Log* log) -> aio::Coro<void> {
    aio::Task<void> task = aio::create_task(wait(log));
    co_await aio::sleep(0ms);  // the waiter starts, and creates the children
    co_await aio::sleep(0ms);  // the children start their sleeps just before ours
    co_await aio::sleep(1s);   // "a" has just failed, in this same iteration
    stamp(log, task.cancel() ? "cancel accepted" : "cancel refused");
    co_await task;
  };
  run_virtual(main_coro(waiter, &log));
  CHECK(log == Log{"1.0 a fails", "1.0 cancel accepted", "1.0 b cancelled: ", "1.0 waiter got a"});
}

// book:test-cancel-after-completion
TEST_CASE("a cancel after the gather completed leaves the running child alone", "[l06][ex4]") {
  // CPython: cpython/gather_cancel_after_completion.py. "a" failed and the gather completed: the
  // waiter's wake-up is queued. Too late to cancel through the gather: the waiter itself is
  // cancelled, and "b" runs on.
  Log log;
  auto waiter = [](Log* log) -> aio::Coro<void> {
    try {
      [[maybe_unused]] auto results = co_await aio::gather(fail_after("a", 1s, log), cancellable("b", 2s, log));
      stamp(log, "gathered");
    } catch (const std::runtime_error& error) {
      stamp(log, std::string("waiter got ") + error.what());
    } catch (const aio::CancelledError&) {
      stamp(log, "waiter cancelled");
    }
  };
  auto main_coro = [](decltype(waiter) wait, Log* log) -> aio::Coro<void> {
    aio::Task<void> task = aio::create_task(wait(log));
    co_await aio::sleep(0ms);  // the waiter starts, and creates the children
    co_await aio::sleep(0ms);  // the children start their sleeps just before ours
    co_await aio::sleep(1s);   // "a" has just failed, in this same iteration
    co_await aio::sleep(0ms);  // one more iteration: the gather has completed
    stamp(log, task.cancel() ? "cancel accepted" : "cancel refused");
    co_await task;
    co_await aio::sleep(2s);
  };
  run_virtual(main_coro(waiter, &log));
  CHECK(log == Log{"1.0 a fails", "1.0 cancel accepted", "1.0 waiter cancelled", "2.0 b ends"});
}
// end book:test-cancel-after-completion

TEST_CASE("a failed child is retrieved even when the gather ends cancelled", "[l06][ex4]") {
  // CPython: cpython/gather_return_exceptions_cancelled.py. With return_exceptions a failure
  // settles nothing, but it is still read when the child is counted: nobody else will, since the
  // cancelled gather returns no outcomes.
  Log log;
  Log reports;
  auto waiter = [](Log* log) -> aio::Coro<void> {
    auto outcomes = co_await aio::gather(aio::return_exceptions, fail_after("early", 200ms, log),
                                         cancellable("slow", 5s, log));
    stamp(log, "gathered");
  };
  auto main_coro = [](decltype(waiter) wait, Log* log, Log* reports) -> aio::Coro<void> {
    aio::get_running_loop().set_exception_handler([reports](const std::string& message) {
      reports->push_back(now() + " reported: " + message);
    });
    aio::Task<void> task = aio::create_task(wait(log));
    co_await aio::sleep(500ms);
    task.cancel();
    try {
      co_await task;
    } catch (const aio::CancelledError&) {
      stamp(log, "waiter cancelled");
    }
    task = {};  // the last handle to the waiter, and with it the children's, goes
    co_await aio::sleep(1s);
    stamp(log, "main returns");
  };
  run_virtual(main_coro(waiter, &log, &reports));
  CHECK(log == Log{"0.2 early fails", "0.5 slow cancelled: ", "0.5 waiter cancelled", "1.5 main returns"});
  CHECK(reports.empty());
}

// ---------------------------------------------------------------------------------------------
// Futures as children. gather takes an aio::Future<T> (lesson 05) as asyncio's takes any future:
// it listens to the future's view of itself as a task, which ends in the same call as the future.

namespace {

aio::Coro<std::string> ends_after(std::string name, aio::Duration delay, Log* log) {
  co_await aio::sleep(delay);
  stamp(log, name + " child ends");
  co_return name;
}

aio::Coro<void> awaits_future_directly(aio::Future<std::string> future, Log* log) {
  std::string value = co_await future;
  log->push_back("direct waiter got " + value);
}

// book:test-future-child
aio::Coro<void> gathers_a_future_and_a_task(Log* log) {
  aio::EventLoop& loop = aio::get_running_loop();
  aio::Future<std::string> future = aio::create_future<std::string>();
  aio::Task<void> direct = aio::create_task(awaits_future_directly(future, log));
  co_await aio::sleep(0s);  // the direct waiter listens first
  aio::Task<void> ticks;
  loop.call_later(1s, [future, log, &ticks]() mutable {
    future.set_result("future");
    stamp(log, "set_result");
    ticks = aio::create_task(ticker(4, log));
  });
  auto [from_future, from_task] = co_await aio::gather(future, ends_after("task", 500ms, log));
  stamp(log, "main resumed with ['" + from_future + "', '" + from_task + "']");
  co_await ticks;
  co_await direct;
}
// end book:test-future-child

}  // namespace

// CPython: cpython/gather_future_hops.py
TEST_CASE("a future child wakes the waiter two iterations after set_result", "[l06][ex1]") {
  Log log;
  run_virtual(gathers_a_future_and_a_task(&log));
  CHECK(log == Log{"0.5 task child ends", "1.0 set_result", "direct waiter got future", "tick 0",
                   "1.0 main resumed with ['future', 'task']", "tick 1", "tick 2", "tick 3"});
}

namespace {

aio::Coro<void> gathers_futures(Log* log) {
  aio::EventLoop& loop = aio::get_running_loop();
  std::vector<aio::Future<std::string>> futures;
  for (int i = 0; i < 3; ++i) futures.push_back(aio::create_future<std::string>());
  loop.call_later(3s, [f = futures[0]]() mutable { f.set_result("a"); });
  loop.call_later(2s, [f = futures[1]]() mutable { f.set_result("b"); });
  loop.call_later(1s, [f = futures[2]]() mutable { f.set_result("c"); });
  std::vector<std::string> values = co_await aio::gather(futures);
  stamp(log, "gather: " + py_list(values));
}

aio::Coro<void> gathers_failing_futures(Log* log) {
  aio::EventLoop& loop = aio::get_running_loop();
  std::vector<aio::Future<std::string>> futures = {aio::create_future<std::string>(),
                                                   aio::create_future<std::string>()};
  loop.call_later(1s, [f = futures[0]]() mutable { f.set_exception(std::make_exception_ptr(std::invalid_argument("bad"))); });
  loop.call_later(2s, [f = futures[1]]() mutable { f.set_result("late"); });
  std::vector<aio::Outcome<std::string>> outcomes = co_await aio::gather(aio::return_exceptions, futures);
  stamp(log, std::string("return_exceptions: ") + (outcomes[0].has_exception() ? "failed" : "value") + ", " +
                 outcomes[1].value());

  futures = {aio::create_future<std::string>(), aio::create_future<std::string>()};
  loop.call_later(1s, [f = futures[0]]() mutable { f.set_exception(std::make_exception_ptr(std::invalid_argument("first"))); });
  loop.call_later(2s, [f = futures[1]]() mutable { f.set_result("still set"); });
  try {
    co_await aio::gather(futures);
  } catch (const std::invalid_argument& error) {
    stamp(log, std::string("raises '") + error.what() + "'; the other is done: " + aio_test::py(futures[1].done()));
  }
  co_await aio::sleep(2s);
  stamp(log, "the other holds '" + futures[1].result() + "'");
}

}  // namespace

// CPython: cpython/gather_futures.py
TEST_CASE("gather over a vector of futures gives their values in argument order", "[l06][ex1]") {
  Log log;
  run_virtual(gathers_futures(&log));
  CHECK(log == Log{"3.0 gather: ['a', 'b', 'c']"});
}

// CPython: cpython/gather_futures.py
TEST_CASE("a future's exception reaches the waiter, or its slot", "[l06][ex3]") {
  Log log;
  run_virtual(gathers_failing_futures(&log));
  CHECK(log == Log{"2.0 return_exceptions: failed, late", "3.0 raises 'first'; the other is done: False",
                   "5.0 the other holds 'still set'"});
}

namespace {

aio::Coro<int> square_quietly(int n) {
  co_await aio::sleep(1s);
  co_return n * n;
}

aio::Coro<void> mixes_future_task_and_coroutine(Log* log) {
  aio::Future<int> future = aio::create_future<int>();
  aio::get_running_loop().call_later(2s, [future]() mutable { future.set_result(7); });
  aio::Task<int> task = aio::create_task(square_quietly(3));
  auto gathering = aio::gather(future, task, square_quietly(4));
  log->push_back("names: " + task.get_name() + ", " + std::get<2>(gathering.tasks()).get_name());
  auto [a, b, c] = co_await gathering;
  stamp(log, std::to_string(a) + " " + std::to_string(b) + " " + std::to_string(c));
}

}  // namespace

TEST_CASE("variadic gather mixes a future, a task and a coroutine", "[l06][ex3]") {
  // A future takes no Task-N name (cpython/gather_future_cancel.py): main is Task-1, so the two
  // tasks are Task-2 and Task-3.
  Log log;
  run_virtual(mixes_future_task_and_coroutine(&log));
  CHECK(log == Log{"names: Task-2, Task-3", "2.0 7 9 16"});
}

namespace {

aio::Coro<int> child_named_reporting(aio::Duration delay, Log* log) {
  try {
    co_await aio::sleep(delay);
  } catch (const aio::CancelledError& cancelled) {
    stamp(log, aio::current_task()->name() + " sees CancelledError" + aio_test::args(cancelled));
    throw;
  }
  co_return 0;
}

aio::Coro<void> cancels_gathers_of_futures(Log* log) {
  aio::Future<int> future = aio::create_future<int>();
  auto gathering = aio::gather(future, child_named_reporting(2s, log));
  co_await aio::sleep(1s);
  const bool took = gathering.cancel("stop");
  stamp(log, std::string("cancel('stop'): ") + aio_test::py(took) + "; future.cancelled() = " +
                 aio_test::py(future.cancelled()));
  try {
    co_await gathering;
  } catch (const aio::CancelledError& cancelled) {
    stamp(log, "await raises CancelledError" + aio_test::args(cancelled));
  }

  aio::Task<int> done_task = aio::create_task(child_named_reporting(0s, log));
  future = aio::create_future<int>();
  auto outcomes = aio::gather(aio::return_exceptions, done_task, future);
  co_await aio::sleep(1s);
  const bool took_again = outcomes.cancel();
  stamp(log, std::string("cancel(): ") + aio_test::py(took_again) + "; future.cancelled() = " +
                 aio_test::py(future.cancelled()));
  try {
    co_await outcomes;
    stamp(log, "await gives the outcomes");
  } catch (const aio::CancelledError& cancelled) {
    stamp(log, "await raises CancelledError" + aio_test::args(cancelled));
  }
}

}  // namespace

// CPython: cpython/gather_future_cancel.py
TEST_CASE("cancelling a held gather cancels a future child at once", "[l06][ex4]") {
  // The second half: the future, the last child pending, ends inside cancel(); the gather must
  // already know that it was cancelled.
  Log log;
  run_virtual(cancels_gathers_of_futures(&log));
  CHECK(log == Log{"1.0 cancel('stop'): True; future.cancelled() = True",
                   "1.0 Task-2 sees CancelledError('stop',)", "1.0 await raises CancelledError('stop',)",
                   "2.0 cancel(): True; future.cancelled() = True", "2.0 await raises CancelledError()"});
}

namespace {

aio::Coro<void> awaits_a_gather_with_a_future(aio::Future<int> future, Log* log) {
  try {
    co_await aio::gather(future, pause(5s, log));
  } catch (const aio::CancelledError& cancelled) {
    stamp(log, "waiter sees CancelledError" + aio_test::args(cancelled));
    throw;
  }
}

aio::Coro<void> cancels_the_waiter_of_a_future_child(Log* log) {
  aio::Future<int> future = aio::create_future<int>();
  aio::Task<void> waiter = aio::create_task(awaits_a_gather_with_a_future(future, log));
  co_await aio::sleep(1s);
  waiter.cancel("bye");
  stamp(log, std::string("future.cancelled() = ") + aio_test::py(future.cancelled()));
  try {
    co_await waiter;
  } catch (const aio::CancelledError&) {
    stamp(log, std::string("waiter.cancelled() = ") + aio_test::py(waiter.cancelled()));
  }
}

}  // namespace

// CPython: cpython/gather_future_waiter_cancel.py
TEST_CASE("cancelling the task that awaits gather cancels a future child", "[l06][ex4]") {
  Log log;
  run_virtual(cancels_the_waiter_of_a_future_child(&log));
  CHECK(log == Log{"1.0 future.cancelled() = True", "1.0 waiter sees CancelledError('bye',)",
                   "1.0 waiter.cancelled() = True"});
}

namespace {

// Gathers the task that `*self` will hold: the task that runs this coroutine. (A pointer, not a
// shared_ptr: this frame holding the handle to its own task would keep both alive for ever.)
aio::Coro<int> gather_myself(aio::Task<int>* self) {
  co_await aio::sleep(0s);  // until the caller has stored this task in *self
  std::vector<aio::Task<int>> me{*self};
  std::vector<int> results = co_await aio::gather(std::move(me));
  co_return results.front();
}

}  // namespace

TEST_CASE("a task that gathers itself is told so instead of waiting for ever", "[l06][misuse]") {
  // asyncio would wait for ever here (the task awaits its own end); aio names the mistake.
  auto main_coro = []() -> aio::Coro<std::string> {
    aio::Task<int> self;
    self = aio::create_task(gather_myself(&self));
    try {
      co_await self;
    } catch (const aio::InvalidStateError& error) {
      co_return now() + " " + error.what();
    }
    co_return "no error";
  };
  CHECK(run_virtual(main_coro()) == "0.0 a task cannot gather itself: it would wait for its own end");
}
