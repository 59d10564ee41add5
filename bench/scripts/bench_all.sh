#!/usr/bin/env bash
# The standard benchmark set (what `make bench` runs), about 3 minutes: builds the Release
# preset, then runs each scenario against a fresh `room` server (so no scenario inherits
# another's connections, heap or presence state), and writes
#   bench/results/<date>-<scenario>.json   the scenario's JSON line(s), as roost-bench printed them
#   bench/results/<date>-summary.md        one table row per measurement with the headline figures
# The server and the generator share the machine: read bench/README.md ("Caveat") before
# comparing figures, and discard a row whose `other` column is well above zero.
#
#   bench/scripts/bench_all.sh          (PORT=4300 by default)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
port=${PORT:-4300}
sources=127.0.0.1-127.0.0.20
out=$root/bench/results
day=$(date +%F)
build=$root/build-release
bench=$build/bin/roost-bench
mkdir -p "$out"

cmake --preset release
cmake --build --preset release -j2

room_pid=
start_room() {
  # A subshell, so the raised limit applies to the server only.
  (ulimit -n 20000 && exec "$build/bin/room" --port "$port" --log-level warn "$@") > "$out/room.log" 2>&1 &
  room_pid=$!
  sleep 1
  kill -0 "$room_pid" 2>/dev/null || { echo "room did not start (see $out/room.log)" >&2; exit 1; }
}
stop_room() {
  [ -n "$room_pid" ] || return 0
  kill "$room_pid" 2>/dev/null || true
  wait "$room_pid" 2>/dev/null || true
  room_pid=
}
trap stop_room EXIT

failed=()
# run <scenario> <roost-bench args...>: fresh server, one scenario, JSON into its file. A
# scenario that exits non-zero is recorded and the set goes on (its JSON, if any, is kept).
run() {
  local name=$1
  shift
  echo "== $name" >&2
  start_room
  if ! "$bench" "$@" --host 127.0.0.1 --port "$port" --server-pid "$room_pid" --processes 2 \
      --sources "$sources" > "$out/$day-$name.json"; then
    failed+=("$name")
  fi
  stop_room
}

run connections connections --connections 5000 --topic room:idle
run fanout fanout --subscribers 2000 --topic room:fan --sweep 50,200,800 --duration 5
run rooms rooms --clients 2000 --room-size 10 --duration 10
run presence-storm presence-storm --clients 1000 --topic presence:storm

summary=$out/$day-summary.md
{
  echo "# Benchmarks $day"
  echo
  echo "Release build, \`room\` fixture, \`roost-bench --processes 2 --sources $sources\`, a fresh server per"
  echo "scenario, $(nproc) cores shared by server and generator. Figures per scenario are in"
  echo "\`$day-<scenario>.json\`; fields are described in bench/README.md."
  echo
  echo "| scenario | load | throughput | latency p50 / p99 / max (ms) | server CPU | client cores | other cores | errors |"
  echo "|---|---|---|---|---|---|---|---|"
  jq -r '"| connections | \(.connections) conns | \(.joins_per_second | floor) joins/s | – | \(.rss_per_connection_bytes | floor) B RSS/conn | – | – | \(.error_total) |"' \
    "$out/$day-connections.json" || true
  jq -r '"| fanout \(.rate_target)/s | \(.subscribers_live) subs × \(.rate_achieved | .*10|round/10)/s | \(.deliveries_per_s | floor) deliveries/s (\(.received_deliveries)/\(.expected_deliveries)) | \(.latency_ms.p50*100|round/100) / \(.latency_ms.p99*100|round/100) / \(.latency_ms.max*100|round/100) | \(.server_cpu_us_per_delivery*100|round/100) µs/delivery, \(.server_cores_busy*100|round/100) cores | \(.client_cores_busy*100|round/100) | \(.other_cores_busy*100|round/100) | \([.errors[]] | add) |"' \
    "$out/$day-fanout.json" || true
  jq -r '"| rooms | \(.clients_joined) clients in \(.rooms) rooms, \(.send_rate|floor) shouts/s | \(.deliveries_per_s | floor) deliveries/s (\(.received_deliveries)/\(.expected_deliveries)) | \(.latency_ms.p50*100|round/100) / \(.latency_ms.p99*100|round/100) / \(.latency_ms.max*100|round/100) | \(.server_cpu_us_per_delivery*100|round/100) µs/delivery, \(.server_cores_busy*100|round/100) cores | \(.client_cores_busy*100|round/100) | \(.other_cores_busy*100|round/100) | \([.errors[]] | add) |"' \
    "$out/$day-rooms.json" || true
  jq -r '"| presence-storm | \(.clients) clients join at once | all complete at \(.all_complete_s // "never") s (last join reply \(.last_join_reply_s*1000|round/1000) s) | client complete p50 / p99 / max \(.client_complete_s.p50) / \(.client_complete_s.p99) / \(.client_complete_s.max) s | \(.server_cpu_s) s, peak RSS \(.server_rss_peak_kb) kB | \(.client_cpu_s) s | \(.other_cores_busy*100|round/100) | views consistent: \(.checks.views_consistent) |"' \
    "$out/$day-presence-storm.json" || true
  if [ ${#failed[@]} -gt 0 ]; then
    echo
    echo "Exited non-zero: ${failed[*]}"
  fi
} > "$summary"
cat "$summary"
[ ${#failed[@]} -eq 0 ]
