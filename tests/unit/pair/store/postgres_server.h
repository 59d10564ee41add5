// Role: PostgresServer, a throwaway PostgreSQL for store tests: initdb into a temporary
// directory, postgres on a free loopback port, stopped and deleted by the destructor.
// As root (CI), the binaries run as the `postgres` system user, since PostgreSQL refuses
// to run as root. Missing binaries are a failure (an exception), never a skip: these
// tests exist to prove the PostgreSQL backend works.
// Thread affinity: construct and destroy on one thread. Ownership: owns the server
// process and its directory.
#pragma once

#include <filesystem>
#include <string>
#include <sys/types.h>

namespace pair::testing {

class PostgresServer {
 public:
  // Starts the server and waits until it accepts connections (bounded). Throws
  // std::runtime_error with the reason (and the server's log) on any failure.
  PostgresServer();
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // postgres://pair@127.0.0.1:<port>/postgres (trust authentication, loopback only).
  const std::string& url() const noexcept { return url_; }

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  std::string url_;
};

}  // namespace pair::testing
