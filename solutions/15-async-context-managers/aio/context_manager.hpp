// aio::context_manager: an async context manager made of an async generator that yields once
// (contextlib's @asynccontextmanager).
//
//   @asynccontextmanager                          aio::AsyncGenerator<Connection*> connected(std::string name) {
//   async def connected(name):                      Connection db(name);
//       db = Connection(name)                       co_await db.connect();
//       await db.connect()                          std::exception_ptr error;
//       try:                                        try {
//           yield db                                  co_yield &db;
//       finally:                                    } catch (...) {
//           await db.disconnect()                     error = std::current_exception();
//                                                   }
//                                                   co_await db.disconnect();  // no co_await in a handler
//                                                   if (error) std::rethrow_exception(error);
//                                                 }
//   async with connected("db") as db: ...         co_await aio::async_with(aio::context_manager(connected("db")), body);
//
// The generator's code before its co_yield is the setup, the value it yields is what the body
// receives, and the code after it is the teardown. The rules are contextlib's
// (lessons/15-async-context-managers/cpython/generator_manager.py shows each one):
//   - enter() runs the generator to its co_yield. A generator that ends without yielding is a
//     mistake: aio::RuntimeError("generator didn't yield").
//   - exit(null), after a body that returned: the generator goes on after its co_yield and must
//     end there; if it yields again, aio::RuntimeError("generator didn't stop").
//   - exit(error), after a body that threw (or was cancelled): the error is thrown into the
//     generator at its co_yield (athrow), where a try can catch it. Then
//       it rethrows that same error      the error goes on (exit returns false);
//       it throws another one            that one replaces it (exit throws it);
//       it ends without throwing         it caught the error on purpose: exit returns true, and
//                                        the error is swallowed;
//       it yields again                  aio::RuntimeError("generator didn't stop after athrow()").
//   - The teardown runs inside exit(), so async_with shields it like any other.
//
// Lesson 14's AsyncGenerator runs its body inside whichever task awaits the step: here the
// setup runs in the scope's task, and the teardown in the task that finish_shielded made.
#pragma once

#include <aio/async_generator.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>

#include <exception>
#include <optional>
#include <utility>

namespace aio {

// book:generator-manager
/// The manager that context_manager() returns; see the top of this file.
template <class T>
class GeneratorContextManager {
public:
  explicit GeneratorContextManager(AsyncGenerator<T> generator) : generator_(std::move(generator)) {}

  Coro<T> enter();
  Coro<bool> exit(std::exception_ptr error);

private:
  AsyncGenerator<T> generator_;
};

/// Python's @asynccontextmanager, applied to one call of the generator function.
template <class T>
GeneratorContextManager<T> context_manager(AsyncGenerator<T> generator) {
  return GeneratorContextManager<T>(std::move(generator));
}
// end book:generator-manager

// ---- ex5: a manager made of a generator ------------------------------------------------------

// book:generator-enter-exit
template <class T>
Coro<T> GeneratorContextManager<T>::enter() {
  std::optional<T> value = co_await generator_.next();
  if (!value) throw RuntimeError("generator didn't yield");
  co_return std::move(*value);
}

template <class T>
Coro<bool> GeneratorContextManager<T>::exit(std::exception_ptr error) {
  if (!error) {
    std::optional<T> again = co_await generator_.next();
    if (again) throw RuntimeError("generator didn't stop");
    co_return false;
  }
  try {
    std::optional<T> again = co_await generator_.athrow(error);
    if (again) throw RuntimeError("generator didn't stop after athrow()");
  } catch (...) {
    if (std::current_exception() == error) co_return false;  // the same error goes on
    throw;                                                    // a new one replaces it
  }
  co_return true;  // the generator caught the error and ended: swallowed
}
// end book:generator-enter-exit

}  // namespace aio
