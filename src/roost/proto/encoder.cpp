// encode(): server frames as V2 JSON arrays, V1 JSON objects (protocol.md §3, §4) or, for
// binary payloads, V2 binary frames (§5). Called once per reply and once per broadcast per
// serializer, so the output string is sized up front and written in one pass.
#include "roost/proto/binary_codec.h"
#include "roost/proto/serializer.h"

namespace roost::proto {
namespace {

constexpr std::string_view kReplyEvent = "phx_reply";
constexpr std::string_view kEmptyObject = "{}";
// Room for the punctuation and nulls around the variable parts; escapes in topic, event or
// status (rare) may grow the string past it, which only costs a reallocation.
constexpr std::size_t kEnvelopeSlack = 64;

// The JSON text to send for a payload: a missing or empty payload is the empty object, as
// every server payload must be a JSON object.
std::string_view json_payload(const Payload* payload) {
  if (payload == nullptr || payload->data.empty()) return kEmptyObject;
  return payload->data;
}

void append_ref(std::string& out, const RawRef& ref) {
  if (ref) {
    out.append(*ref);
  } else {
    out.append("null");
  }
}

std::size_t ref_size(const RawRef& ref) { return ref ? ref->size() : 4; }

// {"response":<payload>,"status":"<status>"}: the key order the reference server emits.
void append_reply_body(std::string& out, std::string_view response, std::string_view status) {
  out.append("{\"response\":");
  out.append(response);
  out.append(",\"status\":");
  append_json_string(out, status);
  out.push_back('}');
}

std::string encode_v2(const OutboundMessage& m, std::string_view payload) {
  const bool reply = m.kind == OutboundKind::reply;
  const bool broadcast = m.kind == OutboundKind::broadcast;
  const std::string_view event = reply ? kReplyEvent : m.event;
  std::string out;
  out.reserve(kEnvelopeSlack + ref_size(m.join_ref) + ref_size(m.ref) + m.topic.size() +
              event.size() + m.status.size() + payload.size());
  out.push_back('[');
  append_ref(out, broadcast ? RawRef{} : m.join_ref);
  out.push_back(',');
  append_ref(out, broadcast ? RawRef{} : m.ref);
  out.push_back(',');
  append_json_string(out, m.topic);
  out.push_back(',');
  append_json_string(out, event);
  out.push_back(',');
  if (reply) {
    append_reply_body(out, payload, m.status);
  } else {
    out.append(payload);
  }
  out.push_back(']');
  return out;
}

// V1 objects never carry join_ref; keys in the reference server's (alphabetical) order.
std::string encode_v1(const OutboundMessage& m, std::string_view payload) {
  const bool reply = m.kind == OutboundKind::reply;
  const std::string_view event = reply ? kReplyEvent : m.event;
  std::string out;
  out.reserve(kEnvelopeSlack + ref_size(m.ref) + m.topic.size() + event.size() +
              m.status.size() + payload.size());
  out.append("{\"event\":");
  append_json_string(out, event);
  out.append(",\"payload\":");
  if (reply) {
    append_reply_body(out, payload, m.status);
  } else {
    out.append(payload);
  }
  out.append(",\"ref\":");
  append_ref(out, m.kind == OutboundKind::broadcast ? RawRef{} : m.ref);
  out.append(",\"topic\":");
  append_json_string(out, m.topic);
  out.push_back('}');
  return out;
}

}  // namespace

Result<EncodedFrame> encode(Serializer serializer, const OutboundMessage& message) {
  if (message.payload != nullptr && message.payload->is_binary()) {
    if (serializer != Serializer::v2_json) {
      return make_error_code(ProtoError::binary_not_supported);
    }
    return detail::encode_binary(message);
  }
  const std::string_view payload = json_payload(message.payload);
  if (serializer == Serializer::v2_json) return EncodedFrame{false, encode_v2(message, payload)};
  return EncodedFrame{false, encode_v1(message, payload)};
}

}  // namespace roost::proto
