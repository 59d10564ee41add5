// Role: SocketOptions, the per-mount transport settings of one socket (Phoenix's
// `socket "/socket", UserSocket, websocket: [...], longpoll: [...]`), with the reason for
// every default.
// Thread affinity: set before the server starts, read-only afterwards.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "roost/proto/origin.h"

namespace roost::transport {

struct OutboundBudget {
  // Bytes queued to one client beyond which it is a slow consumer. The soft limit may be
  // exceeded for `soft_seconds` (a burst a healthy client drains); the hard limit never.
  // 1 MiB / 8 MiB hold ~10k / ~80k typical 100-byte frames: far beyond a live client's lag.
  std::size_t soft_bytes = 1u << 20;
  std::size_t hard_bytes = 8u << 20;
  std::chrono::seconds soft_seconds{5};
};

struct SocketOptions {
  std::string mount = "/socket";
  bool websocket = true;
  bool longpoll = false;  // opt-in, as in Phoenix
  bool auth_token = false;
  proto::OriginPolicy check_origin;  // default: the endpoint host (any origin if none is set)
  // websock_adapter >= 0.6 default; the conformance fixture sets 1 MiB.
  std::size_t max_frame_size = 10'000'000;
  // Phoenix's WebSocket `timeout`: two missed 30 s client heartbeats.
  std::chrono::milliseconds idle_timeout{60'000};
  // Long-poll hold time; a session dies after 1.5 windows without a GET (Phoenix).
  std::chrono::milliseconds longpoll_window{10'000};
  // Phoenix caps a long-poll POST at 100 lines (server >= 1.8.9).
  std::size_t longpoll_max_lines = 100;
  // Long-poll sessions one client address may hold at once (0 = unlimited); each holds a
  // queue and a handler until its window expires, so a host opening them in a loop
  // could otherwise exhaust memory.
  std::size_t max_longpoll_sessions_per_address = 256;
  OutboundBudget budget;
};

}  // namespace roost::transport
