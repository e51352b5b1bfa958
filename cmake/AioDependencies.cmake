# Third-party dependencies, preferring what the system already has.
#
#   Catch2           v3 if installed, else Debian's v2 (package `catch2`), else v3 fetched.
#   Google Benchmark installed (`libbenchmark-dev`), else fetched. Only when AIO_BENCHMARKS is ON.
#   Python 3.11      optional: runs each demo's mirror.py and the book checks; tests that need it
#                    are skipped, with a message, when it is missing.
include(FetchContent)

# aio_test_framework: an interface target that every test program links; it brings Catch2 and a
# main(), whichever major version was found. Tests include <aio_test/catch.hpp>, which hides the
# difference between the two majors' header names.
add_library(aio_test_framework INTERFACE)
target_include_directories(aio_test_framework INTERFACE ${CMAKE_CURRENT_SOURCE_DIR}/support)
find_package(Threads REQUIRED)  # the watchdog's thread
target_link_libraries(aio_test_framework INTERFACE Threads::Threads)

# The support files every test program needs (a watchdog, and how Catch2 prints a CancelledError)
# are compiled once, not once per lesson: each includes all of Catch2. Their object files go into
# every test program as sources: both only register themselves with Catch2 and nothing names
# them, so a static library's linker would leave them out.
add_library(aio_test_support OBJECT
  ${CMAKE_CURRENT_SOURCE_DIR}/support/translate_exceptions.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/support/watchdog.cpp)
target_include_directories(aio_test_support PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/support ${CMAKE_CURRENT_SOURCE_DIR}/solutions/common)
target_link_libraries(aio_test_support PRIVATE aio_warnings)
target_sources(aio_test_framework INTERFACE $<TARGET_OBJECTS:aio_test_support>)

find_package(Catch2 3 QUIET CONFIG)
if(Catch2_FOUND)
  message(STATUS "aio: Catch2 ${Catch2_VERSION} (installed)")
  target_link_libraries(aio_test_framework INTERFACE Catch2::Catch2WithMain)
else()
  find_package(Catch2 2 QUIET CONFIG)
  if(Catch2_FOUND)
    message(STATUS "aio: Catch2 ${Catch2_VERSION} (installed, v2)")
    add_library(aio_catch2_main STATIC ${CMAKE_CURRENT_SOURCE_DIR}/support/catch2_v2_main.cpp)
    target_link_libraries(aio_catch2_main PUBLIC Catch2::Catch2)
    target_link_libraries(aio_test_framework INTERFACE aio_catch2_main)
  else()
    message(STATUS "aio: Catch2 not installed; fetching v3.5.4")
    FetchContent_Declare(Catch2
      GIT_REPOSITORY https://github.com/catchorg/Catch2.git
      GIT_TAG v3.5.4
      GIT_SHALLOW TRUE)
    FetchContent_MakeAvailable(Catch2)
    target_link_libraries(aio_test_framework INTERFACE Catch2::Catch2WithMain)
  endif()
endif()
target_link_libraries(aio_test_support PRIVATE Catch2::Catch2)  # the headers, whichever major was found

if(AIO_BENCHMARKS)
  find_package(benchmark QUIET CONFIG)
  if(benchmark_FOUND)
    message(STATUS "aio: Google Benchmark ${benchmark_VERSION} (installed)")
  else()
    message(STATUS "aio: Google Benchmark not installed; fetching v1.8.3")
    set(BENCHMARK_ENABLE_TESTING OFF CACHE BOOL "" FORCE)
    set(BENCHMARK_ENABLE_GTEST_TESTS OFF CACHE BOOL "" FORCE)
    FetchContent_Declare(benchmark
      GIT_REPOSITORY https://github.com/google/benchmark.git
      GIT_TAG v1.8.3
      GIT_SHALLOW TRUE)
    FetchContent_MakeAvailable(benchmark)
  endif()
endif()

find_package(Python3 3.11 QUIET COMPONENTS Interpreter)
if(Python3_FOUND)
  message(STATUS "aio: Python ${Python3_VERSION} runs the mirrors and the book checks")
else()
  message(STATUS "aio: no Python 3.11 found; mirror and book tests will be skipped")
endif()

# Warnings: every target of ours builds clean with -Wall -Wextra on GCC and Clang.
add_library(aio_warnings INTERFACE)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  # A function that falls off its end without returning a value is undefined behaviour that often
  # passes every test by luck (a learner's `operator++` without `return *this`): always an error.
  target_compile_options(aio_warnings INTERFACE -Wall -Wextra -Werror=return-type)
  if(AIO_WERROR)
    target_compile_options(aio_warnings INTERFACE -Werror)
  endif()
endif()

# The learner's code (the exercises track, outside Release): libstdc++'s assertions turn a read
# of an empty optional or an index past a vector's end into an error that names the line,
# instead of garbage. They cost little in a Debug build, and nothing in the solutions' builds.
add_library(aio_learner_checks INTERFACE)
target_compile_definitions(aio_learner_checks INTERFACE
  $<$<NOT:$<CONFIG:Release>>:_GLIBCXX_ASSERTIONS>)

# JSON for lesson 18's service: nlohmann/json from Debian (`nlohmann-json3-dev`), a header-only
# library. Only the lessons listed in AIO_JSON_LESSONS link it; where it is missing, they (and
# their benchmarks) are left out with a message, and every other lesson builds as before.
set(AIO_JSON_LESSONS "18-streaming-service")
find_package(nlohmann_json 3 QUIET CONFIG)
add_library(aio_json INTERFACE)
if(nlohmann_json_FOUND)
  message(STATUS "aio: nlohmann/json ${nlohmann_json_VERSION} (installed) for lesson 18")
  target_link_libraries(aio_json INTERFACE nlohmann_json::nlohmann_json)
else()
  message(STATUS "aio: nlohmann/json not installed (Debian: nlohmann-json3-dev); lesson 18 is left out")
endif()

# aio_lesson_available(<NN-topic> <out-var>): false for a lesson whose dependencies are missing.
function(aio_lesson_available lesson out)
  if(lesson IN_LIST AIO_JSON_LESSONS AND NOT nlohmann_json_FOUND)
    set(${out} FALSE PARENT_SCOPE)
  else()
    set(${out} TRUE PARENT_SCOPE)
  endif()
endfunction()

# aio_link_lesson_dependencies(<target> <NN-topic>): the libraries a lesson needs beyond aio.
function(aio_link_lesson_dependencies target lesson)
  if(lesson IN_LIST AIO_JSON_LESSONS)
    target_link_libraries(${target} PRIVATE aio_json)
  endif()
endfunction()
