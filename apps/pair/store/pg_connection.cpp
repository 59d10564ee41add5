// Role: PgConnection / PgResult / PgTransaction (see pg_connection.h).
// Thread affinity: one thread at a time per connection. Ownership: see the header.
#include "store/pg_connection.h"

#include <libpq-fe.h>

#include <charconv>

#include "roost/core/log.h"
#include "store/store.h"

namespace pair::store {

void PgResult::Clear::operator()(pg_result* r) const noexcept { PQclear(r); }

bool PgResult::ok() const noexcept {
  if (!r_) return false;
  auto status = PQresultStatus(r_.get());
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

int PgResult::rows() const noexcept { return r_ ? PQntuples(r_.get()) : 0; }

std::int64_t PgResult::int64(int row, int column) const {
  const char* v = PQgetvalue(r_.get(), row, column);
  std::int64_t out = 0;
  std::from_chars(v, v + PQgetlength(r_.get(), row, column), out);
  return out;
}

std::string PgResult::text(int row, int column) const {
  return std::string(PQgetvalue(r_.get(), row, column), static_cast<std::size_t>(PQgetlength(r_.get(), row, column)));
}

std::string PgResult::sqlstate() const {
  const char* s = r_ ? PQresultErrorField(r_.get(), PG_DIAG_SQLSTATE) : nullptr;
  return s ? s : "";
}

std::string PgResult::message() const {
  if (!r_) return "no result (connection lost or out of memory)";
  return PQresultErrorMessage(r_.get());
}

std::string_view PgResult::command_status() const noexcept { return r_ ? PQcmdStatus(r_.get()) : ""; }

roost::Result<std::unique_ptr<PgConnection>> PgConnection::open(const std::string& url) {
  // Defaults first: settings in the URL itself override them (expand_dbname). A server
  // that does not answer fails the call within seconds instead of hanging a worker.
  const char* keys[] = {"connect_timeout", "application_name", "client_encoding", "dbname", nullptr};
  const char* values[] = {"5", "pair", "UTF8", url.c_str(), nullptr};
  pg_conn* raw = PQconnectdbParams(keys, values, 1);
  std::unique_ptr<PgConnection> conn(new PgConnection(raw));
  if (!raw || PQstatus(raw) != CONNECTION_OK) {
    // The message names host and port, never the password (libpq leaves it out).
    roost::log().error("postgres: cannot connect: {}", raw ? PQerrorMessage(raw) : "out of memory");
    return make_error_code(StoreErrc::unavailable);
  }
  // Notices ("table exists, skipping", "drop cascades to ...") are not errors: keep them
  // off stderr unless debugging.
  PQsetNoticeProcessor(
      raw, [](void*, const char* message) { roost::log().debug("postgres notice: {}", message); }, nullptr);
  return conn;
}

PgConnection::~PgConnection() { PQfinish(conn_); }

bool PgConnection::broken() const noexcept { return PQstatus(conn_) != CONNECTION_OK; }

PgResult PgConnection::run(const PgStatement& statement, const PgParams& params) {
  if (!prepared_.contains(statement.name)) {
    PgResult prepared(PQprepare(conn_, statement.name, statement.sql, 0, nullptr));
    if (!prepared.ok()) return prepared;
    prepared_.emplace(statement.name);
  }
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  return PgResult(PQexecPrepared(conn_, statement.name, static_cast<int>(values.size()), values.data(), nullptr,
                                 nullptr, 0));
}

PgResult PgConnection::run(std::string_view sql) {
  std::string text(sql);
  return PgResult(PQexecParams(conn_, text.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0));
}

std::error_code pg_failure(const PgResult& result, std::string_view what) {
  roost::log().error("postgres: {}: {}", what, result.message());
  return StoreErrc::unavailable;
}

PgTransaction::~PgTransaction() {
  if (open_ && !conn_.broken()) conn_.run("ROLLBACK");
}

roost::Result<void> PgTransaction::begin() {
  auto r = conn_.run("BEGIN");
  if (!r.ok()) return pg_failure(r, "BEGIN");
  open_ = true;
  return {};
}

roost::Result<void> PgTransaction::commit() {
  auto r = conn_.run("COMMIT");
  open_ = false;
  if (!r.ok()) return pg_failure(r, "COMMIT");
  // A transaction that had failed answers COMMIT with ROLLBACK: nothing was stored.
  if (r.command_status() != "COMMIT") return pg_failure(r, "COMMIT rolled back");
  return {};
}

}  // namespace pair::store
