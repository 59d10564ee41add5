// Role: the V2 binary frame layouts (protocol.md §5): encoding server pushes (kind 0, 4-byte
// header), replies (kind 1) and broadcasts (kind 2). Used by encode(); decoding of client
// pushes is decode_binary() in serializer.h.
// Thread affinity: none (pure functions). Ownership: the frame is returned by value; the
// message is only read.
#pragma once

#include "roost/core/result.h"
#include "roost/proto/message.h"

namespace roost::proto::detail {

// Every header string field is one length byte on the wire.
inline constexpr std::size_t kMaxBinaryField = 255;

// Encodes message as a V2 binary frame; its payload must be binary. field_too_long when a
// join_ref, ref, topic, event or status is longer than kMaxBinaryField bytes.
Result<EncodedFrame> encode_binary(const OutboundMessage& message);

}  // namespace roost::proto::detail
