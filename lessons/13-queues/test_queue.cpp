// Tests for aio::Queue (lesson 13, ex2 to ex5): waiting, waking, cancellation, task_done/join
// and shutdown.
//
// Everything runs on the virtual clock and records what happens into a log, which a test compares
// whole: the order of events and, where time passes, their times. CPython prints the same logs for
// the same programs; lessons/13-queues/cpython/ has them, named above each test. Where aio chooses
// differently from asyncio (an item held for the getter a put woke), the test says so and names
// the program that shows asyncio's way.
//
// Each test is tagged with the last exercise it needs: ex2's tests pass once ex1 and ex2 are
// written, and so on. ex2's tests never cancel anything (that reaches ex3's code), and only ex4's
// and ex5's call task_done() and shutdown().
//
// Each queue is declared in its TEST_CASE, outside aio::run: a queue must outlive every task that
// waits on it, also when a test fails half way (a stub throws) and aio::run cancels the tasks
// left.
#include <aio/cancellation.hpp>
#include <aio/clock.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/gather.hpp>
#include <aio/queue.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;
using aio_test::at;
using aio_test::join;
using aio_test::Log;
using aio_test::py;
using aio_test::ticker;

namespace {

using Strings = aio::Queue<std::string>;

aio::Coro<void> getter(Log* log, Strings* queue, std::string name) {
  log->push_back(name + " waits");
  std::string item = co_await queue->get();
  log->push_back(name + " got " + item);
}

/// A getter that says it was cancelled, and how else its get ended.
aio::Coro<void> watched_getter(Log* log, Strings* queue, std::string name) {
  try {
    std::string item = co_await queue->get();
    log->push_back(name + " got " + item);
  } catch (const aio::CancelledError&) {
    log->push_back(name + " cancelled");
    throw;
  } catch (const aio::QueueShutDown&) {
    log->push_back(name + ": QueueShutDown");
  }
}

aio::Coro<void> watched_putter(Log* log, Strings* queue, std::string item) {
  try {
    co_await queue->put(item);
    log->push_back("put " + item);
  } catch (const aio::CancelledError&) {
    log->push_back("put " + item + " cancelled");
    throw;
  } catch (const aio::QueueShutDown&) {
    log->push_back("put " + item + ": QueueShutDown");
  }
}

void run(aio::Coro<void> program) { aio::run(std::move(program), {.virtual_clock = true}); }

}  // namespace

// ---- ex2: the two sides wake each other ----------------------------------------------------------

TEST_CASE("put_nowait and get_nowait are first in, first out", "[l13][ex2]") {
  aio::Queue<int> queue(3);
  CHECK(queue.maxsize() == 3);
  CHECK(queue.empty());
  CHECK_FALSE(queue.full());
  for (int i = 1; i <= 3; ++i) queue.put_nowait(i);
  CHECK(queue.qsize() == 3);
  CHECK(queue.full());
  CHECK_FALSE(queue.empty());
  CHECK(queue.get_nowait() == 1);
  CHECK_FALSE(queue.full());
  CHECK(queue.get_nowait() == 2);
  CHECK(queue.get_nowait() == 3);
  CHECK(queue.empty());
}

TEST_CASE("get_nowait on an empty queue raises QueueEmpty, saying what to do", "[l13][ex2]") {
  aio::Queue<int> queue;
  CHECK_THROWS_AS(queue.get_nowait(), aio::QueueEmpty);
  CHECK_THROWS_WITH(queue.get_nowait(), aio_test::contains("await get()"));
}

TEST_CASE("put_nowait on a full queue raises QueueFull, saying what to do", "[l13][ex2]") {
  aio::Queue<int> queue(1);
  queue.put_nowait(1);
  CHECK_THROWS_AS(queue.put_nowait(2), aio::QueueFull);
  CHECK_THROWS_WITH(queue.put_nowait(2), aio_test::contains("await put()"));
  CHECK(queue.qsize() == 1);
  CHECK(queue.get_nowait() == 1);
}

// CPython: cpython/unbounded.py
TEST_CASE("maxsize 0 or below means no limit", "[l13][ex2]") {
  for (int maxsize : {0, -1}) {
    aio::Queue<int> queue(maxsize);
    for (int i = 0; i < 1000; ++i) queue.put_nowait(i);
    CHECK(queue.maxsize() == maxsize);
    CHECK(queue.qsize() == 1000);
    CHECK_FALSE(queue.full());
    for (int i = 0; i < 1000; ++i) CHECK(queue.get_nowait() == i);
  }
}

