// The tests' watchdog: a test case that runs far longer than any right answer needs is stopped,
// and the message names it.
//
// A wrong answer in an event loop rarely crashes: it loops (an iterator whose end is never
// reached, a task that wakes itself forever) or waits for something nothing will do. Without
// this, CTest kills the test program at its timeout and prints only "Timeout" or "SIGTERM"; the
// learner does not learn which test case hung, or why it might have.
//
// The limit, in seconds per test case, comes from AIO_TEST_WATCHDOG (CTest sets it for every test,
// cmake/AioLesson.cmake); 30 when the program is run by hand; 0 turns the watchdog off (for a
// debugger). AIO_TEST_NAME, also set by CTest, is the test's name (l02.ex1) for the message.
#if __has_include(<catch2/catch_test_macros.hpp>)
#include <catch2/reporters/catch_reporter_event_listener.hpp>
#include <catch2/reporters/catch_reporter_registrars.hpp>
namespace aio_test { using ListenerBase = Catch::EventListenerBase; }
#else
#define CATCH_CONFIG_EXTERNAL_INTERFACES  // v2 declares its listener base only when asked
#include <catch2/catch.hpp>
namespace aio_test { using ListenerBase = Catch::TestEventListenerBase; }
#endif

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>

namespace {

using Clock = std::chrono::steady_clock;

double limit_in_seconds() {
  const char* value = std::getenv("AIO_TEST_WATCHDOG");
  if (value == nullptr || *value == '\0') return 30;
  return std::atof(value);
}

/// One thread that wakes every 100 ms and compares the running test case's age with the limit.
class Watchdog {
public:
  static Watchdog& instance() {
    static Watchdog watchdog;
    return watchdog;
  }

  void test_case_started(std::string name) {
    if (limit_ <= 0) return;
    {
      std::lock_guard lock(mutex_);
      name_ = std::move(name);
      started_ = Clock::now();
      running_ = true;
    }
    if (!thread_started_.exchange(true)) std::thread([this] { watch(); }).detach();
  }

  void test_case_ended() {
    std::lock_guard lock(mutex_);
    running_ = false;
  }

private:
  Watchdog() : limit_(limit_in_seconds()) {}

  [[noreturn]] void watch() {
    for (;;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      std::lock_guard lock(mutex_);
      const std::chrono::duration<double> age = Clock::now() - started_;
      if (running_ && age.count() > limit_) stop(age.count());
    }
  }

  [[noreturn]] void stop(double seconds) {
    const char* test = std::getenv("AIO_TEST_NAME");
    std::fprintf(stderr,
                 "\nwatchdog: %s%sthe test case \"%s\" is still running after %.0f s, and a right "
                 "answer takes well under a second.\n"
                 "  It probably never ends: a loop whose end is never reached (an end test that "
                 "is never true, a task that keeps waking itself), or a wait that nothing will "
                 "ever complete.\n"
                 "  Run it alone to look closer: the test program with \"%s\" as its argument, "
                 "and AIO_TEST_WATCHDOG=0 to keep it running under a debugger.\n",
                 test != nullptr ? test : "", test != nullptr ? ": " : "", name_.c_str(), seconds,
                 name_.c_str());
    std::fflush(stderr);
    std::fflush(stdout);
    std::_Exit(3);
  }

  const double limit_;
  std::mutex mutex_;
  std::string name_;
  Clock::time_point started_;
  bool running_ = false;
  std::atomic<bool> thread_started_{false};
};

class WatchdogListener : public aio_test::ListenerBase {
public:
  using aio_test::ListenerBase::ListenerBase;

  void testCaseStarting(const Catch::TestCaseInfo& info) override {
    Watchdog::instance().test_case_started(std::string(info.name));
    aio_test::ListenerBase::testCaseStarting(info);
  }
  void testCaseEnded(const Catch::TestCaseStats& stats) override {
    Watchdog::instance().test_case_ended();
    aio_test::ListenerBase::testCaseEnded(stats);
  }
};

}  // namespace

CATCH_REGISTER_LISTENER(WatchdogListener)
