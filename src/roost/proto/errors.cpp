#include "roost/proto/errors.h"

#include <string>

#include "roost/core/errors.h"

namespace roost::proto {
namespace {

class ProtoCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "roost.proto"; }

  std::string message(int value) const override {
    switch (static_cast<ProtoError>(value)) {
      case ProtoError::invalid_json: return "invalid JSON";
      case ProtoError::not_an_array: return "frame is not a JSON array";
      case ProtoError::short_array: return "frame array has fewer than five elements";
      case ProtoError::not_an_object: return "frame is not a JSON object";
      case ProtoError::missing_key: return "frame object lacks a required key";
      case ProtoError::topic_not_string: return "topic is not a string";
      case ProtoError::event_not_string: return "event is not a string";
      case ProtoError::unknown_binary_kind: return "unknown binary frame kind";
      case ProtoError::truncated_binary: return "binary frame shorter than its header";
      case ProtoError::binary_not_supported: return "binary frames need serializer 2.0.0";
      case ProtoError::field_too_long: return "binary frame field longer than 255 bytes";
      case ProtoError::bad_vsn: return "unsupported serializer version";
      case ProtoError::bad_base64: return "invalid base64";
      case ProtoError::bad_query: return "malformed query string";
      case ProtoError::bad_origin: return "origin rule has no host";
    }
    return "unknown protocol error";
  }

  std::error_condition default_error_condition(int value) const noexcept override {
    // An oversized field is our own output hitting the format's limit, not the peer
    // misbehaving, so it is grouped with the other limits.
    if (static_cast<ProtoError>(value) == ProtoError::field_too_long) {
      return make_error_condition(Condition::limit);
    }
    return make_error_condition(Condition::protocol_violation);
  }
};

}  // namespace

const std::error_category& proto_category() noexcept {
  static const ProtoCategory category;
  return category;
}

std::error_code make_error_code(ProtoError e) noexcept {
  return {static_cast<int>(e), proto_category()};
}

}  // namespace roost::proto
