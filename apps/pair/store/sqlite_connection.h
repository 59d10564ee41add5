// Role: SqliteConnection, one SQLite connection configured for Pair (WAL, busy timeout,
// foreign keys, full sync) with a cache of prepared statements, and SqliteQuery, the
// scoped use of one cached statement (bind, step, read columns, reset on scope exit).
// Every SQL text runs as a prepared statement with bound parameters; nothing is ever
// spliced into SQL.
// Thread affinity: one thread at a time (the pool's lease); opened without SQLite's
// own mutex for that reason.
// Ownership: the connection owns its sqlite3 handle and every cached statement; a
// SqliteQuery borrows one statement and must not outlive the connection.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "roost/core/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace pair::store {

class SqliteQuery {
 public:
  explicit SqliteQuery(sqlite3_stmt* stmt) noexcept : stmt_(stmt) {}
  SqliteQuery(SqliteQuery&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
  SqliteQuery& operator=(SqliteQuery&&) = delete;
  ~SqliteQuery();

  // Parameters are numbered from 1, as in SQLite.
  SqliteQuery& bind(int index, std::int64_t value);
  SqliteQuery& bind(int index, std::string_view text);
  SqliteQuery& bind_nullable(int index, const std::optional<std::string>& text);  // NULL when unset
  // SQLITE_ROW, SQLITE_DONE, or an (extended) error code.
  int step();
  std::int64_t int64(int column) const;
  std::string text(int column) const;

 private:
  sqlite3_stmt* stmt_;
};

class SqliteConnection {
 public:
  // Opens (creating if needed) the database file and applies the connection settings.
  static roost::Result<std::unique_ptr<SqliteConnection>> open(const std::string& path);
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  // The cached statement for `sql` (prepared on first use), ready to bind.
  roost::Result<SqliteQuery> query(std::string_view sql);
  // Runs a statement without parameters or rows (BEGIN, COMMIT, DDL); SQLITE_OK or an error.
  int run(std::string_view sql);

  const char* last_error() const noexcept;
  int last_extended_code() const noexcept;

 private:
  explicit SqliteConnection(sqlite3* db) noexcept : db_(db) {}
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

// Logs the connection's last error with `what` and returns StoreErrc::unavailable.
std::error_code sqlite_failure(const SqliteConnection& conn, std::string_view what);

// BEGIN IMMEDIATE on construction (the write lock up front, so a read-then-write
// transaction never fails to upgrade), ROLLBACK on destruction unless commit() ran.
class SqliteTransaction {
 public:
  explicit SqliteTransaction(SqliteConnection& conn) noexcept : conn_(conn) {}
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;
  ~SqliteTransaction();
  roost::Result<void> begin();
  roost::Result<void> commit();

 private:
  SqliteConnection& conn_;
  bool open_ = false;
};

}  // namespace pair::store
