// A randomized stress test of task groups: seeded, reproducible, on the virtual clock. It has the
// shape of lesson 10's (lessons/10-shield/test_stress.cpp), with task groups in the mix.
//
// A driver coroutine performs random operations: start a "runner" (a task whose whole life is
// one task group), start a lone worker, cancel a random task, sleep, await a random task. A
// group's body starts 1 to 4 workers, then sleeps, yields, starts more workers, awaits one, or
// (rarely) throws. Workers run small random scripts: sleeps, yields, failures (they throw),
// cancelling other tasks or themselves, adding a sibling to their group, awaiting older tasks,
// and running a nested task group of their own. On cancellation some let the error through at
// once, some clean up with an await first, some fail during their cleanup, some ignore one
// cancellation on purpose (and uncancel() it).
//
// Checks, after each run:
//   - every task ended exactly once (a DoneListener counts), and is done;
//   - every task that started ran its cleanup (a guard in its frame was destroyed);
//   - no coroutine was resumed after its frame was destroyed (the guard checks after every
//     co_await; under AddressSanitizer a freed frame is also poisoned);
//   - nothing leaks: once the handles are dropped, every coroutine frame is gone (a token passed
//     by value lives in each frame); LeakSanitizer checks the rest under ASan;
//   - the loop reported nothing (no exception escaped a callback, no failure went unretrieved);
//   - the same seed gives the same run (a hash of every task's end: id, state, time);
// and, at the end of every task group's scope:
//   - every child of the group is done (the scope never ends before its children);
//   - what left the scope is an ExceptionGroup with one member per failed child (plus one if the
//     body threw) exactly when something failed; otherwise nothing, or a CancelledError, and a
//     CancelledError only if the task was cancelled from outside;
//   - for a runner, cancelling() equals the requests that others made: the group took back its
//     own;
//   - create_task succeeded exactly when the group was neither shutting down nor finished.
//
// Tagged [l11][stress]: run it as ./build/<preset>/bin/test_l11 "[l11][stress]"
#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/exception_group.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio/task_group.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/stress.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;

namespace group_stress {

// The pieces this test shares with lesson 10's stress test (support/aio_test/stress.hpp).
using aio_test::stress::check_no_frame_left;
using aio_test::stress::check_task_end;
using aio_test::stress::FrameToken;
using aio_test::stress::pick_recent;
using aio_test::stress::pick_weighted;
using aio_test::stress::report;
using aio_test::stress::Run;
using aio_test::stress::TaskGuard;
using aio_test::stress::TaskRecord;

/// How a worker treats CancelledError.
enum class Behaviour {
  plain,             // lets it through at once
  cleans_up,         // awaits a short cleanup, then lets it through
  fails_in_cleanup,  // awaits a short cleanup, then fails with an error of its own
  ignores_once,      // ignores its first cancellation on purpose, with uncancel()
};

enum class StepKind { sleep, yield, fail, cancel_other, cancel_self, add_sibling, await_older, nested_group };

struct Step {
  StepKind kind = StepKind::sleep;
  aio::Duration delay{};
  int target = -1;  // a task id
};

/// What a group's body does after it has started its first children.
enum class BodyStep { sleep, yield, spawn, await_child, fail };

/// One task of the run: what every stress test records (TaskRecord), and where this one stands
/// in the run's task groups.
struct Record : TaskRecord {
  bool runner = false;
  bool lone = false;  // a worker outside any group
  int owner = -1;  // for a child: the task that runs its group's scope
  int outside_requests = 0;  // cancel() calls on it that took effect, by the driver or a worker
  // For a task that runs a scope: the scope's children, and whether its body threw.
  std::vector<int> children;
  bool body_threw = false;
};

/// The run: what every stress test keeps (Run), with this one's tasks and scope counts.
struct World : Run {
  using Run::Run;
  std::deque<Record> records;
  long long scopes = 0;          // task group scopes that ended
  long long group_errors = 0;    // ... with an ExceptionGroup
  long long refused = 0;         // create_task calls refused with InvalidStateError
  bool closing = false;          // the driver is done: aio::run's epilogue cancels what is left

