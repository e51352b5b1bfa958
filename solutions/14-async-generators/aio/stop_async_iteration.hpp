// The two signals of asynchronous iteration, as asyncio spells them:
//
//   Python                 aio                         derives from
//   StopAsyncIteration     aio::StopAsyncIteration     std::runtime_error
//   GeneratorExit          aio::GeneratorExit          nothing (see below)
//
// StopAsyncIteration is how an async iterator says "no more values": `__anext__` raises it, and
// `async for` catches it and ends the loop. In aio it comes out of `co_await it.anext()`; the
// everyday form, `co_await it.next()`, returns an empty std::optional instead.
//
// GeneratorExit is what aclose() raises inside a generator, at the co_yield where it is parked,
// so that the body's cleanup runs. Like aio::CancelledError, and for the same reason, it does not
// derive from std::exception: Python's GeneratorExit is a BaseException, so the everyday
// `except Exception:` does not swallow it, and `catch (const std::exception&)` must not either.
#pragma once

#include <stdexcept>
#include <string>

namespace aio {

/// The async iterator has no more values (Python's StopAsyncIteration).
class StopAsyncIteration : public std::runtime_error {
public:
  explicit StopAsyncIteration(const std::string& what = "StopAsyncIteration") : std::runtime_error(what) {}
};

/// Raised inside an async generator, at its co_yield, by aclose() (Python's GeneratorExit).
/// Let it out, or return: either ends the generator cleanly. Yielding again is an error.
class GeneratorExit {};

}  // namespace aio
