# unit_pair: Pair's GoogleTest unit tests, mirroring apps/pair/<folder> as
# tests/unit/pair/<folder>/*_test.cpp. Every .cpp there (tests and their helpers)
# is built in, so a new test file needs no edit here. Store tests start their own
# PostgreSQL, so they need the postgresql package (scripts/setup installs it).
if(NOT TARGET pair_core)
  return()
endif()
file(GLOB_RECURSE pair_unit_srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/unit/pair/*.cpp)
if(NOT pair_unit_srcs)
  return()
endif()
add_executable(unit_pair ${pair_unit_srcs})
target_link_libraries(unit_pair PRIVATE pair_core roost_warnings GTest::gtest_main GTest::gmock)
target_include_directories(unit_pair PRIVATE ${CMAKE_CURRENT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR}/unit/pair)
gtest_discover_tests(unit_pair TEST_PREFIX "unit.pair." DISCOVERY_TIMEOUT 60 PROPERTIES LABELS pair)