  Record& record(int id) { return records[static_cast<std::size_t>(id)]; }
};

/// A cancel() by the driver or a worker: counted when it takes effect.
void cancel(Record& target, const std::string& message) {
  if (target.task.valid() && target.task.cancel(message)) ++target.outside_requests;
}

Record& new_record(World& world, bool runner) {
  const int id = static_cast<int>(world.records.size());
  Record& record = world.records.emplace_back();
  record.run = &world;
  record.id = id;
  record.runner = runner;
  return record;
}

aio::Coro<int> worker(World* world, int id, FrameToken token, Behaviour behaviour, std::vector<Step> steps,
                      std::optional<aio::TaskGroup> group);

std::vector<Step> make_script(World& world, int id, bool in_group) {
  std::vector<Step> steps;
  const int count = 1 + world.random.below(5);
  for (int i = 0; i < count; ++i) {
    const int roll = world.random.below(100);
    Step step{StepKind::sleep, world.random.delay()};
    if (roll < 12) {
      step.kind = StepKind::yield;
    } else if (roll < 20) {
      step.kind = StepKind::cancel_other;
      step.target = id - world.random.below(std::min(id + 1, 16));  // a recent task, maybe itself
    } else if (roll < 22) {
      step.kind = StepKind::cancel_self;
    } else if (roll < 27 && in_group) {
      step.kind = StepKind::fail;
    } else if (roll < 35 && in_group) {
      step.kind = StepKind::add_sibling;
    } else if (roll < 42 && id > 0) {
      // Only lone workers are awaited: they await nothing but older lone workers, so no task
      // ever waits, through a chain, for a scope that waits for it (a deadlock in asyncio too:
      // cpython/child_awaits_parent.py).
      const int target = world.random.below(id);
      if (world.record(target).lone) {
        step.kind = StepKind::await_older;
        step.target = target;
      }
    } else if (roll < 45 && in_group) {
      step.kind = StepKind::nested_group;
    }
    steps.push_back(step);
  }
  return steps;
}

/// Starts a worker: in `group` if there is one (it is then a child of the task `owner` runs the
/// scope for), else as a lone task, which never fails.
Record& spawn_worker(World& world, std::optional<aio::TaskGroup> group, int owner) {
  Record& record = new_record(world, false);
  record.owner = owner;
  const bool in_group = group.has_value();
  const auto behaviour = static_cast<Behaviour>(world.random.below(in_group ? 4 : 2));
  std::vector<Step> steps = make_script(world, record.id, in_group);
  aio::Coro<int> body = worker(&world, record.id, FrameToken(&world), behaviour, std::move(steps), group);
  if (!in_group) {
    record.lone = true;
    record.task = aio::create_task(std::move(body));
    record.watch();
    return record;
  }
  const std::string before = group->describe();
  const bool open = before.find("cancelling") == std::string::npos && before.find("finished") == std::string::npos;
  try {
    record.task = group->create_task(std::move(body));
    record.watch();
    world.record(owner).children.push_back(record.id);
    if (!open) world.problem("create_task succeeded on " + before);
  } catch (const aio::InvalidStateError& error) {
    ++world.refused;
    record.ends = 1;   // never a task: nothing to end
    record.task = {};  // stays invalid
    const std::string what = error.what();
    if (open) world.problem("create_task refused on " + before + ": " + what);
    if (what.find("is shutting down") == std::string::npos && what.find("is finished") == std::string::npos) {
      world.problem("create_task refused without saying why: " + what);
    }
  }
  return record;
}

/// The body of every scope of the run: a few workers, then a random script.
aio::Coro<void> scope_body(aio::TaskGroup group, World* world, int owner, int extra_steps) {
  const int first = 1 + world->random.below(4);
  for (int i = 0; i < first; ++i) spawn_worker(*world, group, owner);
  for (int i = 0; i < extra_steps; ++i) {
    ++world->operations;
    const int roll = world->random.below(100);
    BodyStep step = BodyStep::sleep;
    if (roll < 15) {
      step = BodyStep::yield;
    } else if (roll < 30) {
      step = BodyStep::spawn;
    } else if (roll < 40) {
      step = BodyStep::await_child;
    } else if (roll < 43) {
      step = BodyStep::fail;
    }
    switch (step) {
      case BodyStep::sleep:
        co_await aio::sleep(world->random.delay());
        break;
      case BodyStep::yield:
        co_await aio::sleep(0ms);
        break;
      case BodyStep::spawn:
        spawn_worker(*world, group, owner);
        break;
      case BodyStep::await_child: {
        const std::vector<int>& children = world->record(owner).children;
        aio::Task<int> child = world->record(children[static_cast<std::size_t>(world->random.below(
                                                 static_cast<int>(children.size())))]).task;
        const int requests = aio::current_task()->cancelling();
        try {
          co_await child;
        } catch (const std::exception&) {  // its failure is the group's business
        } catch (const aio::CancelledError&) {
          // The child's cancellation, or ours? Ours if a request against us came meanwhile (as
          // in aio::cancel_and_wait); a child's is not the body's business.
          if (aio::current_task()->cancelling() > requests) throw;
        }
        break;
      }
      case BodyStep::fail:
        world->record(owner).body_threw = true;
        throw std::logic_error("the body of task " + std::to_string(owner) + " failed");
    }
  }
}

/// Runs one scope for the task `id` and checks how it ended; returns what left the scope.
aio::Coro<std::exception_ptr> run_checked_scope(World* world, int id) {
  Record* self = &world->record(id);
  self->children.clear();  // a worker may run several nested scopes, one after the other
  self->body_threw = false;
  std::exception_ptr outcome;
  try {
    co_await aio::task_group(scope_body, world, id, world->random.below(6));
  } catch (...) {
    outcome = std::current_exception();
  }
  ++world->scopes;
  const std::string who = "the scope of task " + std::to_string(id);
  std::size_t failed = 0;
  for (int child : self->children) {
    Record& record = world->record(child);
    if (!record.task.done()) {
      world->problem(who + " ended before its child " + std::to_string(child));
      continue;
    }
    if (!record.task.cancelled() && record.task.exception()) ++failed;
  }
  const std::size_t expected = failed + (self->body_threw ? 1 : 0);
  bool group_error = false;
  bool cancelled = false;
  try {
    if (outcome) std::rethrow_exception(outcome);
  } catch (const aio::ExceptionGroup& group) {
    group_error = true;
    ++world->group_errors;
    if (group.size() != expected) {
      world->problem(who + " let out " + std::to_string(group.size()) + " errors for " + std::to_string(expected) +
                     " failures");
    }
  } catch (const aio::CancelledError&) {
    cancelled = true;
  } catch (const std::exception& error) {
    world->problem(who + " let out something unexpected: " + error.what());
  }
  if (expected > 0 && !group_error) world->problem(who + ": failures, but no ExceptionGroup");
  // aio::run's epilogue cancels the tasks left at the end without telling us: from then on,
  // requests cannot be counted.
  const bool counted = self->runner && !world->closing;
  if (cancelled && counted && self->outside_requests == 0) {
    world->problem(who + " let out a CancelledError, but nobody cancelled it");
  }
  if (counted && aio::current_task()->cancelling() != self->outside_requests) {
    world->problem(who + ": cancelling() is " + std::to_string(aio::current_task()->cancelling()) + " for " +
                   std::to_string(self->outside_requests) + " requests");
  }
  co_return outcome;
}

aio::Coro<void> perform(World* world, int id, Step step, std::optional<aio::TaskGroup>* group) {
  switch (step.kind) {
    case StepKind::sleep:
      co_await aio::sleep(step.delay);
      break;
    case StepKind::yield:
      co_await aio::sleep(0ms);
      break;
    case StepKind::fail:
      throw std::runtime_error("task " + std::to_string(id) + " failed");
    case StepKind::cancel_other:
      cancel(world->record(step.target), "by task " + std::to_string(id));
      break;
    case StepKind::cancel_self:
      cancel(world->record(id), "by itself");
      co_await aio::sleep(0ms);
      break;
    case StepKind::add_sibling:
      spawn_worker(*world, *group, world->record(id).owner);
      break;
    case StepKind::await_older: {
      aio::Task<int> older = world->record(step.target).task;
      if (!older.valid()) break;  // a create_task that was refused
      try {
        co_await older;
      } catch (const std::exception&) {  // its failure is not ours
      }
      break;
    }
    case StepKind::nested_group: {
      std::exception_ptr outcome = co_await run_checked_scope(world, id);
      if (outcome) std::rethrow_exception(outcome);  // a failed nested group fails this worker
      break;
    }
  }
}

aio::Coro<int> worker(World* world, int id, [[maybe_unused]] FrameToken token, Behaviour behaviour,
                      std::vector<Step> steps, std::optional<aio::TaskGroup> group) {
  Record* record = &world->record(id);
  TaskGuard guard(record);
  bool ignored = false;
  for (const Step& step : steps) {
    ++world->operations;
    std::exception_ptr cancelled;
    try {
      co_await perform(world, id, step, &group);
    } catch (const aio::CancelledError&) {
      cancelled = std::current_exception();
    }
    guard.check_alive();
    if (!cancelled) continue;
    if (behaviour == Behaviour::ignores_once && !ignored) {
      ignored = true;
      aio::current_task()->uncancel();
      continue;
    }
    if (behaviour == Behaviour::cleans_up || behaviour == Behaviour::fails_in_cleanup) {
      try {
        co_await aio::sleep(10ms);
      } catch (const aio::CancelledError&) {
        // a second cancellation cut the cleanup short: the first error still goes on
      }
      guard.check_alive();
      if (behaviour == Behaviour::fails_in_cleanup) throw std::runtime_error("cleanup of task " + std::to_string(id));
    }
    std::rethrow_exception(cancelled);
  }
  co_return id;
}

aio::Coro<int> runner(World* world, int id, [[maybe_unused]] FrameToken token) {
  TaskGuard guard(&world->record(id));
  std::exception_ptr outcome = co_await run_checked_scope(world, id);
  guard.check_alive();
  // A CancelledError goes on (the runner ends cancelled); an ExceptionGroup has been checked,
  // and counts as handled, so that no failure is left for nobody to retrieve.
  if (outcome && aio::detail::is_cancelled_error(outcome)) std::rethrow_exception(outcome);
  co_return id;
}

Record& spawn_runner(World& world) {
  Record& record = new_record(world, true);
  record.task = aio::create_task(runner(&world, record.id, FrameToken(&world)));
  record.watch();
  return record;
}

// The driver's operations. To add one: a value here, its weight in kWeights, a case in perform.
enum class Op { runner, lone_worker, cancel, sleep, await_task, count };
constexpr std::array<int, static_cast<std::size_t>(Op::count)> kWeights = {22, 8, 30, 30, 10};

struct Driver {
  World* world;

