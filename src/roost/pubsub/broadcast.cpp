#include "roost/pubsub/broadcast.h"

#include "roost/proto/serializer.h"
#include "roost/websocket/frame_writer.h"

namespace roost::pubsub {

Broadcast::Broadcast(std::string topic, std::string event, proto::Payload payload, const Subscriber* from)
    : topic_(std::move(topic)), event_(std::move(event)), payload_(std::move(payload)), from_(from) {}

const SharedBytes& Broadcast::websocket_frame(proto::Serializer s) const { return encode(s, true); }

const SharedBytes& Broadcast::text_frame(proto::Serializer s) const { return encode(s, false); }

const SharedBytes& Broadcast::encode(proto::Serializer s, bool framed) const {
  const Slot& slot = slots_[static_cast<std::size_t>(s) * 2 + (framed ? 1 : 0)];
  std::call_once(slot.once, [&] {
    proto::OutboundMessage msg{};
    msg.kind = proto::OutboundKind::broadcast;
    msg.topic = topic_;
    msg.event = event_;
    msg.payload = &payload_;
    auto encoded = proto::encode(s, msg);
    if (!encoded) return;
    if (!framed) {
      if (encoded->binary) return;
      slot.bytes = make_shared_bytes(std::move(encoded->bytes));
      return;
    }
    auto op = encoded->binary ? websocket::Opcode::binary : websocket::Opcode::text;
    slot.bytes = make_shared_bytes(websocket::make_frame(op, encoded->bytes));
  });
  return slot.bytes;
}

std::error_code Broadcast::validate() const {
  // V2 is what every shipped client speaks; its only encoding failure is a binary
  // header field over 255 bytes. Encoding it here also warms the common slot.
  if (!websocket_frame(proto::Serializer::v2_json)) return proto::make_error_code(proto::ProtoError::field_too_long);
  return {};
}

}  // namespace roost::pubsub