// CPython: cpython/get_wakes_one_turn_later.py
aio::Coro<void> wakes_one_per_item(Log* log, Strings* queue_) {
  Strings& queue = *queue_;
  std::vector<aio::Task<void>> getters;
  for (const char* name : {"a", "b", "c"}) getters.push_back(aio::create_task(getter(log, &queue, name)));
  co_await aio::sleep(0s);
  aio::Task<void> ticks = aio::create_task(ticker(log, 3));
  queue.put_nowait("x");
  queue.put_nowait("y");
  log->push_back("put x and y: qsize " + std::to_string(queue.qsize()));
  co_await ticks;
  log->push_back(std::string("c still waits: ") + py(!getters[2].done()));
  queue.put_nowait("z");
  co_await aio::gather(getters);
}

TEST_CASE("put wakes waiting getters, one per item, in the order they came", "[l13][ex2]") {
  Log log;
  Strings queue;
  run(wakes_one_per_item(&log, &queue));
  CHECK(join(log) ==
        "a waits | b waits | c waits | put x and y: qsize 2 | tick 0 | a got x | b got y | tick 1 | "
        "tick 2 | c still waits: True | c got z");
}

// CPython: cpython/backpressure.py
aio::Coro<void> producer(Log* log, aio::Queue<int>* queue) {
  for (int i = 0; i < 5; ++i) {
    co_await queue->put(i);
    log->push_back(at("put " + std::to_string(i) + ", qsize " + std::to_string(queue->qsize())));
  }
}

aio::Coro<void> slow_consumer(Log* log, aio::Queue<int>* queue) {
  for (int i = 0; i < 5; ++i) {
    int item = co_await queue->get();
    log->push_back(at("got " + std::to_string(item) + ", qsize " + std::to_string(queue->qsize())));
    co_await aio::sleep(1s);
  }
}

aio::Coro<void> backpressure(Log* log, aio::Queue<int>* queue_) {
  aio::Queue<int>& queue = *queue_;
  co_await aio::gather(producer(log, &queue), slow_consumer(log, &queue));
}

TEST_CASE("put waits while the queue is full: backpressure", "[l13][ex2]") {
  Log log;
  aio::Queue<int> queue(2);
  run(backpressure(&log, &queue));
  CHECK(join(log) ==
        "0.0 put 0, qsize 1 | 0.0 put 1, qsize 2 | 0.0 got 0, qsize 1 | 0.0 put 2, qsize 2 | "
        "1.0 got 1, qsize 1 | 1.0 put 3, qsize 2 | 2.0 got 2, qsize 1 | 2.0 put 4, qsize 2 | "
        "3.0 got 3, qsize 1 | 4.0 got 4, qsize 0");
}

// aio holds the item for the getter the put woke. asyncio does not: there main's get_nowait takes
// x, and a waits again, behind b (cpython/newcomer_takes_the_item.py).
aio::Coro<void> newcomer(Log* log, Strings* queue_) {
  Strings& queue = *queue_;
  aio::Task<void> a = aio::create_task(getter(log, &queue, "a"));
  co_await aio::sleep(0s);
  aio::Task<void> b = aio::create_task(getter(log, &queue, "b"));
  queue.put_nowait("x");  // wakes a, and holds x for it
  log->push_back("main: put x, qsize " + std::to_string(queue.qsize()) + ", empty " + py(queue.empty()));
  try {
    queue.get_nowait();
  } catch (const aio::QueueEmpty& error) {
    log->push_back(std::string("main: QueueEmpty: ") + error.what());
  }
  co_await aio::sleep(0s);  // b comes after x was held: it waits
  queue.put_nowait("y");
  co_await aio::sleep(0s);
  log->push_back(std::string("a done: ") + py(a.done()) + ", b done: " + py(b.done()));
}

TEST_CASE("an item held for a woken getter is not free to a newcomer", "[l13][ex2]") {
  Log log;
  Strings queue;
  run(newcomer(&log, &queue));
  CHECK(join(log) ==
        "a waits | main: put x, qsize 1, empty False | main: QueueEmpty: get_nowait(): every item "
        "is held for a get() that was woken for it and has not run yet; await get() to wait your "
        "turn | b waits | a got x | b got y | a done: True, b done: True");
}

aio::Coro<void> putter(Log* log, Strings* queue, std::string item) {
  co_await queue->put(item);
  log->push_back("put " + item);
}

