# Third-party libraries, all from Debian 12 packages (see scripts/setup).
# Boost must be the 1.81 split packages: the default libboost-dev is 1.74.
find_package(Boost 1.81 REQUIRED COMPONENTS json url)
find_package(simdjson REQUIRED)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(Threads REQUIRED)
# hiredis 0.14 (RESP codec of the cluster layer): its CMake package has no target, so
# pkg-config. The prefix `hiredis` keeps clear of the HIREDIS_* variables the CMake
# package would write.
find_package(PkgConfig REQUIRED)
pkg_check_modules(hiredis REQUIRED IMPORTED_TARGET GLOBAL hiredis)
