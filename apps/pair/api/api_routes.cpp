// Role: mount_api (see api_routes.h).
// Thread affinity: configuration time. Ownership: routes borrow the context.
#include "api/api_routes.h"

#include "api/account_routes.h"
#include "api/challenge_routes.h"

namespace pair::api {

void mount_api(roost::server::Endpoint& endpoint, ApiContext& ctx) {
  using boost::beast::http::verb;
  endpoint.route(verb::post, "/api/users", sign_up_handler(ctx));
  endpoint.route(verb::post, "/api/sessions", sign_in_handler(ctx));
  endpoint.route(verb::get, "/api/me", me_handler(ctx));
  endpoint.route(verb::get, "/api/challenges", list_challenges_handler(ctx));
  endpoint.route(verb::post, "/api/challenges", create_challenge_handler(ctx));
  endpoint.route(verb::get, std::string(kChallengePathPrefix) + "*", show_challenge_handler(ctx));
  endpoint.route(verb::patch, std::string(kChallengePathPrefix) + "*", patch_challenge_handler(ctx));
}

}  // namespace pair::api
