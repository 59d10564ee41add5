// Role: socket_origin_policy (see origin_policy.h).
// Thread affinity: none. Ownership: values only.
#include "app/origin_policy.h"

namespace pair::app {

roost::Result<roost::proto::OriginPolicy> socket_origin_policy(const PairConfig& config) {
  using Mode = roost::proto::OriginPolicy::Mode;
  roost::proto::OriginPolicy policy;
  if (config.any_origin) {
    policy.mode = Mode::off;
    return policy;
  }
  if (config.allowed_origins.empty()) {
    // The page that opens the socket is served by this server, so its origin is the
    // request's own scheme, host and port.
    policy.mode = Mode::same_as_request;
    return policy;
  }
  policy.mode = Mode::list;
  for (const std::string& text : config.allowed_origins) {
    auto rule = roost::proto::parse_origin_rule(text);
    if (!rule) return rule.error();
    policy.allowed.push_back(std::move(*rule));
  }
  return policy;
}

}  // namespace pair::app
