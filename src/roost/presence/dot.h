// Role: Dot (a "tag"), the causal identity of one entry version: the replica that created
// it and that replica's clock at creation. Dots are never reused, so "this dot was seen
// but its value is gone" proves its creator removed it.
// Thread affinity: none (a value type). Ownership: holds a copy of the replica name.
// Invariants: clock >= 1 (clock 0 means "nothing created yet" in a context).
#pragma once

#include <compare>
#include <cstdint>

#include "roost/presence/replica.h"

namespace roost::presence {

struct Dot {
  ReplicaName replica;
  std::uint64_t clock = 0;

  // Ordered by replica, then clock: the tag index relies on this to walk one replica's
  // dots as a contiguous, ascending range.
  friend auto operator<=>(const Dot&, const Dot&) = default;
  friend bool operator==(const Dot&, const Dot&) = default;
};

}  // namespace roost::presence
