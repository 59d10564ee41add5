#include "presence_channel.h"

#include <boost/json.hpp>
#include <charconv>
#include <stdexcept>

namespace room {

namespace json = boost::json;
using roost::Task;
using roost::channels::InResult;
using roost::channels::JoinResult;
using roost::proto::Payload;

namespace {

struct AfterJoin {};

// The string form of a scalar key, as Phoenix's to_string gives it: 42 → "42",
// 1.5 → "1.5" (shortest round-trip form), true → "true".
std::string key_of(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_double()) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v.get_double());
    return ec == std::errc() ? std::string(buf, end) : json::serialize(v);
  }
  return json::serialize(v);
}

json::object meta_for(const json::value& name, bool away) {
  json::object meta{{"name", name}};
  if (away) meta["away"] = true;
  return meta;
}

}  // namespace

Task<JoinResult> PresenceChannel::join(std::string_view, const Payload& payload) {
  if (!payload.is_binary()) {
    boost::system::error_code ec;
    json::value v = json::parse(payload.data, ec);
    if (!ec && v.is_object()) {
      if (auto* n = v.as_object().if_contains("name"); n && !n->is_null() && !n->is_object() && !n->is_array()) {
        name_ = *n;
        // Keys are strings on the wire: 42 → "42" (conformance item 88).
        key_ = key_of(*n);
      }
    }
  }
  // Track and push the snapshot once joined, as Phoenix apps do from :after_join.
  self().send(AfterJoin{});
  co_return JoinResult::ok();
}

Task<void> PresenceChannel::handle_info(std::any message) {
  if (!std::any_cast<AfterJoin>(&message)) co_return;
  if (name_) {
    // A refused track (the key is over its meta limit) leaves the join in place, as a
    // Phoenix app that ignores track's {:error, reason} would; the client learns why.
    auto r = co_await presence().track(key_, meta_for(*name_, false));
    if (!r) push("presence_error", json::value{{"reason", r.error().message()}});
  }
  co_await presence().push_state();
}

Task<InResult> PresenceChannel::handle_in(std::string_view event, const Payload&) {
  if (event == "boom") throw std::runtime_error("boom requested");
  if (!name_) co_return InResult::error(json::value{{"reason", "no name"}});
  if (event == "away") {
    auto r = co_await presence().update(key_, meta_for(*name_, true));
    if (!r) co_return InResult::error(json::value{{"reason", "nopresence"}});
    co_return InResult::ok();
  }
  if (event == "untrack") {
    co_await presence().untrack(key_);
    co_return InResult::ok();
  }
  if (event == "track") {
    auto r = co_await presence().track(key_, meta_for(*name_, false));
    // Phoenix's {:error, reason}: already_tracked, or too_many_metas over the limit.
    if (!r) co_return InResult::error(json::value{{"reason", r.error().message()}});
    co_return InResult::ok();
  }
  co_return InResult::error(json::value{{"reason", "unknown event"}});
}

roost::presence::FetchHook fixture_fetch_hook() {
  return [](std::string_view topic, json::object& presences) {
    if (!topic.starts_with("presence:fetch:")) return;
    for (auto& [key, entry] : presences) entry.as_object()["user"] = json::object{{"key", key}};
  };
}

}  // namespace room
