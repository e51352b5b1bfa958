// aio::fan_out: call several services at once, each with its own deadline, and keep every
// answer, good or bad.
//
//   async def process(prompt):                            auto outcomes = co_await aio::fan_out(std::move(calls), 2s);
//       return await asyncio.gather(
//           asyncio.wait_for(call_a(prompt), 2),
//           asyncio.wait_for(call_b(prompt), 2),
//           return_exceptions=True)
//
// The calls run concurrently (gather, lesson 06), so two calls of 300 ms take 300 ms, not 600.
// Each call has its own deadline (wait_for, lesson 09): a slow service costs at most the
// deadline, and its TimeoutError is its outcome alone. With return_exceptions, one failed call
// does not cancel the others: the gateway answers with what it has.
//
// Where the caller resumes: from the ready queue, once the last call has ended (gather's rule).
#pragma once

#include <aio/clock.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/gather.hpp>
#include <aio/not_implemented.hpp>
#include <aio/outcome.hpp>
#include <aio/socket_errors.hpp>
#include <aio/wait_for.hpp>

#include <exception>
#include <string>
#include <utility>
#include <vector>

namespace aio {

// ---- ex5: the fan-out ---------------------------------------------------------------------
// book:fan-out
/// Runs every call at once, each for at most `limit`; returns each call's Outcome, in the order
/// of `calls`: its value, or the exception it ended with (TimeoutError when its time ran out).
template <class T>
Coro<std::vector<Outcome<T>>> fan_out([[maybe_unused]] std::vector<Coro<T>> calls, [[maybe_unused]] Duration limit) {
  AIO_TODO("l18.ex5", "give each call its own deadline, run them all at once, keep every outcome (see 'Step 5: the fan-out gateway')");
}
// end book:fan-out

/// An exception as a gateway reports it: "TimeoutError", or "ConnectionRefusedError: ...".
inline std::string describe_error(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const TimeoutError&) {
    return "TimeoutError";
  } catch (const ConnectionRefusedError& e) {
    return std::string("ConnectionRefusedError: ") + e.what();
  } catch (const std::exception& e) {
    return e.what();
  } catch (const CancelledError&) {
    return "CancelledError";
  } catch (...) {
    return "unknown error";
  }
}

}  // namespace aio
