// Role: the error category of pair::store (StoreErrc). "unavailable" maps onto no Roost
// condition: it is the database's failure, not the client's.
// Thread affinity: none. Ownership: a static category.
#include <string>

#include "roost/core/errors.h"
#include "store/store.h"

namespace pair::store {
namespace {

class StoreCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "pair.store"; }
  std::string message(int value) const override {
    switch (static_cast<StoreErrc>(value)) {
      case StoreErrc::not_found: return "not found";
      case StoreErrc::email_taken: return "email already taken";
      case StoreErrc::version_conflict: return "version conflict";
      case StoreErrc::unavailable: return "database unavailable";
      case StoreErrc::invalid: return "invalid request to the store";
    }
    return "unknown store error";
  }
  std::error_condition default_error_condition(int value) const noexcept override {
    if (static_cast<StoreErrc>(value) == StoreErrc::invalid) return roost::Condition::protocol_violation;
    return {value, *this};
  }
};

}  // namespace

const std::error_category& store_category() noexcept {
  static const StoreCategory category;
  return category;
}

}  // namespace pair::store
