#include "roost/presence/presence_json.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/unordered/unordered_flat_map.hpp>

#include "roost/presence/meta.h"
#include "roost/proto/serializer.h"

namespace roost::presence {

namespace {

template <class Get>
std::string grouped(std::string_view topic, std::size_t n, Get get, const FetchHook& fetch) {
  // Group by key keeping first-seen order: one index per key, metas appended in order.
  std::vector<std::string_view> keys;
  std::vector<std::vector<const Entry*>> groups;
  boost::unordered_flat_map<std::string_view, std::size_t> index;
  for (std::size_t i = 0; i < n; ++i) {
    const Entry& e = get(i);
    auto [it, fresh] = index.emplace(std::string_view(e.key), keys.size());
    if (fresh) {
      keys.push_back(e.key);
      groups.emplace_back();
    }
    groups[it->second].push_back(&e);
  }
  if (fetch) {
    boost::json::object presences;
    for (std::size_t k = 0; k < keys.size(); ++k) {
      boost::json::array metas;
      for (const Entry* e : groups[k]) metas.push_back(boost::json::parse(to_json(e->meta)));
      presences[keys[k]] = boost::json::object{{"metas", std::move(metas)}};
    }
    fetch(topic, presences);
    return boost::json::serialize(presences);
  }
  std::string out = "{";
  for (std::size_t k = 0; k < keys.size(); ++k) {
    if (k) out += ',';
    proto::append_json_string(out, keys[k]);
    out += ":{\"metas\":[";
    bool first = true;
    for (const Entry* e : groups[k]) {
      if (!first) out += ',';
      first = false;
      out += to_json(e->meta);
    }
    out += "]}";
  }
  out += '}';
  return out;
}

}  // namespace

std::string grouped_json(std::string_view topic, std::span<const Entry* const> entries, const FetchHook& fetch) {
  return grouped(topic, entries.size(), [&](std::size_t i) -> const Entry& { return *entries[i]; }, fetch);
}

std::string grouped_json(std::string_view topic, std::span<const Entry> entries, const FetchHook& fetch) {
  return grouped(topic, entries.size(), [&](std::size_t i) -> const Entry& { return entries[i]; }, fetch);
}

std::string diff_json(std::string_view topic, std::span<const Entry> joins, std::span<const Entry> leaves,
                      const FetchHook& fetch) {
  std::string out = "{\"joins\":";
  out += grouped_json(topic, joins, fetch);
  out += ",\"leaves\":";
  out += grouped_json(topic, leaves, fetch);
  out += '}';
  return out;
}

}  // namespace roost::presence
