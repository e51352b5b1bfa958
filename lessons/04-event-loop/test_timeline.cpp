// Tests for aio::Timeline: what the loop records, the ASCII picture and the Chrome trace. The
// timeline comes finished (it is no exercise). The tests that run a program record, step by step,
// what your loop and your sleep did: they belong to l04.ex6, the last piece they need.
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio/timeline.hpp>
#include <aio_test/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using Kind = aio::Timeline::Kind;

namespace {

aio::RunOptions recorded_on_virtual_clock(aio::Timeline& timeline) {
  aio::RunOptions options;
  options.virtual_clock = true;
  options.timeline = &timeline;
  return options;
}

aio::Coro<void> sleeper(aio::Duration delay, int times) {
  for (int i = 0; i < times; ++i) co_await aio::sleep(delay);
}

aio::Coro<void> main_awaits_one_sleeper() {
  aio::Task<void> task = aio::create_task(sleeper(1s, 1), "sleeper");
  co_await task;
}

// book:test-three-tasks
aio::Coro<void> three_tasks() {
  aio::Task<void> fast = aio::create_task(sleeper(400ms, 3), "fast");
  aio::Task<void> slow = aio::create_task(sleeper(1s, 2), "slow");
  aio::Task<void> sleepy = aio::create_task(sleeper(1500ms, 1), "sleepy");
  co_await fast;
  co_await slow;
  co_await sleepy;
}
// end book:test-three-tasks

}  // namespace

// ---- render_ascii on timelines written by hand -------------------------------------------------

// book:test-render-by-hand
TEST_CASE("render_ascii draws a row per task: '#' where a step ran, '-' while it waits",
          "[l04][timeline]") {
  aio::Timeline timeline;
  timeline.task_created(1, "main", 0s);
  timeline.step_began(1, 0s);
  timeline.task_created(2, "worker", 0s);
  timeline.step_ended(1, 0s);
  for (const aio::Duration at : {0s, 1s, 2s}) {
    timeline.step_began(2, at);
    if (at == 2s) timeline.task_finished(2, at);
    timeline.step_ended(2, at);
  }
  timeline.step_began(1, 3s);
  timeline.task_finished(1, 3s);
  timeline.step_ended(1, 3s);

  CHECK(timeline.render_ascii() ==
        "main    #-----------------------------#  2 steps\n"
        "worker  #---------#---------#            3 steps\n"
        "        |         |         |         |\n"
        "        0.0       1.0       2.0       3.0 s\n");
}
// end book:test-render-by-hand

TEST_CASE("render_ascii fits the timeline into the columns it is given", "[l04][timeline]") {
  aio::Timeline timeline;
  timeline.task_created(7, "only", 0s);
  timeline.step_began(7, 0s);
  timeline.step_ended(7, 0s);
  timeline.step_began(7, 2s);
  timeline.task_finished(7, 2s);
  timeline.step_ended(7, 2s);

  // 2 s in at most 10 columns: 0.5 s a column (0.2 s would need 11).
  CHECK(timeline.render_ascii(10) ==
        "only  #---#  2 steps\n"
        "      |\n"
        "      0.0 s\n");
  // 2 s in at most 100 columns: 0.05 s a column, a label every 0.5 s.
  CHECK(timeline.render_ascii(100) ==
        "only  #---------------------------------------#  2 steps\n"
        "      |         |         |         |         |\n"
        "      0.0       0.5       1.0       1.5       2.0 s\n");
}

TEST_CASE("a step that takes real time fills every column it spans", "[l04][timeline]") {
  aio::Timeline timeline;  // what a real-clock run with one slow step looks like
  timeline.task_created(1, "Task-1", 0ms);
  timeline.step_began(1, 0ms);
  timeline.step_ended(1, 120ms);
  timeline.step_began(1, 300ms);
  timeline.task_finished(1, 350ms);
  timeline.step_ended(1, 350ms);
  // 0.35 s in at most 40 columns: 10 ms a column. The first step spans columns 0 to 12.
  CHECK(timeline.render_ascii() ==
        "Task-1  " + std::string(13, '#') + std::string(17, '-') + std::string(6, '#') + "  2 steps\n"
        "        |         |         |         |\n"
        "        0.0       0.1       0.2       0.3 s\n");
}

TEST_CASE("a task still pending at the end waits to the last column", "[l04][timeline]") {
  aio::Timeline timeline;
  timeline.task_created(1, "done", 0s);
  timeline.step_began(1, 0s);
  timeline.task_created(2, "stuck", 0s);
  timeline.step_ended(1, 0s);
  timeline.step_began(2, 0s);
  timeline.step_ended(2, 0s);
  timeline.step_began(1, 1s);
  timeline.task_finished(1, 1s);
  timeline.step_ended(1, 1s);
  CHECK(timeline.render_ascii() ==
        "done   #-------------------#  2 steps\n"
        "stuck  #--------------------  1 step\n"
        "       |         |         |\n"
        "       0.0       0.5       1.0 s\n");
}

