// Role: the wire shapes of Presence (presence.md §3): a grouped presence map
// {key: {"metas": [...]}} for presence_state and for each side of a presence_diff, with
// the application's fetch hook applied.
// Thread affinity: none (pure functions). Ownership: returns owned JSON text.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "roost/presence/entry.h"

namespace roost::presence {

// Decorates grouped presences before they go out (e.g. adds a "user" object per key). It
// receives {key: {"metas": [...]}} and may add fields next to "metas"; it must keep every
// key and its metas. Without a hook the JSON is written directly, without a DOM.
using FetchHook = std::function<void(std::string_view topic, boost::json::object& presences)>;

// Entries in any order; keys appear in first-seen order, metas in entry order.
std::string grouped_json(std::string_view topic, std::span<const Entry* const> entries, const FetchHook& fetch);
std::string grouped_json(std::string_view topic, std::span<const Entry> entries, const FetchHook& fetch);

// {"joins":{...},"leaves":{...}}: both sides always present (presence.md §6.9).
std::string diff_json(std::string_view topic, std::span<const Entry> joins, std::span<const Entry> leaves,
                      const FetchHook& fetch);

}  // namespace roost::presence
