# threadlint.cmake: run threadlint's clang-tidy plugin next to every
# compilation, and add a target that reports the project-wide lock-order
# cycles afterwards. See docs/ci-and-ide.md, "CMake".
#
# Copy this file into your project and include it from the top-level
# CMakeLists.txt BEFORE the targets are defined (CMake copies
# CMAKE_<LANG>_CLANG_TIDY into each target when the target is created):
#
#   include(cmake/threadlint.cmake)
#   add_library(...) / add_executable(...)
#
# Configure with the plugin to switch it on (it is off without it):
#
#   cmake -S . -B build -G Ninja -DCMAKE_CXX_COMPILER=clang++-19 \
#     -DTHREADLINT_PLUGIN=/path/to/libthreadlint.so
#   cmake --build build                            # per-file findings in the build log
#   cmake --build build --target threadlint-merge  # cycles across files; fails on findings
#
# The merge target also writes build/threadlint.sarif. `cmake --build build
# --target clean` deletes the facts directory (facts of deleted or renamed
# files would otherwise stay and be merged).

set(THREADLINT_PLUGIN "" CACHE FILEPATH
  "Path to libthreadlint.so (empty: threadlint is off)")
set(THREADLINT_CLANG_TIDY "clang-tidy-19" CACHE STRING
  "The clang-tidy the plugin was built for")
set(THREADLINT_DRIVER "" CACHE FILEPATH
  "The threadlint driver, for the threadlint-merge target (empty: found in PATH)")
set(THREADLINT_CHECKS "-*,threadlint-*" CACHE STRING
  "clang-tidy -checks= globs")
# Separate the items of list options with ',', not ';' (a ';' would split
# the CMake list): threadlint-blocking-in-critical-section.BlockingFunctions: 'db::query, rpc::call'
set(THREADLINT_CHECK_OPTIONS "" CACHE STRING
  "More CheckOptions, as YAML 'key: value' pairs separated by ', '")
set(THREADLINT_HEADER_FILTER ".*" CACHE STRING
  "clang-tidy --header-filter= regex (empty: no findings in headers)")
option(THREADLINT_WARNINGS_AS_ERRORS "Fail the compilation of a file with findings" OFF)
set(THREADLINT_FAIL_ON "warning" CACHE STRING
  "--fail-on of the threadlint-merge target: error, warning, note or never")

if(THREADLINT_PLUGIN)
  set(THREADLINT_FACTS_DIR "${CMAKE_BINARY_DIR}/threadlint-facts")

  # -config replaces .clang-tidy files: other rule options go in
  # THREADLINT_CHECK_OPTIONS.
  set(_threadlint_options
    "threadlint-lock-order.FactsDir: '${THREADLINT_FACTS_DIR}'"
    "threadlint-lock-order.ReportInTranslationUnit: 'false'")
  if(THREADLINT_CHECK_OPTIONS)
    list(APPEND _threadlint_options "${THREADLINT_CHECK_OPTIONS}")
  endif()
  list(JOIN _threadlint_options ", " _threadlint_options)

  set(_threadlint_tidy
    "${THREADLINT_CLANG_TIDY}"
    "-load=${THREADLINT_PLUGIN}"
    "-checks=${THREADLINT_CHECKS}"
    "--config={CheckOptions: {${_threadlint_options}}}"
    "--quiet")
  if(THREADLINT_HEADER_FILTER)
    list(APPEND _threadlint_tidy "--header-filter=${THREADLINT_HEADER_FILTER}")
  endif()
  if(THREADLINT_WARNINGS_AS_ERRORS)
    list(APPEND _threadlint_tidy "--warnings-as-errors=threadlint-*")
  endif()
  set(CMAKE_CXX_CLANG_TIDY ${_threadlint_tidy})
  set(CMAKE_C_CLANG_TIDY ${_threadlint_tidy})

  if(NOT THREADLINT_DRIVER)
    find_program(THREADLINT_DRIVER_FOUND threadlint)
    set(_threadlint_driver "${THREADLINT_DRIVER_FOUND}")
  else()
    set(_threadlint_driver "${THREADLINT_DRIVER}")
  endif()
  if(_threadlint_driver)
    # Run after the build: facts are written while each file is compiled.
    add_custom_target(threadlint-merge
      COMMAND "${_threadlint_driver}" merge "${THREADLINT_FACTS_DIR}"
              "--source-root=${CMAKE_SOURCE_DIR}"
              "--sarif-output=${CMAKE_BINARY_DIR}/threadlint.sarif"
              "--fail-on=${THREADLINT_FAIL_ON}"
      WORKING_DIRECTORY "${CMAKE_SOURCE_DIR}"
      COMMENT "threadlint: lock-order cycles across files"
      VERBATIM)
  else()
    message(WARNING "threadlint: driver not found (set THREADLINT_DRIVER): "
      "no threadlint-merge target")
  endif()

  set_property(DIRECTORY "${CMAKE_SOURCE_DIR}" APPEND PROPERTY
    ADDITIONAL_CLEAN_FILES "${THREADLINT_FACTS_DIR}")
endif()
