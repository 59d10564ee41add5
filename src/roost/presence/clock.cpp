#include "roost/presence/clock.h"

#include <algorithm>
#include <iterator>

namespace roost::presence {

bool seen(const Context& context, const Clouds& clouds, const Dot& dot) {
  if (auto it = context.find(dot.replica); it != context.end() && it->second >= dot.clock) {
    return true;
  }
  auto it = clouds.find(dot.replica);
  return it != clouds.end() && it->second.contains(dot.clock);
}

std::uint64_t clock_of(const Context& context, const ReplicaName& replica) {
  auto it = context.find(replica);
  return it == context.end() ? 0 : it->second;
}

bool dominates(const Context& a, const Context& b) {
  if (a.size() < b.size()) return false;
  for (const auto& [replica, clock] : b) {
    if (clock_of(a, replica) < clock) return false;
  }
  return true;
}

Context upperbound(const Context& a, const Context& b) {
  Context out = a;
  for (const auto& [replica, clock] : b) {
    auto [it, inserted] = out.try_emplace(replica, clock);
    if (!inserted && it->second < clock) it->second = clock;
  }
  return out;
}

Context lowerbound(const Context& a, const Context& b) {
  Context out = a;
  for (const auto& [replica, clock] : b) {
    auto [it, inserted] = out.try_emplace(replica, clock);
    if (!inserted && it->second > clock) it->second = clock;
  }
  return out;
}

bool covers(const Context& a, const Context& b) {
  if (a.empty()) return b.empty();
  for (const auto& [replica, clock] : a) {
    if (clock < clock_of(b, replica)) return false;
  }
  return true;
}

void compact(Context& context, Clouds& clouds, const ReplicaName& replica) {
  auto cloud_it = clouds.find(replica);
  if (cloud_it == clouds.end()) return;
  Cloud& cloud = cloud_it->second;
  auto ctx_it = context.find(replica);
  if (ctx_it == context.end() && !cloud.empty() && *cloud.begin() == 1) {
    ctx_it = context.emplace(replica, 0).first;
  }
  if (ctx_it != context.end()) {
    // Ascending walk: each step either extends the contiguous prefix or is already covered;
    // the first real gap stops it, since everything after it is above the gap too.
    while (!cloud.empty() && *cloud.begin() <= ctx_it->second + 1) {
      ctx_it->second = std::max(ctx_it->second, *cloud.begin());
      cloud.erase(cloud.begin());
    }
  }
  if (cloud.empty()) clouds.erase(cloud_it);
}

void compact(Context& context, Clouds& clouds) {
  for (auto it = clouds.begin(); it != clouds.end();) {
    auto next = std::next(it);
    compact(context, clouds, it->first);  // may erase `it`
    it = next;
  }
}

}  // namespace roost::presence
