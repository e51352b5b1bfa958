// A randomized stress test of cancellation (lesson 08) mixed with lesson 09's timeouts and
// lesson 10's shield: seeded, reproducible, on the virtual clock. It lives here, in lesson 10,
// because this is the first lesson in which all three exist.
//
// A driver coroutine performs random operations (spawn a task, cancel one, sleep, await one,
// gather a few, await one with wait_for or inside a timeout scope, await one through a shield)
// while the tasks it spawns run small random scripts of their own: sleeps, yields, awaiting older
// tasks, cancelling other tasks or themselves, gathering children, sleeping inside a timeout
// scope, wait_for on a short-lived "leaf" coroutine or on an older task, awaiting an older task
// through a shield. Some tasks let every CancelledError through, some clean up with an await
// before they rethrow, some ignore one cancellation on purpose (and uncancel() it). After each
// run it checks:
//   - every task ended exactly once (a DoneListener counts), and is done;
//   - every task that started ran its cleanup (a guard in its frame was destroyed);
//   - no coroutine was resumed after its frame was destroyed (the guard checks it is alive after
//     every co_await; under AddressSanitizer a freed frame is also poisoned);
//   - nothing leaks: once the task handles are dropped, every coroutine frame is gone (a token
//     passed by value lives in each frame); LeakSanitizer checks the rest under ASan;
//   - a task that only sleeps ends cancelled exactly when someone asked it to (cancelling() > 0,
//     not counting a request that a timeout scope took for its own: see StepKind::timeout_sleep),
//     and a task that awaits no other task sees at most one CancelledError per request;
//   - the same seed gives the same run (a hash of every task's end: id, state, time);
//   - timeouts (lesson 09): a TimeoutError only comes from a scope whose deadline has passed
//     (expired(), the clock at or after the deadline), and leaves the task's cancelling() where
//     it was on entry; when wait_for returns or raises TimeoutError, the work it waited for has
//     ended (the task is done, the leaf coroutine's frame has run its cleanup);
//   - shield (lesson 10): a task awaited through a shield whose caller timed out is not
//     cancelled by it; it runs on and returns its value, which the driver collects at the end.
//
// More operations slot in as new Op values: add the enum value, its weight in kWeights, and a
// case in Driver::perform; or a new StepKind for the tasks' scripts.
//
// Tagged [l10][stress] (the CTest test l10.stress); run it on its own as
//   ./build/<preset>/bin/test_l10 "[l10][stress]"
// On the exercises track it awaits through your aio/shield.hpp, so it passes once ex1 and ex2 do;
// until then it stops at the first stub it meets and says so once (see needs_the_exercises).
#include <aio/cancel_and_wait.hpp>
#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/run.hpp>
#include <aio/shield.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio/timeout.hpp>
#include <aio/not_implemented.hpp>
#include <aio/wait_for.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/stress.hpp>

#if __has_include(<aio/gather.hpp>)
#include <aio/gather.hpp>
#define AIO_STRESS_HAS_GATHER 1
#endif

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;

