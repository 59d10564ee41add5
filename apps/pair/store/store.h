// Role: the storage interface of Pair: users, challenges and the collaborative-editing
// log of each challenge's response. Two backends implement it (SQLite, PostgreSQL);
// open_store() picks one from a URL and runs the migrations.
// Thread affinity: every call blocks on the database, so callers run it on the
// WorkerPool, never on an event loop. Implementations are thread-safe: any worker may
// call any method at any time.
// Ownership: the Store owns its connections; results are plain values.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "roost/core/result.h"

namespace pair::store {

struct User {
  std::int64_t id;
  std::string first_name;
  std::string email;
  std::string password_hash;
  std::int64_t inserted_at_ms;
};

struct Challenge {
  std::int64_t id;
  std::string title;
  std::string prompt;
  std::string response;
  std::string language;
  std::int64_t version;
  std::int64_t inserted_at_ms;
  std::int64_t updated_at_ms;
};

// One @codemirror/collab update as stored: the client's id and ChangeSet.toJSON() as JSON text.
struct CollabUpdate {
  std::string client_id;
  std::string changes_json;
};

// Fields to change in edit_challenge; unset ones stay. The response is never here: it
// changes only through append_updates, so every change to it is in the collab log.
struct ChallengeEdit {
  std::optional<std::string> title, prompt, language;
};

enum class StoreErrc {
  not_found = 1,     // no such user or challenge
  email_taken,       // another user has this email (compared case-insensitively)
  version_conflict,  // append_updates: the challenge is no longer at base_version
  unavailable,       // the database cannot be reached or failed
  invalid,           // the request cannot be stored (bad URL, bad arguments)
};

const std::error_category& store_category() noexcept;
inline std::error_code make_error_code(StoreErrc e) noexcept { return {static_cast<int>(e), store_category()}; }

class Store {  // every call blocks (run on the WorkerPool); thread-safe
 public:
  virtual ~Store() = default;
  virtual roost::Result<User> create_user(std::string first_name, std::string email, std::string password_hash) = 0;
  virtual roost::Result<User> find_user_by_email(std::string_view email) = 0;
  virtual roost::Result<User> find_user(std::int64_t id) = 0;
  virtual roost::Result<std::vector<Challenge>> list_challenges() = 0;
  virtual roost::Result<Challenge> find_challenge(std::int64_t id) = 0;
  virtual roost::Result<Challenge> create_challenge(std::string title, std::string prompt, std::string language,
                                                    std::string response) = 0;
  virtual roost::Result<Challenge> edit_challenge(std::int64_t id, const ChallengeEdit& edit) = 0;
  // Collaborative editing, atomically and durably (committed before it returns): only if the
  // challenge is still at base_version, store `updates` as versions base_version+1..+n, set
  // response = new_response and version = base_version+n; otherwise version_conflict.
  // The database, not a node's memory, decides which change is next.
  virtual roost::Result<Challenge> append_updates(std::int64_t id, std::int64_t base_version,
                                                  const std::vector<CollabUpdate>& updates,
                                                  std::string new_response) = 0;
  // Updates after `version` (versions version+1..current), oldest first.
  virtual roost::Result<std::vector<CollabUpdate>> updates_since(std::int64_t id, std::int64_t version) = 0;
};

// "postgres://..." / "postgresql://..." → PostgreSQL; anything else is a SQLite file path. Runs migrations.
roost::Result<std::unique_ptr<Store>> open_store(std::string_view url);

}  // namespace pair::store

template <>
struct std::is_error_code_enum<pair::store::StoreErrc> : std::true_type {};
