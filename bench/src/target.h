// Role: turns --host/--port/--path into the shared UpgradeTarget (resolving the host once).
// Thread affinity: none (blocking resolve at startup). Ownership: returns a value.
#pragma once

#include <optional>
#include <string>

#include "options.h"
#include "ws_client.h"

namespace roost::bench {

std::optional<UpgradeTarget> make_target(const Options& o, std::string& error);

}  // namespace roost::bench
