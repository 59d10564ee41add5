// Role: POST /api/broadcast {"topic","event","payload"}: a server-side broadcast (what
// Phoenix apps do with Endpoint.broadcast/3). A payload {"binary_base64": B} is sent as
// the binary payload base64-decode(B). Answers 200 {"ok":true}, 400 for a bad body,
// 500 when the message cannot be encoded (conformance item 64).
// Thread affinity: runs on the HTTP connection's loop; PubSub::broadcast is thread-safe.
#pragma once

#include "roost/pubsub/pubsub.h"
#include "roost/transport/http_types.h"

namespace room {

roost::transport::HttpHandler broadcast_route(roost::pubsub::PubSub& pubsub);

}  // namespace room
