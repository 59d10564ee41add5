// Role: PostgresStore, the Store on a PostgreSQL server (what several Pair nodes share):
// a small pool of libpq connections, migrations under an advisory lock, and the
// conditional append that lets the database, not a node, decide each next version.
// Thread affinity: any worker thread, concurrently (each call leases its own connection).
// Ownership: owns its connection pool.
#pragma once

#include <memory>
#include <string>

#include "store/connection_pool.h"
#include "store/pg_connection.h"
#include "store/store.h"

namespace pair::store {

class PostgresStore final : public Store {
 public:
  // Connects, runs pending migrations and seeds the samples. Fails (unavailable) when
  // the server cannot be reached.
  static roost::Result<std::unique_ptr<Store>> open(const std::string& url, std::size_t connections = 4);

  roost::Result<User> create_user(std::string first_name, std::string email, std::string password_hash) override;
  roost::Result<User> find_user_by_email(std::string_view email) override;
  roost::Result<User> find_user(std::int64_t id) override;
  roost::Result<std::vector<Challenge>> list_challenges() override;
  roost::Result<Challenge> find_challenge(std::int64_t id) override;
  roost::Result<Challenge> create_challenge(std::string title, std::string prompt, std::string language,
                                            std::string response) override;
  roost::Result<Challenge> edit_challenge(std::int64_t id, const ChallengeEdit& edit) override;
  roost::Result<Challenge> append_updates(std::int64_t id, std::int64_t base_version,
                                          const std::vector<CollabUpdate>& updates, std::string new_response) override;
  roost::Result<std::vector<CollabUpdate>> updates_since(std::int64_t id, std::int64_t version) override;

 private:
  using Pool = ConnectionPool<PgConnection>;
  explicit PostgresStore(Pool::Factory factory, std::size_t connections) : pool_(connections, std::move(factory)) {}
  roost::Result<void> migrate();
  // Runs one statement on a leased connection; drops the connection if it broke.
  roost::Result<PgResult> run(const PgStatement& statement, const PgParams& params, std::string_view what);

  Pool pool_;
};

}  // namespace pair::store
