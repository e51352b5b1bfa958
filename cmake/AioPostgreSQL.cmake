# libpq, PostgreSQL's client library, for lesson 19 only (Debian: libpq-dev).
#
#   aio_postgresql   an interface target that lesson 19's programs link: libpq's headers and
#                    library. When libpq is missing it does not exist, and lesson 19 is left out
#                    of the build with a message; every other lesson builds as before.
#
# The tests need a running server as well; tools/pg-up starts a private one. Without one they
# are skipped (exit code 77, SKIP_RETURN_CODE) with a message that names tools/pg-up.
set(AIO_POSTGRESQL_FOUND OFF)
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(AIO_LIBPQ QUIET IMPORTED_TARGET libpq)
endif()
if(AIO_LIBPQ_FOUND)
  add_library(aio_postgresql INTERFACE)
  target_link_libraries(aio_postgresql INTERFACE PkgConfig::AIO_LIBPQ)
  set(AIO_POSTGRESQL_FOUND ON)
  message(STATUS "aio: libpq ${AIO_LIBPQ_VERSION} (lesson 19)")
else()
  find_package(PostgreSQL QUIET)
  if(PostgreSQL_FOUND)
    add_library(aio_postgresql INTERFACE)
    target_link_libraries(aio_postgresql INTERFACE PostgreSQL::PostgreSQL)
    set(AIO_POSTGRESQL_FOUND ON)
    message(STATUS "aio: libpq ${PostgreSQL_VERSION_STRING} (lesson 19)")
  else()
    message(STATUS "aio: libpq not found (Debian: libpq-dev); lesson 19 is left out of the build")
  endif()
endif()

# The asyncio side of lesson 19 (its mirrors, and the comparison in its benchmark) needs asyncpg,
# which Debian installs for its own python3 (python3-asyncpg): use the first Python 3.11+ that
# has it, the one the build found or Debian's.
set(AIO_ASYNCPG_PYTHON "")
foreach(candidate IN ITEMS "${Python3_EXECUTABLE}" /usr/bin/python3)
  if(candidate AND NOT AIO_ASYNCPG_PYTHON AND EXISTS "${candidate}")
    execute_process(COMMAND ${candidate} -c "import sys, asyncpg; sys.exit(sys.version_info < (3, 11))"
                    RESULT_VARIABLE has_asyncpg OUTPUT_QUIET ERROR_QUIET)
    if(has_asyncpg EQUAL 0)
      set(AIO_ASYNCPG_PYTHON "${candidate}")
    endif()
  endif()
endforeach()
if(AIO_POSTGRESQL_FOUND AND NOT AIO_ASYNCPG_PYTHON)
  message(STATUS "aio: no Python 3.11+ with asyncpg (Debian: python3-asyncpg); lesson 19's mirrors are skipped")
endif()

# Lesson 19's targets and tests are made by aio_lesson() like every lesson's; once the whole
# project has been read, this links them to libpq and lets their tests report "skipped" (exit
# code 77) when no server runs. Without libpq they leave the default build and their tests are
# reported as disabled, with the reason above.
function(_aio_postgresql_lesson)
  get_property(targets DIRECTORY ${PROJECT_SOURCE_DIR} PROPERTY BUILDSYSTEM_TARGETS)
  if(AIO_BENCHMARKS)
    get_property(benchmarks DIRECTORY ${PROJECT_SOURCE_DIR}/benchmarks PROPERTY BUILDSYSTEM_TARGETS)
    list(APPEND targets ${benchmarks})
  endif()
  get_property(tests DIRECTORY ${PROJECT_SOURCE_DIR} PROPERTY TESTS)
  list(FILTER targets INCLUDE REGEX "^(test_l19|l19_demo.*|bench_19-.*)$")
  list(FILTER tests INCLUDE REGEX "^l19\\.")
  foreach(target IN LISTS targets)
    if(AIO_POSTGRESQL_FOUND)
      target_link_libraries(${target} PRIVATE aio_postgresql)
      if(target MATCHES "^bench_")
        # The benchmark runs lessons/19-async-database/measure_asyncpg.py with this Python.
        set(python python3)
        if(AIO_ASYNCPG_PYTHON)
          set(python ${AIO_ASYNCPG_PYTHON})
        elseif(Python3_EXECUTABLE)
          set(python ${Python3_EXECUTABLE})
        endif()
        target_compile_definitions(${target} PRIVATE AIO_SOURCE_DIR="${PROJECT_SOURCE_DIR}" AIO_PYTHON="${python}")
      endif()
    else()
      set_target_properties(${target} PROPERTIES EXCLUDE_FROM_ALL ON)
    endif()
  endforeach()
  foreach(test IN LISTS tests)
    if(AIO_POSTGRESQL_FOUND)
      set_tests_properties(${test} PROPERTIES SKIP_RETURN_CODE 77)
      if(test MATCHES "^l19\\.mirror" AND AIO_ASYNCPG_PYTHON)
        set_tests_properties(${test} PROPERTIES ENVIRONMENT "AIO_MIRROR_PYTHON=${AIO_ASYNCPG_PYTHON}")
      endif()
      # This one stops and restarts the server: nothing else may use it meanwhile.
      if(test STREQUAL "l19.server")
        set_tests_properties(${test} PROPERTIES RUN_SERIAL ON)
      endif()
    elseif(NOT test STREQUAL "l19.cpython")
      set_tests_properties(${test} PROPERTIES DISABLED ON)
    endif()
    # The claims in cpython/ show asyncpg at work, on the server: they run with the Python that
    # has asyncpg. Each says "skipped: ..." and exits with 77 when that Python has no asyncpg or
    # no server answers (asyncpg_claim.py; with AIO_PG_REQUIRED set, a missing server fails it),
    # and CTest reports that as skipped.
    if(test STREQUAL "l19.cpython")
      set_tests_properties(${test} PROPERTIES
        SKIP_REGULAR_EXPRESSION "skipped: (asyncpg is not installed|no PostgreSQL server answers)")
      if(AIO_ASYNCPG_PYTHON)
        set_tests_properties(${test} PROPERTIES ENVIRONMENT "AIO_CLAIMS_PYTHON=${AIO_ASYNCPG_PYTHON}")
      endif()
    endif()
  endforeach()
endfunction()
cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL _aio_postgresql_lesson)
