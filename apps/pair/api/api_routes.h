// Role: mount_api, which registers every endpoint of Pair's HTTP API on an Endpoint
// (see account_routes.h and challenge_routes.h for what each does).
// Thread affinity: call while configuring the endpoint, before run().
// Ownership: the routes borrow `ctx`, which must outlive the endpoint's run().
#pragma once

#include "api/api_context.h"
#include "roost/server/endpoint.h"

namespace pair::api {

void mount_api(roost::server::Endpoint& endpoint, ApiContext& ctx);

}  // namespace pair::api
