// Role: the connect callback of Pair's socket (Phoenix's UserSocket.connect/3): the
// client's token — the `token` param, or the auth-token subprotocol the phoenix client
// sends for `authToken` — must be a valid token from TokenService. The user goes into
// the socket's assigns as {"user_id": <int>, "first_name": <string>} and the socket id is
// "user_socket:<id>". A missing, forged or expired token is refused (HTTP 403 on the
// WebSocket upgrade, as Phoenix does).
// Thread affinity: the callback runs on the connecting client's loop, on several loops
// at once; it only reads the immutable TokenService (one HMAC, no I/O).
// Ownership: the callback borrows the TokenService, which must outlive the endpoint.
#pragma once

#include "auth/token_service.h"
#include "roost/channels/socket_definition.h"

namespace pair::auth {

roost::channels::ConnectCallback socket_connect(const TokenService& tokens);

}  // namespace pair::auth
