# aio_lesson(<NN-topic>): the targets and tests of one lesson, by convention.
#
#   lessons/NN-topic/test_*.cpp    -> test program test_lNN; one CTest test per tag pair found in
#                                     it: [lNN][exK] becomes the test lNN.exK (label `exercise`),
#                                     and any other [lNN][name], such as [l10][stress], lNN.name
#   lessons/NN-topic/demo*.cpp     -> program lNN_demo* (bin/ of the build folder)
#   lessons/NN-topic/mirror*.py    -> test lNN.mirror*: the demo and its asyncio mirror print the
#                                     same lines (tools/compare_output.py)
#   lessons/NN-topic/cpython/*.py  -> test lNN.cpython: each claim the lesson makes about CPython
#                                     prints what it says it prints (tools/check_cpython.py)
#
# On the exercises track the lesson's own folder comes first on the include path, so its stubs
# shadow the finished headers of the same name; every other header comes from solutions/. The
# learner's code is built with the standard library's bounds checks there (aio_learner_checks).
function(aio_lesson lesson)
  set(dir ${PROJECT_SOURCE_DIR}/lessons/${lesson})
  aio_lesson_available(${lesson} available)
  if(NOT available)
    return()  # AioDependencies.cmake said which library is missing
  endif()
  string(SUBSTRING ${lesson} 0 2 nn)
  set(tag l${nn})

  file(GLOB tests CONFIGURE_DEPENDS ${dir}/test_*.cpp)
  file(GLOB demos CONFIGURE_DEPENDS ${dir}/demo*.cpp)

  if(tests)
    set(exe test_${tag})
    add_executable(${exe} ${tests})
    _aio_lesson_target(${exe} ${dir})
    target_link_libraries(${exe} PRIVATE aio_test_framework)

    # One CTest test per exercise, so that the test list reads as the lesson's exercise list.
    set(pairs "")
    foreach(file IN LISTS tests)
      file(STRINGS ${file} lines REGEX "\\[${tag}\\]\\[[a-z_]+[0-9]*\\]")
      foreach(line IN LISTS lines)
        string(REGEX MATCHALL "\\[${tag}\\]\\[[a-z_]+[0-9]*\\]" found "${line}")
        list(APPEND pairs ${found})
      endforeach()
    endforeach()
    list(REMOVE_DUPLICATES pairs)
    list(SORT pairs COMPARE NATURAL)
    if(NOT pairs MATCHES "\\[ex[0-9]+\\]")
      message(FATAL_ERROR "${lesson}: no test is tagged [${tag}][exK]")
    endif()
    foreach(pair IN LISTS pairs)
      string(REGEX REPLACE "^\\[${tag}\\]\\[([a-z_]+[0-9]*)\\]$" "\\1" name "${pair}")
      set(labels ${tag})
      set(timeout ${AIO_TEST_TIMEOUT})
      if(name MATCHES "^ex[0-9]+$")
        list(APPEND labels exercise)
        set(timeout ${AIO_EXERCISE_TIMEOUT})
      endif()
      # The watchdog (support/watchdog.cpp) names a hanging test case before CTest kills it.
      math(EXPR watchdog "${timeout} * 2 / 3")
      add_test(NAME ${tag}.${name} COMMAND ${exe} "${pair}")
      set_tests_properties(${tag}.${name} PROPERTIES LABELS "${labels}" TIMEOUT ${timeout}
        ENVIRONMENT "AIO_TEST_NAME=${tag}.${name};AIO_TEST_WATCHDOG=${watchdog}")
    endforeach()
  endif()

  file(GLOB claims CONFIGURE_DEPENDS ${dir}/cpython/*.py)
  if(claims)
    if(Python3_FOUND)
      add_test(NAME ${tag}.cpython
        COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tools/check_cpython.py ${claims})
    else()
      add_test(NAME ${tag}.cpython COMMAND sh -c "echo 'skipped: no Python 3.11 to run cpython/*.py'; exit 77")
    endif()
    # One CPython start per claim, a dozen claims in some lessons: the mirrors' allowance.
    math(EXPR claims_timeout "3 * ${AIO_TEST_TIMEOUT}")
    set_tests_properties(${tag}.cpython PROPERTIES
      LABELS "${tag};cpython" TIMEOUT ${claims_timeout} SKIP_RETURN_CODE 77)
  endif()

  foreach(demo IN LISTS demos)
    get_filename_component(stem ${demo} NAME_WE)       # demo, demo_factorial, ...
    set(exe ${tag}_${stem})
    add_executable(${exe} ${demo})
    _aio_lesson_target(${exe} ${dir})

    string(REPLACE "demo" "mirror" mirror_stem ${stem})
    set(mirror ${dir}/${mirror_stem}.py)
    if(EXISTS ${mirror})
      set(test ${tag}.${mirror_stem})
      if(Python3_FOUND)
        add_test(NAME ${test}
          COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tools/compare_output.py
                  $<TARGET_FILE:${exe}> ${mirror})
      else()
        add_test(NAME ${test} COMMAND sh -c "echo 'skipped: no Python 3.11 to run ${mirror_stem}.py'; exit 77")
      endif()
      # A mirror runs CPython as well as the demo, and lesson 01's builds ten million numbers under
      # tracemalloc (about 20 s on a quiet machine): allow it three times the usual time.
      math(EXPR mirror_timeout "3 * ${AIO_TEST_TIMEOUT}")
      set_tests_properties(${test} PROPERTIES
        LABELS "${tag};mirror" TIMEOUT ${mirror_timeout} SKIP_RETURN_CODE 77)
    endif()
  endforeach()
endfunction()

function(_aio_lesson_target target lesson_dir)
  if(AIO_TRACK STREQUAL "exercises")
    target_include_directories(${target} BEFORE PRIVATE ${lesson_dir})
    target_link_libraries(${target} PRIVATE aio_learner_checks)
  endif()
  target_link_libraries(${target} PRIVATE aio aio_warnings)
  get_filename_component(lesson_name ${lesson_dir} NAME)
  aio_link_lesson_dependencies(${target} ${lesson_name})
  # Tasks, and with them cancel()'s bodies, exist from lesson 04 on (see aio_cancellation).
  get_filename_component(lesson ${lesson_dir} NAME)
  if(NOT lesson MATCHES "^0[0-3]-")
    target_link_libraries(${target} PRIVATE aio_cancellation)
  endif()
endfunction()
