// aio::Generator<T>: Python's generator function, as a C++20 coroutine.
//
//     def countdown(n):                    aio::Generator<int> countdown(int n) {
//         while n > 0:                       while (n > 0) {
//             yield n                          co_yield n;
//             n -= 1                           --n;
//                                            }
//                                          }
//     for x in countdown(3):               for (int x : countdown(3)) {
//         print(x)                           std::printf("%d\n", x);
//                                          }
//
// A function whose body contains `co_yield` is a coroutine. Calling it allocates a frame (its
// parameters and locals), builds a Generator that owns the frame, and runs nothing yet. Each step
// of the consumer's loop resumes the body until its next `co_yield`, which parks a value and hands
// control back. The pieces:
//
//   promise_type   lives inside the frame; the compiler calls it at the start, at every co_yield,
//                  on an escaping exception and at the end.
//   Generator      owns the frame (move-only) and destroys it in its destructor.
//   iterator       what the range-for loop holds: ++ resumes the body, * reads the parked value.
//   end()          std::default_sentinel: "the body has finished".
//
// Your exercises in this file (`./learn` shows the first unfinished one, `./learn hint` helps):
//   l01.ex1  Generator::begin() and iterator::operator++(): drive the body, one value at a time
//   l01.ex2  promise_type::unhandled_exception(): hand the body's exceptions to the consumer
#pragma once

#include <aio/not_implemented.hpp>

#include <cassert>
#include <coroutine>
#include <cstddef>
#include <exception>
#include <iterator>
#include <memory>
#include <type_traits>
#include <utility>

namespace aio {

/// A lazy sequence of T produced by a coroutine that `co_yield`s them, one at a time.
///
/// Contract:
/// - Calling the coroutine runs nothing. `begin()` runs the body up to its first `co_yield`; each
///   `++` runs it up to the next one. Both resume the body on the caller's thread, inside the call,
///   and return when the body has yielded a value or finished: control always comes back to the
///   consumer within the same `begin()` or `++`.
/// - `*it` is the value the body is parked on. The reference stays valid until the next `++`
///   (it points into the body's frame, where the value lives while the body is suspended).
/// - An exception that escapes the body is rethrown to the consumer from that `begin()` or `++`;
///   the sequence is then over.
/// - Destroying the Generator destroys the frame, wherever the body is parked: the destructors of
///   its locals run, just as Python's `close()` runs a generator's `finally` blocks. Leaving a
///   range-for early (`break`, `return`, an exception) destroys a temporary Generator at once.
/// - Single pass: call `begin()` once. A moved-from Generator must not be iterated.
///
/// T is a value type (int, std::string, std::vector<int>...), not a reference.
template <typename T>
class [[nodiscard]] Generator {
  static_assert(!std::is_reference_v<T>, "Generator<T> yields values: T must not be a reference");

public:
  class promise_type;
  class iterator;
  using handle_type = std::coroutine_handle<promise_type>;

  // book:promise
  /// The compiler's hooks. One promise lives inside each coroutine frame.
  class promise_type {
  public:
    // Called first, while the frame is being set up: the caller receives this Generator.
    Generator get_return_object() noexcept { return Generator{handle_type::from_promise(*this)}; }

    // Lazy start: suspend before the first line of the body, so that nothing runs until begin().
    std::suspend_always initial_suspend() const noexcept { return {}; }

    // `co_yield value;` becomes `co_await promise.yield_value(value);`. The value (a local, or a
    // temporary that lives until the end of the co_yield statement) stays alive in the frame
    // while the body is suspended, so keeping its address is enough: no copy is made.
    std::suspend_always yield_value(const T& value) noexcept {
      current_ = std::addressof(value);
      return {};
    }

    // Falling off the end of the body (or `co_return;`).
    void return_void() const noexcept {}

    // An exception escaped the body. Keep it; the consumer gets it from begin() or ++.
    // (Not noexcept: if this throws, the exception travels to whoever resumed the body.)
    // book:unhandled-exception
    void unhandled_exception() {
      AIO_TODO("l01.ex2", "keep the exception in flight, for begin() or ++ to rethrow "
                          "(see 'Step 4: errors reach the consumer')");
    }
    // end book:unhandled-exception

    // Suspend at the end instead of destroying the frame: the Generator still owns it, and
    // handle.done() tells the iterator that the sequence is over.
    std::suspend_always final_suspend() const noexcept { return {}; }

    // A generator has no event loop to wait on: `co_await` inside one does not compile.
    template <typename Awaitable>
    std::suspend_never await_transform(Awaitable&&) = delete;

    // The consumer's side. (Checked builds stop here, with a message, when *it comes before the
    // body has yielded anything: then begin() did not run the body.)
    const T& value() const noexcept {
      assert(current_ != nullptr && "*it before the body reached a co_yield: did begin() run it?");
      return *current_;
    }

    void rethrow_if_failed() {
      if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
    }

  private:
    const T* current_ = nullptr;  // the value the body is parked on
    std::exception_ptr error_;    // an exception that escaped the body, until it is rethrown
  };
  // end book:promise

  // book:iterator
  /// An input iterator over the values. It holds the frame's handle but does not own the frame.
  class iterator {
  public:
    using value_type = T;
    using difference_type = std::ptrdiff_t;

    iterator() = default;

    // Resume the body until its next co_yield (or its end); rethrow what escaped it, if anything.
    // book:increment
    iterator& operator++() {
      AIO_TODO("l01.ex1", "run the body to its next co_yield, then surface what escaped it "
                          "(see 'Step 2: the iterator and begin()')");
    }
    // end book:increment

    void operator++(int) { ++*this; }

    const T& operator*() const noexcept { return handle_.promise().value(); }

    // The loop stops when the body has run to its end (it is then parked at final_suspend).
    friend bool operator==(const iterator& it, std::default_sentinel_t) noexcept {
      return it.handle_.done();
    }

  private:
    friend class Generator;
    explicit iterator(handle_type handle) noexcept : handle_(handle) {}

    handle_type handle_ = nullptr;
  };
  // end book:iterator

  // book:ownership
  Generator(Generator&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}

  Generator& operator=(Generator&& other) noexcept {
    if (this != &other) {
      destroy();
      handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
  }

  // One frame, one owner: copying would leave two Generators destroying the same frame.
  Generator(const Generator&) = delete;
  Generator& operator=(const Generator&) = delete;

  // Destroying a suspended frame runs the destructors of the body's live locals (RAII cleanup).
  ~Generator() { destroy(); }
  // end book:ownership

  // book:begin
  // Start the body: run it up to its first co_yield (or to its end, if it yields nothing).
  iterator begin() {
    AIO_TODO("l01.ex1", "start the body, surface what escaped it, hand out an iterator on the "
                        "frame (see 'Step 2: the iterator and begin()')");
  }

  std::default_sentinel_t end() const noexcept { return {}; }
  // end book:begin

private:
  explicit Generator(handle_type handle) noexcept : handle_(handle) {}

  // book:destroy
  // Kept out of line on purpose. Clang 14 at -O2 may put a generator's frame on the caller's
  // stack instead of the heap (an allowed optimisation), but then reuses that stack memory while
  // the generator is still alive, and the program crashes when the frame is destroyed. When the
  // optimiser cannot see into destroy(), the frame stays on the heap. (GCC 12 never moves it.)
  [[gnu::noinline]] void destroy() noexcept {
    if (handle_) handle_.destroy();
    handle_ = nullptr;
  }
  // end book:destroy

  handle_type handle_;
};

}  // namespace aio
