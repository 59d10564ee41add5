# Pair's collaborative-editing test tools and the tutorial check:
# - pair_collab_apply (build/bin): the C++ ChangeSet decoder and apply_changes() on
#   cases from stdin, which tests/pair/collab_apply.test.mjs compares with
#   @codemirror/state (that test is registered by tests/pair.cmake);
# - pair.typists_smoke: a 2-second run of bench/pair/typists.mjs (4 typists), so the
#   latency benchmark cannot rot; the measurement itself is not part of the tests;
# - pair.tutorial: every code block of docs/tutorial.md must equal the region of the
#   source it names, so the tutorial cannot drift from the code.
if(NOT TARGET pair_core)
  return()
endif()
add_executable(pair_collab_apply ${CMAKE_CURRENT_SOURCE_DIR}/pair/tools/collab_apply.cpp)
target_link_libraries(pair_collab_apply PRIVATE pair_core roost_warnings)

find_program(ROOST_NODE node)
if(ROOST_NODE AND TARGET pair)
  add_test(NAME pair.typists_smoke
    COMMAND ${ROOST_NODE} ${PROJECT_SOURCE_DIR}/bench/pair/typists.mjs --typists 4 --seconds 2
    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/pair)
  set_tests_properties(pair.typists_smoke PROPERTIES
    ENVIRONMENT "ROOST_BIN=${PROJECT_BINARY_DIR}/bin" TIMEOUT 120 LABELS pair)
endif()
if(ROOST_NODE AND EXISTS ${PROJECT_SOURCE_DIR}/docs/tutorial.md)
  add_test(NAME pair.tutorial
    COMMAND ${ROOST_NODE} ${CMAKE_CURRENT_SOURCE_DIR}/pair/tools/check_tutorial.mjs
            ${PROJECT_SOURCE_DIR}/docs/tutorial.md ${PROJECT_SOURCE_DIR})
  set_tests_properties(pair.tutorial PROPERTIES TIMEOUT 30 LABELS pair)
endif()
