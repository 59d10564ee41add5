// Role: open_store, the one place that turns a database URL into a Store backend.
// Thread affinity: blocks (connects, migrates): call at start-up or on a worker.
// Ownership: the caller owns the returned store.
#include "store/postgres_store.h"
#include "store/sqlite_store.h"
#include "store/store.h"

namespace pair::store {

roost::Result<std::unique_ptr<Store>> open_store(std::string_view url) {
  if (url.starts_with("postgres://") || url.starts_with("postgresql://")) return PostgresStore::open(std::string(url));
  // "sqlite://path" and "sqlite:path" are accepted as well as a bare path.
  if (url.starts_with("sqlite://")) url.remove_prefix(9);
  else if (url.starts_with("sqlite:")) url.remove_prefix(7);
  return SqliteStore::open(std::string(url));
}

}  // namespace pair::store
