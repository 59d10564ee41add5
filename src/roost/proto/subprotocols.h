// Role: reads the Sec-WebSocket-Protocol request header (protocol.md §1.3): whether
// "phoenix" was offered, the auth token carried as "base64url.bearer.phx.<B64>" (standard
// base64 alphabet despite the name, padding stripped by the client), and the other values,
// so the handshake can pick the subprotocol to answer with.
// Thread affinity: none (pure function). Ownership: the offer is returned by value.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace roost::proto {

inline constexpr std::string_view kPhoenixSubprotocol = "phoenix";
inline constexpr std::string_view kAuthTokenPrefix = "base64url.bearer.phx.";

struct SubprotocolOffer {
  bool offered_any = false;      // the header held at least one non-empty value
  bool offered_phoenix = false;  // "phoenix" was among the values
  std::optional<std::string> auth_token;  // the decoded bearer value, when well-formed
  std::vector<std::string> others;        // remaining values (not phoenix, not the bearer),
                                          // trimmed, in offered order
  bool malformed = false;  // more than one bearer entry, or the bearer is not valid base64;
                           // auth_token is then absent
};

// header_value: the header's value (several header lines joined with ","). Values are split
// on ',' and trimmed of spaces and tabs; empty values are skipped.
SubprotocolOffer parse_subprotocols(std::string_view header_value);

}  // namespace roost::proto
