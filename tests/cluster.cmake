# Cluster suite: several examples/room nodes and a real redis-server on loopback, driven
# by the official phoenix client (tests/cluster, harness in cluster_harness.mjs). One
# ctest entry per tests/cluster/*.test.mjs. Needs node, redis-server and the npm
# packages of tests/conformance (`npm ci` there).
find_program(ROOST_NODE node)
find_program(ROOST_REDIS_SERVER redis-server)
if(NOT ROOST_NODE OR NOT ROOST_REDIS_SERVER)
  message(STATUS "cluster: node or redis-server not found, cluster tests not registered")
  return()
endif()

file(GLOB cluster_files CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/cluster/*.test.mjs)
foreach(file IN LISTS cluster_files)
  get_filename_component(name ${file} NAME)
  string(REGEX REPLACE "\\.test\\.mjs$" "" name ${name})
  add_test(NAME cluster.${name}
    COMMAND ${ROOST_NODE} --test --test-reporter=spec ${file}
    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/cluster)
  set_tests_properties(cluster.${name} PROPERTIES
    ENVIRONMENT "ROOST_BIN=${PROJECT_BINARY_DIR}/bin"
    TIMEOUT 300
    LABELS cluster)
endforeach()
