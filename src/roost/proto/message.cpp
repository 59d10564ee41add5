#include "roost/proto/message.h"

#include <utility>

#include "roost/proto/json_text.h"
#include "roost/proto/serializer.h"

namespace roost::proto {

RawRef raw_ref_from_string(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  append_json_string(out, s);
  return out;
}

std::string raw_ref_value(const RawRef& ref) {
  if (!ref) return {};
  const std::string_view text = *ref;
  if (!text.empty() && text.front() == '"') {
    if (auto value = detail::unescape_json_string(text)) return std::move(*value);
  }
  // A number (or any other token) is carried as its text, e.g. 42 -> "42".
  return std::string(text);
}

Payload Payload::json(std::string text) { return Payload{PayloadKind::json, std::move(text)}; }

Payload Payload::binary(std::string bytes) {
  return Payload{PayloadKind::binary, std::move(bytes)};
}

Payload Payload::empty_object() { return Payload{PayloadKind::json, "{}"}; }

}  // namespace roost::proto
