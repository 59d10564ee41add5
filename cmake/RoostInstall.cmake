# `cmake --install` gives the headers, the layer libraries and a CMake package,
# so another project can `find_package(Roost)` and link `Roost::roost`.
include(CMakePackageConfigHelpers)
# Every target src/roost defines (the roost_<layer> libraries and the roost bundle)
# is part of the package, so a new layer is installed without a change here.
get_directory_property(_targets DIRECTORY ${PROJECT_SOURCE_DIR}/src/roost BUILDSYSTEM_TARGETS)
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
