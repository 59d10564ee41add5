# `cmake --install` gives the headers, the layer libraries and a CMake package,
# so another project can `find_package(Roost)` and link `Roost::roost`.
include(CMakePackageConfigHelpers)
set(ROOST_LAYERS core proto websocket net transport pubsub channels server)
set(_targets roost)
foreach(layer IN LISTS ROOST_LAYERS)
  list(APPEND _targets roost_${layer})
endforeach()
install(TARGETS ${_targets} EXPORT RoostTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/src/roost DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")
install(EXPORT RoostTargets NAMESPACE Roost:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Roost)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/RoostConfig.cmake.in
  ${PROJECT_BINARY_DIR}/RoostConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Roost)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/RoostConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/RoostConfig.cmake ${PROJECT_BINARY_DIR}/RoostConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Roost)
