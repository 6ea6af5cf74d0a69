# Writes the engine's version stamp (engine/src/core/version.cpp.in -> OUT) with the git
# commit of the source tree at *build* time, so that a result file never carries the
# commit of an earlier configure. configure_file rewrites OUT only when it changes, so an
# unchanged commit triggers no rebuild.
# Inputs: SRC_DIR, TEMPLATE, OUT, PROJECT_VERSION, CMAKE_CXX_COMPILER_ID,
# CMAKE_CXX_COMPILER_VERSION, TRIBE_BUILD_FLAGS.
execute_process(COMMAND git rev-parse HEAD WORKING_DIRECTORY "${SRC_DIR}"
                OUTPUT_VARIABLE TRIBE_GIT_SHA1 OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET
                RESULT_VARIABLE rc)
execute_process(COMMAND git status --porcelain --untracked-files=no WORKING_DIRECTORY "${SRC_DIR}"
                OUTPUT_VARIABLE dirty OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT rc EQUAL 0 OR NOT TRIBE_GIT_SHA1)
  set(TRIBE_GIT_SHA1 "unknown")
elseif(dirty)
  string(APPEND TRIBE_GIT_SHA1 "-dirty")
endif()
configure_file("${TEMPLATE}" "${OUT}" @ONLY)