namespace stress {

// The pieces lesson 11's stress test shares with this one (support/aio_test/stress.hpp).
using aio_test::stress::check_no_frame_left;
using aio_test::stress::check_task_end;
using aio_test::stress::FrameToken;
using aio_test::stress::pick_recent;
using aio_test::stress::pick_weighted;
using aio_test::stress::report;
using aio_test::stress::Run;
using aio_test::stress::TaskGuard;
using aio_test::stress::TaskRecord;

/// How a task treats CancelledError.
enum class Behaviour {
  plain,          // only sleeps and yields, lets every CancelledError through
  cleans_up,      // awaits a short cleanup, then rethrows (cleanup that a second cancel may cut)
  ignores_once,   // ignores its first cancellation on purpose, with uncancel()
  awaits_others,  // awaits older tasks and gathers children; lets CancelledError through
};

enum class StepKind {
  sleep,
  yield,
  await_older,
  cancel_other,
  cancel_self,
  gather_children,
  timeout_sleep,          // a sleep inside an aio::timeout scope (any behaviour)
  wait_for_leaf,          // aio::wait_for on a new leaf coroutine (awaits_others only)
  wait_for_older,         // aio::wait_for on an older task (awaits_others only)
  shield_older,           // co_await aio::shield(older task) (awaits_others only)
  timeout_await_older,    // awaiting an older task inside a timeout scope (awaits_others only)
};

struct Step {
  StepKind kind;
  aio::Duration delay{};
  int target = -1;  // a task id, or the number of children for gather_children
  aio::Duration limit{};  // the timeout of the timeout and wait_for steps
};

/// One task of the run: what every stress test records (TaskRecord), and how this one's script
/// met cancellations and timeouts.
struct Record : TaskRecord {
  Behaviour behaviour = Behaviour::plain;
  int deliveries = 0;    // CancelledErrors its script saw
  int uncancels = 0;     // requests it withdrew itself
  int timeouts = 0;      // TimeoutErrors its script saw
  int absorbed = 0;      // ... from a scope entered while a request of its own was still pending
};

/// A leaf coroutine that wait_for wraps in a task of its own (the script never sees that task).
struct Leaf {
  bool started = false;
  bool alive = false;
  bool ended = false;
};

/// The run: what every stress test keeps (Run), with this one's tasks, leaves and shields.
struct World : Run {
  using Run::Run;
  std::deque<Record> records;
  std::deque<Leaf> leaves;
  std::vector<aio::Task<int>> shielded;  // tasks the driver awaited through a shield; they must return
  long long timeouts = 0;                // TimeoutErrors seen, by scripts and by the driver
};

/// Lives in a leaf's frame: the leaf started, and its cleanup ran.
class LeafGuard {
public:
  explicit LeafGuard(Leaf* leaf) : leaf_(leaf) { leaf_->started = leaf_->alive = true; }
  LeafGuard(const LeafGuard&) = delete;
  LeafGuard& operator=(const LeafGuard&) = delete;
  ~LeafGuard() {
    leaf_->alive = false;
    leaf_->ended = true;
  }
  bool alive() const { return leaf_->alive; }

private:
  Leaf* leaf_;
};

/// Sleeps and returns 1. Cancelled, it cleans up for a moment (a second cancellation may cut
/// that short) and rethrows, or, if `swallow`, returns -1.
aio::Coro<int> leaf(World* world, std::size_t index, [[maybe_unused]] FrameToken token, aio::Duration delay,
                    bool swallow) {
  LeafGuard guard(&world->leaves[index]);
  std::exception_ptr cancelled;
  try {
    co_await aio::sleep(delay);
  } catch (const aio::CancelledError&) {
    cancelled = std::current_exception();
  }
  if (!guard.alive()) world->problem("leaf " + std::to_string(index) + " resumed after its frame died");
  if (!cancelled) co_return 1;
  try {
    co_await aio::sleep(5ms);
  } catch (const aio::CancelledError&) {
  }
  if (swallow) co_return -1;
  std::rethrow_exception(cancelled);
}

/// A new leaf: its record and its (lazy) coroutine.
aio::Coro<int> new_leaf(World& world, aio::Duration delay) {
  world.leaves.emplace_back();
  const bool swallow = world.random.percent(20);
  return leaf(&world, world.leaves.size() - 1, FrameToken(&world), delay, swallow);
}

aio::Coro<void> nap(aio::Duration delay) { co_await aio::sleep(delay); }

aio::Coro<int> await_task(aio::Task<int> task) {
  int value = co_await task;
  co_return value;
}

aio::Coro<int> await_shielded(aio::Task<int> task) {
  int value = co_await aio::shield(task);
  co_return value;
}

/// After a TimeoutError from `scope`, entered with the task's cancelling() at `entry`: the
/// deadline must have passed, and the scope's own request must have been withdrawn.
void check_timeout(World* world, const aio::Timeout& scope, int entry, const std::string& who) {
  ++world->timeouts;
  if (!scope.expired()) world->problem(who + ": TimeoutError from a scope that did not expire");
  if (!scope.when() || aio::get_running_loop().time() < *scope.when()) {
    world->problem(who + ": TimeoutError before the deadline");
  }
  if (aio::current_task()->cancelling() != entry) {
    world->problem(who + ": a scope's TimeoutError left cancelling() at " +
                   std::to_string(aio::current_task()->cancelling()) + ", not " + std::to_string(entry));
  }
}

Record& spawn(World& world, Behaviour behaviour);

/// Makes a random script for a new task; only tasks that already exist can be awaited, so the
/// "awaits" relation has no cycle and every task can finish.
std::vector<Step> make_script(World& world, Behaviour behaviour, int id) {
  std::vector<Step> steps;
  const int count = 1 + world.random.below(5);
  for (int i = 0; i < count; ++i) {
    const int roll = world.random.below(100);
    Step step{StepKind::sleep, world.random.delay()};
    step.limit = world.random.delay();
    const bool awaits = behaviour == Behaviour::awaits_others;
    if (roll < 15) {
      step.kind = StepKind::yield;
    } else if (roll < 25) {
      step.kind = StepKind::cancel_other;
      step.target = id - world.random.below(std::min(id + 1, 16));  // a recent task, maybe itself
    } else if (roll < 28) {
      step.kind = StepKind::cancel_self;
    } else if (roll < 36) {
      step.kind = StepKind::timeout_sleep;
    } else if (awaits && roll < 55 && id > 0) {
      step.kind = StepKind::await_older;
      step.target = world.random.below(id);
    } else if (awaits && roll < 62) {
      step.kind = StepKind::gather_children;
      step.target = 1 + world.random.below(3);
    } else if (awaits && roll < 70) {
      step.kind = StepKind::wait_for_leaf;
    } else if (awaits && roll < 88 && id > 0) {
      step.kind = roll < 76 ? StepKind::wait_for_older : roll < 82 ? StepKind::shield_older : StepKind::timeout_await_older;
      step.target = world.random.below(id);
    }
    steps.push_back(step);
  }
  return steps;
}

/// One step of a script. Throws CancelledError when the task is cancelled at one of its awaits.
aio::Coro<void> perform(World* world, int id, Step step) {
  Record& self = world->records[static_cast<std::size_t>(id)];
  switch (step.kind) {
    case StepKind::sleep:
      co_await aio::sleep(step.delay);
      break;
    case StepKind::yield:
      co_await aio::sleep(0ms);
      break;
    case StepKind::cancel_other:
      world->records[static_cast<std::size_t>(step.target)].task.cancel("by task " + std::to_string(id));
      break;
    case StepKind::cancel_self:
      self.task.cancel("by itself");
      co_await aio::sleep(0ms);
      break;
    case StepKind::await_older: {
      aio::Task<int> older = world->records[static_cast<std::size_t>(step.target)].task;
      co_await older;
      break;
    }
    case StepKind::timeout_sleep: {
      const int entry = self.task.cancelling();
      aio::Timeout scope = aio::timeout(step.limit);
      try {
        co_await scope.run(nap(step.delay));
      } catch (const aio::TimeoutError&) {
        ++self.timeouts;
        // A request made before the scope was entered, and not delivered yet, is part of the
        // count the scope saw on entry: if the deadline passes first, the scope takes that
        // request's CancelledError for its own (asyncio 3.11 does the same).
        if (entry > 0) ++self.absorbed;
        check_timeout(world, scope, entry, "task " + std::to_string(id));
      }
      break;
    }
    case StepKind::wait_for_leaf: {
      const std::size_t index = world->leaves.size();
      aio::Coro<int> work = new_leaf(*world, step.delay);
      try {
        co_await aio::wait_for(std::move(work), step.limit);
      } catch (const aio::TimeoutError&) {
        ++self.timeouts;
        ++world->timeouts;
      }
      // Returned or timed out (a CancelledError, ours, skips this): the leaf has ended.
      if (world->leaves[index].alive) world->problem("wait_for left leaf " + std::to_string(index) + " running");
      break;
    }
    case StepKind::wait_for_older: {
      aio::Task<int> older = world->records[static_cast<std::size_t>(step.target)].task;
      try {
        co_await aio::wait_for(older, step.limit);
      } catch (const aio::TimeoutError&) {
        ++self.timeouts;
        ++world->timeouts;
      }
      if (!older.done()) world->problem("wait_for left task " + std::to_string(step.target) + " running");
      break;
    }
    case StepKind::shield_older: {
      aio::Task<int> older = world->records[static_cast<std::size_t>(step.target)].task;
      int value = co_await aio::shield(older);
      if (value != step.target) world->problem("shield returned a wrong value");
      break;
    }
    case StepKind::timeout_await_older: {
      aio::Task<int> older = world->records[static_cast<std::size_t>(step.target)].task;
      const int entry = self.task.cancelling();
      aio::Timeout scope = aio::timeout(step.limit);
      try {
        co_await scope.run(await_task(older));
      } catch (const aio::TimeoutError&) {
        ++self.timeouts;
        check_timeout(world, scope, entry, "task " + std::to_string(id));
      }
      break;
    }
    case StepKind::gather_children: {
#ifdef AIO_STRESS_HAS_GATHER
      std::vector<aio::Task<int>> children;
      for (int i = 0; i < step.target; ++i) children.push_back(spawn(*world, Behaviour::plain).task);
      std::vector<int> results = co_await aio::gather(std::move(children));
      if (results.size() != static_cast<std::size_t>(step.target)) world->problem("gather lost a result");
#else
      co_await aio::sleep(step.delay);
#endif
      break;
    }
  }
}

aio::Coro<int> body(World* world, int id, [[maybe_unused]] FrameToken token, std::vector<Step> steps) {
  Record* record = &world->records[static_cast<std::size_t>(id)];
  TaskGuard guard(record);
  aio::TaskBase& me = *aio::current_task();
  bool ignored = false;
  for (const Step& step : steps) {
    ++world->operations;
    std::exception_ptr cancelled;
    try {
      co_await perform(world, id, step);
    } catch (const aio::CancelledError&) {
      cancelled = std::current_exception();
      ++record->deliveries;
    }
    guard.check_alive();
    if (!cancelled) continue;
    if (record->behaviour == Behaviour::ignores_once && !ignored) {
      ignored = true;
      me.uncancel();
      ++record->uncancels;
      continue;
    }
    if (record->behaviour == Behaviour::cleans_up) {
      try {
        co_await aio::sleep(10ms);
      } catch (const aio::CancelledError&) {
        // a second cancellation cut the cleanup short: the first error still goes on
        ++record->deliveries;
      }
      guard.check_alive();
    }
    std::rethrow_exception(cancelled);
  }
  co_return id;
}

Record& spawn(World& world, Behaviour behaviour) {
  const int id = static_cast<int>(world.records.size());
  Record& record = world.records.emplace_back();
  record.run = &world;
  record.id = id;
  record.behaviour = behaviour;
  std::vector<Step> steps = make_script(world, behaviour, id);
  record.task = aio::create_task(body(&world, id, FrameToken(&world), std::move(steps)));
  record.watch();
  return record;
}

// The driver's operations. To add one: a value here, its weight in kWeights, a case in perform.
enum class Op { spawn, cancel, sleep, await_task, gather, wait_for, timeout, shield, count };
constexpr std::array<int, static_cast<std::size_t>(Op::count)> kWeights = {30, 30, 25, 10, 5, 6, 6, 6};

struct Driver {
  World* world;

