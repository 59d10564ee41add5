#include "roost/presence/diff.h"

namespace roost::presence {

std::map<std::string, TopicDiff> Diff::by_topic() const {
  std::map<std::string, TopicDiff> out;
  for (const Entry& e : joins) out[e.topic].joins.push_back(&e);
  for (const Entry& e : leaves) out[e.topic].leaves.push_back(&e);
  return out;
}

}  // namespace roost::presence
