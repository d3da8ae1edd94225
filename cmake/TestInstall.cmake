# Installs the build into a temporary prefix and checks the layout:
# cmake -DBUILD_DIR=<build> -DCLANG_TIDY=<clang-tidy> -DBINDIR=bin -DLIBDIR=lib
#       -DDOCDIR=share/doc/threadlint -P TestInstall.cmake
set(PREFIX "${BUILD_DIR}/install-test")
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${PREFIX}"
  RESULT_VARIABLE RC OUTPUT_QUIET)
if(NOT RC EQUAL 0)
  message(FATAL_ERROR "cmake --install failed: ${RC}")
endif()
set(DRIVER "${PREFIX}/${BINDIR}/threadlint")
set(PLUGIN "${PREFIX}/${LIBDIR}/libthreadlint.so")
foreach(F "${DRIVER}" "${PLUGIN}"
          "${PREFIX}/${DOCDIR}/README.md"
          "${PREFIX}/${DOCDIR}/user-guide.md"
          "${PREFIX}/${DOCDIR}/rules/unjoined-thread.md")
  if(NOT EXISTS "${F}")
    message(FATAL_ERROR "not installed: ${F}")
  endif()
endforeach()
execute_process(COMMAND "${DRIVER}" --version RESULT_VARIABLE RC
  OUTPUT_VARIABLE OUT)
if(NOT RC EQUAL 0 OR NOT OUT MATCHES "threadlint")
  message(FATAL_ERROR "the installed driver does not run: ${RC} ${OUT}")
endif()
execute_process(COMMAND "${CLANG_TIDY}" -load "${PLUGIN}" "-checks=-*,threadlint-*"
  -list-checks RESULT_VARIABLE RC OUTPUT_VARIABLE OUT)
if(NOT RC EQUAL 0 OR NOT OUT MATCHES "threadlint-unjoined-thread")
  message(FATAL_ERROR "the installed plugin does not load: ${RC} ${OUT}")
endif()
file(REMOVE_RECURSE "${PREFIX}")
message(STATUS "installed layout ok")
