#!/usr/bin/env bash
# Role: the benchmark's smoke test (ctest label `bench`, tests/bench.cmake): one scenario at a
# tiny scale for a few seconds against a fresh server of its own on a free loopback port, then
# checks of the JSON roost-bench printed: everyone joined, deliveries arrived and none were
# lost, latency percentiles present and ordered, CPU fields present (at this load the server's
# CPU may round to zero clock ticks, so only their presence is checked), no errors. It keeps
# the tool, the floor, the Socket.IO peer and the cluster run from rotting; it measures nothing.
#
#   bench/scripts/smoke.sh SCENARIO BIN_DIR
#   SCENARIO: connections | fanout | rooms | presence-storm | floor | socketio | cluster | soak
set -euo pipefail
scenario=$1
bin=$2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=servers.sh
. "$here/servers.sh"

tmp=$(mktemp -d)
trap 'stop_server; stop_cluster; rm -rf "$tmp"' EXIT
common=(--host 127.0.0.1 --processes 2 --sources 127.0.0.1-127.0.0.4 --timeout-seconds 20)

# check FILE JQ-FILTER DESCRIPTION: every JSON line of FILE must satisfy the filter.
check() {
  local file=$1 filter=$2 what=$3
  if [ ! -s "$file" ] || ! jq -e -s "length > 0 and all(.[]; $filter)" "$file" > /dev/null; then
    echo "FAILED: $what" >&2
    echo "--- $file:" >&2
    cat "$file" >&2 || true
    exit 1
  fi
  echo "ok: $what"
}

# no_sanitizer_report LOG...: with an instrumented build (asan/tsan presets) a server prints a
# sanitizer report to its log, possibly only while it stops after the run; that fails the test.
no_sanitizer_report() {
  local log
  for log in "$@"; do
    if grep -qE '==[0-9]+==ERROR: (Address|Leak)Sanitizer|WARNING: ThreadSanitizer|: runtime error: ' "$log"; then
      echo "FAILED: sanitizer report in $log:" >&2
      cat "$log" >&2
      exit 1
    fi
  done
}

# bench KIND NAME ARGS...: a fresh KIND server (with the flags in server_args), roost-bench ARGS
# against it, JSON into $tmp/NAME.json.
server_args=()
bench() {
  local kind=$1 name=$2
  shift 2
  start_server "$kind" "$bin" "$tmp/$name-server.log" "${server_args[@]}"
  if ! "$bin/roost-bench" "$@" "${common[@]}" --port "$server_port" --server-pid "$server_pid" \
      > "$tmp/$name.json" 2> "$tmp/$name.err"; then
    echo "FAILED: roost-bench $* exited non-zero" >&2
    cat "$tmp/$name.err" "$tmp/$name.json" >&2
    echo "--- server log:" >&2
    cat "$tmp/$name-server.log" >&2
    exit 1
  fi
  cat "$tmp/$name.err" >&2
  stop_server
  no_sanitizer_report "$tmp/$name-server.log"
}

deliveries='.received_deliveries > 0 and .missing_deliveries == 0 and .deliveries_per_s > 0
  and (.latency_ms | (.p50 > 0 and .p90 >= .p50 and .p99 >= .p90 and .p99_9 >= .p99 and .max >= .p99_9))
  and .server_cpu_s >= 0 and .server_cpu_us_per_delivery >= 0 and .client_cpu_s >= 0 and ([.errors[]] | add) == 0'
connections='.joined == .connections and .error_total == 0 and .live_after_hold == .connections
  and .joins_per_second > 0 and .rss_per_connection_bytes != null'

# fanout_set KIND PROTOCOL: a two-step sweep, both steps checked.
fanout_set() {
  bench "$1" "fanout-$1" fanout --protocol "$2" --subscribers 60 --topic room:fan --sweep 20,50 --duration 2 \
    --warmup-seconds 0.5 --drain-seconds 5
  check "$tmp/fanout-$1.json" "$deliveries and .subscribers_live == 60 and .protocol == \"$2\"" "fanout against $1 ($2)"
  [ "$(wc -l < "$tmp/fanout-$1.json")" -eq 2 ] || { echo "FAILED: fanout against $1 printed no line per rate" >&2; exit 1; }
}

