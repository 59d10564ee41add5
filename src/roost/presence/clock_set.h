// Role: ClockSet, phoenix_pubsub's "pending clockset" (tracker.md §4): the clocks heard
// in heartbeats since the last sampling round, keeping only those no other member
// dominates. At sampling time the replicas left in the set (other than this one) are
// exactly those that know something this replica does not: each is asked for a transfer.
// Thread affinity: as its Replicator (one loop). Ownership: copies of the clocks.
// Invariants: no member dominates another; no member's clock is empty.
#pragma once

#include <utility>
#include <vector>

#include "roost/presence/clock.h"

namespace roost::presence {

class ClockSet {
 public:
  // Adds `clock` heard from `replica` unless a member already dominates it; members it
  // dominates leave. An empty clock carries no information and is ignored.
  void add(const ReplicaName& replica, const Context& clock);
  // A retired replica's clock no longer asks for anything.
  void remove(const ReplicaName& replica);
  void clear() noexcept { members_.clear(); }

  std::vector<ReplicaName> replicas() const;
  bool empty() const noexcept { return members_.empty(); }

 private:
  std::vector<std::pair<ReplicaName, Context>> members_;
};

}  // namespace roost::presence
