// Role: SqliteStore (see sqlite_store.h): the queries, the conditional append and the
// migrations on SQLite. Writes that must see the current row first (append, migrate)
// run under BEGIN IMMEDIATE, which takes the database's write lock before reading, so
// two writers are ordered by SQLite instead of both reading the same version.
// Thread affinity: any worker thread. Ownership: see the header.
#include "store/sqlite_store.h"

#include <sqlite3.h>

#include <set>

#include "store/migration.h"
#include "store/sample_challenges.h"
#include "store/store_clock.h"
#include "store/store_text.h"

namespace pair::store {
namespace {

User read_user(const SqliteQuery& q) {
  return User{q.int64(0), q.text(1), q.text(2), q.text(3), q.int64(4)};
}

Challenge read_challenge(const SqliteQuery& q) {
  return Challenge{q.int64(0), q.text(1), q.text(2), q.text(3), q.text(4), q.int64(5), q.int64(6), q.int64(7)};
}

bool is_unique_violation(int code) {
  return code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY;
}

// Steps a statement that yields at most one row (SELECT by key, or a write with
// RETURNING) and then runs it to completion, so an autocommit write has committed
// (and reported a failed commit) before the row is handed out.
template <class T, class Read>
roost::Result<T> one_row(SqliteConnection& conn, SqliteQuery& q, Read read, std::string_view what) {
  int rc = q.step();
  if (rc == SQLITE_DONE) return StoreErrc::not_found;
  if (rc != SQLITE_ROW) return sqlite_failure(conn, what);
  T value = read(q);
  rc = q.step();
  if (rc != SQLITE_DONE) return sqlite_failure(conn, what);
  return value;
}

constexpr std::string_view kSelectChallenge =
    "SELECT id, title, prompt, response, language, version, inserted_at, updated_at FROM challenges WHERE id = ?1";
constexpr std::string_view kInsertChallenge =
    "INSERT INTO challenges (title, prompt, response, language, version, inserted_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, 0, ?5, ?5) "
    "RETURNING id, title, prompt, response, language, version, inserted_at, updated_at";

}  // namespace

roost::Result<std::unique_ptr<Store>> SqliteStore::open(const std::string& path, std::size_t connections) {
  if (path.empty()) return StoreErrc::invalid;
  std::unique_ptr<SqliteStore> store(
      new SqliteStore([path] { return SqliteConnection::open(path); }, connections));
  if (auto migrated = store->migrate(); !migrated) return migrated.error();
  return std::unique_ptr<Store>(std::move(store));
}

roost::Result<void> SqliteStore::migrate() {
  auto conn = pool_.acquire();
  if (!conn) return conn.error();
  SqliteConnection& c = **conn;
  SqliteTransaction tx(c);
  if (auto r = tx.begin(); !r) return r;
  if (c.run("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, inserted_at INTEGER NOT NULL)") !=
      SQLITE_OK)
    return sqlite_failure(c, "create schema_migrations");
  std::set<std::int64_t> applied;
  {
    auto q = c.query("SELECT version FROM schema_migrations");
    if (!q) return q.error();
    int rc;
    while ((rc = q->step()) == SQLITE_ROW) applied.insert(q->int64(0));
    if (rc != SQLITE_DONE) return sqlite_failure(c, "read schema_migrations");
  }
  for (const Migration& m : sqlite_migrations()) {
    if (applied.contains(m.version)) continue;
    for (std::string_view sql : m.statements)
      if (c.run(sql) != SQLITE_OK) return sqlite_failure(c, m.name);
    auto q = c.query("INSERT INTO schema_migrations (version, inserted_at) VALUES (?1, ?2)");
    if (!q) return q.error();
    if (q->bind(1, std::int64_t{m.version}).bind(2, now_ms()).step() != SQLITE_DONE)
      return sqlite_failure(c, "record migration");
  }
  // The samples go in with the schema, in the same transaction: a second process
  // opening the same file at once waits for the lock and then sees them.
  auto count = c.query("SELECT count(*) FROM challenges");
  if (!count) return count.error();
  if (count->step() != SQLITE_ROW) return sqlite_failure(c, "count challenges");
  bool empty = count->int64(0) == 0;
  count->step();
  if (empty) {
    for (const SampleChallenge& s : sample_challenges()) {
      auto q = c.query(kInsertChallenge);
      if (!q) return q.error();
      q->bind(1, s.title).bind(2, s.prompt).bind(3, s.response).bind(4, s.language).bind(5, now_ms());
      if (auto r = one_row<Challenge>(c, *q, read_challenge, "seed challenges"); !r) return r.error();
    }
  }
  return tx.commit();
}

roost::Result<User> SqliteStore::create_user(std::string first_name, std::string email, std::string password_hash) {
  if (!storable_text({first_name, email, password_hash})) return StoreErrc::invalid;
  auto conn = pool_.acquire();
  if (!conn) return conn.error();
  auto q = (*conn)->query(
      "INSERT INTO users (first_name, email, password_hash, inserted_at) VALUES (?1, ?2, ?3, ?4) "
      "RETURNING id, first_name, email, password_hash, inserted_at");
  if (!q) return q.error();
  q->bind(1, first_name).bind(2, email).bind(3, password_hash).bind(4, now_ms());
  auto user = one_row<User>(**conn, *q, read_user, "create user");
  if (!user && is_unique_violation((*conn)->last_extended_code())) return StoreErrc::email_taken;
  return user;
}

roost::Result<User> SqliteStore::find_user_by_email(std::string_view email) {
  if (!storable_text({email})) return StoreErrc::not_found;
  auto conn = pool_.acquire();
  if (!conn) return conn.error();
  auto q = (*conn)->query(
      "SELECT id, first_name, email, password_hash, inserted_at FROM users WHERE lower(email) = lower(?1)");
  if (!q) return q.error();
  q->bind(1, email);
  return one_row<User>(**conn, *q, read_user, "find user by email");
}

roost::Result<User> SqliteStore::find_user(std::int64_t id) {
  auto conn = pool_.acquire();
  if (!conn) return conn.error();
  auto q = (*conn)->query("SELECT id, first_name, email, password_hash, inserted_at FROM users WHERE id = ?1");
  if (!q) return q.error();
  q->bind(1, id);
  return one_row<User>(**conn, *q, read_user, "find user");
}

roost::Result<std::vector<Challenge>> SqliteStore::list_challenges() {
  auto conn = pool_.acquire();
  if (!conn) return conn.error();
  auto q = (*conn)->query(
      "SELECT id, title, prompt, response, language, version, inserted_at, updated_at FROM challenges "
      "ORDER BY inserted_at, id");
  if (!q) return q.error();
  std::vector<Challenge> out;
  int rc;
  while ((rc = q->step()) == SQLITE_ROW) out.push_back(read_challenge(*q));
  if (rc != SQLITE_DONE) return sqlite_failure(**conn, "list challenges");
  return out;
}

roost::Result<Challenge> SqliteStore::find_challenge_on(SqliteConnection& conn, std::int64_t id) {
  auto q = conn.query(kSelectChallenge);
  if (!q) return q.error();
  q->bind(1, id);
  return one_row<Challenge>(conn, *q, read_challenge, "find challenge");
}

roost::Result<Challenge> SqliteStore::find_challenge(std::int64_t id) {
  auto conn = pool_.acquire();
  if (!conn) return conn.error();
  return find_challenge_on(**conn, id);
}

roost::Result<Challenge> SqliteStore::create_challenge(std::string title, std::string prompt, std::string language,
                                                       std::string response) {
  if (!storable_text({title, prompt, language, response})) return StoreErrc::invalid;
  auto conn = pool_.acquire();
  if (!conn) return conn.error();
  auto q = (*conn)->query(kInsertChallenge);
  if (!q) return q.error();
  q->bind(1, title).bind(2, prompt).bind(3, response).bind(4, language).bind(5, now_ms());
  return one_row<Challenge>(**conn, *q, read_challenge, "create challenge");
}

roost::Result<Challenge> SqliteStore::edit_challenge(std::int64_t id, const ChallengeEdit& edit) {
  if (!storable_text({edit.title.value_or(""), edit.prompt.value_or(""), edit.language.value_or("")}))
    return StoreErrc::invalid;
  auto conn = pool_.acquire();
  if (!conn) return conn.error();
  auto q = (*conn)->query(
      "UPDATE challenges SET title = coalesce(?2, title), prompt = coalesce(?3, prompt), "
      "language = coalesce(?4, language), updated_at = ?5 WHERE id = ?1 "
      "RETURNING id, title, prompt, response, language, version, inserted_at, updated_at");
  if (!q) return q.error();
  q->bind(1, id).bind_nullable(2, edit.title).bind_nullable(3, edit.prompt).bind_nullable(4, edit.language);
  q->bind(5, now_ms());
  return one_row<Challenge>(**conn, *q, read_challenge, "edit challenge");
}

roost::Result<Challenge> SqliteStore::append_updates(std::int64_t id, std::int64_t base_version,
                                                     const std::vector<CollabUpdate>& updates,
                                                     std::string new_response) {
  if (!appendable(base_version, updates, new_response)) return StoreErrc::invalid;
  auto conn = pool_.acquire();
  if (!conn) return conn.error();
  SqliteConnection& c = **conn;
  SqliteTransaction tx(c);
  if (auto r = tx.begin(); !r) return r.error();
  auto current = find_challenge_on(c, id);
  if (!current) return current.error();
  if (current->version != base_version) return StoreErrc::version_conflict;
  std::int64_t now = now_ms();
  std::int64_t version = base_version;
  for (const CollabUpdate& u : updates) {
    auto q = c.query(
        "INSERT INTO challenge_updates (challenge_id, version, client_id, changes, inserted_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!q) return q.error();
    q->bind(1, id).bind(2, ++version).bind(3, u.client_id).bind(4, u.changes_json).bind(5, now);
    if (q->step() != SQLITE_DONE) {
      if (is_unique_violation(c.last_extended_code())) return StoreErrc::version_conflict;
      return sqlite_failure(c, "append update");
    }
  }
  auto q = c.query(
      "UPDATE challenges SET response = ?2, version = ?3, updated_at = ?4 WHERE id = ?1 "
      "RETURNING id, title, prompt, response, language, version, inserted_at, updated_at");
  if (!q) return q.error();
  q->bind(1, id).bind(2, new_response).bind(3, version).bind(4, now);
  auto updated = one_row<Challenge>(c, *q, read_challenge, "append updates");
  if (!updated) return updated.error();
  if (auto r = tx.commit(); !r) return r.error();
  return updated;
}

roost::Result<std::vector<CollabUpdate>> SqliteStore::updates_since(std::int64_t id, std::int64_t version) {
  auto conn = pool_.acquire();
  if (!conn) return conn.error();
  SqliteConnection& c = **conn;
  // One read transaction: the existence check and the rows see the same snapshot.
  if (c.run("BEGIN") != SQLITE_OK) return sqlite_failure(c, "BEGIN");
  struct EndRead {
    SqliteConnection& c;
    ~EndRead() { c.run("COMMIT"); }
  } end_read{c};
  if (auto found = find_challenge_on(c, id); !found) return found.error();
  auto q = c.query(
      "SELECT client_id, changes FROM challenge_updates WHERE challenge_id = ?1 AND version > ?2 ORDER BY version");
  if (!q) return q.error();
  q->bind(1, id).bind(2, version);
  std::vector<CollabUpdate> out;
  int rc;
  while ((rc = q->step()) == SQLITE_ROW) out.push_back(CollabUpdate{q->text(0), q->text(1)});
  if (rc != SQLITE_DONE) return sqlite_failure(c, "updates since");
  return out;
}

}  // namespace pair::store
