# Conformance suite: the official phoenix JS client and raw frames against the
# fixture app (examples/room). One ctest entry per tests/conformance/*.test.mjs.
# Needs Node >= 20 and `npm ci` in tests/conformance (see its README.md).
find_program(ROOST_NODE node)
if(NOT ROOST_NODE)
  message(STATUS "conformance: node not found, conformance tests not registered")
  return()
endif()
if(NOT EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/conformance/node_modules/phoenix/package.json)
  message(WARNING "conformance: run `npm ci` in ${CMAKE_CURRENT_SOURCE_DIR}/conformance before ctest")
endif()

file(GLOB conformance_files CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/conformance/*.test.mjs)
foreach(file IN LISTS conformance_files)
  get_filename_component(name ${file} NAME)
  string(REGEX REPLACE "\\.test\\.mjs$" "" name ${name})
  add_test(NAME conformance.${name}
    COMMAND ${ROOST_NODE} --test --test-reporter=spec ${file}
    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/conformance)
  set_tests_properties(conformance.${name} PROPERTIES
    ENVIRONMENT "ROOST_BIN=${PROJECT_BINARY_DIR}/bin"
    TIMEOUT 300
    LABELS conformance)
endforeach()
