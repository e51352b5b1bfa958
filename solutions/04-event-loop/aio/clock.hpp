// aio::Clock: the loop's idea of "now", real or virtual.
//
// Time in aio is a std::chrono::nanoseconds count since the loop's clock started (aio::Duration),
// so a program's timeline starts at 0 on either clock.
//
//   real     follows std::chrono::steady_clock; sleeping really waits.
//   virtual  stands still while code runs and jumps straight to the next timer whenever nothing is
//            ready ("autojump"). A program that sleeps for an hour finishes at once and prints
//            exactly what it prints in real time, which is what makes time testable.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

namespace aio {

using Duration = std::chrono::nanoseconds;

/// A duration in seconds, for printing: `std::printf("%.1f s", aio::to_seconds(d))`.
inline double to_seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

/// Formats a duration in seconds with `decimals` decimals: format_seconds(1500ms) == "1.5".
inline std::string format_seconds(Duration d, int decimals = 1) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", decimals, to_seconds(d));
  return text;
}

class Clock {
public:
  static Clock real() { return Clock(false); }
  static Clock virtual_time() { return Clock(true); }

  bool is_virtual() const noexcept { return virtual_; }

  /// Time since this clock started.
  Duration now() const noexcept {
    if (virtual_) return virtual_now_;
    return std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - origin_);
  }

  /// Virtual clock only: move time forward to `when` (never backward).
  void advance_to(Duration when) noexcept {
    if (virtual_ && when > virtual_now_) virtual_now_ = when;
  }

private:
  explicit Clock(bool is_virtual) : virtual_(is_virtual), origin_(std::chrono::steady_clock::now()) {}

  bool virtual_;
  std::chrono::steady_clock::time_point origin_;
  Duration virtual_now_{0};
};

}  // namespace aio
