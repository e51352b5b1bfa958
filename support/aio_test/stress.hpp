// The pieces that the randomized stress tests share (lesson 10's test_stress.cpp, lesson 11's
// test_group_stress.cpp). Each test keeps its own operations, scripts and checks; these are the
// parts that must be the same in both, so that both runs can be trusted the same way:
//
//   Random              SplitMix64: a seed gives the same numbers with every compiler
//   pick_weighted       one of a test's operations, drawn by weight
//   pick_recent         one of the newest tasks (the ones likely still running), sometimes any
//   Run                 what a run keeps: its problems, a count of frames alive, a hash of task ends
//   TaskRecord          one task of a run: counts its ends (a DoneListener) and feeds the hash
//   FrameToken          passed by value into a coroutine: counts the frames alive, to find leaks
//   TaskGuard           lives in a task's frame: its cleanup ran, it was never resumed dead
//   check_task_end      after a run: a task ended once, is done and cleaned up
//   check_no_frame_left after dropping every handle: no coroutine frame is left
//   report              hands the run's problems to Catch, under the seed that reproduces them;
//                       an exercise not written yet is reported once, with its hint
//
// Lesson 08 uses this header, so it includes nothing of a later lesson (no task groups).
#pragma once

#include <aio/clock.hpp>
#include <aio/event_loop.hpp>
#include <aio/task.hpp>
#include <aio/task_base.hpp>
#include <aio_test/catch.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace aio_test::stress {

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

/// An index into `weights`, each drawn with a chance proportional to its weight: a test lists
/// its operations as an enum and their weights in an array of the same order.
template <std::size_t N>
std::size_t pick_weighted(Random& random, const std::array<int, N>& weights) {
  int total = 0;
  for (int weight : weights) total += weight;
  int roll = random.below(total);
  for (std::size_t index = 0; index < N; ++index) {
    if (roll < weights[index]) return index;
    roll -= weights[index];
  }
  return N - 1;  // not reached: roll < total
}

/// An index below `size` (> 0): mostly one of the newest 32, the tasks likely still running,
/// so that operations on them change what happens next; sometimes any.
inline int pick_recent(Random& random, int size) {
  const int span = random.percent(80) ? std::min(size, 32) : size;
  return size - 1 - random.below(span);
}

/// What every run keeps, whatever it tests. A test's own world derives from it and adds its
/// tasks and counters.
struct Run {
  explicit Run(std::uint64_t seed) : random(seed) {}

  Random random;
  std::vector<std::string> problems;
  long long operations = 0;  // driver operations plus script steps
  long long frames = 0;      // FrameTokens alive: one in each coroutine frame that was made
  std::uint64_t trace = 1469598103934665603ULL;  // FNV-1a of every task's end

  /// Adds the 8 bytes of `value` to the trace: two runs with the same seed must end equal.
  void note(std::uint64_t value) {
    for (int i = 0; i < 8; ++i) {
      trace ^= (value >> (8 * i)) & 0xff;
      trace *= 1099511628211ULL;
    }
  }
  /// Keeps the first 20 problems: one bug often repeats thousands of times. A problem that
  /// carries aio::NotImplemented's message (a stub was reached) is kept apart, once: at the stub
  /// stage it comes from every scope and every callback, and the learner needs its hint once.
  void problem(std::string what) {
    if (const auto at = what.find("exercise l"); at != std::string::npos &&
                                                 what.find(" is not written yet", at) != std::string::npos) {
      if (unfinished.empty()) unfinished = what.substr(at);
      return;
    }
    if (problems.size() < 20) problems.push_back(std::move(what));
  }

  std::string unfinished;  // the first "exercise lNN.exK is not written yet" message, if any
};

/// One task of the run and what the checks need to know about it. A test derives its own record
/// and keeps them in a std::deque, so that a record (the DoneListener) never moves.
struct TaskRecord : aio::DoneListener {
  Run* run = nullptr;
  int id = 0;
  aio::Task<int> task;  // stays invalid if the task was never made
  int ends = 0;
  bool started = false;  // the guard in its frame was built
  bool cleaned = false;  // ... and destroyed
  bool alive = false;    // between the two

