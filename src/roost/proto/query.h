// Role: URL query string -> connect params, decoded the way Plug decodes them for the
// reference server (protocol.md §1.1), so an application sees the same params for the same
// phoenix.js URL: `user[id]=5` -> {"user":{"id":"5"}}, `ids[0]=a` -> {"ids":{"0":"a"}},
// `a[]=x&a[]=y` -> {"a":["x","y"]}, empty pairs skipped, the last duplicate wins, a key
// without '=' has the value "". Values are always strings.
// Thread affinity: none (pure function). Ownership: the object is returned by value.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "roost/core/result.h"
#include "roost/proto/errors.h"

namespace roost::proto {

// query: the part after '?', without the '?' (a leading '?' is tolerated). bad_query for
// malformed percent-encoding or bytes that are not valid UTF-8 after decoding.
Result<boost::json::object> parse_query(std::string_view query);

}  // namespace roost::proto
