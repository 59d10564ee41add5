// Role: the Phoenix wire codecs. Negotiates the serializer from `vsn`, decodes client text
// frames (V2 arrays, V1 objects) and V2 binary pushes into InboundMessage, and encodes an
// OutboundMessage as a V2/V1 JSON text frame or a V2 binary frame (protocol.md §3–§5).
// Sans-IO: no sockets, no clock. Both directions sit on the per-message path, so decoding
// uses simdjson on-demand and slices payloads out of the frame instead of rebuilding them,
// and encoding writes into one pre-sized string.
// Thread affinity: any thread. Decoding uses a thread-local scratch parser, so concurrent
// calls on different threads do not contend. Ownership: results own their bytes; inputs are
// only borrowed for the duration of the call.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "roost/core/result.h"
#include "roost/proto/errors.h"
#include "roost/proto/message.h"

namespace roost::proto {

// vsn absent -> v1; "~> 1.0.0" (>= 1.0.0 < 1.1.0) -> v1; "~> 2.0.0" -> v2. The text must be a
// semantic version (MAJOR.MINOR.PATCH, optional -pre and +build, no leading zeros); a
// pre-release sorts before its release, so "2.0.0-rc.1" matches neither. Else bad_vsn.
Result<Serializer> negotiate_vsn(std::optional<std::string_view> vsn);

// Decodes one client text frame (§3 for V2, §4 for V1). The whole frame is validated as JSON
// (a payload is forwarded verbatim to other clients, so it must not carry garbage).
Result<InboundMessage> decode_text(Serializer serializer, std::string_view text);

// Decodes one client binary frame (§5.1, kind 0 only). Under V1 -> binary_not_supported.
Result<InboundMessage> decode_binary(Serializer serializer, std::string_view bytes);

// Encodes one server frame (§3, §4, §5.2–5.4). A binary payload (or binary reply response)
// gives a V2 binary frame; under V1 it is binary_not_supported. A binary header field over
// 255 bytes is field_too_long.
Result<EncodedFrame> encode(Serializer serializer, const OutboundMessage& message);

// Appends s to out as a quoted JSON string, escaped as the reference server does ('"', '\\'
// and control characters only; '/' and non-ASCII UTF-8 are left as they are).
void append_json_string(std::string& out, std::string_view s);

}  // namespace roost::proto
