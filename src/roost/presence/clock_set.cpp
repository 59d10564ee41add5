#include "roost/presence/clock_set.h"

#include <algorithm>

namespace roost::presence {

void ClockSet::add(const ReplicaName& replica, const Context& clock) {
  if (clock.empty()) return;
  Context big;
  for (const auto& [r, c] : members_) big = upperbound(big, c);
  if (dominates(clock, big)) {
    // Covers everything the set knew: it alone is what the others could teach us.
    members_.clear();
    members_.emplace_back(replica, clock);
    return;
  }
  if (dominates(big, clock)) return;
  std::erase_if(members_, [&](const auto& m) { return dominates(clock, m.second); });
  const bool dominated = std::any_of(members_.begin(), members_.end(),
                                     [&](const auto& m) { return dominates(m.second, clock); });
  if (!dominated) members_.emplace_back(replica, clock);
}

void ClockSet::remove(const ReplicaName& replica) {
  std::erase_if(members_, [&](const auto& m) { return m.first == replica; });
}

std::vector<ReplicaName> ClockSet::replicas() const {
  std::vector<ReplicaName> out;
  for (const auto& [r, c] : members_) {
    if (std::find(out.begin(), out.end(), r) == out.end()) out.push_back(r);
  }
  return out;
}

}  // namespace roost::presence
