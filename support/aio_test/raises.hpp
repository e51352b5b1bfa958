// raises<E>(awaitable): whether awaiting a coroutine or a task throws an E, as a value a test can
// CHECK. (A co_await never stands inside a CHECK: GCC 12 does not suspend and resume Catch's
// expression correctly, so the result is awaited into a named local first.)
#pragma once

#include <aio/coro.hpp>
#include <aio/task.hpp>

#include <utility>

namespace aio_test {

/// True if awaiting `coro` throws an E (and false if it returns).
template <class E, class T>
aio::Coro<bool> raises(aio::Coro<T> coro) {
  try {
    co_await std::move(coro);
  } catch (const E&) {
    co_return true;
  }
  co_return false;
}

/// True if awaiting `task` throws an E.
template <class E, class T>
aio::Coro<bool> raises(aio::Task<T> task) {
  try {
    co_await task;
  } catch (const E&) {
    co_return true;
  }
  co_return false;
}

}  // namespace aio_test
