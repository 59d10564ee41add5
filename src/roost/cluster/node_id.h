// Role: NodeId, this node's identity on the cluster bus: its configured name plus an
// incarnation drawn at random when the process starts, so a node restarted under the
// same name is told apart from its previous life (its own echoes, stale messages).
// Thread affinity: none (a value type). Ownership: holds its name.
#pragma once

#include <compare>
#include <cstdint>
#include <string>

namespace roost::cluster {

struct NodeId {
  std::string name;
  std::uint64_t incarnation = 0;

  // `name` with a fresh random (non-zero) incarnation.
  static NodeId make(std::string name);
  // The incarnation as 16 hex digits: JSON numbers lose precision beyond 2^53 in JS.
  std::string incarnation_hex() const;

  friend auto operator<=>(const NodeId&, const NodeId&) = default;
  friend bool operator==(const NodeId&, const NodeId&) = default;
};

}  // namespace roost::cluster
