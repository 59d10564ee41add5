// Role: authenticate (see auth_guard.h).
// Thread affinity: any loop. Ownership: returns values.
#include "api/auth_guard.h"

namespace pair::api {

std::optional<auth::TokenUser> authenticate(const roost::transport::HttpRequest& request,
                                            const auth::TokenService& tokens) {
  auto header = request.find(boost::beast::http::field::authorization);
  if (header == request.end()) return std::nullopt;
  std::string_view token = auth::bearer_token(header->value());
  if (token.empty()) return std::nullopt;
  auto user = tokens.verify(token);
  if (!user) return std::nullopt;
  return std::move(*user);
}

}  // namespace pair::api
