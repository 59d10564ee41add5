// Role: Entry, one tracked presence as stored by a replica and as carried in deltas and
// diffs: (topic, owner, key) identity, its current meta and the dot of this version.
// Thread affinity: none (a value type). Ownership: holds its strings.
// Invariants: within one State at most one Entry per (topic, owner, key); `tag` is unique
// per entry version and was created by the replica hosting `owner`.
#pragma once

#include <string>

#include "roost/presence/dot.h"
#include "roost/presence/meta.h"
#include "roost/presence/owner.h"

namespace roost::presence {

struct Entry {
  std::string topic;
  Owner owner;
  std::string key;  // the presence key in its string form (user id); groups metas
  Meta meta;
  Dot tag;

  friend bool operator==(const Entry&, const Entry&) = default;
};

}  // namespace roost::presence
