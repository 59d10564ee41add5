// Role: socket_connect (see socket_connect.h).
// Thread affinity: any loop. Ownership: borrows the TokenService.
#include "auth/socket_connect.h"

#include "roost/core/log.h"

namespace pair::auth {

// tutorial:begin connect
roost::channels::ConnectCallback socket_connect(const TokenService& tokens) {
  return [&tokens](const roost::transport::ConnectInfo& info) {
    std::string_view token;
    if (const auto* p = info.params.if_contains("token"); p && p->is_string()) token = p->get_string();
    else if (info.auth_token) token = *info.auth_token;
    auto user = tokens.verify(token);
    if (!user) {
      // The reason, never the token: it is a credential.
      roost::log().debug("socket refused from {}: {}", info.peer_address, user.error().message());
      return roost::channels::ConnectResult::refuse();
    }
    boost::json::object assigns{{"user_id", user->id}, {"first_name", user->first_name}};
    return roost::channels::ConnectResult::accept(std::move(assigns), "user_socket:" + std::to_string(user->id));
  };
}
// tutorial:end connect

}  // namespace pair::auth
