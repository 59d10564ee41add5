// Role: the value types that travel through the protocol layer: a decoded client frame
// (InboundMessage), a description of a frame to send (OutboundMessage), payloads and refs
// kept as raw wire text, and the encoded bytes (EncodedFrame).
// Thread affinity: none (plain values). Ownership: InboundMessage, Payload and EncodedFrame
// own their bytes; OutboundMessage only borrows (string_views and a Payload pointer) so a
// broadcast can be encoded without copying its payload; the borrowed data must outlive the
// encode() call.
// Invariant: a JSON Payload holds exactly one JSON value as text; refs are raw JSON tokens so
// whatever the client sent ("12" or 12) is echoed back byte for byte.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace roost::proto {

enum class Serializer : uint8_t { v1_json, v2_json };

// A ref or join_ref exactly as it appeared on the wire, as raw JSON token text:
// "\"12\"" for the string "12", "42" for the number 42; std::nullopt for JSON null or absent.
// Binary frames carry string refs; they are stored JSON-quoted too (empty field -> nullopt),
// so a ref from a binary frame compares equal to the same ref from a text frame.
using RawRef = std::optional<std::string>;

// JSON-quotes and escapes s (the RawRef of the string s).
RawRef raw_ref_from_string(std::string_view s);

// The string a RawRef stands for: the unescaped value of a quoted ref, or the raw text of
// any other JSON token (42 -> "42"). nullopt -> "". Binary frames need it, as they carry
// refs as plain bytes.
std::string raw_ref_value(const RawRef& ref);

enum class PayloadKind : uint8_t { json, binary };

// A payload as it travels: raw JSON text or raw bytes. Kept as text so that a payload
// received from one client can be broadcast to many without re-serialising it.
struct Payload {
  PayloadKind kind = PayloadKind::json;
  std::string data;  // JSON text (any JSON value) or binary bytes

  static Payload json(std::string text);
  static Payload binary(std::string bytes);
  static Payload empty_object();  // "{}"
  bool is_binary() const noexcept { return kind == PayloadKind::binary; }

  friend bool operator==(const Payload&, const Payload&) = default;
};

// A decoded client frame.
struct InboundMessage {
  RawRef join_ref;
  RawRef ref;
  std::string topic;
  std::string event;
  Payload payload;  // a JSON payload is the exact raw text slice of the frame

  friend bool operator==(const InboundMessage&, const InboundMessage&) = default;
};

enum class OutboundKind : uint8_t { push, reply, broadcast };

// What to send. push: [join_ref, ref, topic, event, payload] where ref is normally absent
// (null); reply: [join_ref, ref, topic, "phx_reply", {"response": payload, "status": status}];
// broadcast: [null, null, topic, event, payload]. Fields a kind does not use are ignored.
struct OutboundMessage {
  OutboundKind kind = OutboundKind::push;
  RawRef join_ref;                    // push/reply only; ignored for broadcast
  RawRef ref;                         // reply; for push leave it empty, except phx_close and
                                      // phx_error, which carry the join_ref here too (§7.8).
                                      // A binary push has no ref field, so it is dropped there.
  std::string_view topic;
  std::string_view event;             // push/broadcast; for reply ignored ("phx_reply")
  std::string_view status;            // reply only ("ok", "error", any string)
  const Payload* payload = nullptr;   // push/broadcast payload, or the reply's response;
                                      // nullptr (or an empty JSON text) is sent as {}
};

// One frame ready for the transport: a WebSocket text frame (binary == false) or binary frame.
struct EncodedFrame {
  bool binary = false;
  std::string bytes;

  friend bool operator==(const EncodedFrame&, const EncodedFrame&) = default;
};

}  // namespace roost::proto
