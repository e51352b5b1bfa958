// aio::async_with and the AsyncContextManager concept: Python's `async with`, as a scope function.
//
//   class Connection:                              struct Connection {
//       async def __aenter__(self):                  aio::Coro<Connection*> enter() {
//           await self.connect()                        co_await connect();
//           return self                                 co_return this;
//                                                     }
//       async def __aexit__(self, t, e, tb):         aio::Coro<void> exit(std::exception_ptr error) {
//           await self.disconnect()                     co_await disconnect();
//                                                     }
//                                                   };
//   async with Connection("db") as db:              co_await aio::async_with(Connection("db"),
//       await db.execute("SELECT 1")                  [](Connection* db) -> aio::Coro<void> {
//                                                       co_await db->execute("SELECT 1");
//                                                     });
//
// A manager is any type with two coroutines (the concept below):
//   enter()        the setup, asyncio's __aenter__. Its value is what the body receives, as
//                  `as x` binds it; an enter() that returns Coro<void> gives the body nothing.
//                  Return `this` (a pointer: a Coro holds no reference) to hand over the
//                  manager itself, as `return self` does.
//   exit(error)    the teardown, asyncio's __aexit__. `error` is what the body threw, null if it
//                  returned. Coro<void>: the manager never swallows the error. Coro<bool>: true
//                  swallows it, as __aexit__ returning True does; the scope then ends normally.
//
// The rules, asyncio's where it has one (lessons/15-async-context-managers/cpython/ shows each):
//   - enter() runs first. If it throws (or its task is cancelled in it), exit() is not called:
//     the scope was never entered, as a C++ object whose constructor threw is never destroyed.
//   - Otherwise exit() runs however the body ends: it returned, it threw, or its task was
//     cancelled (CancelledError is an exception that passes through the body like any other).
//   - What leaves the scope: the body's value when it returned; its error when it threw and exit
//     did not swallow it; exit's own error, which replaces the body's, when exit throws.
//   - Unlike asyncio, the teardown is shielded (aio/finish_shielded.hpp): a cancellation that
//     arrives while exit() runs does not interrupt it; it leaves the scope as CancelledError
//     once exit() has finished, and wins over whatever else would have left.
//
// The manager is taken by value and lives in the scope's frame until exit() is over; pass a
// pointer (`aio::async_with(&manager, body)`) for one that must outlive the scope. The body, as
// in task_group (lesson 11), is a coroutine that captures nothing: the value of enter() comes
// first, then any extra arguments given to async_with, by value.
//
// Where the awaiting coroutine resumes: async_with runs inside the awaiting task; enter() and the
// body start at once, inside the co_await. The teardown runs as a task of its own, so the scope
// ends three loop iterations after exit() began, plus the time exit() awaits.
//
// Your exercise in this file (./learn shows the next one; ctest --preset learn -R l15.ex2 runs it):
//   l15.ex2  the scope: run_scope (the body, then exit on every path, then what leaves)
// async_with(), enter_then_call and call_exit are written for you: read them first.
// ([[maybe_unused]] only silences a warning until you write the body.)
#pragma once

#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/finish_shielded.hpp>
#include <aio/not_implemented.hpp>

#include <concepts>
#include <exception>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

