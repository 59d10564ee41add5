# Benchmark smoke tests (label `bench`): each roost-bench scenario, the floor and the
# Socket.IO peer run for a few seconds at a tiny scale against a fresh server on a free
# loopback port, and the JSON is checked (bench/scripts/smoke.sh). They keep the benchmark
# tooling from rotting; `make bench` does the measuring.
if(NOT TARGET roost-bench OR NOT TARGET roost-floor OR NOT TARGET room)
  return()
endif()

# Unit tests of roost-bench's protocol layer and soak arithmetic (tests/unit/bench/, mirroring bench/src/).
file(GLOB bench_unit_srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/unit/bench/*_test.cpp)
add_executable(unit_bench ${bench_unit_srcs}
  ${PROJECT_SOURCE_DIR}/bench/src/wire_protocol.cpp ${PROJECT_SOURCE_DIR}/bench/src/phoenix_wire.cpp
  ${PROJECT_SOURCE_DIR}/bench/src/socketio_wire.cpp ${PROJECT_SOURCE_DIR}/bench/src/phx_frames.cpp
  ${PROJECT_SOURCE_DIR}/bench/src/ws_client.cpp ${PROJECT_SOURCE_DIR}/bench/src/soak_stats.cpp)
target_include_directories(unit_bench PRIVATE ${PROJECT_SOURCE_DIR}/bench/src)
target_link_libraries(unit_bench PRIVATE roost_websocket Boost::headers roost_warnings GTest::gtest_main)
target_compile_definitions(unit_bench PRIVATE BOOST_ASIO_NO_DEPRECATED)
gtest_discover_tests(unit_bench TEST_PREFIX "unit.bench." DISCOVERY_TIMEOUT 60)

find_program(ROOST_JQ jq)
if(NOT ROOST_JQ)
  message(WARNING "bench: jq not found, benchmark smoke tests not registered (scripts/setup installs it)")
  return()
endif()
set(bench_smoke_scenarios connections fanout rooms presence-storm floor soak)
find_program(ROOST_NODE node)
if(ROOST_NODE)
  list(APPEND bench_smoke_scenarios socketio)
  if(NOT EXISTS ${PROJECT_SOURCE_DIR}/bench/peers/socketio/node_modules/socket.io/package.json)
    message(WARNING "bench: run `npm ci` in bench/peers/socketio (scripts/setup does) before ctest")
  endif()
endif()
# Cluster fan-out: three `room` nodes over a redis-server of their own, once the fixture has a
# cluster mode.
find_program(ROOST_REDIS_SERVER redis-server)
file(READ ${PROJECT_SOURCE_DIR}/examples/room/main.cpp room_main)
if(ROOST_REDIS_SERVER AND room_main MATCHES "\"--redis\"")
  list(APPEND bench_smoke_scenarios cluster)
endif()
foreach(scenario IN LISTS bench_smoke_scenarios)
  add_test(NAME bench.${scenario}
    COMMAND ${PROJECT_SOURCE_DIR}/bench/scripts/smoke.sh ${scenario} ${PROJECT_BINARY_DIR}/bin)
  set_tests_properties(bench.${scenario} PROPERTIES TIMEOUT 120 LABELS bench)
endforeach()
