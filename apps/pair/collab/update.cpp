// Role: decoding push/pull messages and encoding update lists (see update.h).
// Thread affinity: none (pure functions). Ownership: values.
#include "collab/update.h"

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include "collab/collab_errors.h"
#include "collab/utf16.h"

namespace pair::collab {

namespace json = boost::json;

roost::Result<std::int64_t> decode_version(const json::value& value) {
  if (value.is_int64() && value.get_int64() >= 0) return value.get_int64();
  if (value.is_uint64()) return make_error_code(CollabErrc::too_large);
  return make_error_code(CollabErrc::malformed);
}

roost::Result<std::vector<Update>> decode_updates(const json::value& value) {
  if (!value.is_array()) return make_error_code(CollabErrc::malformed);
  const json::array& list = value.get_array();
  if (list.size() > kMaxUpdatesPerPush) return make_error_code(CollabErrc::too_large);
  std::vector<Update> out;
  out.reserve(list.size());
  for (const json::value& item : list) {
    const json::object* obj = item.if_object();
    if (!obj) return make_error_code(CollabErrc::malformed);
    const json::value* id = obj->if_contains("clientID");
    const json::value* changes = obj->if_contains("changes");
    if (!id || !id->is_string() || !changes) return make_error_code(CollabErrc::malformed);
    std::string_view client_id = id->get_string();
    if (client_id.empty() || client_id.size() > kMaxClientIdBytes) return make_error_code(CollabErrc::malformed);
    if (!utf16_length(client_id)) return make_error_code(CollabErrc::invalid_text);
    auto set = decode_change_set(*changes);
    if (!set) return set.error();
    out.push_back(Update{std::string(client_id), std::move(*set)});
  }
  return out;
}

roost::Result<PushRequest> decode_push(const json::value& payload) {
  const json::object* obj = payload.if_object();
  if (!obj) return make_error_code(CollabErrc::malformed);
  const json::value* version = obj->if_contains("version");
  const json::value* updates = obj->if_contains("updates");
  if (!version || !updates) return make_error_code(CollabErrc::malformed);
  auto v = decode_version(*version);
  if (!v) return v.error();
  auto list = decode_updates(*updates);
  if (!list) return list.error();
  return PushRequest{*v, std::move(*list)};
}

store::CollabUpdate to_stored(const Update& update) {
  return store::CollabUpdate{update.client_id, update.changes.to_json_text()};
}

std::string updates_payload(std::int64_t from_version, const std::vector<store::CollabUpdate>& updates) {
  std::string out = "{\"version\":" + std::to_string(from_version) + ",\"updates\":[";
  for (std::size_t i = 0; i < updates.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += "{\"clientID\":";
    out += json::serialize(json::string(updates[i].client_id));
    out += ",\"changes\":";
    out += updates[i].changes_json;
    out.push_back('}');
  }
  out += "]}";
  return out;
}

}  // namespace pair::collab
