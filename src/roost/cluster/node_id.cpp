#include "roost/cluster/node_id.h"

#include <fmt/format.h>

#include <random>

namespace roost::cluster {

NodeId NodeId::make(std::string name) {
  std::random_device device;
  std::uint64_t incarnation = 0;
  while (incarnation == 0) incarnation = (std::uint64_t{device()} << 32) | device();
  return NodeId{std::move(name), incarnation};
}

std::string NodeId::incarnation_hex() const { return fmt::format("{:016x}", incarnation); }

}  // namespace roost::cluster
