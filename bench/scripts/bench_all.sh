#!/usr/bin/env bash
# The standard benchmark set (what `make bench` runs), about 12 minutes on 2 cores: installs
# what is missing (scripts/setup), builds the Release preset's servers and tools, then runs
# each measurement against a fresh server on a free port (so no run inherits another's
# connections, heap or presence state):
#   connections     15,000 idle joined sockets: Roost, and the Socket.IO peer
#   fanout          2,000 subscribers, rates swept until saturation: Roost, the floor (one write
#                   per socket per message, and batched), the Socket.IO peer, and Roost as a
#                   3-node cluster over Redis (when the fixture has the cluster mode)
#   rooms           rooms of 10 at 1,000 / 2,000 / 5,000 / 10,000 clients: Roost and Socket.IO
#   presence-storm  2,000 clients join one presence topic at once: Roost
# Results: bench/results/<date>-<scenario>-<server>.json (roost-bench's JSON lines), then
# bench/scripts/summarize.sh writes <date>-summary.md (tables, ratios, targets) and the plots
# <date>-fanout-latency.png and <date>-rooms-latency.png.
# The server and the generator share the machine: read bench/README.md ("Caveat") before
# comparing figures, and discard a row whose `other` column is well above zero.
#
#   bench/scripts/bench_all.sh            the standard set
#   BENCH_QUICK=1 bench/scripts/bench_all.sh   a small, fast version of the same (a few minutes)
#   BENCH_BIN=DIR      use the room, roost-bench and roost-floor in DIR; no setup, no build
#   BENCH_OUT=DIR      write the results there instead of bench/results
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
# shellcheck source=servers.sh
. bench/scripts/servers.sh
out=${BENCH_OUT:-$root/bench/results}
day=$(date +%F)
sources=127.0.0.1-127.0.0.20
mkdir -p "$out"

if [ -n "${BENCH_BIN:-}" ]; then
  bin=$BENCH_BIN
else
  bin=$root/build-release/bin
  scripts/setup
  cmake --preset release
  cmake --build --preset release -j2 --target room roost-bench roost-floor
fi

if [ -n "${BENCH_QUICK:-}" ]; then
  conns=2000 subs=500 sweep=10,100,400,1600 duration=3 room_sizes="500 1000" storm=500
else
  conns=15000 subs=2000 sweep=10,100,200,400,800,1600,3200,6400 duration=5 room_sizes="1000 2000 5000 10000" storm=2000
fi

trap 'stop_server; stop_cluster' EXIT
failed=()
# run NAME KIND ARGS...: a fresh KIND server, roost-bench ARGS against it; the JSON lines are
# appended to $out/$day-NAME.json. A run that exits non-zero is recorded and the set goes on
# (its JSON, if any, is kept).
run() {
  local name=$1 kind=$2
  shift 2
  echo "== $name ($*)" >&2
  if ! start_server "$kind" "$bin" "$out/$day-$name-server.log"; then
    failed+=("$name")
    return 0
  fi
  if "$bin/roost-bench" "$@" --host 127.0.0.1 --port "$server_port" --server-pid "$server_pid" --processes 2 \
      --sources "$sources" >> "$out/$day-$name.json"; then
    stop_server
    rm -f "$out/$day-$name-server.log"
  else
    failed+=("$name")  # the server's log stays beside the results
    stop_server
  fi
}

rm -f "$out/$day"-*.json

run connections-roost roost connections --connections "$conns" --topic room:idle
run connections-socketio socketio connections --protocol socketio --connections "$conns" --topic room:idle

fanout=(fanout --subscribers "$subs" --topic room:fan --sweep "$sweep" --duration "$duration" --saturation-p99-ms 500)
run fanout-roost roost "${fanout[@]}"
run fanout-floor floor "${fanout[@]}"
run fanout-floor-batched floor-batched "${fanout[@]}"
run fanout-socketio socketio "${fanout[@]}" --protocol socketio

# Cluster fan-out: the same subscribers spread over three nodes that share a redis-server, the
# publisher on the first; the server CPU is that of the three nodes and Redis together.
if has_cluster "$bin"; then
  echo "== fanout-cluster (${fanout[*]})" >&2
  if start_cluster "$bin" "$out/$day-cluster" 3; then
    if "$bin/roost-bench" "${fanout[@]}" --host 127.0.0.1 --port "$cluster_ports" --server-pid "$cluster_pids" \
        --processes 2 --sources "$sources" >> "$out/$day-fanout-cluster.json"; then
      stop_cluster
      rm -rf "$out/$day-cluster"
    else
      failed+=(fanout-cluster)  # its node and Redis logs stay in $out/$day-cluster
      stop_cluster
    fi
  else
    failed+=(fanout-cluster)
  fi
else
  echo "== fanout-cluster skipped: this room has no --redis cluster mode, or redis-server is missing" >&2
fi

for n in $room_sizes; do
  run rooms-roost roost rooms --clients "$n" --room-size 10 --duration 8
  run rooms-socketio socketio rooms --protocol socketio --clients "$n" --room-size 10 --duration 8
done

run presence-storm roost presence-storm --clients "$storm" --topic presence:storm

bench/scripts/summarize.sh "$out" "$day" "${failed[*]:-}"
[ ${#failed[@]} -eq 0 ]
