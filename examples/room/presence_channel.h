// Role: the fixture's `presence:*` channel (spec/conformance.md): after joining it tracks
// key = the join param `name` (any JSON scalar, in its string form) with meta
// {"name": <name>} and pushes `presence_state`; events `away`, `untrack`, `track` and
// `boom` exercise update, untrack, already_tracked / nopresence and crash cleanup.
// Also the fixture's fetch hook (topics `presence:fetch:*` get "user": {"key": <key>}).
// Thread affinity: the socket's loop (the fetch hook: the topic's tracker shard loop).
#pragma once

#include <optional>

#include "roost/channels/channel.h"
#include "roost/presence/presence_json.h"

namespace room {

class PresenceChannel : public roost::channels::Channel {
 public:
  roost::Task<roost::channels::JoinResult> join(std::string_view topic, const roost::proto::Payload& payload) override;
  roost::Task<void> handle_info(std::any message) override;
  roost::Task<roost::channels::InResult> handle_in(std::string_view event, const roost::proto::Payload& payload) override;

 private:
  std::optional<boost::json::value> name_;  // the join's `name`, if any
  std::string key_;
};

roost::presence::FetchHook fixture_fetch_hook();

}  // namespace room
