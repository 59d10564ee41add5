# Third-party libraries, all from Debian 12 packages (see scripts/setup).
# Boost must be the 1.81 split packages: the default libboost-dev is 1.74.
find_package(Boost 1.81 REQUIRED COMPONENTS json url)
find_package(simdjson REQUIRED)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(Threads REQUIRED)
