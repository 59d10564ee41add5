// Role: the messages of the collaborative-editing protocol, decoded strictly and encoded
// once. A client (@codemirror/collab) sends updates as {clientID, changes} with changes =
// ChangeSet.toJSON(); the server stores each as store::CollabUpdate (the client's id and
// the canonical JSON of its changes) and sends them back verbatim, oldest first:
//   push    {"version": V, "updates": [{"clientID": "...", "changes": [...]}, ...]}
//   pull    {"version": V}
//   stream  {"version": V, "updates": [...]}   V = the version the first update starts from
// The clientID is only an origin marker (a peer confirms its own updates by it), so it is
// kept byte for byte; unknown fields of an update (e.g. effects) are ignored.
// Thread affinity: none (pure functions). Ownership: values.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "collab/change_set.h"
#include "roost/core/result.h"
#include "store/store.h"

namespace pair::collab {

// A client ID is a short random string (@codemirror/collab: ~10 base-36 characters).
inline constexpr std::size_t kMaxClientIdBytes = 64;
// A client that was offline may push many keystroke updates at once; the socket's frame
// limit bounds the bytes, this bounds the count.
inline constexpr std::size_t kMaxUpdatesPerPush = 10000;

struct Update {
  std::string client_id;
  ChangeSet changes;
};

struct PushRequest {
  std::int64_t version = 0;
  std::vector<Update> updates;
};

// A version from a client: a JSON integer >= 0.
roost::Result<std::int64_t> decode_version(const boost::json::value& value);
// [{clientID, changes}, ...]
roost::Result<std::vector<Update>> decode_updates(const boost::json::value& value);
// The push payload {version, updates} (CollabErrc::malformed for anything else).
roost::Result<PushRequest> decode_push(const boost::json::value& payload);

// What the store keeps of an update: its id and the canonical JSON of its changes.
store::CollabUpdate to_stored(const Update& update);

// {"version": from, "updates": [...]}: the stored changes are copied in as raw JSON text,
// never parsed again.
std::string updates_payload(std::int64_t from_version, const std::vector<store::CollabUpdate>& updates);

}  // namespace pair::collab
