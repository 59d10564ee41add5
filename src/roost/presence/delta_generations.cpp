#include "roost/presence/delta_generations.h"

#include <cstdint>
#include <limits>
#include <utility>

namespace roost::presence {
namespace {

Context restrict_to(const Context& clock, const Context& replicas) {
  Context out;
  for (const auto& [replica, value] : clock) {
    if (replicas.contains(replica)) out.emplace(replica, value);
  }
  return out;
}

}  // namespace

DeltaGenerations::DeltaGenerations(std::vector<std::size_t> max_sizes) : max_sizes_(std::move(max_sizes)) {}

void DeltaGenerations::push(const Delta& pending, const Delta& delta) {
  if (generations_.empty()) generations_.assign(max_sizes_.size(), pending);
  // `prev` is what a generation falls back to when taking the new delta would overflow it:
  // the previous (smaller) generation's accumulation, so history is dropped, never gapped.
  Delta prev = delta;
  for (std::size_t i = 0; i < generations_.size(); ++i) {
    Delta merged = generations_[i];
    if (!merge_delta(merged, delta)) {
      prev = generations_[i];
      continue;
    }
    if (merged.size() <= max_sizes_[i]) {
      generations_[i] = merged;
    } else {
      generations_[i] = std::move(prev);
    }
    prev = std::move(merged);
  }
}

std::optional<Delta> DeltaGenerations::extract(const ReplicaName& requester, const Context& requester_clock) const {
  for (const Delta& gen : generations_) {
    const Context start = restrict_to(gen.range_start, requester_clock);
    const Context end = restrict_to(gen.range_end, requester_clock);
    const bool non_empty = !covers(start, end);
    const bool reaches_back = covers(requester_clock, start);  // no gap before it
    const bool news = !dominates(requester_clock, end);         // something it lacks
    if (non_empty && reaches_back && news) return prune(gen, requester, requester_clock);
  }
  return std::nullopt;
}

void DeltaGenerations::remove_replica(const ReplicaName& replica) {
  for (Delta& gen : generations_) {
    gen.values.erase(gen.values.lower_bound(Dot{replica, 0}),
                     gen.values.upper_bound(Dot{replica, std::numeric_limits<std::uint64_t>::max()}));
    gen.clouds.erase(replica);
    gen.context.erase(replica);
    gen.range_start.erase(replica);
    gen.range_end.erase(replica);
  }
}

}  // namespace roost::presence
