// aio::NotImplemented and AIO_TODO: how an unfinished exercise announces itself.
//
// Every exercise body in lessons/NN-topic/ starts life as
//
//     AIO_TODO("l05.ex2", "resume every waiter through the ready queue");
//
// which compiles anywhere a statement can stand and throws aio::NotImplemented. Its message names
// the exercise, the file to edit, a short hint that names the chapter's section to read, and the
// command that shows the chapter's hints, so the failing test tells the learner what to do next.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace aio {

/// Thrown by an exercise whose body has not been written yet.
class NotImplemented : public std::logic_error {
public:
  NotImplemented(std::string_view exercise, std::string_view file, std::string_view hint)
      : std::logic_error(describe(exercise, file, hint)) {}

private:
  // book:message
  static std::string describe(std::string_view exercise, std::string_view file,
                              std::string_view hint) {
    std::string text = "exercise ";
    text += exercise;
    text += " is not written yet\n  edit: ";
    text += relative_to_project(file);
    text += "\n  hint: ";
    text += hint;
    text += "\n  more: ./learn hint ";
    text += exercise;
    return text;
  }
  // end book:message

  // __FILE__ is whatever path the compiler was given (often absolute); the learner wants the
  // path from the top of the course, which starts at "lessons/".
  static std::string_view relative_to_project(std::string_view path) {
    const auto at = path.rfind("lessons/");
    return at == std::string_view::npos ? path : path.substr(at);
  }
};

namespace detail {
[[noreturn]] inline void todo(std::string_view exercise, std::string_view hint,
                              std::string_view file) {
  throw NotImplemented(exercise, file, hint);
}
}  // namespace detail

}  // namespace aio

// The one macro of the course: it exists only to capture __FILE__ at the stub's own line.
// book:todo-macro
#define AIO_TODO(exercise, hint) ::aio::detail::todo((exercise), (hint), __FILE__)
// end book:todo-macro
