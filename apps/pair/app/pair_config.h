// Role: PairConfig, everything `pair` can be told at start-up, with the reason for each
// default. main.cpp fills it from the command line and the environment.
// Thread affinity: none (a value). Ownership: a value.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

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
  // Which pages may open the socket (browsers send their Origin with the upgrade and
  // with long-poll requests; other clients send none and always pass). Empty: only the
  // server's own origin (the scheme, host and port the request was sent to), which is
  // where the web front end comes from, so the check is on without any configuration.
  // Otherwise origins such as "https://pair.example.com" or "//*.example.com" (needed
  // behind a proxy that terminates TLS or rewrites Host).
  std::vector<std::string> allowed_origins;
  // Development with a front end served from elsewhere: every origin passes.
  bool any_origin = false;
  // HTTPS and WSS on the port when both are set (PEM files; the key unencrypted). The
  // default origin check then expects https:// pages.
  std::string tls_cert_file;
  std::string tls_key_file;
};

}  // namespace pair::app
