// Role: the messages tracker shards of different nodes exchange (tracker.md §3.1):
//  * Heartbeat — broadcast every broadcast period: the sender's identity and advertised
//    clock, with the pending delta when there is one;
//  * TransferRequest — sent to one node: "send me what I lack", with the requester's clock;
//  * TransferAck — the answer, to the requester only: a delta generation or the full
//    state, pruned for the requester.
// Replica-level logic (Replicator) produces and consumes these; the codec
// (replication_codec.h) turns them into bytes and back.
// Thread affinity: none (value types). Ownership: hold their data by value.
#pragma once

#include <cstdint>
#include <optional>
#include <variant>

#include "roost/presence/clock.h"
#include "roost/presence/delta.h"
#include "roost/presence/replica.h"

namespace roost::presence {

struct Heartbeat {
  ReplicaName from;
  Context clock;               // the sender's context without the replicas it considers down
  std::optional<Delta> delta;  // absent: nothing changed since the last heartbeat
  friend bool operator==(const Heartbeat&, const Heartbeat&) = default;
};

struct TransferRequest {
  std::uint64_t id = 0;  // echoed in the ack, so a late ack is told from the current one
  ReplicaName from;
  Context clock;  // what the requester already has
  friend bool operator==(const TransferRequest&, const TransferRequest&) = default;
};

struct TransferAck {
  std::uint64_t id = 0;
  ReplicaName from;
  bool full_state = false;  // true: `state` is an extraction (has a context), not a delta
  Delta state;
  friend bool operator==(const TransferAck&, const TransferAck&) = default;
};

using ReplicationMessage = std::variant<Heartbeat, TransferRequest, TransferAck>;

// The sender of any message.
inline const ReplicaName& sender(const ReplicationMessage& m) {
  return std::visit([](const auto& v) -> const ReplicaName& { return v.from; }, m);
}

}  // namespace roost::presence
