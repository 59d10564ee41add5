// Role: the wire codec of presence replication messages (replication_message.h): a
// compact binary format, decoded strictly. Pure functions, no I/O, no clock; the decoder
// never trusts a length or count beyond the bytes it was given, never throws on bad
// input and never lets a malformed message reach the CRDT (a fuzz target drives it).
//
// Format (version 1), integers as unsigned LEB128 in their shortest form:
//   u8 version=1, u8 kind (1 heartbeat, 2 transfer request, 3 transfer ack)
//   replica table: n, then n × (string node, vsn), strictly ascending by (node, vsn);
//     every later replica is an index into this table, so a name is sent once
//   sender index
//   heartbeat:  clock, u8 has_delta, [delta]
//   request:    id, clock
//   ack:        id, u8 full_state, delta
//   clock:      n, n × (replica index, value), indices strictly ascending
//   delta:      context, clouds, range_start, range_end, values
//   clouds:     n, n × (replica index, m, m dots as first clock then positive gaps)
//   values:     n, n × (tag replica index, tag clock >= 1, topic, owner node, owner id,
//               key, meta fields, phx_ref, phx_ref_prev), tags strictly ascending
//   string:     byte length, UTF-8 bytes
// Beyond the byte grammar the decoder checks what the CRDT relies on: every value's dot
// is covered by the message's own context or clouds, dots have clock >= 1, a range
// starts at or before its end, meta fields are a JSON object, names and refs are not empty.
// Thread affinity: none (pure functions). Ownership: results are returned by value.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "roost/core/result.h"
#include "roost/presence/replication_errors.h"
#include "roost/presence/replication_message.h"

namespace roost::presence {

inline constexpr std::uint8_t kReplicationFormatVersion = 1;
// Limits of the decoder. A cluster has a handful of nodes × shards; 4,096 replicas leave
// room for long-lived clusters with many restarts before permdown. A string beyond 1 MiB
// is no meta an application tracks (channel frames are capped well below that).
inline constexpr std::size_t kMaxReplicasPerMessage = 4096;
inline constexpr std::size_t kMaxReplicationString = 1 << 20;

std::string encode(const ReplicationMessage& message);

Result<ReplicationMessage> decode(std::string_view bytes);

// The sender of a message, reading only its header (no body validation): a shard drops
// its own echoed heartbeats this way without decoding their deltas.
Result<ReplicaName> peek_sender(std::string_view bytes);

}  // namespace roost::presence
