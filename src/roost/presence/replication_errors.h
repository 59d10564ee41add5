// Role: the error enum of presence replication: why a message from another node was
// refused by the wire decoder (replication_codec.h). Every value but one is a peer
// sending bytes the format forbids; `too_large` is a size limit.
// Thread affinity: none. Ownership: the category is a function-local static.
#pragma once

#include <system_error>

namespace roost::presence {

enum class ReplicationError {
  truncated = 1,     // the message ends inside a field
  bad_version,       // unknown format version byte
  unknown_kind,      // unknown message kind byte
  bad_varint,        // an integer longer than 64 bits or not in its shortest form
  bad_index,         // a replica index outside the message's replica table
  duplicate,         // the same replica, dot or map key twice where the format forbids it
  bad_clock,         // a dot with clock 0, a cloud not strictly ascending, a range start past its end
  unseen_value,      // a value whose dot the message's own context and clouds do not cover
  bad_utf8,          // a string that is not valid UTF-8
  bad_meta,          // meta fields that are not the text of a JSON object
  empty_field,       // an empty node name, topic or phx_ref
  bad_flag,          // a boolean byte other than 0 or 1
  trailing_bytes,    // bytes after the end of the message
  too_large,         // a string or table beyond the decoder's limits
};

const std::error_category& replication_category() noexcept;

std::error_code make_error_code(ReplicationError e) noexcept;

}  // namespace roost::presence

template <>
struct std::is_error_code_enum<roost::presence::ReplicationError> : std::true_type {};
