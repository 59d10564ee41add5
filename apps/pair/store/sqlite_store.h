// Role: SqliteStore, the Store on one SQLite file (the default for a single node):
// WAL mode, a small pool of connections, migrations and sample data on open.
// Thread affinity: any worker thread, concurrently (each call leases its own
// connection; SQLite's file locks and BEGIN IMMEDIATE order the writers).
// Ownership: owns its connection pool.
#pragma once

#include <memory>
#include <string>

#include "store/connection_pool.h"
#include "store/sqlite_connection.h"
#include "store/store.h"

namespace pair::store {

class SqliteStore final : public Store {
 public:
  // Opens (creating) the file, runs pending migrations and seeds the samples.
  static roost::Result<std::unique_ptr<Store>> open(const std::string& path, std::size_t connections = 4);

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
  explicit SqliteStore(ConnectionPool<SqliteConnection>::Factory factory, std::size_t connections)
      : pool_(connections, std::move(factory)) {}
  roost::Result<void> migrate();
  roost::Result<Challenge> find_challenge_on(SqliteConnection& conn, std::int64_t id);

  ConnectionPool<SqliteConnection> pool_;
};

}  // namespace pair::store
