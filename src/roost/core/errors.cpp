#include "roost/core/errors.h"

#include <string>

namespace roost {
namespace {

class ConditionCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "roost"; }
  std::string message(int value) const override {
    switch (static_cast<Condition>(value)) {
      case Condition::protocol_violation: return "protocol violation";
      case Condition::limit: return "limit exceeded";
      case Condition::auth: return "not authorised";
      case Condition::closed: return "closed";
    }
    return "unknown roost condition";
  }
};

}  // namespace

const std::error_category& condition_category() noexcept {
  static const ConditionCategory category;
  return category;
}

}  // namespace roost
