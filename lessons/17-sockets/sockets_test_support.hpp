// Helpers for lesson 17's tests: raises<E>() lives in support/aio_test, shared with later lessons.
//
// A co_await never stands inside a CHECK: Catch's macros wrap their expression in code that
// GCC 12 does not suspend and resume correctly. The result is awaited into a named local first.
#pragma once

#include <aio_test/raises.hpp>
