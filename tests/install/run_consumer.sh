#!/usr/bin/env bash
# Installs a Roost build tree into a fresh prefix, then configures, builds and runs
# tests/install/consumer against that prefix alone, as an outside project would.
# It also fails when the installed CMake package mentions the source or build tree,
# which would mean the package only works on the machine that built it.
# Driven by the ctest test install.consumer (tests/install.cmake).
#
#   run_consumer.sh <cmake> <source dir> <build dir> <work dir> [consumer cmake args...]
set -euo pipefail

cmake=$1 source_dir=$2 build_dir=$3 work=$4
shift 4
prefix=$work/prefix
consumer_build=$work/consumer-build

rm -rf "$work"
mkdir -p "$work"

"$cmake" --install "$build_dir" --prefix "$prefix"

if grep -rlF --include='*.cmake' -e "$source_dir/" -e "$build_dir/" "$prefix"; then
  echo "install.consumer: the installed package refers to the source or build tree (files above)" >&2
  exit 1
fi

"$cmake" -S "$source_dir/tests/install/consumer" -B "$consumer_build" \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON "$@"
"$cmake" --build "$consumer_build" -j2
"$consumer_build/consumer"
