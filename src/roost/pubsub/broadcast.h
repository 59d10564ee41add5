// Role: Broadcast, one message for every subscriber of a topic, and its encodings.
// A broadcast is immutable once published. Each wire form (V1/V2 JSON, V2 binary; framed
// for WebSocket or bare for long-poll) is encoded at most once, on first use, into a
// SharedBytes that every subscriber's connection queues as is: no per-subscriber copy.
// Thread affinity: shared read-only across loops; the lazy encodings are guarded by
// std::call_once, so any loop may ask for any form.
// Ownership: held by std::shared_ptr (BroadcastPtr) by the publisher, each loop's fan-out
// and, briefly, by nothing else (connections hold the SharedBytes, not the Broadcast).
#pragma once

#include <array>
#include <memory>
#include <mutex>
#include <string>

#include "roost/core/result.h"
#include "roost/core/shared_bytes.h"
#include "roost/proto/message.h"

namespace roost::pubsub {

class Subscriber;

class Broadcast {
 public:
  Broadcast(std::string topic, std::string event, proto::Payload payload, const Subscriber* from = nullptr);

  const std::string& topic() const noexcept { return topic_; }
  const std::string& event() const noexcept { return event_; }
  const proto::Payload& payload() const noexcept { return payload_; }
  // The subscriber that must not receive it (broadcast_from), or nullptr.
  const Subscriber* from() const noexcept { return from_; }

  // The complete WebSocket frame (header included) for a serializer; null if the
  // broadcast cannot be encoded for it (a binary payload for V1).
  const SharedBytes& websocket_frame(proto::Serializer s) const;
  // The bare text frame for long-poll; null for binary payloads, which long-poll
  // cannot carry (protocol.md §5.5).
  const SharedBytes& text_frame(proto::Serializer s) const;

  // Encodes the V2 form eagerly so a publisher learns at once that its broadcast
  // cannot be sent (e.g. a binary field over 255 bytes, conformance item 64).
  std::error_code validate() const;

 private:
  struct Slot {
    mutable std::once_flag once;
    mutable SharedBytes bytes;
  };
  const SharedBytes& encode(proto::Serializer s, bool framed) const;

  std::string topic_;
  std::string event_;
  proto::Payload payload_;
  const Subscriber* from_;
  std::array<Slot, 4> slots_;  // [serializer][framed]
};

using BroadcastPtr = std::shared_ptr<const Broadcast>;

}  // namespace roost::pubsub
