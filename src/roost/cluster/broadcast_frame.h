// Role: the node-to-node form of a broadcast, as published on the cluster bus, and its
// strict decoder. Binary and compact, because every broadcast crosses Redis once per
// receiving node and the payload must come back out as the exact bytes that went in:
//
//   "RB"  magic            2 bytes
//   1     format version   1 byte
//   flags                  1 byte: bit 0 = binary payload; other bits must be 0
//   incarnation            8 bytes, big-endian (NodeId::incarnation of the origin)
//   node length N, node    1 byte (1-255), N bytes of UTF-8
//   topic length T, topic  2 bytes big-endian, T bytes of UTF-8
//   event length E, event  2 bytes big-endian (1-65535), E bytes of UTF-8
//   payload                the rest: raw JSON text (one JSON value) or raw bytes
//
// The decoder checks every length against the bytes it was given, the flags, UTF-8 of
// the names and that a JSON payload is one well-formed JSON value, so nothing another
// writer to the channel sends can reach a client as a broken frame.
// Thread affinity: none (pure functions). Ownership: DecodedBroadcast borrows the bytes
// it was decoded from.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "roost/cluster/node_id.h"
#include "roost/core/result.h"
#include "roost/proto/message.h"

namespace roost::cluster {

inline constexpr std::uint8_t kBroadcastFrameVersion = 1;
inline constexpr std::size_t kMaxFrameNode = 255;
inline constexpr std::size_t kMaxFrameTopic = 65535;
inline constexpr std::size_t kMaxFrameEvent = 65535;

struct DecodedBroadcast {
  std::string_view node;
  std::uint64_t incarnation = 0;
  std::string_view topic;
  std::string_view event;
  proto::PayloadKind kind = proto::PayloadKind::json;
  std::string_view payload;

  bool from(const NodeId& id) const noexcept { return incarnation == id.incarnation && node == id.name; }
};

// Errors: ClusterError::field_too_long (an empty or over-long node, topic or event).
Result<std::string> encode_broadcast_frame(const NodeId& origin, std::string_view topic, std::string_view event,
                                           const proto::Payload& payload);

// Errors: ClusterError::frame_bad_magic, ::frame_truncated, ::frame_bad_field.
Result<DecodedBroadcast> decode_broadcast_frame(std::string_view bytes);

}  // namespace roost::cluster
