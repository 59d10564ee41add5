// Role: RedisUrl, the parsed form of the cluster's Redis address:
//   redis://host[:port][/db]    host: a name, an IPv4 address or [an IPv6 address]
// Default port 6379, default database 0. Credentials (redis://:pw@host), queries and
// rediss:// (TLS) are refused with a clear error rather than half-supported: hiredis
// 0.14 has no TLS, and a password silently ignored would be worse than a refusal.
// Thread affinity: none (pure function, value type).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "roost/core/result.h"

namespace roost::cluster {

struct RedisUrl {
  std::string host;  // without the brackets of an IPv6 literal
  std::uint16_t port = 6379;
  unsigned db = 0;

  // Canonical text, e.g. "redis://127.0.0.1:6379" or "redis://[::1]:7000/2".
  std::string to_string() const;
  friend bool operator==(const RedisUrl&, const RedisUrl&) = default;
};

// Errors: ClusterError::url_* (errors.h), whose messages say what a valid URL looks like.
Result<RedisUrl> parse_redis_url(std::string_view text);

}  // namespace roost::cluster
