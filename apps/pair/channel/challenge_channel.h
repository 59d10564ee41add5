// Role: ChallengeChannel, the `challenges:<id>` room of Pair: everyone in it sees the
// challenge's response change as anyone types, who is in the room, and who is typing.
//   join {}                  → ok {"challenge": {...}} (response and version included);
//                              unknown id → error {"reason": "not_found"}. Then the user
//                              is tracked in Presence (key = user id) with meta
//                              {user_id, first_name, typing, color, cursor} and gets
//                              presence_state.
//   response:update {response}    → one whole-text update; broadcasts response:updated
//                              {challenge} (and collab:updates); ok {challenge}.
//   collab:push {version, updates} → ok {version: new}; broadcasts collab:updates
//                              {version: <start>, updates} to everyone, the pusher
//                              included; error {reason: "stale"|"desync", version} or
//                              {reason: "invalid"|"too_large"}.
//   collab:pull {version}    → ok {version, updates: every update after version}.
//   cursor {anchor, head}    → the user's presence meta cursor; ok.
// Edits set typing:true; TypingTimer sets it back to false after kTypingIdle without one.
// The socket's assigns must hold the signed-in user as {"user_id": <int>, "first_name":
// <string>} (the connect callback of pair_app puts them there); a socket without them
// cannot join.
// Thread affinity: the socket's loop (as every Channel); store work goes through the
// DocumentService, which runs it on the WorkerPool.
// Ownership: created per join by the router's factory; borrows the DocumentService.
#pragma once

#include <chrono>
#include <cstdint>

#include "channel/participant.h"
#include "channel/typing_timer.h"
#include "collab/document_service.h"
#include "roost/channels/channel.h"

namespace pair::channel {

// Long enough to span the pauses of someone thinking mid-line, short enough that the
// indicator disappears soon after they stop.
inline constexpr std::chrono::milliseconds kTypingIdle{2000};

class ChallengeChannel : public roost::channels::Channel {
 public:
  explicit ChallengeChannel(collab::DocumentService& documents, std::chrono::milliseconds typing_idle = kTypingIdle)
      : documents_(documents), typing_(typing_idle) {}

  roost::Task<roost::channels::JoinResult> join(std::string_view topic, const roost::proto::Payload& payload) override;
  roost::Task<roost::channels::InResult> handle_in(std::string_view event, const roost::proto::Payload& payload) override;
  roost::Task<void> handle_info(std::any message) override;

 private:
  roost::Task<roost::channels::InResult> update_response(const roost::proto::Payload& payload);
  roost::Task<roost::channels::InResult> collab_push(const roost::proto::Payload& payload);
  roost::Task<roost::channels::InResult> collab_pull(const roost::proto::Payload& payload);
  roost::Task<roost::channels::InResult> move_cursor(const roost::proto::Payload& payload);
  // typing:true now (one presence update when it changes), false after the idle period.
  roost::Task<void> mark_typing();
  roost::Task<void> publish_meta();

  collab::DocumentService& documents_;
  TypingTimer typing_;
  std::int64_t challenge_id_ = 0;
  Participant me_;
};

}  // namespace pair::channel
