// Role: Meta, the metadata of one entry version: the application's JSON object text plus
// the two fields the tracker owns, `phx_ref` (unique id of this version) and
// `phx_ref_prev` (the ref this version replaced, set by an update only).
// Thread affinity: none (a value type). Ownership: holds its strings.
// Invariants: `fields` is the text of a JSON object (the Presence layer validates it, the
// tracker treats it as opaque bytes so merges never parse JSON); `phx_ref` is unique
// across the cluster and never reused for another version.
#pragma once

#include <string>

namespace roost::presence {

struct Meta {
  std::string fields = "{}";
  std::string phx_ref;
  std::string phx_ref_prev;  // empty: this version is not the result of an update

  friend bool operator==(const Meta&, const Meta&) = default;
};

// The meta as clients see it: `fields` with "phx_ref" (and "phx_ref_prev" when set)
// appended as the object's last members. Appending, not replacing, keeps this O(size)
// without a JSON parse; a JSON reader keeps the last of duplicate names, so an
// application-supplied "phx_ref" cannot shadow the tracker's. Text that is not an object
// is replaced by an object holding only the refs.
std::string to_json(const Meta& meta);

}  // namespace roost::presence
