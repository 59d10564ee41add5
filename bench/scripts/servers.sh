# shellcheck shell=bash disable=SC2034  # sourced: the variables it sets are its callers'
# Role: starting and stopping the servers the benchmark drives, for bench_all.sh and smoke.sh
# (sourced, not run). Every server gets a free port from the OS (--port 0) and says which on
# its first line ("... listening on HOST:PORT"); each runs with `ulimit -n 20000` (or the hard
# limit, if lower) in a subshell, so only the server gets it.
#
#   start_server KIND BIN_DIR LOG [server args...]   sets server_pid and server_port
#       KIND: roost (the `room` fixture), floor, floor-batched (roost-floor), socketio (the peer)
#   stop_server                                       SIGTERM, then waits for it
#   has_cluster BIN_DIR                               whether `room` has a cluster mode and
#                                                     redis-server is installed
#   start_cluster BIN_DIR LOG_DIR N                   a redis-server on a free port and N `room`
#                                                     nodes joined through it; sets cluster_ports
#                                                     and cluster_pids (comma lists, redis last)
#   stop_cluster
bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
server_pid=
server_port=
cluster_ports=
cluster_pids=
cluster_all=()

# Roost's per-socket limits protect production servers from one abusive client; the benchmark's
# publisher is such a client on purpose (thousands of messages a second on one socket), and its
# connections come from a handful of loopback addresses. Lifted where the fixture has them.
room_bench_flags() {
  local help
  help=$("$1/room" --help 2>&1 || true)
  grep -q -- --max-messages-per-second <<<"$help" && printf '%s\n' --max-messages-per-second 0
  grep -q -- --max-connections-per-address <<<"$help" && printf '%s\n' --max-connections-per-address 0
  return 0
}

start_server() {
  local kind=$1 bin=$2 log=$3
  shift 3
  local cmd
  case $kind in
    roost)
      local flags
      mapfile -t flags < <(room_bench_flags "$bin")
      cmd=("$bin/room" --port 0 --log-level warn "${flags[@]}" "$@")
      ;;
    floor) cmd=("$bin/roost-floor" --port 0 "$@") ;;
    floor-batched) cmd=("$bin/roost-floor" --port 0 --writes batched "$@") ;;
    socketio) cmd=(node "$bench_dir/peers/socketio/server.mjs" --port 0 "$@") ;;
    *) echo "start_server: unknown server kind '$kind'" >&2; return 1 ;;
  esac
  (ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "${cmd[@]}") > "$log" 2>&1 &
  server_pid=$!
  server_port=
  local i
  for i in $(seq 200); do
    server_port=$(sed -n 's/.* listening on [^ ]*:\([0-9][0-9]*\).*/\1/p' "$log" | head -n 1)
    [ -n "$server_port" ] && return 0
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "$kind server did not start:" >&2
      cat "$log" >&2
      server_pid=
      return 1
    fi
    sleep 0.05
  done
  echo "$kind server did not say its port within 10 s (see $log)" >&2
  stop_server
  return 1
}

stop_server() {
  [ -n "$server_pid" ] || return 0
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=
}

has_cluster() {
  command -v redis-server > /dev/null && "$1/room" --help 2>&1 | grep -q -- --redis
}

start_cluster() {
  local bin=$1 dir=$2 n=$3 port i
  mkdir -p "$dir/redis"
  cluster_all=()
  local redis_pid=
  # redis-server cannot pick its own port (0 turns TCP off): try random ones until one binds.
  for _ in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 30000))
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir/redis" \
      > "$dir/redis.log" 2>&1 &
    redis_pid=$!
    for i in $(seq 100); do
      grep -q "Ready to accept connections" "$dir/redis.log" && break
      kill -0 "$redis_pid" 2>/dev/null || break
      sleep 0.05
    done
    if kill -0 "$redis_pid" 2>/dev/null && grep -q "Ready to accept connections" "$dir/redis.log"; then
      break
    fi
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
    redis_pid=
  done
  if [ -z "$redis_pid" ]; then
    echo "redis-server did not start (see $dir/redis.log)" >&2
    return 1
  fi
  local ports=() pids=()
  for i in $(seq "$n"); do
    if ! start_server roost "$bin" "$dir/node$i.log" --node "n$i" --redis "redis://127.0.0.1:$port"; then
      cluster_all=("${pids[@]}" "$redis_pid")
      stop_cluster
      return 1
    fi
    ports+=("$server_port")
    pids+=("$server_pid")
  done
  server_pid=
  cluster_all=("${pids[@]}" "$redis_pid")
  cluster_ports=$(IFS=,; echo "${ports[*]}")
  cluster_pids=$(IFS=,; echo "${cluster_all[*]}")
}

stop_cluster() {
  local pid
  for pid in "${cluster_all[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${cluster_all[@]}"; do wait "$pid" 2>/dev/null || true; done
  cluster_all=()
}
