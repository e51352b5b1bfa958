// aio::TwoWayGenerator<Yield, Send>: a generator that also receives values, Python's `send`.
//
//     def running_average():               aio::TwoWayGenerator<double, double> running_average() {
//         total, count = 0.0, 0              double total = 0.0;
//         average = 0.0                      int count = 0;
//         while True:                        double average = 0.0;
//             value = yield average          while (true) {
//             total += value                   double value = co_yield average;
//             count += 1                       total += value;
//             average = total / count          ++count;
//                                              average = total / count;
//                                            }
//                                          }
//     averager = running_average()         auto averager = running_average();
//     next(averager)                       averager.start();
//     averager.send(10.0)   # 10.0         averager.send(10.0);   // 10.0
//     averager.send(20.0)   # 15.0         averager.send(20.0);   // 15.0
//     averager.close()                     averager.close();
//
// The only new piece against aio::Generator is what `co_yield` evaluates to: yield_value()
// returns an awaiter whose await_resume() hands the body the value that send() passed in.
#pragma once

#include <cassert>
#include <coroutine>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace aio {

/// A coroutine that yields values of type Yield and receives values of type Send.
///
/// Contract:
/// - Calling the coroutine runs nothing. `start()` (Python's `next(gen)`) runs the body up to its
///   first `co_yield` and returns the yielded value.
/// - `send(v)` resumes the body; the `co_yield` it is parked on evaluates to `v`; the body runs
///   up to its next `co_yield`, whose value send() returns. The body runs on the caller's thread,
///   inside the call, and control comes back to the caller when send() returns.
/// - start() and send() return std::nullopt once the body has finished (Python raises
///   StopIteration). send() before start() throws std::logic_error (Python raises TypeError).
/// - An exception that escapes the body is rethrown from that start() or send().
/// - `close()`, or destroying the TwoWayGenerator, destroys the frame wherever the body is parked:
///   the destructors of its locals run, as Python's `close()` runs `finally` blocks.
template <typename Yield, typename Send>
class [[nodiscard]] TwoWayGenerator {
  static_assert(!std::is_reference_v<Yield> && !std::is_reference_v<Send>,
                "TwoWayGenerator passes values: Yield and Send must not be references");

public:
  class promise_type;
  using handle_type = std::coroutine_handle<promise_type>;

  // book:two-way-promise
  class promise_type {
  public:
    TwoWayGenerator get_return_object() noexcept {
      return TwoWayGenerator{handle_type::from_promise(*this)};
    }

    std::suspend_always initial_suspend() const noexcept { return {}; }

    // book:receive-sent
    // `Send received = co_yield value;` parks the value's address, suspends, and, when send()
    // resumes the body, evaluates to the value that send() passed in. The pointer to it is good
    // for one resume only: it is cleared as it is read, so a resume without set_sent() first
    // stops a checked build here instead of reading a dead value.
    auto yield_value(const Yield& value) noexcept {
      current_ = std::addressof(value);

      struct ReceiveSent {
        promise_type& promise;

        bool await_ready() const noexcept { return false; }
        void await_suspend(std::coroutine_handle<>) const noexcept {}
        Send await_resume() const {
          assert(promise.sent_ != nullptr && "resumed without a value: set_sent() comes first");
          return std::move(*std::exchange(promise.sent_, nullptr));
        }
      };
      return ReceiveSent{*this};
    }
    // end book:receive-sent

    void return_void() const noexcept {}
    void unhandled_exception() { error_ = std::current_exception(); }
    std::suspend_always final_suspend() const noexcept { return {}; }

    template <typename Awaitable>
    std::suspend_never await_transform(Awaitable&&) = delete;

    // book:caller-side
    // The caller's side.
    const Yield& value() const noexcept { return *current_; }
    void set_sent(Send& value) noexcept { sent_ = std::addressof(value); }

    void rethrow_if_failed() {
      if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
    }

  private:
    const Yield* current_ = nullptr;  // the value the body is parked on
    Send* sent_ = nullptr;            // send()'s parameter, alive while send() resumes the body
    std::exception_ptr error_;
    // end book:caller-side
  };
  // end book:two-way-promise

  TwoWayGenerator(TwoWayGenerator&& other) noexcept
      : handle_(std::exchange(other.handle_, nullptr)), started_(other.started_) {}

  TwoWayGenerator& operator=(TwoWayGenerator&& other) noexcept {
    if (this != &other) {
      close();
      handle_ = std::exchange(other.handle_, nullptr);
      started_ = other.started_;
    }
    return *this;
  }

  TwoWayGenerator(const TwoWayGenerator&) = delete;
  TwoWayGenerator& operator=(const TwoWayGenerator&) = delete;

  ~TwoWayGenerator() { close(); }

  /// Python's `next(gen)` on a fresh generator: run the body up to its first co_yield.
  std::optional<Yield> start() {
    if (started_) throw std::logic_error("TwoWayGenerator::start() called twice");
    started_ = true;
    if (!handle_) return std::nullopt;
    handle_.resume();
    handle_.promise().rethrow_if_failed();
    return current();
  }

  // book:send
  /// Python's `gen.send(value)`: resume the body with `value` as the result of its co_yield, and
  /// return what it yields next (std::nullopt if it finishes instead).
  std::optional<Yield> send(Send value) {
    if (!started_) {
      throw std::logic_error("TwoWayGenerator::send() before start(): the body is not parked "
                             "at a co_yield yet");
    }
    if (done()) return std::nullopt;
    handle_.promise().set_sent(value);  // `value` lives in this call while the body runs
    handle_.resume();
    handle_.promise().rethrow_if_failed();
    return current();
  }
  // end book:send

  /// True once the body has finished (or the generator was closed).
  bool done() const noexcept { return !handle_ || handle_.done(); }

  /// Python's `gen.close()`: destroy the frame now, running the destructors of the body's locals.
  /// (Out of line for the reason given at Generator::destroy(), in generator.hpp.)
  [[gnu::noinline]] void close() noexcept {
    if (handle_) handle_.destroy();
    handle_ = nullptr;
  }

private:
  explicit TwoWayGenerator(handle_type handle) noexcept : handle_(handle) {}

  std::optional<Yield> current() const {
    if (done()) return std::nullopt;
    return handle_.promise().value();
  }

  handle_type handle_;
  bool started_ = false;
};

}  // namespace aio