  Op pick() { return static_cast<Op>(pick_weighted(world->random, kWeights)); }

  Behaviour random_behaviour() { return static_cast<Behaviour>(world->random.below(4)); }

  /// Awaits, through a shield and under a timeout, either a fresh leaf task that nobody else
  /// knows (which must then run on, uncancelled, and return 1) or a random task.
  aio::Coro<void> shield_something() {
    aio::Task<int> task;
    const bool fresh = world->random.percent(50);
    if (fresh) {
      task = aio::create_task(new_leaf(*world, world->random.delay()));
      world->shielded.push_back(task);
    } else if (Record* record = random_record()) {
      task = record->task;
    } else {
      co_return;
    }
    aio::Timeout scope = aio::timeout(world->random.delay());
    try {
      co_await scope.run(await_shielded(task));
    } catch (const aio::TimeoutError&) {
      check_timeout(world, scope, 0, "the driver");
      if (fresh && (task.cancelled() || task.cancelling() != 0)) world->problem("a shield let a timeout through");
    } catch (const aio::CancelledError&) {
      if (fresh) world->problem("a shielded task nobody cancelled ended cancelled");
    }
  }

  /// Mostly one of the newest tasks (the ones likely still running), sometimes any.
  Record* random_record() {
    if (world->records.empty()) return nullptr;
    const int index = pick_recent(world->random, static_cast<int>(world->records.size()));
    return &world->records[static_cast<std::size_t>(index)];
  }

