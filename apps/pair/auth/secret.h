// Role: where the JWT secret comes from: --secret / PAIR_SECRET when given, else
// <data-dir>/secret, created on first run with 32 random bytes (hex) and mode 0600 and
// read back on every later run, so tokens survive a restart and several nodes sharing a
// data directory (or given the same PAIR_SECRET) accept each other's tokens.
// Thread affinity: start-up only (blocking file I/O). Ownership: returns the secret.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "roost/core/result.h"

namespace pair::auth {

// A configured secret shorter than this is refused: it could be guessed offline from
// any token.
inline constexpr std::size_t kMinSecretBytes = 16;

// `configured` (from the command line or environment) wins; otherwise the secret file.
// Errors: AuthErrc::secret_unavailable (unreadable, too short, cannot be created); the
// message went to the log.
roost::Result<std::string> load_or_create_secret(const std::optional<std::string>& configured,
                                                 const std::filesystem::path& data_dir);

}  // namespace pair::auth
