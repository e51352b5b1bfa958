// aio::AsyncExitStack: any number of teardowns, chosen at run time, undone in reverse
// (contextlib.AsyncExitStack).
//
//   async with AsyncExitStack() as stack:                co_await aio::async_with(aio::AsyncExitStack(),
//       a = await stack.enter_async_context(open("a"))     [](aio::AsyncExitStack* stack) -> aio::Coro<void> {
//       b = await stack.enter_async_context(open("b"))       Connection* a = co_await stack->enter_async_context(Connection("a"));
//       stack.push_async_callback(log, "done")                Connection* b = co_await stack->enter_async_context(Connection("b"));
//       ...                                                   stack->push_async_callback(log, std::string("done"));
//   # log("done"), then b's exit, then a's exit             });   // log("done"), then b's exit, then a's exit
//
// The rules are contextlib's (lessons/15-async-context-managers/cpython/exit_stack_*.py):
//   - Entries are undone last in, first out, each once; then the stack is empty again.
//   - Each exit is told the error of the moment: at first what the body threw (null if
//     nothing), then whatever the exits before it left. An exit that throws replaces the error
//     with its own, and the exits after it are still run; an exit that swallows clears it.
//   - What leaves the stack's own exit(): an exit's new error if one is left at the end;
//     otherwise true if the error it was given was swallowed along the way.
//   - enter_async_context(m) pushes m's exit only once m.enter() has succeeded.
//   - The stack is itself a manager: enter() gives the body a pointer to it, exit() unwinds.
//     Under async_with the whole unwind is one shielded teardown, so a cancellation that
//     arrives meanwhile waits for every exit to finish (asyncio's stack goes on unwinding too,
//     but each exit sees the CancelledError, and the one it interrupts is cut short).
//
// The managers entered live inside the stack (each in an entry of its own on the heap), so the
// pointer an enter() returns stays valid until its exit has run. A stack destroyed with entries
// still on it cannot run them (a destructor cannot co_await): it reports them through the
// loop's exception handler, as the loop reports a task that was never awaited.
#pragma once

#include <aio/async_with.hpp>
#include <aio/coro.hpp>
#include <aio/finish_shielded.hpp>
#include <aio/task_base.hpp>

#include <cstddef>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace aio {

// book:stack
class AsyncExitStack {
public:
  AsyncExitStack() = default;
  AsyncExitStack(AsyncExitStack&&) noexcept = default;
  AsyncExitStack& operator=(AsyncExitStack&&) = delete;  // it would drop the entries it holds
  ~AsyncExitStack() { report_unrun(); }

  /// Enters `manager` (or the manager it points to) and pushes its exit; returns what its
  /// enter() returned (asyncio's enter_async_context).
  template <AsyncContextManagerOrPointer M>
  Coro<entered_t<detail::Manager<M>>> enter_async_context(M manager);

  /// Pushes an exit of your own: `exit(error)` returns Coro<bool>, true to swallow
  /// (asyncio's push_async_exit). A coroutine function, or a lambda that calls one and returns
  /// its Coro (such a lambda is no coroutine itself, so it may capture).
  template <class Exit>
  void push_async_exit(Exit exit);

  /// Pushes `callback(args...)`, a coroutine that is told nothing and never swallows
  /// (asyncio's push_async_callback). The arguments are copied now.
  template <class Callback, class... Args>
  void push_async_callback(Callback callback, Args... args);

  /// Unwinds now, as if the scope had ended without an error (asyncio's aclose()); shielded.
  Coro<void> aclose();

  /// Moves every entry to a new stack, and leaves this one empty (asyncio's pop_all()): the
  /// teardowns are no longer this scope's business, but the new stack's.
  AsyncExitStack pop_all() noexcept;

  std::size_t size() const noexcept { return entries_.size(); }

  // The stack as a manager.
  Coro<AsyncExitStack*> enter() { co_return this; }
  Coro<bool> exit(std::exception_ptr error);
  // end book:stack

private:
  // book:entry
  /// One teardown: a manager's exit, or a pushed exit or callback.
  struct Entry {
    virtual ~Entry() = default;
    virtual Coro<bool> exit(std::exception_ptr error) = 0;
  };

  template <class M>
  struct ManagerEntry final : Entry {
    explicit ManagerEntry(M held) : manager(std::move(held)) {}
    Coro<bool> exit(std::exception_ptr error) override {
      return detail::call_exit(&detail::manager_of(manager), std::move(error));
    }
    M manager;
  };

