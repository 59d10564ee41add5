// Role: password hashing for Pair accounts: argon2id through libsodium's
// crypto_pwhash_str at the INTERACTIVE limits (~64 MiB, tens of ms per hash), stored as
// the standard PHC string ("$argon2id$v=19$m=65536,t=2,p=1$..."). verify_or_dummy lets a
// sign-in with an unknown email cost the same as one with a wrong password, so response
// times do not reveal which emails have accounts.
// Thread affinity: every call is slow and memory-hungry: run it on the WorkerPool, never
// on a loop. The pool's size bounds how many hashes run at once (and so the memory).
// Thread-safe.
// Ownership: PasswordHasher owns the dummy hash it verifies against.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "roost/core/result.h"

namespace pair::auth {

class PasswordHasher {
 public:
  // Initialises libsodium and computes the dummy hash once (one hash's time).
  PasswordHasher();

  roost::Result<std::string> hash(std::string_view password) const;
  bool verify(std::string_view phc_hash, std::string_view password) const;
  // Verifies against `phc_hash` if there is one, else against the dummy hash (and
  // returns false), so both paths cost one verification.
  bool verify_or_dummy(const std::optional<std::string>& phc_hash, std::string_view password) const;

 private:
  std::string dummy_hash_;
};

}  // namespace pair::auth
