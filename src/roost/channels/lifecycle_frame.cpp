#include "roost/channels/lifecycle_frame.h"

#include "roost/proto/serializer.h"

namespace roost::channels {

proto::EncodedFrame encode_lifecycle_frame(proto::Serializer serializer, const proto::RawRef& join_ref,
                                           std::string_view topic, std::string_view event,
                                           std::string_view payload_json) {
  // A push whose ref position carries the join_ref too (V1 puts it in "ref").
  const proto::Payload payload = proto::Payload::json(std::string(payload_json));
  proto::OutboundMessage m;
  m.kind = proto::OutboundKind::push;
  m.join_ref = join_ref;
  m.ref = join_ref;
  m.topic = topic;
  m.event = event;
  m.payload = &payload;
  auto encoded = proto::encode(serializer, m);
  // A JSON push with short fields cannot fail to encode.
  return encoded ? std::move(*encoded) : proto::EncodedFrame{};
}

}  // namespace roost::channels
