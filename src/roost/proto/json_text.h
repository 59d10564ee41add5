// Role: small JSON text helpers shared by the codecs (not a JSON library): the whitespace
// and number grammar of RFC 8259, and unescaping one JSON string token. The JSON string
// *writer* is append_json_string in serializer.h.
// Thread affinity: none (pure functions). Ownership: results are returned by value.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace roost::proto::detail {

// Strips JSON insignificant whitespace (space, tab, CR, LF) from both ends.
std::string_view trim_json_ws(std::string_view s) noexcept;

// True when s is exactly one JSON number (RFC 8259 grammar; no size limit, so integers
// beyond 64 bits pass through unchanged, as the reference server accepts them).
bool is_json_number(std::string_view s) noexcept;

// The value of a quoted JSON string token ("\"a\\nb\"" -> "a\nb"), nullopt if the token is
// not a well-formed JSON string.
std::optional<std::string> unescape_json_string(std::string_view token);

}  // namespace roost::proto::detail
