// aio::Timeline: a record of when each task was created, ran, waited and ended.
//
//   aio::Timeline timeline;
//   aio::run(main(), {.timeline = &timeline});   // or loop.set_timeline(&timeline)
//   std::cout << timeline.render_ascii();
//   std::ofstream("trace.json") << timeline.chrome_trace();   // open in ui.perfetto.dev
//
// The loop's tasks report four kinds of events (aio/task_base.hpp): created (create_task, or
// aio::run for the main task), step_begin and step_end around each step (the code between two
// suspensions), and finished (the coroutine returned, threw or was cancelled). Times are the
// loop's clock, so on the virtual clock a step takes no time at all and a picture of a program
// is exact and the same on every run.
//
// render_ascii draws one row per task, left to right in time:
//
//   Task-1  #-------------------#  3 steps      # a step ran in this column
//   worker  #---------#            2 steps      - the task exists and waits
//           |         |         |               (blank) not created yet, or finished
//           0.0       1.0       2.0 s
//
// Recording costs one push_back per event; a loop without a timeline (the default) pays one
// predictable branch per task step and nothing else.
//
// Your exercise in this file (run it with: ctest --preset learn -R l04.ex5):
//   l04.ex5  Timeline::render_ascii: draw the recorded events as one row per task
// ([[maybe_unused]] only silences a warning until you write the body.)
#pragma once

#include <aio/clock.hpp>
#include <aio/not_implemented.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace aio {

class Timeline {
public:
  enum class Kind { created, step_begin, step_end, finished };

  struct Event {
    Duration at;         // on the loop's clock
    std::uint64_t task;  // the task's id: 1 for "Task-1", ...
    Kind kind;

    friend bool operator==(const Event&, const Event&) = default;
  };

  // ---- recording (called by the loop's tasks) ------------------------------------------------
  void task_created(std::uint64_t task, std::string name, Duration at) {
    names_[task] = std::move(name);
    events_.push_back({at, task, Kind::created});
  }
  void step_began(std::uint64_t task, Duration at) { events_.push_back({at, task, Kind::step_begin}); }
  void step_ended(std::uint64_t task, Duration at) { events_.push_back({at, task, Kind::step_end}); }
  void task_finished(std::uint64_t task, Duration at) { events_.push_back({at, task, Kind::finished}); }

  // ---- reading -------------------------------------------------------------------------------
  /// Every event, in the order it happened.
  const std::vector<Event>& events() const noexcept { return events_; }
  /// The name a task had when it was created ("Task-2", or the name given to create_task).
  const std::string& name_of(std::uint64_t task) const { return names_.at(task); }

  /// How render_ascii maps time to columns. Each column stands for `step` of time (1, 2 or 5
  /// times a power of ten: 10 us, 20 us, 50 us, ..., 0.1 s, 0.2 s, ...), the shortest such step
  /// that fits the whole timeline in the columns allowed. Columns 0, 10, 20, ... get a label.
  struct Scale {
    Duration step{1000};
    int columns = 1;  // enough for every event: column_of(end) == columns - 1

    /// The column in which time `at` falls: column c covers [c * step, (c + 1) * step).
    int column_of(Duration at) const { return static_cast<int>(at / step); }

    static Scale fit(Duration end, int max_columns) {
      Scale scale;
      if (end <= Duration{0}) {  // everything at 0 (sleep(0) only, on the virtual clock)
        scale.step = Duration{100'000'000};
        return scale;
      }
      const std::int64_t limit = std::max(1, max_columns) - 1;  // the last column index allowed
      for (std::int64_t power = 1000;; power *= 10) {             // from 1 us up
        for (const std::int64_t factor : {1, 2, 5}) {
          scale.step = Duration{factor * power};
          if (end / scale.step <= limit) {
            scale.columns = static_cast<int>(end / scale.step) + 1;
            return scale;
          }
        }
      }
    }
  };

  // book:render-ascii
  /// One row per task: '#' in the columns where one of its steps ran, '-' while it waits, and
  /// its number of steps at the end; then a time axis. At most `columns` columns of time.
  std::string render_ascii([[maybe_unused]] int columns = 40) const {
    AIO_TODO("l04.ex5", "no tasks: return (no tasks) and a newline; else Scale::fit(the latest "
                        "event time, columns); per task in names_ a row of scale.columns cells: "
                        "'-' from its created column to its finished column (the last one if it "
                        "never finished), '#' from each step_begin column to its step_end column; "
                        "then the name padded to the longest name + 2, the cells, two spaces, N "
                        "steps (1 step), a newline; last, axis(scale, that same indent)");
  }
  // end book:render-ascii

  /// The Chrome trace event format (JSON), one track per task: each step is a slice, creation
  /// and the end are instants. Open it in ui.perfetto.dev or chrome://tracing. Times are in
  /// microseconds, as the format wants.
  std::string chrome_trace() const {
    std::string out = "{\"traceEvents\":[\n";
    bool first = true;
    auto emit = [&](const std::string& line) {
      out += first ? "  " : ",\n  ";
      out += line;
      first = false;
    };
    for (const auto& [task, name] : names_) {
      emit("{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":" + std::to_string(task) +
           ",\"args\":{\"name\":\"" + escape(name) + "\"}}");
    }
    for (const Event& event : events_) {
      const char* phase = event.kind == Kind::step_begin ? "B" : event.kind == Kind::step_end ? "E" : "i";
      const char* label = event.kind == Kind::created ? "created"
                          : event.kind == Kind::finished ? "finished" : "step";
      emit("{\"ph\":\"" + std::string(phase) + "\",\"name\":\"" + label +
           "\",\"pid\":1,\"tid\":" + std::to_string(event.task) + ",\"ts\":" + microseconds(event.at) +
           (*phase == 'i' ? ",\"s\":\"t\"}" : "}"));
    }
    out += "\n]}\n";
    return out;
  }

private:
  // Two lines under the rows: a '|' at every tenth column, and its time in seconds below it.
  static std::string axis(const Scale& scale, std::size_t indent) {
    const std::int64_t tick = 10 * scale.step.count();  // nanoseconds between two labels
    int decimals = 9;
    for (std::int64_t unit = 1; decimals > 1 && tick % (unit * 10) == 0; unit *= 10) --decimals;
    std::string marks(indent, ' ');
    std::string labels(indent, ' ');
    for (int column = 0; column < scale.columns; column += 10) {
      const std::size_t at = indent + static_cast<std::size_t>(column);
      marks.resize(at, ' ');
      marks += '|';
      labels.resize(column > 0 ? std::max(at, labels.size() + 1) : at, ' ');  // never touching
      labels += format_seconds(scale.step * column, decimals);
    }
    return marks + "\n" + labels + " s\n";
  }

  // Nanoseconds as microseconds with three decimals, exactly and whatever the C locale says.
  static std::string microseconds(Duration at) {
    const std::int64_t ns = at.count();
    std::string fraction = std::to_string(ns % 1000);
    return std::to_string(ns / 1000) + "." + std::string(3 - fraction.size(), '0') + fraction;
  }

  static std::string escape(std::string_view text) {
    std::string out;
    for (const char c : text) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    return out;
  }

  std::vector<Event> events_;
  std::map<std::uint64_t, std::string> names_;
};

}  // namespace aio
