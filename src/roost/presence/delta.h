// Role: Delta, what replicas exchange: either a delta (the changes since the last
// broadcast, or an accumulation of several) or a full-state extraction. Both have the
// same shape, so one merge algorithm serves heartbeats, delta transfers and full transfers.
// Thread affinity: none (a value type, copied or moved between loops by the shell).
// Ownership: holds its entries by value.
// Invariants: every value's tag is seen by (context, clouds) of the same Delta; a delta
// has an empty context and says "this dot was created or removed" through its clouds; a
// full state has the sender's context (pruned to the requester's replicas) and its clouds.
#pragma once

#include <cstddef>
#include <map>

#include "roost/presence/clock.h"
#include "roost/presence/entry.h"

namespace roost::presence {

struct Delta {
  Context context;               // empty for a delta
  Clouds clouds;                 // dots created or removed (delta) / gaps (full state)
  std::map<Dot, Entry> values;   // tag -> entry added and still present
  Context range_start;           // deltas only: creator clocks at the first and last change
  Context range_end;

  // A delta without dots carries no change at all (a removal is a dot without a value).
  bool empty() const noexcept;
  // |values| + total cloud size: the measure the delta generations are bounded by.
  std::size_t size() const noexcept;

  friend bool operator==(const Delta&, const Delta&) = default;
};

// What `requester`, whose advertised clock is `requester_clock`, can use of `delta`:
// clouds, ranges and values restricted to replicas it knows, minus values it created
// itself (it has them, and ignores them anyway).
Delta prune(const Delta& delta, const ReplicaName& requester, const Context& requester_clock);

// Accumulates `newer` into `into` (delta generations): keeps into's values unless newer
// saw them removed, adds newer's values into has not seen, unions clouds and widens the
// range. Returns false, leaving `into` untouched, when the two ranges neither touch nor
// overlap (merging would hide a gap).
bool merge_delta(Delta& into, const Delta& newer);

}  // namespace roost::presence
