# Pair's integration tests: its HTTP API, the challenge channel and collaborative
# editing, driven by the real phoenix client and @codemirror/collab (Node) against
# build/bin/pair with real SQLite and PostgreSQL. One ctest entry per
# tests/pair/*.test.mjs; `npm ci` in tests/pair comes from scripts/setup.
find_program(ROOST_NODE node)
if(NOT ROOST_NODE OR NOT TARGET pair)
  return()
endif()

file(GLOB pair_test_files CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/pair/*.test.mjs)
foreach(file IN LISTS pair_test_files)
  get_filename_component(name ${file} NAME)
  string(REGEX REPLACE "\\.test\\.mjs$" "" name ${name})
  add_test(NAME pair.${name}
    COMMAND ${ROOST_NODE} --test --test-reporter=spec ${file}
    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/pair)
  set_tests_properties(pair.${name} PROPERTIES
    ENVIRONMENT "ROOST_BIN=${PROJECT_BINARY_DIR}/bin"
    TIMEOUT 300
    LABELS pair)
endforeach()