TEST_CASE("render_ascii of an empty timeline says so", "[l04][timeline]") {
  CHECK(aio::Timeline().render_ascii() == "(no tasks)\n");
}

// ---- what the loop records ---------------------------------------------------------------------

// book:test-events
TEST_CASE("the loop records each task's creation, steps and end, in order", "[l04][ex6]") {
  aio::Timeline timeline;
  aio::run(main_awaits_one_sleeper(), recorded_on_virtual_clock(timeline));

  using E = aio::Timeline::Event;
  const std::vector<E> expected{
      {0s, 1, Kind::created},     {0s, 1, Kind::step_begin},  // main starts,
      {0s, 2, Kind::created},     {0s, 1, Kind::step_end},    // creates the sleeper, awaits it
      {0s, 2, Kind::step_begin},  {0s, 2, Kind::step_end},    // the sleeper's first step: sleep(1s)
      {1s, 2, Kind::step_begin},  {1s, 2, Kind::finished},    // one second later it wakes and ends,
      {1s, 2, Kind::step_end},
      {1s, 1, Kind::step_begin},  {1s, 1, Kind::finished},    // and main, woken by it, ends too
      {1s, 1, Kind::step_end}};
  CHECK(timeline.events() == expected);
  CHECK(timeline.name_of(1) == "Task-1");
  CHECK(timeline.name_of(2) == "sleeper");
}
// end book:test-events

// book:test-render-program
TEST_CASE("the picture of three tasks sleeping side by side", "[l04][ex6]") {
  aio::Timeline timeline;
  aio::run(three_tasks(), recorded_on_virtual_clock(timeline));
  CHECK(timeline.render_ascii() ==
        "Task-1  #-----------#-------#  3 steps\n"
        "fast    #---#---#---#          4 steps\n"
        "slow    #---------#---------#  3 steps\n"
        "sleepy  #--------------#       2 steps\n"
        "        |         |         |\n"
        "        0.0       1.0       2.0 s\n");
}
// end book:test-render-program

TEST_CASE("the Chrome trace of a program has a track per task and a slice per step", "[l04][ex6]") {
  aio::Timeline timeline;
  aio::run(main_awaits_one_sleeper(), recorded_on_virtual_clock(timeline));
  CHECK(timeline.chrome_trace() ==
        "{\"traceEvents\":[\n"
        "  {\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":1,\"args\":{\"name\":\"Task-1\"}},\n"
        "  {\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":2,\"args\":{\"name\":\"sleeper\"}},\n"
        "  {\"ph\":\"i\",\"name\":\"created\",\"pid\":1,\"tid\":1,\"ts\":0.000,\"s\":\"t\"},\n"
        "  {\"ph\":\"B\",\"name\":\"step\",\"pid\":1,\"tid\":1,\"ts\":0.000},\n"
        "  {\"ph\":\"i\",\"name\":\"created\",\"pid\":1,\"tid\":2,\"ts\":0.000,\"s\":\"t\"},\n"
        "  {\"ph\":\"E\",\"name\":\"step\",\"pid\":1,\"tid\":1,\"ts\":0.000},\n"
        "  {\"ph\":\"B\",\"name\":\"step\",\"pid\":1,\"tid\":2,\"ts\":0.000},\n"
        "  {\"ph\":\"E\",\"name\":\"step\",\"pid\":1,\"tid\":2,\"ts\":0.000},\n"
        "  {\"ph\":\"B\",\"name\":\"step\",\"pid\":1,\"tid\":2,\"ts\":1000000.000},\n"
        "  {\"ph\":\"i\",\"name\":\"finished\",\"pid\":1,\"tid\":2,\"ts\":1000000.000,\"s\":\"t\"},\n"
        "  {\"ph\":\"E\",\"name\":\"step\",\"pid\":1,\"tid\":2,\"ts\":1000000.000},\n"
        "  {\"ph\":\"B\",\"name\":\"step\",\"pid\":1,\"tid\":1,\"ts\":1000000.000},\n"
        "  {\"ph\":\"i\",\"name\":\"finished\",\"pid\":1,\"tid\":1,\"ts\":1000000.000,\"s\":\"t\"},\n"
        "  {\"ph\":\"E\",\"name\":\"step\",\"pid\":1,\"tid\":1,\"ts\":1000000.000}\n"
        "]}\n");
}
