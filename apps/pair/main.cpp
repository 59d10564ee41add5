// The Pair server: collaborative coding challenges on Roost.
//
//   build/bin/pair [--port 4000] [--host 127.0.0.1] [--data-dir ./data]
//                  [--db postgres://user@host:5432/db | --db path/to/file.sqlite3]
//                  [--secret S] [--token-ttl-seconds N] [--loops N] [--workers N]
//                  [--log-level info] [--web-dir DIR] [--origin URL]... [--any-origin]
//                  [--tls-cert FILE --tls-key FILE]
//
// Environment: PAIR_DATABASE_URL (when --db is not given), PAIR_SECRET (when --secret
// is not given). Without either, the database is the SQLite file
// <data-dir>/pair.sqlite3 and the token secret is generated into <data-dir>/secret.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>

#include "app/pair_app.h"
#include "app/web_dir.h"
#include "roost/core/log.h"

int main(int argc, char** argv) {
  CLI::App cli{"Pair: solve coding challenges together (a Roost app)"};
  pair::app::PairConfig config;
  std::string data_dir = config.data_dir.string();
  std::string secret;
  long long ttl_seconds = config.token_ttl.count();
  std::string log_level = "info";
  cli.add_option("--port", config.port, "TCP port (0 = any free port)");
  cli.add_option("--host", config.host, "listen address");
  cli.add_option("--data-dir", data_dir, "directory for the SQLite database and the token secret");
  cli.add_option("--db", config.database_url, "postgres:// URL, or a SQLite file path (env PAIR_DATABASE_URL)");
  cli.add_option("--secret", secret, "token signing secret, >= 16 bytes (env PAIR_SECRET)");
  cli.add_option("--token-ttl-seconds", ttl_seconds, "lifetime of issued tokens")->check(CLI::PositiveNumber);
  cli.add_option("--loops", config.loops, "event loops (0 = one per core)");
  cli.add_option("--workers", config.workers, "worker threads for database calls and password hashing")
      ->check(CLI::PositiveNumber);
  cli.add_option("--log-level", log_level, "trace|debug|info|warn|error");
  std::string web_dir = pair::app::default_web_dir().string();
  cli.add_option("--web-dir", web_dir, "the built web front end (default: ../share/pair/web beside this program)")
      ->check(CLI::ExistingDirectory);
  cli.add_option("--origin", config.allowed_origins,
                 "an origin allowed to open the socket, e.g. https://pair.example.com (repeatable; "
                 "default: the server's own)");
  cli.add_flag("--any-origin", config.any_origin, "let pages from any origin open the socket (development only)");
  cli.add_option("--tls-cert", config.tls_cert_file, "PEM certificate chain: serve https:// and wss:// only");
  cli.add_option("--tls-key", config.tls_key_file, "PEM private key of --tls-cert");
  CLI11_PARSE(cli, argc, argv);

  roost::set_log_level(log_level);
  config.data_dir = data_dir;
  config.web_dir = web_dir;
  config.token_ttl = std::chrono::seconds(ttl_seconds);
  if (config.database_url.empty())
    if (const char* env = std::getenv("PAIR_DATABASE_URL"); env && *env) config.database_url = env;
  if (!secret.empty()) config.secret = secret;
  else if (const char* env = std::getenv("PAIR_SECRET"); env && *env) config.secret = env;

  auto app = pair::app::PairApp::create(std::move(config));
  if (!app) {
    std::fprintf(stderr, "pair: cannot start: %s (see the log above)\n", app.error().message().c_str());
    return 1;
  }
  return (*app)->run();
}
