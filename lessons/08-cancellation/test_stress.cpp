// A randomized stress test of cancellation: seeded, reproducible, on the virtual clock.
//
// A driver coroutine performs random operations (spawn a task, cancel one, sleep, await one,
// gather a few) while the tasks it spawns run small random scripts of their own: sleeps, yields,
// awaiting older tasks, cancelling other tasks or themselves, gathering children. Some tasks let
// every CancelledError through, some clean up with an await before they rethrow, some ignore
// one cancellation on purpose (and uncancel() it). After each run it checks:
//   - every task ended exactly once (a DoneListener counts), and is done;
//   - every task that started ran its cleanup (a guard in its frame was destroyed);
//   - no coroutine was resumed after its frame was destroyed (the guard checks it is alive after
//     every co_await; under AddressSanitizer a freed frame is also poisoned);
//   - nothing leaks: once the task handles are dropped, every coroutine frame is gone (a token
//     passed by value lives in each frame); LeakSanitizer checks the rest under ASan;
//   - a task that only sleeps ends cancelled exactly when someone asked it to (cancelling() > 0),
//     and a task that awaits no other task sees at most one CancelledError per request;
//   - the same seed gives the same run (a hash of every task's end: id, state, time).
//
// More operations (timeouts, shield, task groups) slot in as new Op values: add the enum value,
// its weight in kWeights, and a case in Driver::perform.
//
// Tagged [l08][stress]: CMake registers [lNN][exK] tags only, so run it as
//   ./build/<preset>/bin/test_l08 "[l08][stress]"
#include <aio/cancel_and_wait.hpp>
#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio_test/catch.hpp>

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

/// SplitMix64: the same numbers with every compiler and standard library (the distributions of
/// <random> are not specified exactly, so they may differ between libstdc++ and libc++).
class Random {
public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// 0 <= n < bound.
  int below(int bound) { return static_cast<int>(next() % static_cast<std::uint64_t>(bound)); }
  bool percent(int chance) { return below(100) < chance; }
  /// 0, or 1 to 100 ms in whole milliseconds (so that deadlines often coincide).
  aio::Duration delay() { return percent(15) ? aio::Duration{0} : std::chrono::milliseconds(1 + below(100)); }

private:
  std::uint64_t state_;
};

/// How a task treats CancelledError.
enum class Behaviour {
  plain,          // only sleeps and yields, lets every CancelledError through
  cleans_up,      // awaits a short cleanup, then rethrows (cleanup that a second cancel may cut)
  ignores_once,   // ignores its first cancellation on purpose, with uncancel()
  awaits_others,  // awaits older tasks and gathers children; lets CancelledError through
};

enum class StepKind { sleep, yield, await_older, cancel_other, cancel_self, gather_children };

struct Step {
  StepKind kind;
  aio::Duration delay{};
  int target = -1;  // a task id, or the number of children for gather_children
};

struct World;

/// One task of the run and what the checks need to know about it. Lives in a std::deque, so
/// its address (the DoneListener) never moves.
struct Record : aio::DoneListener {
  World* world = nullptr;
  int id = 0;
  Behaviour behaviour = Behaviour::plain;
  aio::Task<int> task;
  int ends = 0;
  bool started = false;  // the guard in its frame was built
  bool cleaned = false;  // ... and destroyed
  bool alive = false;    // between the two
  int deliveries = 0;    // CancelledErrors its script saw
  int uncancels = 0;     // requests it withdrew itself
};

struct World {
  explicit World(std::uint64_t seed) : random(seed) {}
  Random random;
  std::deque<Record> records;
  std::vector<std::string> problems;
  long long operations = 0;  // driver operations plus script steps
  long long frames = 0;      // FrameTokens alive: one in each coroutine frame that was made
  std::uint64_t trace = 1469598103934665603ULL;  // FNV-1a of every task's end

