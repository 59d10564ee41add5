#include "roost/proto/binary_codec.h"

#include <array>
#include <initializer_list>

#include "roost/proto/serializer.h"

namespace roost::proto {
namespace {

enum BinaryKind : uint8_t { kPush = 0, kReply = 1, kBroadcast = 2 };

// Client pushes have a 5-byte header: kind, then the lengths of join_ref, ref, topic, event.
constexpr std::size_t kClientPushHeader = 5;

RawRef field_to_ref(std::string_view field) {
  if (field.empty()) return std::nullopt;  // a zero-length field stands for null
  return raw_ref_from_string(field);
}

// Builds kind, one length byte per field, the fields, then the payload, sized once.
Result<EncodedFrame> assemble(BinaryKind kind, std::initializer_list<std::string_view> fields,
                              std::string_view payload) {
  std::size_t size = 1 + fields.size() + payload.size();
  for (auto f : fields) {
    if (f.size() > detail::kMaxBinaryField) return make_error_code(ProtoError::field_too_long);
    size += f.size();
  }
  EncodedFrame frame{true, {}};
  frame.bytes.reserve(size);
  frame.bytes.push_back(static_cast<char>(kind));
  for (auto f : fields) frame.bytes.push_back(static_cast<char>(static_cast<uint8_t>(f.size())));
  for (auto f : fields) frame.bytes.append(f);
  frame.bytes.append(payload);
  return frame;
}

// A RawRef as binary frames carry it: the string value for a quoted ref, the token text for
// anything else (42 -> "42"), nothing for null. Plain quoted refs (no escapes) are sliced
// without allocating.
std::string_view ref_bytes(const RawRef& ref, std::string& storage) {
  if (!ref) return {};
  const std::string_view text = *ref;
  if (text.size() >= 2 && text.front() == '"' && text.find('\\') == std::string_view::npos) {
    return text.substr(1, text.size() - 2);
  }
  storage = raw_ref_value(ref);
  return storage;
}

}  // namespace

Result<InboundMessage> decode_binary(Serializer serializer, std::string_view bytes) {
  if (serializer != Serializer::v2_json) return make_error_code(ProtoError::binary_not_supported);
  if (bytes.empty()) return make_error_code(ProtoError::truncated_binary);
  if (static_cast<uint8_t>(bytes[0]) != kPush) {
    return make_error_code(ProtoError::unknown_binary_kind);
  }
  if (bytes.size() < kClientPushHeader) return make_error_code(ProtoError::truncated_binary);
  std::array<std::size_t, 4> len{};
  std::size_t total = kClientPushHeader;
  for (std::size_t i = 0; i < len.size(); ++i) {
    len[i] = static_cast<uint8_t>(bytes[1 + i]);
    total += len[i];
  }
  if (bytes.size() < total) return make_error_code(ProtoError::truncated_binary);

  std::size_t pos = kClientPushHeader;
  auto take = [&](std::size_t n) {
    const auto field = bytes.substr(pos, n);
    pos += n;
    return field;
  };
  InboundMessage msg;
  msg.join_ref = field_to_ref(take(len[0]));
  msg.ref = field_to_ref(take(len[1]));
  msg.topic.assign(take(len[2]));
  msg.event.assign(take(len[3]));
  msg.payload = Payload::binary(std::string(bytes.substr(pos)));
  return msg;
}

namespace detail {

Result<EncodedFrame> encode_binary(const OutboundMessage& m) {
  const std::string_view payload = m.payload ? std::string_view(m.payload->data) : "";
  std::string join_ref_storage, ref_storage;
  switch (m.kind) {
    case OutboundKind::push:
      return assemble(kPush, {ref_bytes(m.join_ref, join_ref_storage), m.topic, m.event}, payload);
    case OutboundKind::reply:
      return assemble(kReply,
                      {ref_bytes(m.join_ref, join_ref_storage), ref_bytes(m.ref, ref_storage),
                       m.topic, m.status},
                      payload);
    case OutboundKind::broadcast:
      return assemble(kBroadcast, {m.topic, m.event}, payload);
  }
  return make_error_code(ProtoError::binary_not_supported);
}

}  // namespace detail
}  // namespace roost::proto
