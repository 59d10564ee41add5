// Role: the error enum of the sans-IO protocol layer (decoding/encoding Phoenix frames,
// query strings, long-poll bodies, origin rules). Each value maps onto a roost::Condition
// so transports can close a connection on "protocol_violation" without knowing the codec.
// Thread affinity: none. Ownership: the category is a function-local static.
#pragma once

#include <system_error>

namespace roost::proto {

enum class ProtoError {
  invalid_json = 1,      // not well-formed JSON (or invalid UTF-8 inside a JSON text frame)
  not_an_array,          // V2 text frame whose top-level value is not an array
  short_array,           // V2 text frame with fewer than five elements
  not_an_object,         // V1 text frame whose top-level value is not an object
  missing_key,           // V1 text frame without topic, event, payload or ref
  topic_not_string,      // topic present but not a JSON string
  event_not_string,      // event present but not a JSON string
  unknown_binary_kind,   // client binary frame whose kind byte is not 0 (push)
  truncated_binary,      // binary frame shorter than its header says
  binary_not_supported,  // binary frame or binary payload under the V1 serializer
  field_too_long,        // a binary header string field above 255 bytes (encode side)
  bad_vsn,               // vsn is not a semantic version matching ~> 1.0.0 or ~> 2.0.0
  bad_base64,            // a long-poll ndjson line that is not valid base64
  bad_query,             // malformed percent-encoding or invalid UTF-8 in a query string
  bad_origin,            // an origin rule that has no host
};

const std::error_category& proto_category() noexcept;

std::error_code make_error_code(ProtoError e) noexcept;

}  // namespace roost::proto

template <>
struct std::is_error_code_enum<roost::proto::ProtoError> : std::true_type {};
