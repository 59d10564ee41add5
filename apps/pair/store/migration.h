// Role: the versioned schema of Pair's database. Each backend has its own list (the SQL
// dialects differ) with the same version numbers and the same tables; a database
// records what it has applied in schema_migrations(version, inserted_at), and opening a
// store applies the missing versions in order, in one transaction with the seeding.
// Never edit an applied migration: add the next version.
// Thread affinity: none (constant data). Ownership: static storage.
#pragma once

#include <span>
#include <string_view>

namespace pair::store {

struct Migration {
  int version;
  std::string_view name;
  std::span<const std::string_view> statements;  // run one by one, in order
};

std::span<const Migration> sqlite_migrations() noexcept;
std::span<const Migration> postgres_migrations() noexcept;

}  // namespace pair::store