  /// Listens for the end of `task`: counts it, and notes who ended, how and when in the trace.
  void watch() {
    on_done = &on_task_done;
    task.base().add_done_listener(*this);
  }

private:
  static void on_task_done(aio::DoneListener* listener, aio::TaskBase& task) {
    auto* record = static_cast<TaskRecord*>(listener);
    ++record->ends;
    record->run->note(static_cast<std::uint64_t>(record->id) * 4 + static_cast<std::uint64_t>(task.state()));
    record->run->note(static_cast<std::uint64_t>(task.loop().time().count()));
  }
};

/// Passed by value into every task's coroutine: the copy in the frame dies with the frame.
class FrameToken {
public:
  explicit FrameToken(Run* run) : run_(run) { ++run_->frames; }
  FrameToken(const FrameToken& other) : run_(other.run_) { ++run_->frames; }
  FrameToken& operator=(const FrameToken&) = delete;
  ~FrameToken() { --run_->frames; }

private:
  Run* run_;
};

/// Lives in the task's frame from its first line to its end: the "cleanup" that must run.
class TaskGuard {
public:
  explicit TaskGuard(TaskRecord* record) : record_(record), magic_(kMagic) {
    record_->started = true;
    record_->alive = true;
  }
  TaskGuard(const TaskGuard&) = delete;
  TaskGuard& operator=(const TaskGuard&) = delete;
  ~TaskGuard() {
    if (!record_->alive) record_->run->problem("task " + std::to_string(record_->id) + " cleaned up twice");
    record_->alive = false;
    record_->cleaned = true;
    magic_ = 0;
  }
  /// Called after every co_await: a coroutine resumed after its frame was destroyed fails here.
  void check_alive() const {
    if (magic_ != kMagic || !record_->alive) {
      record_->run->problem("task " + std::to_string(record_->id) + " resumed after its frame died");
    }
  }

private:
  static constexpr std::uint64_t kMagic = 0x5ca1ab1e0ddba11ULL;
  TaskRecord* record_;
  std::uint64_t magic_;
};

/// After the run: the task ended exactly once, is done, and ran its cleanup if it started; one
/// that never started must have been cancelled before its first step. `who` names it.
inline void check_task_end(const TaskRecord& record, const std::string& who) {
  Run& run = *record.run;
  if (record.ends != 1) run.problem(who + " ended " + std::to_string(record.ends) + " times");
  if (!record.task.valid()) return;  // never a task (a create_task that was refused): nothing more to check
  if (!record.task.done()) run.problem(who + " is not done");
  if (record.started != record.cleaned) run.problem(who + " started but never cleaned up");
  if (record.alive) run.problem(who + " still has its guard alive");
  if (!record.started && !record.task.cancelled()) run.problem(who + " never ran, yet was not cancelled");
}

/// Once the test has dropped every task handle it kept, every coroutine frame must be gone.
inline void check_no_frame_left(Run& run, std::uint64_t seed) {
  if (run.frames != 0) {
    run.problem("seed " + std::to_string(seed) + ": " + std::to_string(run.frames) + " frames leaked");
  }
}

/// Fails the test case once per problem of the run, each under the seed that reproduces it. If a
/// stub was reached, the test case stops with its message instead (the other problems are its
/// consequences), and a later test case of the same program only points back to it.
inline void report(const Run& run, std::uint64_t seed) {
  if (!run.unfinished.empty()) {
    static bool shown = false;  // once per test program
    if (std::exchange(shown, true)) FAIL("an exercise is not written yet (its message is above)");
    FAIL("the stress test runs every exercise of the lesson, and one is not written yet:\n" << run.unfinished);
  }
  INFO("seed " << seed);
  for (const std::string& problem : run.problems) FAIL_CHECK(problem);
  CHECK(run.problems.empty());
}

}  // namespace aio_test::stress
