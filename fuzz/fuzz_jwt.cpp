// Role: libFuzzer target for Pair's JWT verifier (apps/pair/auth/jwt.h): any token a
// client presents, as the `token` param or the auth-token subprotocol, must be refused
// cleanly unless it is a valid HS256 token signed with the secret. A forged token must
// never verify: whatever the fuzzer builds, a token that verifies must be the one
// sign_jwt makes for the same claims.
// Thread affinity: single-threaded (libFuzzer's driver).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "auth/jwt.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static constexpr std::string_view kSecret = "fuzz-secret-0123456789abcdef0123456789";
  const std::string_view token(reinterpret_cast<const char*>(data), size);
  auto claims = pair::auth::decode_jwt(token, kSecret, 1'800'000'000);
  if (claims && pair::auth::sign_jwt(*claims, kSecret) != token) std::abort();
  return 0;
}
