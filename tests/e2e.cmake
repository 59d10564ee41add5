# Pair in a real browser: Debian's headless Chromium driven by playwright-core against
# build/bin/pair (tests/e2e/*.test.mjs, one ctest entry each, label e2e). Screenshots
# go to <build>/test-artifacts/e2e. `npm ci` in tests/e2e and tests/pair comes from
# scripts/setup; the page itself is the pair_web target, built with `pair`.
find_program(ROOST_NODE node)
if(NOT ROOST_NODE OR NOT TARGET pair)
  return()
endif()

file(GLOB e2e_test_files CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/e2e/*.test.mjs)
foreach(file IN LISTS e2e_test_files)
  get_filename_component(name ${file} NAME)
  string(REGEX REPLACE "\\.test\\.mjs$" "" name ${name})
  add_test(NAME e2e.${name}
    COMMAND ${ROOST_NODE} --test --test-reporter=spec ${file}
    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/e2e)
  set_tests_properties(e2e.${name} PROPERTIES
    ENVIRONMENT "ROOST_BIN=${PROJECT_BINARY_DIR}/bin;PAIR_E2E_ARTIFACTS=${PROJECT_BINARY_DIR}/test-artifacts/e2e;CHROMIUM=/usr/bin/chromium"
    TIMEOUT 300
    LABELS e2e)
endforeach()
