#include "roost/channels/channel_presence.h"

#include <boost/json/serialize.hpp>

#include "roost/channels/channel_core.h"
#include "roost/presence/tracker.h"

namespace roost::channels {

Task<Result<std::string>> ChannelPresence::track(std::string key, const boost::json::object& meta) {
  presence::Tracker& tracker = core_.tracker();
  presence::Owner owner = core_.presence_owner();
  co_return co_await tracker.track(std::move(owner), core_.topic(), std::move(key), boost::json::serialize(meta));
}

Task<Result<std::string>> ChannelPresence::update(std::string key, const boost::json::object& meta) {
  presence::Tracker& tracker = core_.tracker();
  presence::Owner owner = core_.presence_owner();
  co_return co_await tracker.update(std::move(owner), core_.topic(), std::move(key), boost::json::serialize(meta));
}

Task<void> ChannelPresence::untrack(std::string key) {
  presence::Tracker& tracker = core_.tracker();
  presence::Owner owner = core_.presence_owner();
  co_await tracker.untrack(std::move(owner), core_.topic(), std::move(key));
}

Task<void> ChannelPresence::untrack_all() {
  presence::Tracker& tracker = core_.tracker();
  presence::Owner owner = core_.presence_owner();
  co_await tracker.untrack_owner(std::move(owner), core_.topic());
}

Task<std::string> ChannelPresence::list() { co_return co_await core_.tracker().list(core_.topic()); }

Task<std::string> ChannelPresence::get_by_key(std::string key) {
  co_return co_await core_.tracker().get_by_key(core_.topic(), std::move(key));
}

Task<void> ChannelPresence::push_state() {
  std::string state = co_await list();
  core_.push("presence_state", proto::Payload::json(std::move(state)));
}

}  // namespace roost::channels
