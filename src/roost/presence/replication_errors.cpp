#include "roost/presence/replication_errors.h"

#include <string>

#include "roost/core/errors.h"

namespace roost::presence {
namespace {

class ReplicationCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "roost.presence.replication"; }

  std::string message(int value) const override {
    switch (static_cast<ReplicationError>(value)) {
      case ReplicationError::truncated: return "replication message truncated";
      case ReplicationError::bad_version: return "unknown replication format version";
      case ReplicationError::unknown_kind: return "unknown replication message kind";
      case ReplicationError::bad_varint: return "malformed integer";
      case ReplicationError::bad_index: return "replica index outside the replica table";
      case ReplicationError::duplicate: return "duplicate replica, dot or key";
      case ReplicationError::bad_clock: return "invalid clock, cloud or range";
      case ReplicationError::unseen_value: return "value whose dot the message does not cover";
      case ReplicationError::bad_utf8: return "string is not valid UTF-8";
      case ReplicationError::bad_meta: return "meta is not a JSON object";
      case ReplicationError::empty_field: return "empty node name, topic or phx_ref";
      case ReplicationError::bad_flag: return "boolean byte is neither 0 nor 1";
      case ReplicationError::trailing_bytes: return "bytes after the end of the message";
      case ReplicationError::too_large: return "field beyond the decoder's limits";
    }
    return "unknown replication error";
  }

  std::error_condition default_error_condition(int value) const noexcept override {
    if (static_cast<ReplicationError>(value) == ReplicationError::too_large) {
      return make_error_condition(Condition::limit);
    }
    return make_error_condition(Condition::protocol_violation);
  }
};

}  // namespace

const std::error_category& replication_category() noexcept {
  static const ReplicationCategory category;
  return category;
}

std::error_code make_error_code(ReplicationError e) noexcept {
  return {static_cast<int>(e), replication_category()};
}

}  // namespace roost::presence
