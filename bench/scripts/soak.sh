#!/usr/bin/env bash
# The full soak (`make soak`): 10,000 connections in rooms of 10 for 10 minutes with steady
# traffic and churn against a fresh Release `room` server (ulimit -n 20000), then the verdict:
# no error, the RSS slope after the warm-up, descriptors back to their baseline
# (bench/README.md, "soak"). About 11 minutes; appends roost-bench's JSON line to
# bench/results/<date>-soak.json and exits non-zero when the soak failed.
#
#   bench/scripts/soak.sh
#   SOAK_CONNECTIONS=N SOAK_DURATION=S SOAK_WARMUP=S   override the size (defaults 10000, 600, 60)
#   BENCH_BIN=DIR      use the room and roost-bench in DIR; no build
#   BENCH_OUT=DIR      write the result there instead of bench/results
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
# shellcheck source=servers.sh
. bench/scripts/servers.sh
out=${BENCH_OUT:-$root/bench/results}
mkdir -p "$out"
if [ -n "${BENCH_BIN:-}" ]; then
  bin=$BENCH_BIN
else
  bin=$root/build-release/bin
  cmake --preset release
  cmake --build --preset release -j2 --target room roost-bench
fi
log=$(mktemp)
trap 'stop_server; rm -f "$log"' EXIT
start_server roost "$bin" "$log"
status=0
"$bin/roost-bench" soak --host 127.0.0.1 --port "$server_port" --server-pid "$server_pid" \
  --connections "${SOAK_CONNECTIONS:-10000}" --room-size 10 --duration "${SOAK_DURATION:-600}" \
  --warmup "${SOAK_WARMUP:-60}" --processes 2 --sources 127.0.0.1-127.0.0.20 \
  >> "$out/$(date +%F)-soak.json" || status=$?
exit "$status"