rooms_set() {
  bench "$1" "rooms-$1" rooms --protocol "$2" --clients 40 --room-size 10 --duration 3 --warmup-seconds 1 \
    --drain-seconds 5
  check "$tmp/rooms-$1.json" "$deliveries and .clients_joined == 40 and .sends_in_window > 0
    and .expected_deliveries == .sends_in_window * 10" "rooms against $1 ($2)"
}

connections_set() {
  bench "$1" "connections-$1" connections --protocol "$2" --connections 300 --topic room:idle --settle-seconds 0.5 \
    --hold-seconds 0.5
  check "$tmp/connections-$1.json" "$connections" "connections against $1 ($2)"
}

case $scenario in
  connections) connections_set roost phoenix ;;
  fanout)
    fanout_set roost phoenix
    # Three subscribers stop reading while 60 KB messages flow: once the kernel's buffers are
    # full their queues pass a small budget and the server drops them; the others lose nothing.
    server_args=(--outbound-soft-bytes 65536 --outbound-soft-seconds 1)
    bench roost fanout-stalled fanout --subscribers 20 --topic room:fan --rate 40 --duration 6 --payload-bytes 60000 \
      --stalled 3
    server_args=()
    check "$tmp/fanout-stalled.json" "$deliveries and .stalled_joined == 3 and .stalled_disconnected == 3" \
      "fanout against roost with 3 stalled subscribers"
    ;;
  rooms) rooms_set roost phoenix ;;
  presence-storm)
    bench roost presence presence-storm --clients 60 --topic presence:storm
    check "$tmp/presence.json" '.all_complete_s != null and .all_complete_s > 0 and .checks.views_consistent == true
      and .incomplete == [] and .diff_frames > 0 and .state_frames == .clients' "presence-storm against roost"
    ;;
  soak)
    # 20 s of traffic with churn (4 leaves or disconnects a second): nothing may go wrong, and
    # the server's descriptors must be back to their baseline once everyone left.
    bench roost soak soak --connections 200 --room-size 10 --duration 20 --warmup 5 --churn-per-second 0.02
    check "$tmp/soak.json" '.joined == 200 and .errors.total == 0 and .fds.pass == true and .sends > 0
      and .replies_ok == .sends and .deliveries > 0 and .rejoins > 0 and .reconnects > 0
      and (.latency_ms | (.p50 > 0 and .p99 >= .p50)) and .rss_slope_kb_per_min != null and .rss_kb.start > 0' \
      "soak against roost"
    ;;
  floor)
    fanout_set floor phoenix
    fanout_set floor-batched phoenix
    ;;
  socketio)
    connections_set socketio socketio
    fanout_set socketio socketio
    rooms_set socketio socketio
    ;;
  cluster)
    # Subscribers on three nodes, the publisher on the first: every delivery on the other two
    # crossed Redis.
    start_cluster "$bin" "$tmp/cluster" 3
    if ! "$bin/roost-bench" fanout --subscribers 60 --topic room:fan --sweep 20,50 --duration 2 --warmup-seconds 0.5 \
        --drain-seconds 5 "${common[@]}" --port "$cluster_ports" --server-pid "$cluster_pids" \
        > "$tmp/cluster.json" 2> "$tmp/cluster.err"; then
      echo "FAILED: roost-bench fanout against the cluster exited non-zero" >&2
      cat "$tmp/cluster.err" "$tmp/cluster.json" "$tmp"/cluster/*.log >&2
      exit 1
    fi
    cat "$tmp/cluster.err" >&2
    stop_cluster
    no_sanitizer_report "$tmp"/cluster/node*.log
    check "$tmp/cluster.json" "$deliveries and .servers == 3 and .subscribers_live == 60" "fanout against a 3-node cluster"
    ;;
  *) echo "unknown scenario '$scenario'" >&2; exit 2 ;;
esac
