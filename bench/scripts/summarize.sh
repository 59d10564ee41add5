#!/usr/bin/env bash
# Role: turns one day's benchmark JSON (bench_all.sh's bench/results/<date>-*.json) into
#   <date>-summary.md           tables per scenario, Roost : floor : Socket.IO ratios, the targets
#   <date>-fanout-latency.png   fan-out p50 / p99 latency against offered deliveries/s, per server
#   <date>-rooms-latency.png    rooms p50 / p99 latency against total clients, per server
# Needs jq and gnuplot (scripts/setup installs both). Missing inputs leave empty rows, not errors.
#
#   bench/scripts/summarize.sh RESULTS_DIR DATE ["names of the runs that failed"]
# shellcheck disable=SC2016  # the single-quoted $names are jq's, not the shell's
set -euo pipefail
out=$1
day=$2
failed=${3:-}
summary=$out/$day-summary.md
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Every input exists (possibly empty), so jq's --slurpfile always has an array.
for name in connections-roost connections-socketio fanout-roost fanout-floor fanout-floor-batched fanout-socketio fanout-cluster \
    rooms-roost rooms-socketio presence-storm; do
  [ -f "$out/$day-$name.json" ] || : > "$out/$day-$name.json"
done
f() { printf '%s' "$out/$day-$1.json"; }

jq_all=(jq -r -n
  --slurpfile cr "$(f connections-roost)" --slurpfile cs "$(f connections-socketio)"
  --slurpfile fr "$(f fanout-roost)" --slurpfile ff "$(f fanout-floor)" --slurpfile fb "$(f fanout-floor-batched)"
  --slurpfile fs "$(f fanout-socketio)" --slurpfile fc "$(f fanout-cluster)" --slurpfile rr "$(f rooms-roost)" --slurpfile rs "$(f rooms-socketio)"
  --slurpfile ps "$(f presence-storm)")
defs='
  def r2: if . == null then "–" else (. * 100 | round / 100 | tostring) end;
  def int: if . == null then "–" else (floor | tostring) end;
  def clean: . != null and .missing_deliveries == 0 and ([.errors[]] | add) == 0;
  # Delivered everything and below saturation: a step whose CPU per delivery is comparable.
  def healthy: clean and .saturated != true;
  def at($xs; $rate): [$xs[] | select(.rate_target == $rate)] | first;
  def ratio($a; $b): if $a == null or $b == null or $b == 0 then null else $a / $b end;
  # The highest rate at which both runs delivered everything, below saturation.
  def best_healthy($xs): [$xs[] | select(healthy)] | max_by(.rate_target);
  def floor_p99($rate): [at($ff; $rate), at($fb; $rate) | select(clean) | .latency_ms.p99] | min;
  def common_healthy($a; $b): [$a[] | select(healthy) | .rate_target as $r | select(at($b; $r) | healthy) | $r] | max;
  def pass($ok): if $ok == null then "–" elif $ok then "yes" else "**no**" end;'

