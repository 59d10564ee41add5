// Role: DeltaGenerations, the few accumulated deltas a tracker shard keeps so a peer that
// missed some heartbeats can be served a small delta instead of the full state
// (tracker.md §5). Generation i accumulates recent deltas while its size stays within
// max_sizes[i]; smaller generations cover less history.
// Thread affinity: as its shard (one loop). Ownership: owns copies of the deltas.
// Invariants: either empty or exactly max_sizes.size() generations; every generation's
// range is contiguous (merge_delta refuses to bridge a gap).
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "roost/presence/delta.h"

namespace roost::presence {

class DeltaGenerations {
 public:
  // Why 100/1,000/10,000: phoenix_pubsub's defaults; each step is an order of magnitude
  // more missed history for an order of magnitude more bytes, and beyond the last one a
  // full state is about as cheap.
  explicit DeltaGenerations(std::vector<std::size_t> max_sizes = {100, 1000, 10000});

  // Accumulates `delta` (just broadcast, received in a heartbeat, or received by delta
  // transfer). `pending` is the owning State's current pending delta, the seed of every
  // generation when there are none yet.
  void push(const Delta& pending, const Delta& delta);

  // The smallest generation that covers what a requester with `requester_clock` misses,
  // pruned for it; nullopt when none does (send the full state instead).
  std::optional<Delta> extract(const ReplicaName& requester, const Context& requester_clock) const;

  // A permanently removed replica leaves no trace (tracker.md §6).
  void remove_replica(const ReplicaName& replica);
  // After a full-state transfer the old generations no longer line up with the state.
  void clear() noexcept { generations_.clear(); }

  const std::vector<Delta>& generations() const noexcept { return generations_; }

 private:
  std::vector<std::size_t> max_sizes_;
  std::vector<Delta> generations_;
};

}  // namespace roost::presence
