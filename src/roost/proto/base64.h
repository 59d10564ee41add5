// Role: base64 in the two alphabets the protocol uses: standard (+/) for long-poll binary
// lines (§9.4) and the auth-token subprotocol (§1.3, unpadded), and URL-safe (-_, unpadded)
// for tokens the server mints.
// Thread affinity: none (pure functions). Ownership: results are returned by value.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace roost::proto {

// Standard alphabet; with pad, the output length is a multiple of 4.
std::string base64_encode(std::string_view bytes, bool pad = true);

// Standard alphabet. Padding is optional, but if present it must be exactly what completes
// the last quantum. No whitespace. nullopt on any invalid input.
std::optional<std::string> base64_decode(std::string_view text);

// URL-safe alphabet (-_), never padded.
std::string base64url_encode(std::string_view bytes);

// URL-safe alphabet; padding optional as for base64_decode.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace roost::proto
