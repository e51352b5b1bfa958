// aio::ExceptionGroup: several exceptions raised together (Python's ExceptionGroup), and a way to
// handle them by type (Python's `except*`).
//
// A task group runs many children; several of them may fail before the group has stopped them
// all. Raising only the first error would hide the others, so the group raises them together:
//
//   try:                                          try {
//       async with asyncio.TaskGroup() as g:          co_await aio::task_group(body);
//           ...                                   } catch (const aio::ExceptionGroup& errors) {
//   except* ConnectionError as eg:                    errors
//       for e in eg.exceptions: log(e)                    .handle<ConnectionError>([](const ConnectionError& e) { log(e); })
//   except* ValueError:                                   .handle<std::invalid_argument>([](const std::invalid_argument&) { ... })
//       ...                                               .rethrow();   // whatever no handler took
//                                                 }
//
// Matching by type, three ways (E is the type to match; a leaf is an exception that is not itself
// a group, found through nested groups):
//   split<E>()      (matching, rest): two optional groups with the same nesting and messages,
//                   one with the leaves that are E, one with the others (Python's eg.split(E))
//   subgroup<E>()   only the matching part (Python's eg.subgroup(E))
//   handle<E>(fn)   calls fn(const E&) for each matching leaf, in order, and returns what is
//                   left as an aio::Unhandled, on which handle<F>(...) can be chained; its
//                   rethrow() throws the rest as an ExceptionGroup, and does nothing if
//                   nothing is left. Unhandled is [[nodiscard]]: forgetting rethrow() (or a
//                   deliberate (void)) is a compiler warning, never a silent loss of errors.
//
// Where aio differs from Python:
//   - Python's except* runs its block once, with the matching subgroup; handle<E> calls its
//     handler once per matching leaf, with the leaf as an E: the loop that an except* block
//     usually writes (`for e in eg.exceptions`) is done for you, and the leaf keeps its type.
//   - Only leaves are matched, never the groups themselves (as in except*, which refuses
//     ExceptionGroup types). Python's split(T) also tests each group against T, which only makes a
//     difference for split(Exception)-like calls on groups that hold non-Exceptions.
//   - Matching rethrows each leaf (std::rethrow_exception + catch (const E&)): C++ has no other way
//     to ask an exception_ptr for its type. About a microsecond per leaf; groups are small.
//
// Your exercise in this file (l11.ex5): collect_leaves, split_by, handle. split<E>, subgroup<E>
// and contains<E> are written on top of split_by. ([[maybe_unused]] only silences a warning until
// you write the bodies.)
#pragma once

#include <aio/not_implemented.hpp>

#include <cstddef>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace aio {

class Unhandled;

// book:exception-group
/// Several exceptions raised together. `exceptions()` are the direct members, in the order they
/// were raised; a member may itself be an ExceptionGroup (a failed nested task group).
class ExceptionGroup : public std::exception {
public:
  /// `exceptions` must not be empty (Python raises ValueError for an empty group): an empty
  /// group would be an error that says nothing went wrong.
  ExceptionGroup(std::string message, std::vector<std::exception_ptr> exceptions)
      : message_(std::move(message)), exceptions_(std::move(exceptions)) {
    if (exceptions_.empty()) {
      throw std::invalid_argument("aio::ExceptionGroup(\"" + message_ +
                                  "\", ...): the exceptions must not be empty");
    }
    what_ = message_ + " (" + std::to_string(exceptions_.size()) +
            (exceptions_.size() == 1 ? " sub-exception)" : " sub-exceptions)");
  }

  /// "unhandled errors in a TaskGroup (2 sub-exceptions)", as Python's str(eg).
  const char* what() const noexcept override { return what_.c_str(); }
  /// The message alone: "unhandled errors in a TaskGroup".
  const std::string& message() const noexcept { return message_; }
  /// The direct members, in order.
  const std::vector<std::exception_ptr>& exceptions() const noexcept { return exceptions_; }
  std::size_t size() const noexcept { return exceptions_.size(); }

  /// Every exception that is not a group, through nested groups, depth first, in order.
  std::vector<std::exception_ptr> leaves() const {
    std::vector<std::exception_ptr> found;
    collect_leaves(found);
    return found;
  }
  // end book:exception-group

  // book:split
  /// (matching, rest): the leaves that are E, and the others, each kept in groups with the same
  /// nesting and messages as this one; either side is empty if nothing belongs there.
  template <class E>
  std::pair<std::optional<ExceptionGroup>, std::optional<ExceptionGroup>> split() const {
    auto matches = [](const std::exception_ptr& leaf) { return is_a<E>(leaf); };
    return split_by(matches);
  }

