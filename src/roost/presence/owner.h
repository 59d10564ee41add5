// Role: Owner, the opaque identity of a tracked process (a channel of one connection).
// Entries are keyed by (topic, owner, key); removing an owner removes all its entries.
// Thread affinity: none (a value type). Ownership: holds its node name.
// Invariants: globally unique across the cluster and across restarts: `node` is the node
// that runs the owner and `id` must never repeat on that node, not even after a shard
// restart (an id that embeds the shard's vsn, or a process-wide counter, both work).
#pragma once

#include <boost/container_hash/hash.hpp>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <string>

namespace roost::presence {

struct Owner {
  std::string node;
  std::uint64_t id = 0;

  friend auto operator<=>(const Owner&, const Owner&) = default;
  friend bool operator==(const Owner&, const Owner&) = default;

  friend std::size_t hash_value(const Owner& o) noexcept {
    std::size_t seed = boost::hash<std::string>{}(o.node);
    boost::hash_combine(seed, o.id);
    return seed;
  }
};

struct OwnerHash {
  std::size_t operator()(const Owner& o) const noexcept { return hash_value(o); }
};

}  // namespace roost::presence
