// Role: Prometheus counters and gauges, kept per loop so the per-message path never
// contends: each LoopMetrics is written only by its own loop thread and read by the
// /metrics handler from any thread.
// Thread affinity: a LoopMetrics has exactly one writer (its loop); readers on other
// threads see relaxed, possibly slightly stale values, which is what a scrape needs.
// Ownership: the Metrics registry owns one LoopMetrics per loop for the process's life.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace roost {

// A single-writer counter: load+store instead of a locked read-modify-write, because
// only the owning loop thread ever adds to it.
class Counter {
 public:
  void add(std::uint64_t n = 1) noexcept {
    value_.store(value_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  void sub(std::uint64_t n = 1) noexcept {
    value_.store(value_.load(std::memory_order_relaxed) - n, std::memory_order_relaxed);
  }
  std::uint64_t get() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

struct LoopMetrics {
  Counter connections;            // gauge: open WebSocket connections + long-poll sessions
  Counter connections_total;      // accepted since start
  Counter channels;               // gauge: joined channels
  Counter messages_in;            // client frames decoded
  Counter messages_out;           // frames queued to clients
  Counter bytes_in;
  Counter bytes_out;
  Counter broadcasts;             // broadcasts fanned out on this loop
  Counter slow_consumer_drops;    // connections closed for exceeding their outbound budget
  Counter protocol_errors;        // connections closed for malformed input
  Counter rate_limited;           // sockets closed for exceeding a message or join rate limit
  Counter oversized_broadcasts;   // channel broadcasts refused for their payload size
  Counter refused_connects;       // upgrades / sessions refused (origin, vsn, connect callback)
  Counter mailbox_depth;          // gauge: cross-loop messages waiting
  Counter longpoll_sessions;      // gauge
  Counter tls_connections;        // gauge: TLS connections (also counted above once upgraded)
  Counter tls_handshake_failures; // TLS handshakes failed or timed out
};

class Metrics {
 public:
  explicit Metrics(std::size_t loops);
  LoopMetrics& loop(std::size_t index) noexcept { return *loops_[index]; }
  std::size_t loop_count() const noexcept { return loops_.size(); }
  // Prometheus text exposition format 0.0.4.
  std::string render() const;
  // Families kept outside LoopMetrics (e.g. the cluster layer's), appended by render().
  // Register before the server runs; `section` is called from the scraping thread.
  void add_section(std::function<void(std::string&)> section) { sections_.push_back(std::move(section)); }

 private:
  std::vector<std::unique_ptr<LoopMetrics>> loops_;
  std::vector<std::function<void(std::string&)>> sections_;
};

}  // namespace roost