  /// The part of the group whose leaves are E, or nothing (Python's eg.subgroup(E)).
  template <class E>
  std::optional<ExceptionGroup> subgroup() const {
    return split<E>().first;
  }

  /// True if some leaf is an E.
  template <class E>
  bool contains() const {
    return subgroup<E>().has_value();
  }

  /// except*: calls `handler(const E&)` for every leaf that is an E, in order, and returns what
  /// is left (see aio::Unhandled: chain handle<F>(...), then rethrow()).
  template <class E, class F>
  Unhandled handle(F handler) const;
  // end book:split

  /// True if `error` holds an E. Rethrows it to look (the only portable way).
  template <class E>
  static bool is_a(const std::exception_ptr& error) {
    static_assert(!std::is_base_of_v<ExceptionGroup, E>,
                  "match the exceptions inside the group, not groups: except* refuses "
                  "ExceptionGroup types too");
    try {
      std::rethrow_exception(error);
    } catch (const E&) {
      return true;
    } catch (...) {
      return false;
    }
  }

  /// A copy of the group that `error` holds, or nothing if it holds something else. (A copy:
  /// std::rethrow_exception may throw a copy of the stored object, so a reference to what the
  /// handler caught could outlive it.)
  static std::optional<ExceptionGroup> as_group(const std::exception_ptr& error) {
    try {
      std::rethrow_exception(error);
    } catch (const ExceptionGroup& group) {
      return group;
    } catch (...) {
      return std::nullopt;
    }
  }

private:
  // book:split-by
  /// The recursion under split: each member goes to one side, a nested group to both (split in
  /// turn); a side that received nothing stays empty.
  template <class Predicate>
  std::pair<std::optional<ExceptionGroup>, std::optional<ExceptionGroup>> split_by(
      [[maybe_unused]] Predicate& matches) const {
    AIO_TODO("l11.ex5", "each leaf goes to the side that matches() says; a nested group is split in "
                        "turn and keeps its message (see 'Step 6: ExceptionGroup')");
  }
  // end book:split-by

  /// A group with this one's message and `members`, or nothing if there are none (Python's
  /// BaseExceptionGroup.derive).
  std::optional<ExceptionGroup> derive(std::vector<std::exception_ptr> members) const {
    if (members.empty()) return std::nullopt;
    return ExceptionGroup(message_, std::move(members));
  }

  // book:collect-leaves
  void collect_leaves([[maybe_unused]] std::vector<std::exception_ptr>& found) const {
    AIO_TODO("l11.ex5", "every member that is not a group, and the leaves of each nested group, in "
                        "order (see 'Step 6: ExceptionGroup')");
  }
  // end book:collect-leaves

  std::string message_;
  std::vector<std::exception_ptr> exceptions_;
  std::string what_;
};

// book:unhandled
/// What is left of an ExceptionGroup after handle<E>(...): nothing, or a smaller group.
/// Chain handle<F>(...) for the next type, then rethrow() what nobody handled, as a block of
/// except* clauses re-raises the rest by itself.
class [[nodiscard]] Unhandled {
public:
  explicit Unhandled(std::optional<ExceptionGroup> rest) : rest_(std::move(rest)) {}

  /// The next except* clause: calls `handler(const F&)` for each leaf that is an F.
  template <class F, class Handler>
  Unhandled handle(Handler handler) && {
    if (!rest_) return Unhandled(std::nullopt);
    return rest_->handle<F>(std::move(handler));
  }

  /// Throws what is left, as an ExceptionGroup with the original message; returns if nothing is.
  void rethrow() const {
    if (rest_) throw *rest_;
  }

  bool empty() const noexcept { return !rest_.has_value(); }
  /// What is left, if anything.
  const std::optional<ExceptionGroup>& group() const noexcept { return rest_; }

private:
  std::optional<ExceptionGroup> rest_;
};
// end book:unhandled

// book:handle
template <class E, class F>
Unhandled ExceptionGroup::handle([[maybe_unused]] F handler) const {
  static_assert(std::is_invocable_v<F&, const E&>, "handle<E>(handler): the handler is called as handler(const E&)");
  static_assert(!std::is_base_of_v<ExceptionGroup, E>, "handle the exceptions inside the group, not groups");
  AIO_TODO("l11.ex5", "split_by a test that calls the handler inside the catch of an E; the rest is "
                      "what is left (see 'Step 6: ExceptionGroup')");
}
// end book:handle

}  // namespace aio
