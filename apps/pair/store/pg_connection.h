// Role: PgConnection, one libpq connection for Pair: opened from a postgres:// URL with
// a connect timeout, statements prepared once per connection by name and then run with
// PQexecPrepared (parameters are always bound, never spliced into SQL), and PgResult,
// the owned result of one call. PgTransaction is BEGIN … COMMIT with ROLLBACK on scope
// exit.
// Thread affinity: one thread at a time (the pool's lease).
// Ownership: the connection owns its PGconn; a PgResult owns its PGresult.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "roost/core/result.h"

struct pg_conn;
struct pg_result;

namespace pair::store {

// A statement prepared under `name` on each connection that runs it.
struct PgStatement {
  const char* name;
  const char* sql;
};

// Parameters in PostgreSQL's text format; nullopt is SQL NULL.
using PgParams = std::vector<std::optional<std::string>>;

class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(pg_result* r) noexcept : r_(r) {}
  bool ok() const noexcept;  // PGRES_COMMAND_OK or PGRES_TUPLES_OK
  int rows() const noexcept;
  std::int64_t int64(int row, int column) const;
  std::string text(int row, int column) const;
  std::string sqlstate() const;  // e.g. "23505" for a unique violation; empty if none
  std::string message() const;
  std::string_view command_status() const noexcept;  // "COMMIT", "ROLLBACK", "INSERT 0 1", ...

 private:
  struct Clear {
    void operator()(pg_result* r) const noexcept;
  };
  std::unique_ptr<pg_result, Clear> r_;
};

class PgConnection {
 public:
  static roost::Result<std::unique_ptr<PgConnection>> open(const std::string& url);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  PgResult run(const PgStatement& statement, const PgParams& params);
  // A statement without parameters (BEGIN, COMMIT, DDL), through the extended protocol.
  PgResult run(std::string_view sql);
  // The server went away: the pool should drop this connection.
  bool broken() const noexcept;

 private:
  explicit PgConnection(pg_conn* conn) noexcept : conn_(conn) {}
  pg_conn* conn_;
  std::set<std::string, std::less<>> prepared_;
};

// Logs the failed result with `what` and returns StoreErrc::unavailable.
std::error_code pg_failure(const PgResult& result, std::string_view what);

class PgTransaction {
 public:
  explicit PgTransaction(PgConnection& conn) noexcept : conn_(conn) {}
  PgTransaction(const PgTransaction&) = delete;
  PgTransaction& operator=(const PgTransaction&) = delete;
  ~PgTransaction();
  roost::Result<void> begin();
  roost::Result<void> commit();

 private:
  PgConnection& conn_;
  bool open_ = false;
};

}  // namespace pair::store