aio::Coro<void> putters_in_line(Log* log, Strings* queue_) {
  Strings& queue = *queue_;
  queue.put_nowait("first");
  std::vector<aio::Task<void>> putters;
  for (const char* item : {"p", "q", "r"}) putters.push_back(aio::create_task(putter(log, &queue, item)));
  co_await aio::sleep(0s);
  for (int i = 0; i < 3; ++i) {
    std::string item = queue.get_nowait();  // wakes the first putter, and holds the slot for it
    log->push_back("got " + item + ", full " + py(queue.full()));
    try {
      queue.put_nowait("newcomer");
    } catch (const aio::QueueFull&) {
      log->push_back("newcomer: QueueFull");
    }
    co_await aio::sleep(0s);
  }
  log->push_back("got " + queue.get_nowait());
}

TEST_CASE("putters wait in line, and each get wakes the first", "[l13][ex2]") {
  Log log;
  Strings queue(1);
  run(putters_in_line(&log, &queue));
  CHECK(join(log) ==
        "got first, full False | newcomer: QueueFull | put p | got p, full False | "
        "newcomer: QueueFull | put q | got q, full False | newcomer: QueueFull | put r | got r");
}

aio::Coro<void> move_only(std::vector<int>* out, aio::Queue<std::unique_ptr<int>>* queue_) {
  aio::Queue<std::unique_ptr<int>>& queue = *queue_;
  aio::Task<void> consumer = aio::create_task(
      [](aio::Queue<std::unique_ptr<int>>* queue, std::vector<int>* out) -> aio::Coro<void> {
        for (int i = 0; i < 3; ++i) {
          std::unique_ptr<int> item = co_await queue->get();
          out->push_back(*item);
        }
      }(&queue, out));
  for (int i = 0; i < 3; ++i) co_await queue.put(std::make_unique<int>(10 + i));
  co_await consumer;
}

TEST_CASE("move-only items go through put and get", "[l13][ex2]") {
  std::vector<int> out;
  aio::Queue<std::unique_ptr<int>> queue(1);
  run(move_only(&out, &queue));
  CHECK(out == std::vector<int>{10, 11, 12});
}

// ---- ex3: cancellation never loses an item -------------------------------------------------------

// CPython: cpython/cancelled_getter_passes_on.py
aio::Coro<void> getter_passes_on(Log* log, Strings* queue_) {
  Strings& queue = *queue_;
  aio::Task<void> a = aio::create_task(watched_getter(log, &queue, "a"));
  aio::Task<void> b = aio::create_task(watched_getter(log, &queue, "b"));
  aio::Task<void> c = aio::create_task(watched_getter(log, &queue, "c"));
  co_await aio::sleep(0s);
  aio::Task<void> ticks = aio::create_task(ticker(log, 4));
  b.cancel();  // still in the line: it leaves it
  queue.put_nowait("x");  // wakes a
  a.cancel();  // too late to leave: a passes its wake-up on
  log->push_back("put x, cancelled a and b; qsize " + std::to_string(queue.qsize()));
  co_await aio::gather(aio::return_exceptions, a, b, c, ticks);
  log->push_back("qsize " + std::to_string(queue.qsize()));
}

TEST_CASE("a get cancelled after its wake-up passes the item on", "[l13][ex3]") {
  Log log;
  Strings queue;
  run(getter_passes_on(&log, &queue));
  CHECK(join(log) ==
        "put x, cancelled a and b; qsize 1 | tick 0 | b cancelled | a cancelled | tick 1 | c got x | "
        "tick 2 | tick 3 | qsize 0");
}

aio::Coro<void> nobody_behind(Log* log, Strings* queue_) {
  Strings& queue = *queue_;
  aio::Task<void> a = aio::create_task(watched_getter(log, &queue, "a"));
  co_await aio::sleep(0s);
  queue.put_nowait("x");
  a.cancel();
  co_await aio::sleep(0s);
  log->push_back(std::string("a cancelled: ") + py(a.cancelled()) + ", qsize " + std::to_string(queue.qsize()));
  log->push_back("main got " + queue.get_nowait());  // the hold went with a: x is free
}

TEST_CASE("a woken get cancelled with nobody behind it frees the item", "[l13][ex3]") {
  Log log;
  Strings queue;
  run(nobody_behind(&log, &queue));
  CHECK(join(log) == "a cancelled | a cancelled: True, qsize 1 | main got x");
}

aio::Coro<void> cancelled_in_line(Log* log, Strings* queue_) {
  Strings& queue = *queue_;
  aio::Task<void> a = aio::create_task(watched_getter(log, &queue, "a"));
  aio::Task<void> b = aio::create_task(watched_getter(log, &queue, "b"));
  co_await aio::sleep(0s);
  a.cancel();  // in the line: it had been given nothing, so there is nothing to pass on
  co_await aio::sleep(0s);
  co_await aio::sleep(0s);
  log->push_back(std::string("b still waits: ") + py(!b.done()));
  queue.put_nowait("x");
  co_await b;
}

