// Role: encodes phx_close / phx_error, the two frames whose ref position repeats the
// join_ref ([join_ref, join_ref, topic, event, payload], protocol.md §7.8).
// Thread affinity: none. Ownership: returns an owned frame.
#pragma once

#include "roost/proto/message.h"

namespace roost::channels {

proto::EncodedFrame encode_lifecycle_frame(proto::Serializer serializer, const proto::RawRef& join_ref,
                                           std::string_view topic, std::string_view event,
                                           std::string_view payload_json);

}  // namespace roost::channels
