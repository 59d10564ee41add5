// Role: the challenge endpoints of Pair's API (all need a Bearer token → else 401):
//   GET   /api/challenges        → 200 {challenges: [challenge...]} (oldest first)
//   POST  /api/challenges        {title, prompt, language?, response?} → 201 {challenge}
//   GET   /api/challenges/<id>   → 200 {challenge}; 404 not_found
//   PATCH /api/challenges/<id>   {title?, prompt?, language?, response?} → 200 {challenge}
// A PATCH that carries `response` goes through collaborative editing
// (DocumentService::replace_response): one whole-text update, recorded and broadcast to
// the challenge's room like any editor's change.
// Thread affinity: handlers run on the request's loop and await the workers.
// Ownership: the handlers borrow the ApiContext.
#pragma once

#include "api/api_context.h"
#include "roost/transport/http_types.h"

namespace pair::api {

roost::transport::HttpHandler list_challenges_handler(ApiContext& ctx);
roost::transport::HttpHandler create_challenge_handler(ApiContext& ctx);
roost::transport::HttpHandler show_challenge_handler(ApiContext& ctx);
roost::transport::HttpHandler patch_challenge_handler(ApiContext& ctx);

// The prefix under which one challenge is addressed ("/api/challenges/").
inline constexpr std::string_view kChallengePathPrefix = "/api/challenges/";

}  // namespace pair::api
