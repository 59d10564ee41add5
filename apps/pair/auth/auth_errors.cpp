// Role: the error category of pair::auth (AuthErrc).
// Thread affinity: none. Ownership: a static category.
#include "auth/auth_errors.h"

#include <string>

#include "roost/core/errors.h"

namespace pair::auth {
namespace {

class AuthCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "pair.auth"; }
  std::string message(int value) const override {
    switch (static_cast<AuthErrc>(value)) {
      case AuthErrc::malformed_token: return "malformed token";
      case AuthErrc::unsupported_alg: return "unsupported token algorithm";
      case AuthErrc::bad_signature: return "bad token signature";
      case AuthErrc::expired: return "token expired";
      case AuthErrc::not_yet_valid: return "token not yet valid";
      case AuthErrc::invalid_credentials: return "invalid email or password";
      case AuthErrc::hashing_failed: return "password hashing failed";
      case AuthErrc::secret_unavailable: return "token secret unavailable";
    }
    return "unknown auth error";
  }
  std::error_condition default_error_condition(int value) const noexcept override {
    switch (static_cast<AuthErrc>(value)) {
      case AuthErrc::hashing_failed:
      case AuthErrc::secret_unavailable: return {value, *this};
      default: return roost::Condition::auth;
    }
  }
};

}  // namespace

const std::error_category& auth_category() noexcept {
  static const AuthCategory category;
  return category;
}

}  // namespace pair::auth
