// Role: Diff, the visible change one tracker operation made to a replica's view: entries
// that appeared (joins) and entries that disappeared (leaves), each with its meta and refs.
// The Presence layer groups it per topic and broadcasts one presence_diff per topic.
// Thread affinity: none (a value type). Ownership: holds copies of the entries, because a
// left entry no longer exists in the state.
// Invariants: only locally visible changes are listed (entries of down replicas never
// are); a ref never appears on both sides of one Diff; applying joins, then leaves, of
// every Diff in order to an empty client view yields exactly the replica's list().
#pragma once

#include <map>
#include <string>
#include <vector>

#include "roost/presence/entry.h"

namespace roost::presence {

struct TopicDiff {
  std::vector<const Entry*> joins;  // point into the Diff they were grouped from
  std::vector<const Entry*> leaves;
};

struct Diff {
  std::vector<Entry> joins;
  std::vector<Entry> leaves;

  bool empty() const noexcept { return joins.empty() && leaves.empty(); }

  // Per topic, in the order entries were produced; valid while this Diff is unchanged.
  // Why an ordered map: deterministic broadcast order across topics.
  std::map<std::string, TopicDiff> by_topic() const;

  friend bool operator==(const Diff&, const Diff&) = default;
};

}  // namespace roost::presence
