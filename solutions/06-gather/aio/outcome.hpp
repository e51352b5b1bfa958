// aio::Outcome<T>: how a task ended, held as a value: its result, or the exception it ended with.
//
// asyncio's gather(..., return_exceptions=True) puts in each slot of its result list either the
// child's result or the exception object it raised. C++ has no "value or exception" type in one
// variable, so each slot is an Outcome:
//
//   results = await asyncio.gather(a(), b(), return_exceptions=True)
//   auto results = co_await aio::gather(aio::return_exceptions, a(), b());
//
//   isinstance(r, BaseException)          r.has_exception()            (or !r)
//   r          (the value)                r.value()       rethrows the exception if there is one
//   r          (the exception object)     r.exception()   a std::exception_ptr, null for a value
//   isinstance(r, CancelledError)         r.cancelled()
//   str(r)                                r.what()        the exception's message
//
// A task that returns nothing (Coro<void>) fills its slot with aio::Nothing, Python's None: gather
// returns one slot per child whatever the child returns, so void needs a value that stands in.
#pragma once

#include <aio/errors.hpp>

#include <exception>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace aio {

/// What a `void` coroutine contributes to a gather's results: Python's None. It is
/// std::monostate under another name, so it compares equal to itself and can be hashed.
using Nothing = std::monostate;

/// The type that stands for a result of type T in a collection of results: T, or Nothing for void.
template <class T>
using ValueOrNothing = std::conditional_t<std::is_void_v<T>, Nothing, T>;

// book:outcome-api
template <class T>
class Outcome {
public:
  using value_type = ValueOrNothing<T>;

  /// The task returned `value`.
  static Outcome success(value_type value) { return Outcome(std::in_place_index<0>, std::move(value)); }
  /// The task ended with `error` (which may be a CancelledError); `error` must not be null.
  static Outcome failure(std::exception_ptr error) {
    return Outcome(std::in_place_index<1>, std::move(error));
  }

  bool has_value() const noexcept { return state_.index() == 0; }
  bool has_exception() const noexcept { return state_.index() == 1; }
  explicit operator bool() const noexcept { return has_value(); }
  // end book:outcome-api

  /// The value; rethrows the exception if the task failed.
  value_type& value() & {
    rethrow_if_failed();
    return std::get<0>(state_);
  }
  const value_type& value() const& {
    rethrow_if_failed();
    return std::get<0>(state_);
  }
  value_type&& value() && {
    rethrow_if_failed();
    return std::get<0>(std::move(state_));
  }

  /// The exception the task ended with, or null if it returned a value.
  std::exception_ptr exception() const noexcept {
    return has_exception() ? std::get<1>(state_) : std::exception_ptr{};
  }

  /// True if the task ended with aio::CancelledError.
  bool cancelled() const {
    if (!has_exception()) return false;
    try {
      std::rethrow_exception(std::get<1>(state_));
    } catch (const CancelledError&) {
      return true;
    } catch (...) {
      return false;
    }
  }

  /// The exception's message (what()), or "" for a value: for printing, as str(exc) in Python.
  std::string what() const {
    if (!has_exception()) return {};
    try {
      std::rethrow_exception(std::get<1>(state_));
    } catch (const std::exception& error) {
      return error.what();
    } catch (const CancelledError& error) {
      return error.message();
    } catch (...) {
      return "unknown exception";
    }
  }

private:
  template <std::size_t I, class U>
  Outcome(std::in_place_index_t<I> which, U&& content) : state_(which, std::forward<U>(content)) {}

  void rethrow_if_failed() const {
    if (has_exception()) std::rethrow_exception(std::get<1>(state_));
  }

  std::variant<value_type, std::exception_ptr> state_;
};

}  // namespace aio