  aio::Coro<void> perform(Op op) {
    switch (op) {
      case Op::spawn:
        spawn(*world, random_behaviour());
        break;
      case Op::cancel:
        if (Record* record = random_record()) record->task.cancel("by the driver");
        break;
      case Op::sleep:
        co_await aio::sleep(world->random.delay());
        break;
      case Op::await_task:
        if (Record* record = random_record()) {
          aio::Task<int> task = record->task;
          try {
            co_await task;
          } catch (const aio::CancelledError&) {
          }
        }
        break;
      case Op::gather:
        spawn(*world, Behaviour::awaits_others);  // its script may gather; and it may be awaited
        break;
      case Op::wait_for:
        if (Record* record = random_record()) {
          aio::Task<int> task = record->task;
          try {
            co_await aio::wait_for(task, world->random.delay());
          } catch (const aio::TimeoutError&) {
            ++world->timeouts;
          } catch (const aio::CancelledError&) {  // it was cancelled by someone else
          }
          if (!task.done()) world->problem("wait_for left task " + std::to_string(record->id) + " running");
        }
        break;
      case Op::timeout:
        if (Record* record = random_record()) {
          aio::Timeout scope = aio::timeout(world->random.delay());
          try {
            co_await scope.run(await_task(record->task));
          } catch (const aio::TimeoutError&) {
            check_timeout(world, scope, 0, "the driver");
          } catch (const aio::CancelledError&) {
          }
        }
        break;
      case Op::shield:
        co_await shield_something();
        break;
      case Op::count:
        break;
    }
  }
};

aio::Coro<void> drive(World* world, int operations, bool cancel_at_the_end) {
  // No task of the run fails or is left pending, so anything the loop reports is a problem.
  aio::get_running_loop().set_exception_handler(
      [world](const std::string& message) { world->problem("the loop reported: " + message); });
  Driver driver{world};
  for (int i = 0; i < operations; ++i) {
    ++world->operations;
    co_await driver.perform(driver.pick());
  }
  // The tasks awaited through a shield ran on: each returns its value in the end.
  for (std::size_t i = 0; i < world->shielded.size(); ++i) {
    aio::Task<int> task = world->shielded[i];
    int value = co_await task;
    if (value != 1) world->problem("a shielded task returned " + std::to_string(value));
  }
  if (cancel_at_the_end) {
    // Stop every task and wait for each to end; otherwise aio::run's epilogue does it.
    for (std::size_t i = 0; i < world->records.size(); ++i) {
      aio::Task<int> task = world->records[i].task;
      co_await aio::cancel_and_wait(task, "the end");
    }
  }
}

struct Outcome {
  std::uint64_t trace;
  long long operations;
  std::size_t tasks;
  std::size_t cancelled;  // tasks that ended cancelled; the others returned
  long long timeouts;     // TimeoutErrors from wait_for and timeout scopes
  std::size_t leaves;     // leaf coroutines run by wait_for and shield
};

Outcome run_one(std::uint64_t seed, int operations) {
  World world(seed);
  aio::run(drive(&world, operations, seed % 2 == 1), {.virtual_clock = true});

  for (const Record& record : world.records) {
    const std::string who = "seed " + std::to_string(seed) + ", task " + std::to_string(record.id);
    check_task_end(record, who);
    if (record.task.done() && !record.task.cancelled() && record.task.exception()) {
      world.problem(who + " failed with an exception other than CancelledError");
    }
    // (A request that a timeout scope absorbed, see StepKind::timeout_sleep, stays counted.)
    if (record.behaviour == Behaviour::plain && record.task.done() &&
        record.task.cancelled() != (record.task.cancelling() > record.absorbed)) {
      world.problem(who + ": a plain task must end cancelled exactly when cancel() was asked");
    }
    // A task that awaits no other task sees one CancelledError per request at most: cancelling()
    // counts the requests still standing, uncancels the ones it withdrew.
    if (record.behaviour != Behaviour::awaits_others &&
        record.deliveries > record.task.cancelling() + record.uncancels) {
      world.problem(who + " saw " + std::to_string(record.deliveries) + " CancelledErrors for " +
                    std::to_string(record.task.cancelling() + record.uncancels) + " requests");
    }
  }
  for (std::size_t i = 0; i < world.leaves.size(); ++i) {
    const Leaf& leaf = world.leaves[i];
    if (leaf.alive || leaf.started != leaf.ended) {
      world.problem("seed " + std::to_string(seed) + ", leaf " + std::to_string(i) + " never finished its cleanup");
    }
  }
  std::size_t cancelled = 0;
  for (const Record& record : world.records) cancelled += record.task.cancelled() ? 1 : 0;
  const Outcome outcome{world.trace, world.operations, world.records.size(), cancelled, world.timeouts,
                        world.leaves.size()};
  world.records.clear();  // drops the last handles: every task and frame must go now
  world.shielded.clear();
  check_no_frame_left(world, seed);
  report(world, seed);
  return outcome;
}

/// Set once a test case has shown the stub's message: the next one only points at it.
bool told_about_the_stub = false;

/// Runs `body`; if it meets an exercise that is not written yet, fails the test case with one
/// message instead of the stub's hint once per seed (and says less the second time).
template <class Body>
void needs_the_exercises(Body body) {
  bool& told = told_about_the_stub;
  try {
    body();
  } catch (const aio::NotImplemented& error) {
    if (told) FAIL("not run: it needs l10.ex1 and l10.ex2 (see above)");
    told = true;
    FAIL("the stress test awaits through your shield, so it runs once l10.ex1 and l10.ex2 pass.\n"
         "It stopped at the first stub it met:\n"
         << error.what());
  }
}

}  // namespace stress

