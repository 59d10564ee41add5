// Role: ChannelPresence, Presence as channel code uses it (Phoenix.Presence.track/3 and
// friends on a channel's socket): track, update and untrack keys of this channel on its
// topic, list the topic, and push `presence_state`. Entries are owned by the channel: when
// it leaves, crashes or its socket closes, they leave with it (one diff per topic).
// Thread affinity: the channel's loop; every call is a request to the topic's tracker
// shard, which may live on another loop, so each is awaited.
// Ownership: a light handle over the channel's core; use it from the channel's callbacks.
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "roost/core/result.h"
#include "roost/core/task.h"

namespace roost::channels {

class ChannelCore;

class ChannelPresence {
 public:
  explicit ChannelPresence(ChannelCore& core) : core_(core) {}

  // The meta is a JSON object; the tracker adds phx_ref (and phx_ref_prev on update).
  // Results: the new phx_ref, or presence::TrackerError::already_tracked / nopresence.
  Task<Result<std::string>> track(std::string key, const boost::json::object& meta);
  Task<Result<std::string>> update(std::string key, const boost::json::object& meta);
  Task<void> untrack(std::string key);
  // Every key this channel tracks on its topic (what happens anyway when it ends).
  Task<void> untrack_all();
  // {key: {"metas": [...]}} of this channel's topic, through the fetch hook.
  Task<std::string> list();
  Task<std::string> get_by_key(std::string key);
  // Pushes `presence_state` with list() to this client (do it after every join).
  Task<void> push_state();

 private:
  ChannelCore& core_;
};

}  // namespace roost::channels
