// Role: JSON Web Tokens as Pair uses them: HS256 only, header pinned to
// {"alg":"HS256","typ":"JWT"}, claims sub (the user id as a string), name (the user's
// first name, so a socket connect needs no database read), iat and exp (seconds since
// the Unix epoch). sign_jwt encodes; decode_jwt is the strict verifier: a pure function
// of the token, the secret and the current time (no clock, no I/O), so tests control
// time and a fuzzer can call it directly.
// Thread affinity: none (pure functions). Ownership: returns values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "roost/core/result.h"

namespace pair::auth {

struct TokenClaims {
  std::string sub;   // user id, decimal
  std::string name;  // first name at issue time
  std::int64_t iat = 0;
  std::int64_t exp = 0;
};

// Tokens longer than this are refused before any decoding (a real one is ~200 bytes).
inline constexpr std::size_t kMaxTokenBytes = 4096;
// A token may claim to be issued this far in the future (clocks of several nodes differ).
inline constexpr std::int64_t kClockSkewSeconds = 60;

std::string sign_jwt(const TokenClaims& claims, std::string_view secret);

// Checks, in order: size and shape (three canonical base64url segments), header (alg
// HS256 and typ JWT exactly, nothing else), signature (HMAC-SHA256, constant-time),
// then claims (sub a non-empty string, name a string, iat and exp integers) and time
// (exp > now, iat <= now + skew). Errors are AuthErrc values.
roost::Result<TokenClaims> decode_jwt(std::string_view token, std::string_view secret, std::int64_t now_seconds);

}  // namespace pair::auth
