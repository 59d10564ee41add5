// Role: SqliteConnection / SqliteQuery / SqliteTransaction (see sqlite_connection.h).
// Thread affinity: one thread at a time per connection. Ownership: see the header.
#include "store/sqlite_connection.h"

#include <sqlite3.h>

#include "roost/core/log.h"
#include "store/store.h"

namespace pair::store {

SqliteQuery::~SqliteQuery() {
  if (!stmt_) return;
  // Reset releases the statement's read lock; cleared bindings keep no text alive.
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

SqliteQuery& SqliteQuery::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

SqliteQuery& SqliteQuery::bind(int index, std::string_view text) {
  // SQLITE_TRANSIENT: SQLite copies, so the caller's buffer may go before step().
  sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

SqliteQuery& SqliteQuery::bind_nullable(int index, const std::optional<std::string>& text) {
  if (!text) {
    sqlite3_bind_null(stmt_, index);
    return *this;
  }
  return bind(index, std::string_view(*text));
}

int SqliteQuery::step() { return sqlite3_step(stmt_); }

std::int64_t SqliteQuery::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string SqliteQuery::text(int column) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  int n = sqlite3_column_bytes(stmt_, column);
  return p ? std::string(p, static_cast<std::size_t>(n)) : std::string();
}

roost::Result<std::unique_ptr<SqliteConnection>> SqliteConnection::open(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(db));
  if (rc != SQLITE_OK) return sqlite_failure(*conn, "open " + path);
  sqlite3_extended_result_codes(db, 1);
  // Writers from other connections wait (up to 5 s) instead of failing with SQLITE_BUSY.
  sqlite3_busy_timeout(db, 5000);
  // WAL: readers never block the writer; FULL sync: a commit is on disk before the
  // store returns, so an acknowledged edit survives a crash or power loss.
  for (std::string_view pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"}) {
    auto q = conn->query(pragma);
    if (!q) return q.error();
    int step = q->step();
    if (step != SQLITE_ROW && step != SQLITE_DONE) return sqlite_failure(*conn, pragma);
  }
  return conn;
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

roost::Result<SqliteQuery> SqliteConnection::query(std::string_view sql) {
  auto it = statements_.find(std::string(sql));
  if (it == statements_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                                nullptr);
    if (rc != SQLITE_OK) return sqlite_failure(*this, sql);
    it = statements_.emplace(std::string(sql), stmt).first;
  }
  return SqliteQuery(it->second);
}

int SqliteConnection::run(std::string_view sql) {
  auto q = query(sql);
  if (!q) return SQLITE_ERROR;
  int rc = q->step();
  return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

const char* SqliteConnection::last_error() const noexcept { return sqlite3_errmsg(db_); }
int SqliteConnection::last_extended_code() const noexcept { return sqlite3_extended_errcode(db_); }

std::error_code sqlite_failure(const SqliteConnection& conn, std::string_view what) {
  roost::log().error("sqlite: {}: {} ({})", what, conn.last_error(), conn.last_extended_code());
  return StoreErrc::unavailable;
}

SqliteTransaction::~SqliteTransaction() {
  if (open_) conn_.run("ROLLBACK");
}

roost::Result<void> SqliteTransaction::begin() {
  if (conn_.run("BEGIN IMMEDIATE") != SQLITE_OK) return sqlite_failure(conn_, "BEGIN IMMEDIATE");
  open_ = true;
  return {};
}

roost::Result<void> SqliteTransaction::commit() {
  if (conn_.run("COMMIT") != SQLITE_OK) return sqlite_failure(conn_, "COMMIT");
  open_ = false;
  return {};
}

}  // namespace pair::store
