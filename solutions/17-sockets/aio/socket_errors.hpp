// The errors of sockets and streams, named after Python's and asyncio's.
//
//   Python                          aio                            derives from
//   OSError (e.errno)               aio::OSError (error_number())  std::runtime_error
//   socket.gaierror (e.errno)       aio::GaiError (resolve.hpp)    aio::OSError
//   ConnectionError                 aio::ConnectionError           aio::OSError
//   ConnectionRefusedError          aio::ConnectionRefusedError    aio::ConnectionError
//   ConnectionResetError            aio::ConnectionResetError      aio::ConnectionError
//   ConnectionAbortedError          aio::ConnectionAbortedError    aio::ConnectionError
//   BrokenPipeError                 aio::BrokenPipeError           aio::ConnectionError
//   asyncio.IncompleteReadError     aio::IncompleteReadError       std::runtime_error (EOFError)
//   asyncio.LimitOverrunError       aio::LimitOverrunError         std::runtime_error
//
// Python picks the class from errno (ECONNREFUSED makes ConnectionRefusedError, and so on):
// aio::throw_os_error does the same, so `catch (const aio::ConnectionError&)` catches what
// `except ConnectionError:` catches. The member is error_number(), not errno: errno is a macro.
#pragma once

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace aio {

/// A failed system call, with its errno (Python's OSError).
class OSError : public std::runtime_error {
public:
  OSError(int error_number, const std::string& what)
      : std::runtime_error("[Errno " + std::to_string(error_number) + "] " + what),
        error_number_(error_number) {}
  /// An OSError with a message and no errno (Python's OSError("..."), whose errno is None):
  /// error_number() is 0.
  explicit OSError(const std::string& what) : std::runtime_error(what), error_number_(0) {}
  /// Python's e.errno.
  int error_number() const noexcept { return error_number_; }

private:
  int error_number_;
};

class ConnectionError : public OSError {
public:
  using OSError::OSError;
};
/// Nobody listens at the address (ECONNREFUSED).
class ConnectionRefusedError : public ConnectionError {
public:
  using ConnectionError::ConnectionError;
};
/// The peer reset the connection (ECONNRESET), or it was lost while a task waited on it.
class ConnectionResetError : public ConnectionError {
public:
  using ConnectionError::ConnectionError;
};
/// The connection was aborted on this side (ECONNABORTED).
class ConnectionAbortedError : public ConnectionError {
public:
  using ConnectionError::ConnectionError;
};
/// A write to a connection whose peer has closed it (EPIPE).
class BrokenPipeError : public ConnectionError {
public:
  using ConnectionError::ConnectionError;
};

/// Throws the OSError subclass that Python raises for `error_number`, with the message
/// "<what>: <strerror>", as Python's "[Errno 111] Connect call failed".
[[noreturn]] inline void throw_os_error(int error_number, const std::string& what) {
  const std::string text = what + ": " + std::strerror(error_number);
  switch (error_number) {
    case ECONNREFUSED: throw ConnectionRefusedError(error_number, text);
    case ECONNRESET: throw ConnectionResetError(error_number, text);
    case ECONNABORTED: throw ConnectionAbortedError(error_number, text);
    case EPIPE: throw BrokenPipeError(error_number, text);
    default: throw OSError(error_number, text);
  }
}

/// readexactly(n) met the end of the stream first (asyncio.IncompleteReadError, an EOFError):
/// partial() holds the bytes that did come, so no byte is lost.
class IncompleteReadError : public std::runtime_error {
public:
  /// `expected` is empty for readuntil, which expected no particular count (Python's None,
  /// which asyncio's message calls "undefined").
  IncompleteReadError(std::string partial, std::optional<std::size_t> expected)
      : std::runtime_error(std::to_string(partial.size()) + " bytes read on a total of " +
                           (expected ? std::to_string(*expected) : std::string("undefined")) +
                           " expected bytes"),
        partial_(std::move(partial)),
        expected_(expected) {}
  const std::string& partial() const noexcept { return partial_; }
  std::optional<std::size_t> expected() const noexcept { return expected_; }

private:
  std::string partial_;
  std::optional<std::size_t> expected_;
};

/// readuntil() found no separator within the reader's limit (asyncio.LimitOverrunError).
/// consumed() says how many bytes are in the buffer; they stay there, unread.
class LimitOverrunError : public std::runtime_error {
public:
  LimitOverrunError(const std::string& what, std::size_t consumed)
      : std::runtime_error(what), consumed_(consumed) {}
  std::size_t consumed() const noexcept { return consumed_; }

private:
  std::size_t consumed_;
};

}  // namespace aio
