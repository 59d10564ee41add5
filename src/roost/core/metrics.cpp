#include "roost/core/metrics.h"

#include <fmt/format.h>

namespace roost {

Metrics::Metrics(std::size_t loops) {
  loops_.reserve(loops);
  for (std::size_t i = 0; i < loops; ++i) loops_.push_back(std::make_unique<LoopMetrics>());
}

namespace {

struct Family {
  const char* name;
  const char* type;
  const char* help;
  Counter LoopMetrics::*field;
  bool per_loop;
};

constexpr Family kFamilies[] = {
    {"roost_connections", "gauge", "Open WebSocket connections and long-poll sessions", &LoopMetrics::connections, false},
    {"roost_connections_total", "counter", "Connections accepted since start", &LoopMetrics::connections_total, false},
    {"roost_channels", "gauge", "Joined channels", &LoopMetrics::channels, false},
    {"roost_messages_in_total", "counter", "Client frames received", &LoopMetrics::messages_in, false},
    {"roost_messages_out_total", "counter", "Frames queued to clients", &LoopMetrics::messages_out, false},
    {"roost_bytes_in_total", "counter", "Bytes received from clients", &LoopMetrics::bytes_in, false},
    {"roost_bytes_out_total", "counter", "Bytes queued to clients", &LoopMetrics::bytes_out, false},
    {"roost_broadcasts_total", "counter", "Broadcasts fanned out (per loop)", &LoopMetrics::broadcasts, false},
    {"roost_slow_consumer_disconnects_total", "counter", "Connections closed for exceeding their outbound byte budget", &LoopMetrics::slow_consumer_drops, false},
    {"roost_protocol_errors_total", "counter", "Connections closed for malformed input", &LoopMetrics::protocol_errors, false},
    {"roost_rate_limited_total", "counter", "Sockets closed for exceeding a message or join rate limit", &LoopMetrics::rate_limited, false},
    {"roost_oversized_broadcasts_total", "counter", "Channel broadcasts refused for their payload size", &LoopMetrics::oversized_broadcasts, false},
    {"roost_refused_connects_total", "counter", "Connections refused (origin, version, connect callback)", &LoopMetrics::refused_connects, false},
    {"roost_longpoll_sessions", "gauge", "Open long-poll sessions", &LoopMetrics::longpoll_sessions, false},
    {"roost_tls_connections", "gauge", "Open TLS connections (handshaking or established)", &LoopMetrics::tls_connections, false},
    {"roost_tls_handshake_failures_total", "counter", "TLS handshakes that failed or timed out", &LoopMetrics::tls_handshake_failures, false},
    {"roost_loop_mailbox_depth", "gauge", "Cross-loop messages waiting, per loop", &LoopMetrics::mailbox_depth, true},
};

}  // namespace

std::string Metrics::render() const {
  std::string out;
  out.reserve(4096);
  for (const Family& f : kFamilies) {
    fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", f.name, f.help, f.name, f.type);
    if (f.per_loop) {
      for (std::size_t i = 0; i < loops_.size(); ++i)
        fmt::format_to(std::back_inserter(out), "{}{{loop=\"{}\"}} {}\n", f.name, i, ((*loops_[i]).*f.field).get());
    } else {
      std::uint64_t sum = 0;
      for (const auto& l : loops_) sum += ((*l).*f.field).get();
      fmt::format_to(std::back_inserter(out), "{} {}\n", f.name, sum);
    }
  }
  for (const auto& section : sections_) section(out);
  return out;
}

}  // namespace roost