namespace aio {

namespace detail {

template <class C>
struct IsCoro : std::false_type {};
template <class T>
struct IsCoro<Coro<T>> : std::true_type {};

/// The manager itself: `manager`, or what it points to.
template <class M>
decltype(auto) manager_of(M& manager) {
  if constexpr (std::is_pointer_v<M>) {
    return *manager;
  } else {
    return (manager);
  }
}

}  // namespace detail

// book:concept
/// An async context manager: `enter()` returns any Coro<T>; `exit(error)` returns Coro<void>
/// (never swallows) or Coro<bool> (true swallows the error).
template <class M>
concept AsyncContextManager = requires(M& manager, std::exception_ptr error) {
  requires detail::IsCoro<decltype(manager.enter())>::value;
  requires std::same_as<decltype(manager.exit(error)), Coro<void>> ||
               std::same_as<decltype(manager.exit(error)), Coro<bool>>;
};

/// A manager, or a pointer to one.
template <class M>
concept AsyncContextManagerOrPointer =
    AsyncContextManager<M> || (std::is_pointer_v<M> && AsyncContextManager<std::remove_pointer_t<M>>);

/// What enter() gives the body (void: nothing).
template <class M>
using entered_t = typename decltype(std::declval<M&>().enter())::value_type;

/// True when exit() may swallow the body's error (it returns Coro<bool>).
template <class M>
inline constexpr bool may_swallow_v = std::same_as<decltype(std::declval<M&>().exit(nullptr)), Coro<bool>>;
// end book:concept

namespace detail {

template <class M>
using Manager = std::remove_reference_t<decltype(manager_of(std::declval<M&>()))>;

template <class C>
struct BodyValue {
  static_assert(sizeof(C) == 0,
                "the body of async_with is a coroutine: [](Entered value, Args... args) -> aio::Coro<R> { ... }");
};
template <class T>
struct BodyValue<Coro<T>> {
  using type = T;
};

/// The coroutine type of body(entered, args...), or of body(args...) when enter() gives nothing.
template <class M, class Body, class... Args>
struct BodyCall {
  using type = std::invoke_result_t<Body&, entered_t<M>, Args&&...>;
};
template <class M, class Body, class... Args>
  requires std::is_void_v<entered_t<M>>
struct BodyCall<M, Body, Args...> {
  using type = std::invoke_result_t<Body&, Args&&...>;
};

/// What the body returns.
template <class M, class Body, class... Args>
using body_result_t = typename BodyValue<typename BodyCall<Manager<M>, Body, Args...>::type>::type;

/// What async_with returns: the body's value; std::optional of it when exit() may swallow an
/// error, since a swallowed error leaves no value to return.
template <class R, bool MaySwallow>
struct WithValue {
  using type = R;
};
template <class R>
  requires(!std::is_void_v<R>)
struct WithValue<R, true> {
  using type = std::optional<R>;
};

template <class M, class Body, class... Args>
using with_result_t = typename WithValue<body_result_t<M, Body, Args...>, may_swallow_v<Manager<M>>>::type;

// book:call-exit
/// exit(error) as a Coro<bool> whatever the manager declares: false for a Coro<void> exit.
template <class M>
Coro<bool> call_exit(M* manager, std::exception_ptr error) {
  if constexpr (may_swallow_v<M>) {
    bool swallowed = co_await manager->exit(std::move(error));
    co_return swallowed;
  } else {
    co_await manager->exit(std::move(error));
    co_return false;
  }
}
// end book:call-exit

// book:with-scope
/// After enter(): runs the body, then exit() on every path, shielded; returns what must come
/// out of the scope (see the top of this file). `Result` is R, or std::optional<R>.
template <class Result, class M, class R>
Coro<Result> run_scope([[maybe_unused]] M* manager, [[maybe_unused]] Coro<R> body) {
  AIO_TODO("l15.ex2", "run the body, catch whatever leaves it, run exit shielded with that error, then "
                      "decide what leaves (see 'Step 3: the scope')");
}
// end book:with-scope

/// enter(), then the body's coroutine made (not started) and handed to run_scope.
template <class Result, class M, class Body, class... Args>
Coro<Coro<Result>> enter_then_call(M* manager, Body& body, Args... args) {
  if constexpr (std::is_void_v<entered_t<M>>) {
    co_await manager->enter();
    co_return run_scope<Result>(manager, body(std::move(args)...));
  } else {
    entered_t<M> value = co_await manager->enter();
    co_return run_scope<Result>(manager, body(std::move(value), std::move(args)...));
  }
}

}  // namespace detail

// book:async-with
/// Python's `async with manager as value: body`: enter(), then body(value, args...), then exit()
/// however the body ended (see the top of this file). Must be awaited inside a task.
template <AsyncContextManagerOrPointer M, class Body, class... Args>
Coro<detail::with_result_t<M, Body, Args...>> async_with(M manager, Body body, Args... args) {
  using Result = detail::with_result_t<M, Body, Args...>;
  auto* entered = &detail::manager_of(manager);
  // If enter() throws, there is nothing to exit: the exception simply leaves.
  Coro<Result> scope = co_await detail::enter_then_call<Result>(entered, body, std::move(args)...);
  if constexpr (std::is_void_v<Result>) {
    co_await std::move(scope);
  } else {
    Result result = co_await std::move(scope);
    co_return result;
  }
}
// end book:async-with

}  // namespace aio
