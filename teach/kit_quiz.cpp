// The classroom kit's C++ quiz programs in one executable, so that a build compiles them once:
// `kit_quiz 05/q4_dropped_handle` runs teach/lessons/05-tasks/quiz/q4_dropped_handle.cpp, and
// `kit_quiz` alone lists them. Each program is a namespace `quiz_NN_<file name>` with a
// `main_coro()`; CMake (book/CMakeLists.txt) finds the files and writes the list included below.
// tools/kit.py runs each one on the virtual clock and compares its output with the quiz's key.
#include <aio/run.hpp>

#include <cstdio>
#include <exception>
#include <string_view>

namespace aio_kit {
struct Program {
  std::string_view name;
  void (*run)();
};
}  // namespace aio_kit

#include "kit_quiz_programs.hpp"  // the programs, and aio_kit::programs[]

int main(int argc, char** argv) {
  const std::string_view wanted = argc > 1 ? argv[1] : "";
  for (const aio_kit::Program& program : aio_kit::programs) {
    if (program.name != wanted) continue;
    try {
      program.run();
    } catch (const std::exception& error) {
      std::fprintf(stderr, "%s: %s\n", argv[1], error.what());
      return 1;
    }
    return 0;
  }
  std::fprintf(stderr, "%s%s\nusage: kit_quiz NN/name, one of:\n", wanted.empty() ? "" : "no quiz program ",
               argv[1] ? argv[1] : "");
  for (const aio_kit::Program& program : aio_kit::programs) {
    std::fprintf(stderr, "  %.*s\n", static_cast<int>(program.name.size()), program.name.data());
  }
  return 2;
}
