#include "roost/proto/origin.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace roost::proto {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::optional<uint16_t> default_port(std::string_view scheme) {
  if (scheme == "http" || scheme == "ws") return 80;
  if (scheme == "https" || scheme == "wss") return 443;
  return std::nullopt;
}

// An Origin header or a rule, parsed like a URI; nullopt when it has no host.
std::optional<OriginRule> parse_uri(std::string_view text) {
  auto parsed = boost::urls::parse_uri_reference(text);
  if (!parsed || !parsed->has_authority()) return std::nullopt;
  const boost::urls::url_view& u = *parsed;
  OriginRule r;
  r.host = lower(u.host_address());  // IPv6 literals without their brackets
  if (r.host.empty()) return std::nullopt;
  if (u.has_scheme()) r.scheme = lower(u.scheme());
  if (u.has_port() && !u.port().empty()) {
    r.port = u.port_number();
  } else if (r.scheme) {
    r.port = default_port(*r.scheme);
  }
  return r;
}

bool host_matches(std::string_view host, std::string_view rule_host) {
  if (rule_host.starts_with("*.")) {
    const std::string_view domain = rule_host.substr(2);
    return host == domain ||
           (host.size() > domain.size() && host.ends_with(domain) &&
            host[host.size() - domain.size() - 1] == '.');
  }
  return host == rule_host;
}

bool rule_matches(const OriginRule& origin, const OriginRule& rule) {
  return (!rule.scheme || origin.scheme == rule.scheme) && (!rule.port || origin.port == rule.port) &&
         host_matches(origin.host, rule.host);
}

}  // namespace

Result<OriginRule> parse_origin_rule(std::string_view text) {
  auto rule = parse_uri(text);
  if (!rule) return make_error_code(ProtoError::bad_origin);
  return std::move(*rule);
}

bool origin_allowed(const OriginPolicy& policy, std::optional<std::string_view> origin,
                    std::string_view request_scheme, std::string_view request_host,
                    uint16_t request_port) {
  if (policy.mode == OriginPolicy::Mode::off || !origin) return true;
  const auto parsed = parse_uri(*origin);
  if (!parsed) return false;
  switch (policy.mode) {
    case OriginPolicy::Mode::off:
      return true;
    case OriginPolicy::Mode::endpoint_host:
      return policy.endpoint_host.empty() || parsed->host == lower(policy.endpoint_host);
    case OriginPolicy::Mode::list:
      for (const auto& rule : policy.allowed) {
        if (rule_matches(*parsed, rule)) return true;
      }
      return false;
    case OriginPolicy::Mode::same_as_request:
      return parsed->scheme == lower(request_scheme) && parsed->host == lower(request_host) &&
             parsed->port == request_port;
  }
  return false;
}

}  // namespace roost::proto