TEST_CASE("a get cancelled in the line wakes nobody else", "[l13][ex3]") {
  Log log;
  Strings queue;
  run(cancelled_in_line(&log, &queue));
  CHECK(join(log) == "a cancelled | b still waits: True | b got x");
}

// CPython: cpython/cancelled_put_inserts_nothing.py
aio::Coro<void> put_cancelled(Log* log, Strings* queue_) {
  Strings& queue = *queue_;
  queue.put_nowait("first");
  aio::Task<void> p = aio::create_task(watched_putter(log, &queue, "p"));
  aio::Task<void> q = aio::create_task(watched_putter(log, &queue, "q"));
  aio::Task<void> r = aio::create_task(watched_putter(log, &queue, "r"));
  co_await aio::sleep(0s);
  q.cancel();  // waiting: leaves the line
  co_await aio::sleep(0s);
  log->push_back("qsize " + std::to_string(queue.qsize()));
  aio::Task<void> ticks = aio::create_task(ticker(log, 3));
  log->push_back("got " + queue.get_nowait());  // wakes p
  p.cancel();  // too late to leave: p passes the slot on to r
  co_await aio::gather(aio::return_exceptions, p, q, r, ticks);
  std::string last = queue.get_nowait();
  log->push_back("got " + last + ", qsize " + std::to_string(queue.qsize()));
}

TEST_CASE("a cancelled put never inserts, and a late one passes its slot on", "[l13][ex3]") {
  Log log;
  Strings queue(1);
  run(put_cancelled(&log, &queue));
  CHECK(join(log) ==
        "put q cancelled | qsize 1 | got first | tick 0 | put p cancelled | tick 1 | put r | tick 2 | "
        "got r, qsize 0");
}

// ---- ex4: counting the work done -----------------------------------------------------------------

aio::Coro<void> joiner(Log* log, Strings* queue, std::string name) {
  co_await queue->join();
  log->push_back(at(name + ": join returned"));
}

aio::Coro<void> worker(Log* log, Strings* queue) {
  while (true) {
    std::string item = co_await queue->get();
    co_await aio::sleep(1s);
    log->push_back(at("worker: done with " + item));
    queue->task_done();
  }
}

// CPython: cpython/join_waits_for_task_done.py
aio::Coro<void> join_waits(Log* log, Strings* queue_) {
  Strings& queue = *queue_;
  co_await queue.join();
  log->push_back(at("main: join on a fresh queue returned at once"));
  for (const char* item : {"a", "b"}) queue.put_nowait(item);
  CHECK(queue.unfinished_tasks() == 2);
  std::vector<aio::Task<void>> joiners;
  for (const char* name : {"j1", "j2"}) joiners.push_back(aio::create_task(joiner(log, &queue, name)));
  aio::Task<void> work = aio::create_task(worker(log, &queue));
  co_await aio::gather(joiners);
  work.cancel();
  try {
    queue.task_done();
  } catch (const aio::ValueError& error) {
    log->push_back(at(std::string("main: ValueError: ") + error.what()));
  }
}

TEST_CASE("join waits until every item put is task_done", "[l13][ex4]") {
  Log log;
  Strings queue;
  run(join_waits(&log, &queue));
  CHECK(join(log) ==
        "0.0 main: join on a fresh queue returned at once | 1.0 worker: done with a | "
        "2.0 worker: done with b | 2.0 j1: join returned | 2.0 j2: join returned | "
        "2.0 main: ValueError: task_done() called too many times: call it once for each item "
        "that get() returned, when the work on that item is finished");
}

TEST_CASE("task_done before any put raises ValueError", "[l13][ex4]") {
  aio::Queue<int> queue;
  CHECK_THROWS_AS(queue.task_done(), aio::ValueError);
  queue.put_nowait(1);
  queue.task_done();  // done before it was got: allowed, as in asyncio; the count is what counts
  CHECK(queue.unfinished_tasks() == 0);
  CHECK_THROWS_WITH(queue.task_done(), aio_test::contains("called too many times"));
}

