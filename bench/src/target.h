// Role: turns --protocol/--host/--port/--path into the shared UpgradeTargets, one per port
// (several ports: the nodes of a cluster), resolving the host once; the protocol gives the
// upgrade's query string and the default path.
// Thread affinity: none (blocking resolve at startup). Ownership: returns a value.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "options.h"
#include "ws_client.h"

namespace roost::bench {

using Targets = std::vector<UpgradeTarget>;

std::optional<Targets> make_targets(const Options& o, std::string& error);

}  // namespace roost::bench
