#include "roost/presence/delta.h"

namespace roost::presence {

bool Delta::empty() const noexcept {
  for (const auto& [replica, cloud] : clouds) {
    if (!cloud.empty()) return false;
  }
  return true;
}

std::size_t Delta::size() const noexcept {
  std::size_t n = values.size();
  for (const auto& [replica, cloud] : clouds) n += cloud.size();
  return n;
}

Delta prune(const Delta& delta, const ReplicaName& requester, const Context& requester_clock) {
  auto take = [&](const Context& from) {
    Context out;
    for (const auto& [replica, clock] : from) {
      if (requester_clock.contains(replica)) out.emplace(replica, clock);
    }
    return out;
  };
  Delta out;
  out.context = take(delta.context);
  out.range_start = take(delta.range_start);
  out.range_end = take(delta.range_end);
  for (const auto& [replica, cloud] : delta.clouds) {
    if (requester_clock.contains(replica)) out.clouds.emplace(replica, cloud);
  }
  for (const auto& [tag, entry] : delta.values) {
    if (tag.replica != requester && requester_clock.contains(tag.replica)) {
      out.values.emplace_hint(out.values.end(), tag, entry);
    }
  }
  return out;
}

bool merge_delta(Delta& into, const Delta& newer) {
  if (!covers(into.range_end, newer.range_start) || !covers(newer.range_end, into.range_start)) {
    return false;
  }
  // Decide on values against both sides' knowledge before the clouds are unioned.
  for (auto it = into.values.begin(); it != into.values.end();) {
    const bool removed_by_newer =
        !newer.values.contains(it->first) && seen(newer.context, newer.clouds, it->first);
    it = removed_by_newer ? into.values.erase(it) : std::next(it);
  }
  for (const auto& [tag, entry] : newer.values) {
    if (!into.values.contains(tag) && !seen(into.context, into.clouds, tag)) {
      into.values.emplace(tag, entry);
    }
  }
  for (const auto& [replica, cloud] : newer.clouds) into.clouds[replica].insert(cloud.begin(), cloud.end());
  into.range_start = lowerbound(into.range_start, newer.range_start);
  into.range_end = upperbound(into.range_end, newer.range_end);
  return true;
}

}  // namespace roost::presence
