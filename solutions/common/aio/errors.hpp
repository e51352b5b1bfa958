// The exceptions of aio, named after asyncio's.
//
//   asyncio                       aio                       derives from
//   asyncio.CancelledError        aio::CancelledError       nothing (see below)
//   asyncio.TimeoutError          aio::TimeoutError         std::runtime_error
//   asyncio.InvalidStateError     aio::InvalidStateError    std::logic_error
//   asyncio.QueueEmpty / Full     aio::QueueEmpty / Full    std::runtime_error
//   asyncio.QueueShutDown (3.13)  aio::QueueShutDown        std::runtime_error
//   RuntimeError                  aio::RuntimeError         std::runtime_error
//   ValueError                    aio::ValueError           std::invalid_argument
//   asyncio.BrokenBarrierError    aio::BrokenBarrierError   aio::RuntimeError
//
// CancelledError deliberately does not derive from std::exception. Since Python 3.8 asyncio's
// CancelledError derives from BaseException, not Exception, so that the everyday
// `except Exception:` does not swallow a cancellation by accident. `catch (const std::exception&)`
// is C++'s everyday handler, so the same choice protects the same code here; only `catch (...)`
// or a handler that names aio::CancelledError sees it.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace aio {

/// A cancellation's message, or none. asyncio tells the two apart: task.cancel() raises
/// CancelledError() (args == ()), task.cancel("") raises CancelledError("") (args == ('',)).
using CancelMessage = std::optional<std::string>;

/// The task (or the operation it awaited) was cancelled, with the message given to
/// Task::cancel(msg) if there was one.
class CancelledError {
public:
  CancelledError() = default;
  explicit CancelledError(std::string message) : message_(std::move(message)), has_message_(true) {}
  explicit CancelledError(const char* message) : CancelledError(std::string(message)) {}
  explicit CancelledError(const CancelMessage& message)
      : message_(message.value_or(std::string())), has_message_(message.has_value()) {}

  /// The message; empty if there is none (has_message() tells an empty one from none).
  const std::string& message() const noexcept { return message_; }
  /// False for cancel(), true for cancel(msg), even when msg is "".
  bool has_message() const noexcept { return has_message_; }
  /// The message as cancel() took it, to pass on to another cancel().
  CancelMessage cancel_message() const { return has_message_ ? CancelMessage(message_) : std::nullopt; }
  const char* what() const noexcept { return message_.empty() ? "CancelledError" : message_.c_str(); }

private:
  std::string message_;
  bool has_message_ = false;
};

/// An operation ran out of time (wait_for, timeout scopes).
class TimeoutError : public std::runtime_error {
public:
  explicit TimeoutError(const std::string& what = "TimeoutError") : std::runtime_error(what) {}
};

/// An object was used in a state that does not allow it: the result of a pending task, a second
/// result on a finished one, a task added to a closed group, ...
class InvalidStateError : public std::logic_error {
public:
  using std::logic_error::logic_error;
};

/// The loop has nothing left to run (no ready callback, no timer, no I/O), yet the coroutine it
/// was asked to finish is still waiting: it awaits something that nothing will ever complete.
/// asyncio would wait forever; aio says so instead.
class DeadlockError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// get_nowait() on an empty queue.
class QueueEmpty : public std::runtime_error {
public:
  explicit QueueEmpty(const std::string& what = "queue is empty") : std::runtime_error(what) {}
};

/// put_nowait() on a full queue.
class QueueFull : public std::runtime_error {
public:
  explicit QueueFull(const std::string& what = "queue is full") : std::runtime_error(what) {}
};

/// put/get on a queue that was shut down (asyncio.QueueShutDown, Python 3.13).
class QueueShutDown : public std::runtime_error {
public:
  explicit QueueShutDown(const std::string& what = "queue is shut down") : std::runtime_error(what) {}
};

/// Python's RuntimeError, where asyncio raises it: releasing a lock that is not held, waiting on
/// a Condition without holding its lock, ...
class RuntimeError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Python's ValueError, where asyncio raises it: a BoundedSemaphore released too often,
/// task_done() called more often than items were put, a negative semaphore value, ...
class ValueError : public std::invalid_argument {
public:
  using std::invalid_argument::invalid_argument;
};

/// A Barrier was aborted, or reset while tasks waited at it, or is used after abort()
/// (asyncio.BrokenBarrierError, a RuntimeError).
class BrokenBarrierError : public RuntimeError {
public:
  explicit BrokenBarrierError(const std::string& what = "the barrier is broken") : RuntimeError(what) {}
};

}  // namespace aio