  Op pick() { return static_cast<Op>(pick_weighted(world->random, kWeights)); }

  /// Mostly one of the newest tasks (the ones likely still running), sometimes any.
  Record* random_record() {
    if (world->records.empty()) return nullptr;
    Record* record = &world->record(pick_recent(world->random, static_cast<int>(world->records.size())));
    return record->task.valid() ? record : nullptr;  // a create_task that was refused
  }

  aio::Coro<void> perform(Op op) {
    switch (op) {
      case Op::runner:
        spawn_runner(*world);
        break;
      case Op::lone_worker:
        spawn_worker(*world, std::nullopt, -1);
        break;
      case Op::cancel:
        if (Record* record = random_record()) cancel(*record, "by the driver");
        break;
      case Op::sleep:
        co_await aio::sleep(world->random.delay());
        break;
      case Op::await_task:
        if (Record* record = random_record()) {
          aio::Task<int> task = record->task;
          try {
            co_await task;
          } catch (...) {  // its cancellation or failure: not the driver's
          }
        }
        break;
      case Op::count:
        break;
    }
  }
};

aio::Coro<void> drive(World* world, int operations, bool cancel_at_the_end) {
  aio::get_running_loop().set_exception_handler(
      [world](const std::string& message) { world->problem("the loop reported: " + message); });
  Driver driver{world};
  for (int i = 0; i < operations; ++i) {
    ++world->operations;
    co_await driver.perform(driver.pick());
  }
  if (cancel_at_the_end) {
    // Stop every task and wait for each to end; otherwise aio::run's epilogue does it.
    for (std::size_t i = 0; i < world->records.size(); ++i) {
      aio::Task<int> task = world->records[i].task;
      if (!task.valid()) continue;
      cancel(world->records[i], "the end");
      try {
        co_await task;
      } catch (...) {
      }
    }
  }
  world->closing = true;
}

struct Outcome {
  std::uint64_t trace;
  long long operations;
  std::size_t tasks;
  long long scopes;
  long long group_errors;
  long long refused;
};

Outcome run_one(std::uint64_t seed, int operations) {
  World world(seed);
  aio::run(drive(&world, operations, seed % 2 == 1), {.virtual_clock = true});

  for (const Record& record : world.records) {
    check_task_end(record, "seed " + std::to_string(seed) + ", task " + std::to_string(record.id));
  }
  const Outcome outcome{world.trace, world.operations, world.records.size(), world.scopes, world.group_errors,
                        world.refused};
  world.records.clear();  // drops the last handles: every task and frame must go now
  check_no_frame_left(world, seed);
  report(world, seed);
  return outcome;
}

}  // namespace group_stress

