// Role: the Origin check applied to both transports before anything else (protocol.md §1.4):
// parsing configured rules such as "https://example.com", "//another.com:888" or
// "//*.other.com", and deciding whether a request's Origin header passes a policy.
// Thread affinity: none (pure functions; a policy is immutable configuration).
// Ownership: rules and policies are plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "roost/core/result.h"
#include "roost/proto/errors.h"

namespace roost::proto {

// One allowed origin. An absent part matches anything. Scheme and host are lower-case.
// As in the reference server, a rule with a well-known scheme (http, https, ws, wss) and no
// port gets that scheme's default port, so "https://example.com" does not allow
// "https://example.com:8443".
struct OriginRule {
  std::optional<std::string> scheme;
  std::string host;  // "*.x.com" matches x.com and every subdomain of it
  std::optional<uint16_t> port;

  friend bool operator==(const OriginRule&, const OriginRule&) = default;
};

// bad_origin when the text has no host (e.g. "example.com" without "//", or "https://").
Result<OriginRule> parse_origin_rule(std::string_view text);

struct OriginPolicy {
  enum class Mode {
    off,              // every origin passes
    endpoint_host,    // the origin's host must equal endpoint_host (scheme and port ignored)
    list,             // the origin must match one of `allowed`
    same_as_request,  // scheme, host and port must equal the request's own
  } mode = Mode::endpoint_host;  // the reference server checks by default
  std::string endpoint_host;      // for endpoint_host; empty = any origin passes
  std::vector<OriginRule> allowed;  // for list
};

// origin: the Origin header value, nullopt when absent (always allowed: non-browser clients
// send none). request_scheme/host/port: the request's own, used by same_as_request. An
// origin with no host (e.g. "null") is rejected whenever checking is on. Hosts compare
// case-insensitively.
bool origin_allowed(const OriginPolicy& policy, std::optional<std::string_view> origin,
                    std::string_view request_scheme, std::string_view request_host,
                    uint16_t request_port);

}  // namespace roost::proto
