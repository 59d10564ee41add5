# roost_warnings: an interface target every project target links to get the
# project-wide warning set (-Wall -Wextra -Werror).
add_library(roost_warnings INTERFACE)
target_compile_options(roost_warnings INTERFACE -Wall -Wextra -Wpedantic)
if(ROOST_WERROR)
  target_compile_options(roost_warnings INTERFACE -Werror)
endif()
# Asio's completion handlers trip this GCC 12 false positive in release builds.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(roost_warnings INTERFACE -Wno-maybe-uninitialized)
  # GCC 12 false positive on std::string concatenation at -O2 (GCC bug 105329).
  target_compile_options(roost_warnings INTERFACE -Wno-restrict)
endif()