TEST_CASE("random task groups: every scope waits for its children, lets out the right error, and leaks nothing",
          "[l11][stress]") {
  constexpr int kSeeds = 20;
  constexpr int kOperationsPerRun = 3000;
  long long all_operations = 0;
  std::size_t tasks = 0;
  long long scopes = 0;
  long long group_errors = 0;
  long long refused = 0;
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const group_stress::Outcome outcome = group_stress::run_one(seed, kOperationsPerRun);
    all_operations += outcome.operations;
    tasks += outcome.tasks;
    scopes += outcome.scopes;
    group_errors += outcome.group_errors;
    refused += outcome.refused;
  }
  // Every path must be common, or the test would not be testing much.
  CHECK(scopes > 1000);
  CHECK(group_errors > scopes / 10);
  CHECK(scopes - group_errors > scopes / 10);
  CHECK(refused > 100);
  WARN(all_operations << " operations, " << tasks << " tasks, " << scopes << " scopes, " << group_errors
                      << " of them ended with an ExceptionGroup, " << refused << " create_task calls refused");
}

TEST_CASE("the group stress test is reproducible: the same seed gives the same run", "[l11][stress]") {
  const group_stress::Outcome first = group_stress::run_one(12345, 2000);
  const group_stress::Outcome second = group_stress::run_one(12345, 2000);
  CHECK(first.trace == second.trace);
  CHECK(first.operations == second.operations);
  CHECK(first.tasks == second.tasks);
  CHECK(first.scopes == second.scopes);
  const group_stress::Outcome other = group_stress::run_one(54321, 2000);
  CHECK(other.trace != first.trace);
}