  template <class Exit>
  struct ExitEntry final : Entry {
    explicit ExitEntry(Exit held) : function(std::move(held)) {}
    Coro<bool> exit(std::exception_ptr error) override { return function(std::move(error)); }
    Exit function;
  };

  template <class Callback, class... Args>
  struct CallbackEntry final : Entry {
    explicit CallbackEntry(Callback held, Args... given) : callback(std::move(held)), args(std::move(given)...) {}
    Coro<bool> exit(std::exception_ptr error) override;
    Callback callback;
    std::tuple<Args...> args;
  };
  // end book:entry

  void report_unrun() noexcept;

  std::vector<std::unique_ptr<Entry>> entries_;  // oldest first
};

// ---- ex3: unwinding ------------------------------------------------------------------------

// book:unwind
/// Runs every entry's exit, newest first, passing each the error of the moment; the stack is
/// empty afterwards. Returns true if `error` was swallowed; throws an exit's new error.
inline Coro<bool> AsyncExitStack::exit(std::exception_ptr error) {
  std::exception_ptr current = error;
  while (!entries_.empty()) {
    std::unique_ptr<Entry> entry = std::move(entries_.back());
    entries_.pop_back();
    try {
      const bool swallowed = co_await entry->exit(current);
      if (swallowed) current = nullptr;
    } catch (...) {
      current = std::current_exception();  // the new error replaces the one it was told about
    }
  }
  if (current && current != error) std::rethrow_exception(current);
  co_return error && !current;
}
// end book:unwind

// ---- ex4: entering, pushing, closing -------------------------------------------------------

// book:enter-async-context
template <AsyncContextManagerOrPointer M>
Coro<entered_t<detail::Manager<M>>> AsyncExitStack::enter_async_context(M manager) {
  auto entry = std::make_unique<ManagerEntry<M>>(std::move(manager));
  auto& entered = detail::manager_of(entry->manager);  // the one that stays: enter that one
  if constexpr (std::is_void_v<entered_t<detail::Manager<M>>>) {
    co_await entered.enter();
    entries_.push_back(std::move(entry));  // only now: a manager that failed to enter has no exit
  } else {
    auto value = co_await entered.enter();
    entries_.push_back(std::move(entry));
    co_return value;
  }
}

template <class Callback, class... Args>
Coro<bool> AsyncExitStack::CallbackEntry<Callback, Args...>::exit([[maybe_unused]] std::exception_ptr error) {
  co_await std::apply(callback, args);
  co_return false;  // a callback is not asked about the error, so it cannot swallow it
}

inline Coro<void> AsyncExitStack::aclose() {
  co_await finish_shielded(exit(nullptr));
}
// end book:enter-async-context

// ---- given ---------------------------------------------------------------------------------

template <class Exit>
void AsyncExitStack::push_async_exit(Exit exit) {
  static_assert(std::is_same_v<std::invoke_result_t<Exit&, std::exception_ptr>, Coro<bool>>,
                "push_async_exit takes a coroutine function: [](std::exception_ptr error) -> aio::Coro<bool>");
  entries_.push_back(std::make_unique<ExitEntry<Exit>>(std::move(exit)));
}

template <class Callback, class... Args>
void AsyncExitStack::push_async_callback(Callback callback, Args... args) {
  static_assert(std::is_same_v<std::invoke_result_t<Callback&, Args&...>, Coro<void>>,
                "push_async_callback takes a coroutine function that returns aio::Coro<void>, and its arguments");
  entries_.push_back(std::make_unique<CallbackEntry<Callback, Args...>>(std::move(callback), std::move(args)...));
}

inline AsyncExitStack AsyncExitStack::pop_all() noexcept {
  AsyncExitStack moved;
  moved.entries_ = std::move(entries_);
  entries_.clear();
  return moved;
}

inline void AsyncExitStack::report_unrun() noexcept {
  if (entries_.empty()) return;
  const std::string message = "AsyncExitStack destroyed with " + std::to_string(entries_.size()) +
                              " exit(s) not run: a destructor cannot co_await them. Use the stack "
                              "under aio::async_with, or co_await stack.aclose() before it goes";
  if (detail::running_loop != nullptr) {
    detail::running_loop->call_exception_handler(message);
  } else {
    std::fprintf(stderr, "aio: %s\n", message.c_str());
  }
}

}  // namespace aio