TEST_CASE("random cancels, timeouts and shields: every task ends once, cleanly", "[l10][stress]") {
  constexpr int kSeeds = 20;
  constexpr int kOperationsPerRun = 5000;
  long long driver_operations = 0;
  long long all_operations = 0;
  std::size_t tasks = 0;
  std::size_t cancelled = 0;
  long long timeouts = 0;
  std::size_t leaves = 0;
  stress::needs_the_exercises([&] {
    for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
      const stress::Outcome outcome = stress::run_one(seed, kOperationsPerRun);
      driver_operations += kOperationsPerRun;
      all_operations += outcome.operations;
      tasks += outcome.tasks;
      cancelled += outcome.cancelled;
      timeouts += outcome.timeouts;
      leaves += outcome.leaves;
    }
  });
  CHECK(driver_operations >= 100000);
  // Both endings must be common, or the test would not be testing much.
  CHECK(cancelled > tasks / 4);
  CHECK(tasks - cancelled > tasks / 4);
  CHECK(timeouts > 1000);  // the timeout paths must run often too
  WARN(all_operations << " operations, " << tasks << " tasks, " << cancelled << " of them cancelled, "
                      << timeouts << " timeouts, " << leaves << " leaf coroutines");
}

TEST_CASE("the stress test is reproducible: the same seed gives the same run", "[l10][stress]") {
  stress::needs_the_exercises([] {
    const stress::Outcome first = stress::run_one(12345, 3000);
    const stress::Outcome second = stress::run_one(12345, 3000);
    CHECK(first.trace == second.trace);
    CHECK(first.operations == second.operations);
    CHECK(first.tasks == second.tasks);
    const stress::Outcome other = stress::run_one(54321, 3000);
    CHECK(other.trace != first.trace);
  });
}
