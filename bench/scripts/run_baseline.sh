#!/usr/bin/env bash
# Runs the baseline measurements of bench/README.md against fresh Release `room` servers and
# appends the JSON lines to bench/results/. Waits for an idle machine before each run (the
# generator and the server share the cores; a concurrent build would spoil the figures).
#
#   bench/scripts/run_baseline.sh [build-dir] [connections|fanout|all]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-bench}
what=${2:-all}
port=${PORT:-4300}
sources=127.0.0.1-127.0.0.20
sweep=${SWEEP:-50,100,200,400,800}
out=$root/bench/results
mkdir -p "$out"
bench=$build/bin/roost-bench

wait_idle() {  # up to 10 minutes for >= 90% idle CPU over 2 s
  for _ in $(seq 1 120); do
    idle=$(vmstat 2 2 | tail -1 | awk '{print $15}')
    [ "$idle" -ge 90 ] && return 0
    sleep 3
  done
  echo "machine never became idle; measuring anyway" >&2
}

start_room() {
  ulimit -n 20000
  "$build/bin/room" --port "$port" --log-level warn > "$out/room.log" 2>&1 &
  room_pid=$!
  sleep 1
}

stop_room() { kill "$room_pid"; wait "$room_pid" 2>/dev/null || true; }

if [ "$what" = all ] || [ "$what" = connections ]; then
  for n in 5000 10000 5000 10000; do
    wait_idle; start_room
    "$bench" connections --host 127.0.0.1 --port "$port" --path /socket/websocket --connections "$n" \
      --topic room:idle --server-pid "$room_pid" --processes 2 --sources "$sources" | tee -a "$out/connections.jsonl"
    stop_room
  done
fi
if [ "$what" = all ] || [ "$what" = fanout ]; then
  wait_idle; start_room
  "$bench" fanout --host 127.0.0.1 --port "$port" --subscribers 2000 --topic room:fan \
    --sweep "$sweep" --duration 10 --server-pid "$room_pid" --processes 2 \
    --sources "$sources" | tee -a "$out/fanout-2000.jsonl"
  stop_room
fi
