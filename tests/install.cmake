# install.consumer: installs this build into a prefix under the build tree, then
# builds and runs tests/install/consumer against it through find_package(Roost),
# as an outside project would. ctest runs after the build, so the libraries exist.
# The consumer gets this build's compiler and flags: a sanitizer build installs
# instrumented libraries, which only link into an instrumented program.
add_test(NAME install.consumer
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/install/run_consumer.sh
    ${CMAKE_COMMAND} ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR} ${PROJECT_BINARY_DIR}/install-test
    -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE}
    -DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER}
    "-DCMAKE_CXX_FLAGS=${CMAKE_CXX_FLAGS}"
    "-DCMAKE_EXE_LINKER_FLAGS=${CMAKE_EXE_LINKER_FLAGS}")
set_tests_properties(install.consumer PROPERTIES TIMEOUT 600 LABELS install)
