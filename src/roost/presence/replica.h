// Role: ReplicaName, the identity of one tracker shard incarnation: the node name plus a
// `vsn` unique to this start of the shard. A shard that restarts under the same node name
// gets a new vsn and is therefore a new replica; the old identity is retired by peers.
// Thread affinity: none (a value type). Ownership: holds its strings.
// Invariants: two live shards never share (node, vsn); the layer that starts a shard picks
// the vsn (e.g. wall-clock microseconds plus a unique counter), this code never reads a clock.
#pragma once

#include <compare>
#include <cstdint>
#include <string>

namespace roost::presence {

struct ReplicaName {
  std::string node;
  std::uint64_t vsn = 0;

  friend auto operator<=>(const ReplicaName&, const ReplicaName&) = default;
  friend bool operator==(const ReplicaName&, const ReplicaName&) = default;
};

// Whether a known remote replica is currently heard from. A down replica's entries are
// kept but hidden from reads, so a short partition costs no state transfer on healing.
enum class ReplicaStatus { up, down };

}  // namespace roost::presence