  void note(std::uint64_t value) {
    for (int i = 0; i < 8; ++i) {
      trace ^= (value >> (8 * i)) & 0xff;
      trace *= 1099511628211ULL;
    }
  }
  void problem(std::string what) {
    if (problems.size() < 20) problems.push_back(std::move(what));
  }
};

/// Passed by value into every task's coroutine: the copy in the frame dies with the frame.
class FrameToken {
public:
  explicit FrameToken(World* world) : world_(world) { ++world_->frames; }
  FrameToken(const FrameToken& other) : world_(other.world_) { ++world_->frames; }
  FrameToken& operator=(const FrameToken&) = delete;
  ~FrameToken() { --world_->frames; }

private:
  World* world_;
};

/// Lives in the task's frame from its first line to its end: the "cleanup" that must run.
class Guard {
public:
  explicit Guard(Record* record) : record_(record), magic_(kMagic) {
    record_->started = true;
    record_->alive = true;
  }
  Guard(const Guard&) = delete;
  Guard& operator=(const Guard&) = delete;
  ~Guard() {
    if (!record_->alive) record_->world->problem("task " + std::to_string(record_->id) + " cleaned up twice");
    record_->alive = false;
    record_->cleaned = true;
    magic_ = 0;
  }
  /// Called after every co_await: a coroutine resumed after its frame was destroyed fails here.
  void check_alive() const {
    if (magic_ != kMagic || !record_->alive) {
      record_->world->problem("task " + std::to_string(record_->id) + " resumed after its frame died");
    }
  }

private:
  static constexpr std::uint64_t kMagic = 0x5ca1ab1e0ddba11ULL;
  Record* record_;
  std::uint64_t magic_;
};

Record& spawn(World& world, Behaviour behaviour);

