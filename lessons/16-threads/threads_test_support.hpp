// What lesson 16's tests share: a thread that hands its exception back instead of ending the
// program (an unfinished exercise throws aio::NotImplemented in a worker thread too, and the
// test must fail with its message, not abort).
#pragma once

#include <exception>
#include <thread>
#include <utility>

namespace l16_test {

/// A std::jthread whose function's exception is kept and rethrown by join().
class Thread {
public:
  template <class F>
  explicit Thread(F function)
      : thread_([this, function = std::move(function)]() mutable {
          try {
            function();
          } catch (...) {
            error_ = std::current_exception();
          }
        }) {}
  Thread(const Thread&) = delete;
  Thread& operator=(const Thread&) = delete;

  /// Waits for the thread, then rethrows what its function threw.
  void join() {
    if (thread_.joinable()) thread_.join();
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }

private:
  std::exception_ptr error_;  // declared first: the thread may write it as soon as it starts
  std::jthread thread_;
};

}  // namespace l16_test
