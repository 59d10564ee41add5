// Role: PairConfig, everything `pair` can be told at start-up, with the reason for each
// default. main.cpp fills it from the command line and the environment.
// Thread affinity: none (a value). Ownership: a value.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "auth/token_service.h"

namespace pair::app {

struct PairConfig {
  // Loopback unless told otherwise: a development server is not exposed by accident.
  std::string host = "127.0.0.1";
  std::uint16_t port = 4000;  // 0 = any free port (the "listening" line tells which)
  std::size_t loops = 0;      // 0 = one per core
  // Blocking work: store calls and argon2id hashes (~64 MiB each while it runs). Four
  // lets store calls proceed while a burst of sign-ups hashes, and bounds the memory.
  std::size_t workers = 4;
  std::filesystem::path data_dir = "data";
  // postgres://... for PostgreSQL; anything else is a SQLite file. Empty: the SQLite
  // file <data_dir>/pair.sqlite3.
  std::string database_url;
  // The JWT secret; unset: <data_dir>/secret, generated on first run.
  std::optional<std::string> secret;
  std::chrono::seconds token_ttl = auth::TokenService::kDefaultTtl;
  // The built web front end; empty: serve none (the API and socket still work).
  std::filesystem::path web_dir;
};

}  // namespace pair::app
