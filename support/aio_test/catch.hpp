// Catch2 for the course's tests, whichever major version the build found (see
// cmake/AioDependencies.cmake). Tests include this header instead of Catch2's own.
#pragma once

#include <string>

#if __has_include(<catch2/catch_test_macros.hpp>)
#include <catch2/catch_approx.hpp>
#include <catch2/catch_template_test_macros.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/catch_translate_exception.hpp>
#include <catch2/generators/catch_generators.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
namespace aio_test {
/// Matches a string (or an exception's message) that contains `text`.
inline auto contains(const std::string& text) { return Catch::Matchers::ContainsSubstring(text); }
}  // namespace aio_test
#else
#include <catch2/catch.hpp>
namespace aio_test {
inline auto contains(const std::string& text) { return Catch::Matchers::Contains(text); }
}  // namespace aio_test
#endif
