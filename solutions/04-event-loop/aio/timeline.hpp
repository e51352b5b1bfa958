// aio::Timeline: a record of when each task was created, ran, waited and ended.
//
//   aio::Timeline timeline;
//   loop.set_timeline(&timeline);       // or aio::run(main(), {.timeline = &timeline})
//   ...
//   std::cout << timeline.render_ascii();
//   std::ofstream("trace.json") << timeline.chrome_trace();   // open in ui.perfetto.dev
//
// Recording costs one push_back per event; a loop without a timeline (the default) pays one
// predictable branch per task step and nothing else.
#pragma once

#include <aio/clock.hpp>

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
    Duration at;
    std::uint64_t task;
    Kind kind;
  };

  void task_created(std::uint64_t task, std::string name, Duration at) {
    names_[task] = std::move(name);
    events_.push_back({at, task, Kind::created});
  }
  void step_began(std::uint64_t task, Duration at) { events_.push_back({at, task, Kind::step_begin}); }
  void step_ended(std::uint64_t task, Duration at) { events_.push_back({at, task, Kind::step_end}); }
  void task_finished(std::uint64_t task, Duration at) { events_.push_back({at, task, Kind::finished}); }

  const std::vector<Event>& events() const noexcept { return events_; }
  const std::string& name_of(std::uint64_t task) const { return names_.at(task); }

  /// One row per task: '-' while it waits, '#' in the columns where one of its steps ran.
  /// `columns` is the width of the time axis.
  std::string render_ascii(int columns = 40) const {
    if (events_.empty()) return "(no tasks)\n";
    Duration end{0};
    for (const auto& event : events_) end = std::max(end, event.at);
    const double span = std::max(to_seconds(end), 1e-9);
    auto column = [&](Duration at) {
      return std::min(columns - 1, static_cast<int>(to_seconds(at) / span * (columns - 1) + 0.5));
    };
    std::size_t width = 0;
    for (const auto& [task, name] : names_) width = std::max(width, name.size());

    std::string out;
    for (const auto& [task, name] : names_) {
      std::string row(static_cast<std::size_t>(columns), ' ');
      int from = -1;
      for (const auto& event : events_) {
        if (event.task != task) continue;
        const int at = column(event.at);
        if (event.kind == Kind::created) from = at;
        if (event.kind == Kind::finished && from >= 0) {
          for (int i = from; i <= at; ++i) {
            if (row[static_cast<std::size_t>(i)] == ' ') row[static_cast<std::size_t>(i)] = '-';
          }
        }
        if (event.kind == Kind::step_begin) row[static_cast<std::size_t>(at)] = '#';
      }
      out += name + std::string(width - name.size(), ' ') + " |" + row + "|\n";
    }
    out += std::string(width, ' ') + " 0" + std::string(static_cast<std::size_t>(columns - 1), ' ') +
           format_seconds(end) + " s\n";
    return out;
  }

  /// The Chrome trace event format (JSON), one track per task; open it in ui.perfetto.dev.
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
    for (const auto& event : events_) {
      const char* phase = event.kind == Kind::step_begin ? "B" : event.kind == Kind::step_end ? "E" : "i";
      const char* label = event.kind == Kind::created ? "created"
                          : event.kind == Kind::finished ? "finished" : "step";
      emit("{\"ph\":\"" + std::string(phase) + "\",\"name\":\"" + label +
           "\",\"pid\":1,\"tid\":" + std::to_string(event.task) +
           ",\"ts\":" + std::to_string(event.at.count() / 1000.0) + (*phase == 'i' ? ",\"s\":\"t\"}" : "}"));
    }
    out += "\n]}\n";
    return out;
  }

private:
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
