#include "options.h"

#include <charconv>
#include <cstdlib>
#include <string_view>

#include "source_addresses.h"

namespace roost::bench {

namespace {

template <typename T>
bool to_integer(std::string_view s, T& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && p == s.data() + s.size();
}

// "a,b,c" of integers.
template <typename T>
bool to_list(std::string_view s, std::vector<T>& out) {
  out.clear();
  while (!s.empty()) {
    const auto comma = s.find(',');
    T v{};
    if (!to_integer(s.substr(0, comma), v)) return false;
    out.push_back(v);
    s = comma == std::string_view::npos ? std::string_view{} : s.substr(comma + 1);
  }
  return true;
}

bool to_double(const std::string& s, double& out) {
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return !s.empty() && end == s.c_str() + s.size() && out >= 0;
}

bool to_rates(std::string_view s, std::vector<double>& out) {
  out.clear();
  while (!s.empty()) {
    const auto comma = s.find(',');
    double r = 0;
    if (!to_double(std::string(s.substr(0, comma)), r) || r <= 0) return false;
    out.push_back(r);
    s = comma == std::string_view::npos ? std::string_view{} : s.substr(comma + 1);
  }
  return !out.empty();
}

}  // namespace

const char* usage() {
  return "usage:\n"
         "  every scenario: [--protocol phoenix|socketio] (socketio: not presence-storm; --path defaults to\n"
         "      /socket/websocket for phoenix, /socket.io/ for socketio)\n"
         "  roost-bench connections --host H --port P [--path /socket/websocket] --connections N\n"
         "      --topic room:idle [--topics K] [--server-pid PID] [--processes M]\n"
         "      [--sources 127.0.0.1-127.0.0.20] [--hold-seconds S] [--settle-seconds 2]\n"
         "      [--concurrency 200] [--timeout-seconds 120]\n"
         "  roost-bench fanout --host H --port P[,P2,...] [--path ...] --subscribers S --topic room:fan\n"
         "      (--rate R | --sweep R1,R2,...) --duration D [--warmup-seconds 1] [--server-pid PID[,PID2,...]]\n"
         "      [--processes M] [--sources ...] [--payload-bytes B] [--drain-seconds 10]\n"
         "      [--saturation-p99-ms MS]  (stop the sweep once deliveries/s stop growing, p99 > MS, or loss)\n"
         "      [--stalled K]  (K more subscribers that stop reading once joined; one --rate only)\n"
         "  roost-bench presence-storm --host H --port P [--path ...] --clients N --topic presence:storm\n"
         "      [--server-pid PID] [--processes M] [--sources ...] [--concurrency 200] [--timeout-seconds 60]\n"
         "  roost-bench rooms --host H --port P[,P2,...] [--path ...] --clients C [--room-size 10] --duration D\n"
         "      [--topic room:r] [--warmup-seconds 1] [--server-pid PID[,...]] [--processes M] [--sources ...]\n"
         "  roost-bench soak --host H --port P [--path ...] --connections N [--room-size 10] --duration S\n"
         "      [--warmup S] [--churn-per-second 0.005] [--topic room:soak] [--server-pid PID] [--processes M]\n"
         "      [--sources ...] [--fd-tolerance 8] [--drain-seconds 10]\n"
         "  several ports: the nodes of a cluster; client g uses port g mod n, the fanout publisher the first;\n"
         "      the server CPU fields sum every --server-pid\n"
         "      [--drain-seconds 10]\n";
}

bool parse_options(int argc, char** argv, Options& o, std::string& error) {
  if (argc < 2) {
    error = "missing subcommand";
    return false;
  }
  o.command = argv[1];
  if (o.command != "connections" && o.command != "fanout" && o.command != "worker" &&
      o.command != "presence-storm" && o.command != "presence-worker" && o.command != "rooms" &&
      o.command != "rooms-worker" && o.command != "soak" && o.command != "soak-worker") {
    error = "unknown subcommand '" + o.command + "'";
    return false;
  }
  if (o.command == "presence-storm") o.timeout_seconds = 60;  // bound on the storm itself
  if (o.command == "rooms") o.topic = "room:r";  // room k is "room:r<k>"
  if (o.command == "soak") o.topic = "room:soak";
  for (int i = 2; i < argc; ++i) {
    const std::string_view name = argv[i];
    if (i + 1 >= argc) {
      error = "option " + std::string(name) + " needs a value";
      return false;
    }
    const std::string value = argv[++i];
    bool ok = true;
    if (name == "--host") o.host = value;
    else if (name == "--protocol") {
      auto p = parse_protocol(value);
      ok = p.has_value();
      if (ok) o.protocol = *p;
    }
    else if (name == "--port") {
      ok = to_list(value, o.ports) && !o.ports.empty();
      if (ok) o.port = o.ports.front(), o.ports_spec = value;
    }
    else if (name == "--path") o.path = value;
    else if (name == "--sources") {
      auto s = parse_sources(value);
      ok = s.has_value();
      if (ok) o.sources = std::move(*s), o.sources_spec = value;
    }
    else if (name == "--connections") ok = to_integer(value, o.connections);
    else if (name == "--clients") ok = to_integer(value, o.connections);  // presence-storm's N
    else if (name == "--topic") o.topic = value;
    else if (name == "--topics") ok = to_integer(value, o.topics) && o.topics > 0;
    else if (name == "--server-pid") {
      ok = to_list(value, o.server_pids) && !o.server_pids.empty();
      if (ok) o.server_pid = o.server_pids.front();
    }
    else if (name == "--processes") ok = to_integer(value, o.processes) && o.processes > 0;
    else if (name == "--hold-seconds") ok = to_double(value, o.hold_seconds);
    else if (name == "--settle-seconds") ok = to_double(value, o.settle_seconds);
    else if (name == "--concurrency") ok = to_integer(value, o.concurrency) && o.concurrency > 0;
    else if (name == "--timeout-seconds") ok = to_double(value, o.timeout_seconds);
    else if (name == "--subscribers") ok = to_integer(value, o.subscribers);
    else if (name == "--rate" || name == "--sweep") ok = to_rates(value, o.rates);
    else if (name == "--duration") ok = to_double(value, o.duration_seconds);
    else if (name == "--warmup-seconds" || name == "--warmup") ok = to_double(value, o.warmup_seconds);
    else if (name == "--churn-per-second") ok = to_double(value, o.churn_per_second);
    else if (name == "--fd-tolerance") ok = to_integer(value, o.fd_tolerance);
    else if (name == "--payload-bytes") ok = to_integer(value, o.payload_bytes);
    else if (name == "--stalled") ok = to_integer(value, o.stalled);
    else if (name == "--drain-seconds") ok = to_double(value, o.drain_seconds);
    else if (name == "--saturation-p99-ms") ok = to_double(value, o.saturation_p99_ms);
    else if (name == "--room-size") ok = to_integer(value, o.room_size) && o.room_size > 0;
    else if (name == "--worker-index") ok = to_integer(value, o.worker_index);
    else if (name == "--worker-count") ok = to_integer(value, o.worker_count) && o.worker_count > 0;
    else {
      error = "unknown option " + std::string(name);
      return false;
    }
    if (!ok) {
      error = "bad value '" + value + "' for " + std::string(name);
      return false;
    }
  }
  if (o.topic.empty()) {
    error = "--topic is required";
    return false;
  }
  if ((o.command == "connections" || o.command == "presence-storm" || o.command == "soak") &&
      (o.ports.size() > 1 || o.server_pids.size() > 1)) {
    error = o.command + " measures one server: give one --port and one --server-pid";
    return false;
  }
  if (o.protocol == ProtocolKind::socketio && (o.command == "presence-storm" || o.command == "presence-worker")) {
    error = "presence-storm speaks Phoenix only (Socket.IO has no presence)";
    return false;
  }
  if (o.protocol == ProtocolKind::socketio && (o.command == "soak" || o.command == "soak-worker")) {
    error = "soak speaks Phoenix only (it leaves and rejoins channels)";
    return false;
  }
  if ((o.command == "fanout" || o.command == "rooms" || o.command == "soak") && o.duration_seconds <= o.warmup_seconds) {
    error = "--duration must exceed the warm-up (" + std::to_string(o.warmup_seconds) + " s)";
    return false;
  }
  if (o.stalled > 0 && o.rates.size() > 1) {
    error = "--stalled needs a single --rate: stalled subscribers are checked at the end of the step";
    return false;
  }
  return true;
}

}  // namespace roost::bench