{
  echo "# Benchmarks $day"
  echo
  echo "Release build; servers: Roost's \`room\` fixture, \`roost-floor\` (the raw Asio floor) and the Socket.IO 4"
  echo "peer (\`bench/peers/socketio\`, Node $(node --version 2>/dev/null || echo '?')); \`roost-bench --processes 2 --sources 127.0.0.1-127.0.0.20\`,"
  echo "a fresh server per run, $(nproc) cores shared by server and generator. Raw figures: \`$day-<scenario>-<server>.json\`;"
  echo "fields are described in bench/README.md. Discard a row whose *other cores* is well above zero."
  echo
  echo "## Targets"
  echo
  echo "| target | measured | met |"
  echo "|---|---|---|"
  "${jq_all[@]}" "$defs"'
    ([$fr[] | select(clean)] | max_by(.deliveries_per_s)) as $best
    | "| fan-out ≥ 1,000,000 deliveries/s with 2,000 subscribers at ≤ 1 µs server CPU each | \($best.deliveries_per_s | int) deliveries/s at \($best.rate_target)/s × \($best.subscribers_live), \($best.server_cpu_us_per_delivery | r2) µs/delivery | \(pass(if $best == null then null else $best.deliveries_per_s >= 1e6 and $best.server_cpu_us_per_delivery <= 1 and $best.subscribers_live >= 2000 end)) |",
    # The floor is the cheaper of its two write modes at that rate.
    ([$ff[], $fb[]] | group_by(.rate_target) | map(map(select(healthy)) | min_by(.server_cpu_us_per_delivery)) | map(select(. != null))) as $floor
    | (common_healthy($fr; $floor) as $r | ratio(at($fr; $r).server_cpu_us_per_delivery; at($floor; $r).server_cpu_us_per_delivery) as $x
     | "| server CPU per delivery within 1.2× the floor (the cheaper write mode; same rate: the highest both delivered fully, unsaturated) | \($x | r2)× at \($r // "–")/s (\(at($fr; $r).server_cpu_us_per_delivery | r2) vs \(at($floor; $r).server_cpu_us_per_delivery | r2) µs) | \(pass(if $x == null then null else $x <= 1.2 end)) |"),
    # The floor writes the same bytes to the same sockets with no protocol at all, so its
    # p99 is what this machine allows: it is shown beside Roost'"'"'s.
    (at($fr; 100) as $s | "| p99 ≤ 10 ms at 200,000 deliveries/s offered (100/s × 2,000) | \($s.latency_ms.p99 | r2) ms (floor: \(floor_p99(100) | r2) ms) | \(pass(if $s == null then null else $s.latency_ms.p99 <= 10 and ($s | clean) end)) |"),
    (at($fr; 10) as $s | "| p99 ≤ 5 ms at 20,000 deliveries/s offered (10/s × 2,000) | \($s.latency_ms.p99 | r2) ms (floor: \(floor_p99(10) | r2) ms) | \(pass(if $s == null then null else $s.latency_ms.p99 <= 5 and ($s | clean) end)) |"),
    ($cr | first) as $c | "| ≤ 3 KB RSS per idle joined connection at 15,000 connections | \($c.rss_per_connection_bytes | int) B at \($c.joined // "–") connections | \(pass(if $c == null or $c.rss_per_connection_bytes == null then null else $c.rss_per_connection_bytes <= 3072 and $c.joined >= 15000 end)) |",
    ($ps | first) as $p | "| presence storm of 2,000 settled within 2 s | \($p.all_complete_s // "never") s for \($p.clients // "–") clients | \(pass(if $p == null then null else $p.all_complete_s != null and $p.all_complete_s <= 2 and $p.clients >= 2000 end)) |",
    (common_healthy($fs; $fr) as $r | ratio(at($fs; $r).server_cpu_us_per_delivery; at($fr; $r).server_cpu_us_per_delivery) as $x
     | "| ≥ 10× Socket.IO'"'"'s deliveries per server CPU-second (same rate: the highest both delivered fully, unsaturated) | \($x | r2)× at \($r // "–")/s | \(pass(if $x == null then null else $x >= 10 end)) |"),
    # Capacity: what a server CPU-second buys each server at the highest rate it still
    # delivered fully below saturation (where per-delivery costs are amortised best).
    (best_healthy($fr) as $a | best_healthy($fs) as $b | ratio($b.server_cpu_us_per_delivery; $a.server_cpu_us_per_delivery) as $x
     | "| ≥ 10× Socket.IO'"'"'s deliveries per server CPU-second (capacity: each at its highest unsaturated rate) | \($x | r2)× (Roost \($a.server_cpu_us_per_delivery | r2) µs at \($a.rate_target // "–")/s, Socket.IO \($b.server_cpu_us_per_delivery | r2) µs at \($b.rate_target // "–")/s) | \(pass(if $x == null then null else $x >= 10 end)) |")'
  echo
  echo "## Fan-out: Roost, the floor, Socket.IO and a Roost cluster, same subscribers, same rates"
  echo
  echo "Server CPU per delivery at each rate, and the ratios: Roost ÷ floor (≤ 1.2 is the target) and Socket.IO ÷ Roost"
  echo "(Roost's deliveries per server CPU-second over Socket.IO's; ≥ 10 is the target). A ratio is shown only where"
  echo "both runs delivered everything below saturation. The cluster column is three \`room\` nodes and their Redis"
  echo "together (subscribers spread over the nodes, the publisher on the first)."
  echo
  echo "| rate/s | offered deliveries/s | Roost µs | floor µs | floor batched µs | Socket.IO µs | cluster µs | Roost ÷ floor | Roost ÷ floor batched | Socket.IO ÷ Roost |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  "${jq_all[@]}" "$defs"'
    ([$fr[], $ff[], $fb[], $fs[], $fc[]] | map(.rate_target) | unique)[] as $r
    | [at($fr; $r), at($ff; $r), at($fb; $r), at($fs; $r), at($fc; $r)] as [$a, $b, $c, $d, $e]
    | def us($x): if $x == null then "–"
        elif ($x | healthy) then ($x.server_cpu_us_per_delivery | r2)
        elif ($x | clean) then "\($x.server_cpu_us_per_delivery | r2) (saturated)"
        else "\($x.server_cpu_us_per_delivery | r2) (lost \($x.missing_deliveries))" end;
      def cr($x; $y): if ($x | healthy) and ($y | healthy) then ratio($x.server_cpu_us_per_delivery; $y.server_cpu_us_per_delivery) | r2 else "–" end;
      "| \($r) | \(([$a, $b, $c, $d, $e] | map(select(. != null)) | first | .rate_target * .subscribers_live) | int) | \(us($a)) | \(us($b)) | \(us($c)) | \(us($d)) | \(us($e)) | \(cr($a; $b)) | \(cr($a; $c)) | \(cr($d; $a)) |"'
  echo
  echo "| server | rate/s | deliveries/s | received / expected | latency p50 / p99 / p99.9 / max (ms) | server µs/delivery | server cores | client cores | other cores | errors | saturated |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  "${jq_all[@]}" "$defs"'
    (["Roost", $fr], ["floor", $ff], ["floor batched", $fb], ["Socket.IO", $fs], ["Roost cluster (3 nodes)", $fc]) as [$name, $xs]
    | $xs[]
    | "| \($name) | \(.rate_target) | \(.deliveries_per_s | int) | \(.received_deliveries) / \(.expected_deliveries) | \(.latency_ms.p50 | r2) / \(.latency_ms.p99 | r2) / \(.latency_ms.p99_9 | r2) / \(.latency_ms.max | r2) | \(.server_cpu_us_per_delivery | r2) | \(.server_cores_busy | r2) | \(.client_cores_busy | r2) | \(.other_cores_busy | r2) | \([.errors[]] | add) | \(.saturated) |"'
  echo
  echo "## Rooms: rooms of 10, every client sends once a second"
  echo
  echo "| server | clients | deliveries/s | received / expected | latency p50 / p99 / p99.9 / max (ms) | server µs/delivery | server cores | client cores | other cores | errors |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  "${jq_all[@]}" "$defs"'
    (["Roost", $rr], ["Socket.IO", $rs]) as [$name, $xs]
    | $xs[]
    | "| \($name) | \(.clients_joined) / \(.clients) | \(.deliveries_per_s | int) | \(.received_deliveries) / \(.expected_deliveries) | \(.latency_ms.p50 | r2) / \(.latency_ms.p99 | r2) / \(.latency_ms.p99_9 | r2) / \(.latency_ms.max | r2) | \(.server_cpu_us_per_delivery | r2) | \(.server_cores_busy | r2) | \(.client_cores_busy | r2) | \(.other_cores_busy | r2) | \([.errors[]] | add) |"'
  echo
  echo "## Connections: idle joined sockets"
  echo
  echo "| server | joined | connect + join rate | server RSS before → after (kB) | RSS per connection | errors |"
  echo "|---|---|---|---|---|---|"
  "${jq_all[@]}" "$defs"'
    (["Roost", $cr], ["Socket.IO", $cs]) as [$name, $xs]
    | $xs[]
    | "| \($name) | \(.joined) / \(.connections) | \(.joins_per_second | int) joins/s | \(.rss_before_kb) → \(.rss_after_kb) | \(.rss_per_connection_bytes | int) B | \(.error_total) |"'
  "${jq_all[@]}" "$defs"'
    ($cr | first) as $a | ($cs | first) as $b
    | if $a != null and $b != null and $a.rss_per_connection_bytes != null and $b.rss_per_connection_bytes != null
      then "\nSocket.IO uses \(ratio($b.rss_per_connection_bytes; $a.rss_per_connection_bytes) | r2)× Roost'"'"'s memory per connection, and Roost joins \(ratio($a.joins_per_second; $b.joins_per_second) | r2)× as fast."
      else empty end'
  echo
  echo "## Presence storm: everyone joins one presence topic at once (Roost)"
  echo
  echo "| clients | all complete (s) | last join reply (s) | client complete p50 / p99 / max (s) | server CPU (s) | peak RSS (kB) | client CPU (s) | other cores | views consistent |"
  echo "|---|---|---|---|---|---|---|---|---|"
  "${jq_all[@]}" "$defs"'
    $ps[] | "| \(.clients) | \(.all_complete_s // "never") | \(.last_join_reply_s | r2) | \(.client_complete_s.p50) / \(.client_complete_s.p99) / \(.client_complete_s.max) | \(.server_cpu_s | r2) | \(.server_rss_peak_kb) | \(.client_cpu_s | r2) | \(.other_cores_busy | r2) | \(.checks.views_consistent) |"'
  echo
  echo "Plots: \`$day-fanout-latency.png\` (latency against offered deliveries/s), \`$day-rooms-latency.png\` (latency against clients)."
  if [ -n "$failed" ]; then
    echo
    echo "Exited non-zero: $failed"
  fi
} > "$summary"

# Plot data: one file per server, "x p50 p99" per line.
for s in roost floor floor-batched socketio cluster; do
  jq -r '"\(.rate_target * .subscribers_live) \(.latency_ms.p50) \(.latency_ms.p99)"' "$(f "fanout-$s")" > "$tmp/fanout-$s.dat"
done
for s in roost socketio; do
  jq -r '"\(.clients_joined) \(.latency_ms.p50) \(.latency_ms.p99)"' "$(f "rooms-$s")" > "$tmp/rooms-$s.dat"
done

# plot PNG TITLE XLABEL LOGX NAME:LABEL...: p50 and p99 lines for each non-empty data file.
plot() {
  local png=$1 title=$2 xlabel=$3 logx=$4
  shift 4
  local series=() spec name label color=1
  for spec in "$@"; do
    name=${spec%%:*}
    label=${spec#*:}
    if [ -s "$tmp/$name.dat" ]; then
      series+=("'$tmp/$name.dat' using 1:2 with linespoints lc $color dt 2 pt 7 title '$label p50'")
      series+=("'$tmp/$name.dat' using 1:3 with linespoints lc $color dt 1 pt 5 title '$label p99'")
    fi
    color=$((color + 1))
  done
  [ ${#series[@]} -gt 0 ] || return 0
  local joined
  joined=$(printf '%s, ' "${series[@]}")
  gnuplot <<GNUPLOT
set terminal pngcairo size 1000,600 noenhanced
set output '$png'
set title '$title'
set xlabel '$xlabel'
set ylabel 'latency (ms)'
set logscale y
$( [ "$logx" = yes ] && echo "set logscale x" )
set grid
set key top left
plot ${joined%, }
GNUPLOT
}

if command -v gnuplot > /dev/null; then
  plot "$out/$day-fanout-latency.png" "Fan-out latency, $day" "offered deliveries/s (rate x subscribers)" yes \
    fanout-roost:Roost fanout-floor:floor fanout-floor-batched:"floor batched" fanout-socketio:Socket.IO \
    fanout-cluster:"Roost, 3-node cluster"
  plot "$out/$day-rooms-latency.png" "Rooms of 10, one message per client per second, $day" "clients" yes \
    rooms-roost:Roost rooms-socketio:Socket.IO
else
  echo "summarize: gnuplot not found, no plots (scripts/setup installs gnuplot-nox)" >&2
fi
cat "$summary"
