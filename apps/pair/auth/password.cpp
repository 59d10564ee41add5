// Role: PasswordHasher (see password.h).
// Thread affinity: any worker thread (libsodium's pwhash is thread-safe after
// sodium_init). Ownership: see the header.
#include "auth/password.h"

#include <sodium.h>

#include <stdexcept>

#include "auth/auth_errors.h"

namespace pair::auth {

PasswordHasher::PasswordHasher() {
  // sodium_init is idempotent and thread-safe; failing it means no usable RNG.
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  auto dummy = hash("a password nobody has: it only gives unknown emails the cost of a real check");
  if (!dummy) throw std::runtime_error("cannot compute the dummy password hash (out of memory?)");
  dummy_hash_ = std::move(*dummy);
}

roost::Result<std::string> PasswordHasher::hash(std::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return AuthErrc::hashing_failed;
  return std::string(out);
}

bool PasswordHasher::verify(std::string_view phc_hash, std::string_view password) const {
  // crypto_pwhash_str_verify wants a NUL-terminated string of at most STRBYTES.
  if (phc_hash.size() >= crypto_pwhash_STRBYTES) return false;
  char stored[crypto_pwhash_STRBYTES] = {};
  phc_hash.copy(stored, phc_hash.size());
  return crypto_pwhash_str_verify(stored, password.data(), password.size()) == 0;
}

bool PasswordHasher::verify_or_dummy(const std::optional<std::string>& phc_hash, std::string_view password) const {
  if (phc_hash) return verify(*phc_hash, password);
  (void)verify(dummy_hash_, password);
  return false;
}

}  // namespace pair::auth
