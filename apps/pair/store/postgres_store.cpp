// Role: PostgresStore (see postgres_store.h). append_updates is one transaction whose
// first statement is `UPDATE challenges ... WHERE id = $1 AND version = $2`: the row
// lock it takes makes a concurrent append on another node wait, and when that one
// resumes PostgreSQL re-checks the WHERE against the committed row, finds the version
// moved and updates nothing, so exactly one node stores each version. The primary key
// of challenge_updates backs this up.
// Thread affinity: any worker thread. Ownership: see the header.
#include "store/postgres_store.h"

#include <set>

#include "store/migration.h"
#include "store/sample_challenges.h"
#include "store/store_clock.h"
#include "store/store_text.h"

namespace pair::store {
namespace {

constexpr std::string_view kUniqueViolation = "23505";

#define PAIR_CHALLENGE_COLUMNS "id, title, prompt, response, language, version, inserted_at, updated_at"
#define PAIR_USER_COLUMNS "id, first_name, email, password_hash, inserted_at"

constexpr PgStatement kCreateUser{
    "pair_create_user",
    "INSERT INTO users (first_name, email, password_hash, inserted_at) VALUES ($1, $2, $3, $4) "
    "RETURNING " PAIR_USER_COLUMNS};
constexpr PgStatement kFindUserByEmail{
    "pair_find_user_by_email", "SELECT " PAIR_USER_COLUMNS " FROM users WHERE lower(email) = lower($1)"};
constexpr PgStatement kFindUser{"pair_find_user", "SELECT " PAIR_USER_COLUMNS " FROM users WHERE id = $1"};
constexpr PgStatement kListChallenges{
    "pair_list_challenges", "SELECT " PAIR_CHALLENGE_COLUMNS " FROM challenges ORDER BY inserted_at, id"};
constexpr PgStatement kFindChallenge{
    "pair_find_challenge", "SELECT " PAIR_CHALLENGE_COLUMNS " FROM challenges WHERE id = $1"};
constexpr PgStatement kCreateChallenge{
    "pair_create_challenge",
    "INSERT INTO challenges (title, prompt, response, language, version, inserted_at, updated_at) "
    "VALUES ($1, $2, $3, $4, 0, $5, $5) RETURNING " PAIR_CHALLENGE_COLUMNS};
constexpr PgStatement kEditChallenge{
    "pair_edit_challenge",
    "UPDATE challenges SET title = coalesce($2, title), prompt = coalesce($3, prompt), "
    "language = coalesce($4, language), updated_at = $5 WHERE id = $1 RETURNING " PAIR_CHALLENGE_COLUMNS};
constexpr PgStatement kAdvanceVersion{
    "pair_advance_version",
    "UPDATE challenges SET response = $3, version = $4, updated_at = $5 WHERE id = $1 AND version = $2 "
    "RETURNING " PAIR_CHALLENGE_COLUMNS};
constexpr PgStatement kChallengeExists{"pair_challenge_exists", "SELECT 1 FROM challenges WHERE id = $1"};
constexpr PgStatement kInsertUpdate{
    "pair_insert_update",
    "INSERT INTO challenge_updates (challenge_id, version, client_id, changes, inserted_at) "
    "VALUES ($1, $2, $3, $4, $5)"};
constexpr PgStatement kUpdatesSince{
    "pair_updates_since",
    "SELECT client_id, changes FROM challenge_updates WHERE challenge_id = $1 AND version > $2 ORDER BY version"};
constexpr PgStatement kAppliedMigrations{"pair_applied_migrations", "SELECT version FROM schema_migrations"};
constexpr PgStatement kRecordMigration{
    "pair_record_migration", "INSERT INTO schema_migrations (version, inserted_at) VALUES ($1, $2)"};
constexpr PgStatement kCountChallenges{"pair_count_challenges", "SELECT count(*) FROM challenges"};
// Serialises migrations of every node that opens the database at the same time.
// The key is arbitrary but fixed: 'pair' in ASCII.
constexpr PgStatement kMigrationLock{"pair_migration_lock", "SELECT pg_advisory_xact_lock(1885432178)"};

#undef PAIR_CHALLENGE_COLUMNS
#undef PAIR_USER_COLUMNS

User read_user(const PgResult& r, int row) {
  return User{r.int64(row, 0), r.text(row, 1), r.text(row, 2), r.text(row, 3), r.int64(row, 4)};
}

Challenge read_challenge(const PgResult& r, int row) {
  return Challenge{r.int64(row, 0), r.text(row, 1), r.text(row, 2), r.text(row, 3),
                   r.text(row, 4),  r.int64(row, 5), r.int64(row, 6), r.int64(row, 7)};
}

template <class T, class Read>
roost::Result<T> first_row(const roost::Result<PgResult>& r, Read read) {
  if (!r) return r.error();
  if (r->rows() == 0) return StoreErrc::not_found;
  return read(*r, 0);
}

std::string num(std::int64_t v) { return std::to_string(v); }

// One statement inside a transaction on a connection already leased.
roost::Result<PgResult> run_on(PgConnection& c, const PgStatement& statement, const PgParams& params,
                               std::string_view what) {
  PgResult r = c.run(statement, params);
  if (!r.ok()) return pg_failure(r, what);
  return r;
}

}  // namespace

roost::Result<std::unique_ptr<Store>> PostgresStore::open(const std::string& url, std::size_t connections) {
  std::unique_ptr<PostgresStore> store(new PostgresStore([url] { return PgConnection::open(url); }, connections));
  if (auto migrated = store->migrate(); !migrated) return migrated.error();
  return std::unique_ptr<Store>(std::move(store));
}

roost::Result<PgResult> PostgresStore::run(const PgStatement& statement, const PgParams& params,
                                           std::string_view what) {
  auto conn = pool_.acquire();
  if (!conn) return conn.error();
  PgResult r = (*conn)->run(statement, params);
  if ((*conn)->broken()) conn->discard();
  if (!r.ok()) {
    if (r.sqlstate() == kUniqueViolation) return StoreErrc::email_taken;  // the only unique key a single statement hits
    return pg_failure(r, what);
  }
  return r;
}

roost::Result<void> PostgresStore::migrate() {
  auto conn = pool_.acquire();
  if (!conn) return conn.error();
  PgConnection& c = **conn;
  PgTransaction tx(c);
  if (auto r = tx.begin(); !r) return r;
  if (auto r = run_on(c, kMigrationLock, {}, "migration lock"); !r) return r.error();
  PgResult created =
      c.run("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, inserted_at BIGINT NOT NULL)");
  if (!created.ok()) return pg_failure(created, "create schema_migrations");
  auto applied_rows = run_on(c, kAppliedMigrations, {}, "read schema_migrations");
  if (!applied_rows) return applied_rows.error();
  std::set<std::int64_t> applied;
  for (int i = 0; i < applied_rows->rows(); ++i) applied.insert(applied_rows->int64(i, 0));
  for (const Migration& m : postgres_migrations()) {
    if (applied.contains(m.version)) continue;
    for (std::string_view sql : m.statements) {
      PgResult r = c.run(sql);
      if (!r.ok()) return pg_failure(r, m.name);
    }
    if (auto r = run_on(c, kRecordMigration, {num(m.version), num(now_ms())}, "record migration"); !r)
      return r.error();
  }
  auto count = run_on(c, kCountChallenges, {}, "count challenges");
  if (!count) return count.error();
  if (count->int64(0, 0) == 0) {
    for (const SampleChallenge& s : sample_challenges()) {
      PgParams params{std::string(s.title), std::string(s.prompt), std::string(s.response), std::string(s.language),
                      num(now_ms())};
      if (auto r = run_on(c, kCreateChallenge, params, "seed challenges"); !r) return r.error();
    }
  }
  return tx.commit();
}

roost::Result<User> PostgresStore::create_user(std::string first_name, std::string email, std::string password_hash) {
  if (!storable_text({first_name, email, password_hash})) return StoreErrc::invalid;
  return first_row<User>(
      run(kCreateUser, {std::move(first_name), std::move(email), std::move(password_hash), num(now_ms())}, "create user"),
      read_user);
}

roost::Result<User> PostgresStore::find_user_by_email(std::string_view email) {
  if (!storable_text({email})) return StoreErrc::not_found;
  return first_row<User>(run(kFindUserByEmail, {std::string(email)}, "find user by email"), read_user);
}

roost::Result<User> PostgresStore::find_user(std::int64_t id) {
  return first_row<User>(run(kFindUser, {num(id)}, "find user"), read_user);
}

roost::Result<std::vector<Challenge>> PostgresStore::list_challenges() {
  auto r = run(kListChallenges, {}, "list challenges");
  if (!r) return r.error();
  std::vector<Challenge> out;
  out.reserve(static_cast<std::size_t>(r->rows()));
  for (int i = 0; i < r->rows(); ++i) out.push_back(read_challenge(*r, i));
  return out;
}

roost::Result<Challenge> PostgresStore::find_challenge(std::int64_t id) {
  return first_row<Challenge>(run(kFindChallenge, {num(id)}, "find challenge"), read_challenge);
}

roost::Result<Challenge> PostgresStore::create_challenge(std::string title, std::string prompt, std::string language,
                                                         std::string response) {
  if (!storable_text({title, prompt, language, response})) return StoreErrc::invalid;
  PgParams params{std::move(title), std::move(prompt), std::move(response), std::move(language), num(now_ms())};
  return first_row<Challenge>(run(kCreateChallenge, params, "create challenge"), read_challenge);
}

roost::Result<Challenge> PostgresStore::edit_challenge(std::int64_t id, const ChallengeEdit& edit) {
  if (!storable_text({edit.title.value_or(""), edit.prompt.value_or(""), edit.language.value_or("")}))
    return StoreErrc::invalid;
  PgParams params{num(id), edit.title, edit.prompt, edit.language, num(now_ms())};
  return first_row<Challenge>(run(kEditChallenge, params, "edit challenge"), read_challenge);
}

roost::Result<Challenge> PostgresStore::append_updates(std::int64_t id, std::int64_t base_version,
                                                       const std::vector<CollabUpdate>& updates,
                                                       std::string new_response) {
  if (!appendable(base_version, updates, new_response)) return StoreErrc::invalid;
  auto conn = pool_.acquire();
  if (!conn) return conn.error();
  PgConnection& c = **conn;
  auto outcome = [&]() -> roost::Result<Challenge> {
    PgTransaction tx(c);
    if (auto r = tx.begin(); !r) return r.error();
    std::int64_t last = base_version + static_cast<std::int64_t>(updates.size());
    std::string now = num(now_ms());
    auto advanced =
        run_on(c, kAdvanceVersion, {num(id), num(base_version), std::move(new_response), num(last), now}, "append");
    if (!advanced) return advanced.error();
    if (advanced->rows() == 0) {
      auto exists = run_on(c, kChallengeExists, {num(id)}, "append");
      if (!exists) return exists.error();
      return exists->rows() == 0 ? StoreErrc::not_found : StoreErrc::version_conflict;
    }
    Challenge challenge = read_challenge(*advanced, 0);
    std::int64_t version = base_version;
    for (const CollabUpdate& u : updates) {
      PgResult r = c.run(kInsertUpdate, {num(id), num(++version), u.client_id, u.changes_json, now});
      if (!r.ok()) {
        if (r.sqlstate() == kUniqueViolation) return StoreErrc::version_conflict;
        return pg_failure(r, "append update");
      }
    }
    if (auto r = tx.commit(); !r) return r.error();
    return challenge;
  }();
  if (c.broken()) conn->discard();
  return outcome;
}

roost::Result<std::vector<CollabUpdate>> PostgresStore::updates_since(std::int64_t id, std::int64_t version) {
  auto conn = pool_.acquire();
  if (!conn) return conn.error();
  PgConnection& c = **conn;
  auto outcome = [&]() -> roost::Result<std::vector<CollabUpdate>> {
    // REPEATABLE READ: the existence check and the rows come from one snapshot.
    PgResult begun = c.run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (!begun.ok()) return pg_failure(begun, "BEGIN");
    struct EndRead {
      PgConnection& c;
      ~EndRead() {
        if (!c.broken()) c.run("COMMIT");
      }
    } end_read{c};
    auto exists = run_on(c, kChallengeExists, {num(id)}, "updates since");
    if (!exists) return exists.error();
    if (exists->rows() == 0) return StoreErrc::not_found;
    auto rows = run_on(c, kUpdatesSince, {num(id), num(version)}, "updates since");
    if (!rows) return rows.error();
    std::vector<CollabUpdate> out;
    out.reserve(static_cast<std::size_t>(rows->rows()));
    for (int i = 0; i < rows->rows(); ++i) out.push_back(CollabUpdate{rows->text(i, 0), rows->text(i, 1)});
    return out;
  }();
  if (c.broken()) conn->discard();
  return outcome;
}

}  // namespace pair::store
