// Role: the error codes of Pair's accounts and tokens (pair::auth). Every refused token
// maps onto roost::Condition::auth, so a caller can answer 401/403 without listing them.
// Thread affinity: none. Ownership: a static category.
#pragma once

#include <system_error>

namespace pair::auth {

enum class AuthErrc {
  malformed_token = 1,   // not three canonical base64url segments of the expected JSON
  unsupported_alg,       // a header other than HS256/JWT (including "none")
  bad_signature,         // the HMAC does not match: forged or tampered
  expired,               // exp is past
  not_yet_valid,         // iat is in the future beyond the allowed clock skew
  invalid_credentials,   // unknown email or wrong password (deliberately one code)
  hashing_failed,        // libsodium could not hash (out of memory)
  secret_unavailable,    // the JWT secret could not be read or created
};

const std::error_category& auth_category() noexcept;
inline std::error_code make_error_code(AuthErrc e) noexcept { return {static_cast<int>(e), auth_category()}; }

}  // namespace pair::auth

template <>
struct std::is_error_code_enum<pair::auth::AuthErrc> : std::true_type {};