/// Makes a random script for a new task; only tasks that already exist can be awaited, so the
/// "awaits" relation has no cycle and every task can finish.
std::vector<Step> make_script(World& world, Behaviour behaviour, int id) {
  std::vector<Step> steps;
  const int count = 1 + world.random.below(5);
  for (int i = 0; i < count; ++i) {
    const int roll = world.random.below(100);
    Step step{StepKind::sleep, world.random.delay()};
    if (roll < 15) {
      step.kind = StepKind::yield;
    } else if (roll < 25) {
      step.kind = StepKind::cancel_other;
      step.target = id - world.random.below(std::min(id + 1, 16));  // a recent task, maybe itself
    } else if (roll < 28) {
      step.kind = StepKind::cancel_self;
    } else if (behaviour == Behaviour::awaits_others && roll < 55 && id > 0) {
      step.kind = StepKind::await_older;
      step.target = world.random.below(id);
    } else if (behaviour == Behaviour::awaits_others && roll < 65) {
      step.kind = StepKind::gather_children;
      step.target = 1 + world.random.below(3);
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
  Guard guard(record);
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

void on_task_done(aio::DoneListener* listener, aio::TaskBase& task) {
  auto* record = static_cast<Record*>(listener);
  ++record->ends;
  record->world->note(static_cast<std::uint64_t>(record->id) * 4 + static_cast<std::uint64_t>(task.state()));
  record->world->note(static_cast<std::uint64_t>(task.loop().time().count()));
}

Record& spawn(World& world, Behaviour behaviour) {
  const int id = static_cast<int>(world.records.size());
  Record& record = world.records.emplace_back();
  record.world = &world;
  record.id = id;
  record.behaviour = behaviour;
  std::vector<Step> steps = make_script(world, behaviour, id);
  record.task = aio::create_task(body(&world, id, FrameToken(&world), std::move(steps)));
  record.on_done = &on_task_done;
  record.task.base().add_done_listener(record);
  return record;
}

// The driver's operations. To add one: a value here, its weight in kWeights, a case in perform.
enum class Op { spawn, cancel, sleep, await_task, gather, count };
constexpr std::array<int, static_cast<std::size_t>(Op::count)> kWeights = {30, 30, 25, 10, 5};

struct Driver {
  World* world;

  Op pick() {
    int total = 0;
    for (int weight : kWeights) total += weight;
    int roll = world->random.below(total);
    for (std::size_t op = 0; op < kWeights.size(); ++op) {
      if (roll < kWeights[op]) return static_cast<Op>(op);
      roll -= kWeights[op];
    }
    return Op::sleep;
  }

  Behaviour random_behaviour() { return static_cast<Behaviour>(world->random.below(4)); }

  /// Mostly one of the newest tasks (the ones likely still running), sometimes any.
  Record* random_record() {
    const int size = static_cast<int>(world->records.size());
    if (size == 0) return nullptr;
    const int span = world->random.percent(80) ? std::min(size, 32) : size;
    return &world->records[static_cast<std::size_t>(size - 1 - world->random.below(span))];
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
      case Op::count:
        break;
    }
  }
};

aio::Coro<void> drive(World* world, int operations, bool cancel_at_the_end) {
  Driver driver{world};
  for (int i = 0; i < operations; ++i) {
    ++world->operations;
    co_await driver.perform(driver.pick());
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
};

Outcome run_one(std::uint64_t seed, int operations) {
  World world(seed);
  aio::run(drive(&world, operations, seed % 2 == 1), {.virtual_clock = true});

  for (const Record& record : world.records) {
    const std::string who = "seed " + std::to_string(seed) + ", task " + std::to_string(record.id);
    if (record.ends != 1) world.problem(who + " ended " + std::to_string(record.ends) + " times");
    if (!record.task.done()) world.problem(who + " is not done");
    if (record.started != record.cleaned) world.problem(who + " started but never cleaned up");
    if (record.alive) world.problem(who + " still has its guard alive");
    if (!record.started && !record.task.cancelled()) world.problem(who + " never ran, yet was not cancelled");
    if (record.task.done() && !record.task.cancelled() && record.task.exception()) {
      world.problem(who + " failed with an exception other than CancelledError");
    }
    if (record.behaviour == Behaviour::plain && record.task.done() &&
        record.task.cancelled() != (record.task.cancelling() > 0)) {
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
  std::size_t cancelled = 0;
  for (const Record& record : world.records) cancelled += record.task.cancelled() ? 1 : 0;
  const Outcome outcome{world.trace, world.operations, world.records.size(), cancelled};
  world.records.clear();  // drops the last handles: every task and frame must go now
  if (world.frames != 0) world.problem("seed " + std::to_string(seed) + ": " + std::to_string(world.frames) + " frames leaked");

  INFO("seed " << seed);
  for (const std::string& problem : world.problems) FAIL_CHECK(problem);
  CHECK(world.problems.empty());
  return outcome;
}

}  // namespace stress

TEST_CASE("random spawn, cancel, sleep, await and gather: every task ends once, cleans up, and leaks nothing",
          "[l08][stress]") {
  constexpr int kSeeds = 20;
  constexpr int kOperationsPerRun = 5000;
  long long driver_operations = 0;
  long long all_operations = 0;
  std::size_t tasks = 0;
  std::size_t cancelled = 0;
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const stress::Outcome outcome = stress::run_one(seed, kOperationsPerRun);
    driver_operations += kOperationsPerRun;
    all_operations += outcome.operations;
    tasks += outcome.tasks;
    cancelled += outcome.cancelled;
  }
  CHECK(driver_operations >= 100000);
  // Both endings must be common, or the test would not be testing much.
  CHECK(cancelled > tasks / 4);
  CHECK(tasks - cancelled > tasks / 4);
  WARN(all_operations << " operations, " << tasks << " tasks, " << cancelled << " of them cancelled");
}

TEST_CASE("the stress test is reproducible: the same seed gives the same run", "[l08][stress]") {
  const stress::Outcome first = stress::run_one(12345, 3000);
  const stress::Outcome second = stress::run_one(12345, 3000);
  CHECK(first.trace == second.trace);
  CHECK(first.operations == second.operations);
  CHECK(first.tasks == second.tasks);
  const stress::Outcome other = stress::run_one(54321, 3000);
  CHECK(other.trace != first.trace);
}
