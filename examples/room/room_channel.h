// Role: the fixture channels of spec/conformance.md: RoomChannel (`room:*` and the exact
// topic `phoenix`) answering the fixture's events, and InterceptChannel (`icpt:*`), which
// intercepts the `secret` broadcast and pushes it with "seen_by":"channel".
// Thread affinity: the socket's loop (as every Channel).
#pragma once

#include "roost/channels/channel.h"

namespace room {

class RoomChannel : public roost::channels::Channel {
 public:
  roost::Task<roost::channels::JoinResult> join(std::string_view topic, const roost::proto::Payload& payload) override;
  roost::Task<roost::channels::InResult> handle_in(std::string_view event, const roost::proto::Payload& payload) override;

 private:
  std::string join_payload_ = "{}";
};

class InterceptChannel : public RoomChannel {
 public:
  InterceptChannel() { intercept({"secret"}); }
  void handle_out(std::string_view event, const roost::proto::Payload& payload) override;
};

}  // namespace room
