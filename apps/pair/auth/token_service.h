// Role: TokenService, the issuer and checker of Pair's bearer tokens (HS256 JWTs, see
// jwt.h) for the HTTP API and the socket connect: a token names the user (id and first
// name) and expires after `ttl` (14 days unless configured).
// Thread affinity: any thread; it is immutable after construction. verify() costs one
// HMAC (microseconds), so the socket connect runs it on the loop.
// Ownership: owns its copy of the secret and its clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "roost/core/result.h"

namespace pair::auth {

// Who a valid token says its bearer is.
struct TokenUser {
  std::int64_t id = 0;
  std::string first_name;
};

class TokenService {
 public:
  // Seconds since the Unix epoch; a parameter so tests can move time.
  using Clock = std::function<std::int64_t()>;
  static constexpr std::chrono::seconds kDefaultTtl{14 * 24 * 3600};

  explicit TokenService(std::string secret, std::chrono::seconds ttl = kDefaultTtl, Clock clock = system_clock());

  std::string issue(std::int64_t user_id, std::string_view first_name) const;
  // AuthErrc on any refusal (malformed, unsupported_alg, bad_signature, expired, ...).
  roost::Result<TokenUser> verify(std::string_view token) const;

  static Clock system_clock();

 private:
  std::string secret_;
  std::chrono::seconds ttl_;
  Clock clock_;
};

// The token of an `Authorization: Bearer <token>` header value; empty if it is not one.
std::string_view bearer_token(std::string_view authorization);

}  // namespace pair::auth
