// Whether this toolchain can compile the standard range adaptors (std::views::filter, take, ...).
//
// Clang 15 and older, when they use GCC's standard library (libstdc++, the default on Linux),
// reject every std::views adaptor with a wall of errors about `__begin` and `view_interface`:
// a Clang bug in checking the constraints of view_interface's members, fixed in Clang 16
// (llvm/llvm-project#44178). The range concepts (std::ranges::input_range, std::input_iterator)
// and the std::ranges algorithms are not affected, and neither is any other compiler.
//
// Code that composes with std::views checks AIO_HAS_STD_VIEWS and, where it is 0, says what it
// leaves out. With GCC, or with Clang 16 or newer, it is always 1.
#pragma once

#include <version>  // defines __GLIBCXX__ when the library is libstdc++

#if defined(__clang__) && defined(__GLIBCXX__) && __clang_major__ < 16
#define AIO_HAS_STD_VIEWS 0
#else
#define AIO_HAS_STD_VIEWS 1
#endif
