// Role: the check every protected endpoint makes first: the request's
// `Authorization: Bearer <token>` must carry a valid token (TokenService::verify).
// Thread affinity: any loop (one HMAC, no I/O). Ownership: returns values.
#pragma once

#include <optional>

#include "auth/token_service.h"
#include "roost/transport/http_types.h"

namespace pair::api {

std::optional<auth::TokenUser> authenticate(const roost::transport::HttpRequest& request,
                                            const auth::TokenService& tokens);

}  // namespace pair::api