aio::Coro<void> cancelled_join(Log* log, Strings* queue_) {
  Strings& queue = *queue_;
  queue.put_nowait("a");
  aio::Task<void> j1 = aio::create_task(joiner(log, &queue, "j1"));
  aio::Task<void> j2 = aio::create_task(joiner(log, &queue, "j2"));
  co_await aio::sleep(0s);
  j1.cancel();
  co_await aio::sleep(1s);
  log->push_back(at(std::string("j1 cancelled: ") + py(j1.cancelled())));
  queue.get_nowait();
  queue.task_done();
  co_await j2;
}

TEST_CASE("a cancelled join leaves, and the other joiners still return", "[l13][ex4]") {
  Log log;
  Strings queue;
  run(cancelled_join(&log, &queue));
  CHECK(join(log) == "1.0 j1 cancelled: True | 1.0 j2: join returned");
}

// ---- ex5: shutting down --------------------------------------------------------------------------

// CPython: cpython/shutdown.py (Python 3.13; 3.11 and 3.12 have no shutdown)
aio::Coro<void> shutdown_wakes(Log* log, Strings* empty_, Strings* full_) {
  Strings& empty = *empty_;
  std::vector<aio::Task<void>> waiting;
  for (const char* name : {"g1", "g2"}) waiting.push_back(aio::create_task(watched_getter(log, &empty, name)));
  Strings& full = *full_;
  full.put_nowait("first");
  aio::Task<void> blocked = aio::create_task(watched_putter(log, &full, "p"));
  co_await aio::sleep(0s);
  empty.shutdown();
  full.shutdown();
  log->push_back("shut down both");
  co_await aio::gather(waiting);
  co_await blocked;
  co_await watched_putter(log, &empty, "late");
  co_await watched_getter(log, &full, "g3");
  co_await watched_getter(log, &full, "g4");
  CHECK(empty.is_shutdown());
}

TEST_CASE("shutdown wakes waiting getters and putters, which raise QueueShutDown", "[l13][ex5]") {
  Log log;
  Strings empty;
  Strings full(1);
  run(shutdown_wakes(&log, &empty, &full));
  CHECK(join(log) ==
        "shut down both | g1: QueueShutDown | g2: QueueShutDown | put p: QueueShutDown | "
        "put late: QueueShutDown | g3 got first | g4: QueueShutDown");
}

aio::Coro<void> immediate_worker(Log* log, Strings* queue) {
  std::string item = co_await queue->get();
  log->push_back(at("worker: got " + item));
  co_await aio::sleep(1s);
  queue->task_done();
  log->push_back(at("worker: done with " + item));
  try {
    co_await queue->get();
  } catch (const aio::QueueShutDown&) {
    log->push_back(at("worker: QueueShutDown"));
  }
}

// CPython: cpython/shutdown_immediate.py (Python 3.13)
aio::Coro<void> shutdown_immediate(Log* log, Strings* queue_) {
  Strings& queue = *queue_;
  for (const char* item : {"a", "b", "c"}) queue.put_nowait(item);
  aio::Task<void> work = aio::create_task(immediate_worker(log, &queue));
  aio::Task<void> joined = aio::create_task(joiner(log, &queue, "joiner"));
  co_await aio::sleep(500ms);
  queue.shutdown(true);
  log->push_back(at("shut down: qsize " + std::to_string(queue.qsize()) + ", unfinished " +
                    std::to_string(queue.unfinished_tasks())));
  CHECK_THROWS_AS(queue.get_nowait(), aio::QueueShutDown);
  CHECK_THROWS_AS(queue.put_nowait("d"), aio::QueueShutDown);
  co_await work;
  co_await joined;
}

TEST_CASE("shutdown(immediate) drops the items and counts them done", "[l13][ex5]") {
  Log log;
  Strings queue;
  run(shutdown_immediate(&log, &queue));
  CHECK(join(log) ==
        "0.0 worker: got a | 0.5 shut down: qsize 0, unfinished 1 | 1.0 worker: done with a | "
        "1.0 worker: QueueShutDown | 1.0 joiner: join returned");
}

// CPython: cpython/shutdown_drops_holds.py (Python 3.13)
aio::Coro<void> drops_holds(Log* log, Strings* queue_) {
  Strings& queue = *queue_;
  aio::Task<void> a = aio::create_task(watched_getter(log, &queue, "a"));
  co_await aio::sleep(0s);
  queue.put_nowait("x");  // wakes a, holding x for it
  queue.shutdown();       // the hold goes: the first to come takes x
  log->push_back("main took " + queue.get_nowait());
  co_await a;
}

TEST_CASE("a shutdown drops the holds: the first to come takes what is left", "[l13][ex5]") {
  Log log;
  Strings queue;
  run(drops_holds(&log, &queue));
  CHECK(join(log) == "main took x | a: QueueShutDown");
}
