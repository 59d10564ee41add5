// Role: the Origin policy of Pair's socket, made from PairConfig: the server's own origin
// by default, a list of origins when configured, or none for development.
// Thread affinity: none (a pure function). Ownership: returns a value.
#pragma once

#include "app/pair_config.h"
#include "roost/core/result.h"
#include "roost/proto/origin.h"

namespace pair::app {

// bad_origin (from roost::proto) when an allowed origin has no host, e.g. "example.com"
// without "//" or a scheme.
roost::Result<roost::proto::OriginPolicy> socket_origin_policy(const PairConfig& config);

}  // namespace pair::app
