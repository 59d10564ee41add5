#include "roost/cluster/broadcast_frame.h"

#include <simdjson.h>

#include "roost/cluster/errors.h"

namespace roost::cluster {
namespace {

constexpr char kMagic[2] = {'R', 'B'};
constexpr std::uint8_t kFlagBinary = 0x01;
constexpr std::size_t kFixedHeader = 2 + 1 + 1 + 8;

void put_u16(std::string& out, std::size_t v) {
  out.push_back(static_cast<char>((v >> 8) & 0xff));
  out.push_back(static_cast<char>(v & 0xff));
}

bool valid_utf8(std::string_view s) noexcept { return simdjson::validate_utf8(s.data(), s.size()); }

bool valid_json(std::string_view s) {
  // One parser per thread, reused: its buffers grow to the largest payload seen instead
  // of being allocated per message.
  thread_local simdjson::dom::parser parser;
  return !parser.parse(s.data(), s.size(), true).error();
}

// A cursor over the undecoded bytes; every take checks the length first.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : rest_(bytes) {}
  bool take(std::size_t n, std::string_view& out) {
    if (rest_.size() < n) return false;
    out = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return true;
  }
  bool u8(std::size_t& out) {
    std::string_view b;
    if (!take(1, b)) return false;
    out = static_cast<unsigned char>(b[0]);
    return true;
  }
  bool u16(std::size_t& out) {
    std::string_view b;
    if (!take(2, b)) return false;
    out = (std::size_t{static_cast<unsigned char>(b[0])} << 8) | static_cast<unsigned char>(b[1]);
    return true;
  }
  std::string_view rest() const noexcept { return rest_; }

 private:
  std::string_view rest_;
};

}  // namespace

Result<std::string> encode_broadcast_frame(const NodeId& origin, std::string_view topic, std::string_view event,
                                           const proto::Payload& payload) {
  if (origin.name.empty() || origin.name.size() > kMaxFrameNode || topic.size() > kMaxFrameTopic || event.empty() ||
      event.size() > kMaxFrameEvent)
    return make_error_code(ClusterError::field_too_long);
  std::string out;
  out.reserve(kFixedHeader + 1 + origin.name.size() + 2 + topic.size() + 2 + event.size() + payload.data.size());
  out.append(kMagic, 2);
  out.push_back(static_cast<char>(kBroadcastFrameVersion));
  out.push_back(static_cast<char>(payload.is_binary() ? kFlagBinary : 0));
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((origin.incarnation >> shift) & 0xff));
  out.push_back(static_cast<char>(origin.name.size()));
  out.append(origin.name);
  put_u16(out, topic.size());
  out.append(topic);
  put_u16(out, event.size());
  out.append(event);
  out.append(payload.data);
  return out;
}

Result<DecodedBroadcast> decode_broadcast_frame(std::string_view bytes) {
  if (bytes.size() < 3 || bytes[0] != kMagic[0] || bytes[1] != kMagic[1] ||
      static_cast<std::uint8_t>(bytes[2]) != kBroadcastFrameVersion)
    return make_error_code(ClusterError::frame_bad_magic);
  Reader r(bytes.substr(3));
  DecodedBroadcast d;
  std::size_t flags = 0, node_len = 0, topic_len = 0, event_len = 0;
  std::string_view incarnation;
  if (!r.u8(flags) || !r.take(8, incarnation) || !r.u8(node_len) || !r.take(node_len, d.node) ||
      !r.u16(topic_len) || !r.take(topic_len, d.topic) || !r.u16(event_len) || !r.take(event_len, d.event))
    return make_error_code(ClusterError::frame_truncated);
  if ((flags & ~std::size_t{kFlagBinary}) != 0 || d.node.empty() || d.event.empty() || !valid_utf8(d.node) ||
      !valid_utf8(d.topic) || !valid_utf8(d.event))
    return make_error_code(ClusterError::frame_bad_field);
  for (char c : incarnation) d.incarnation = (d.incarnation << 8) | static_cast<unsigned char>(c);
  d.kind = (flags & kFlagBinary) ? proto::PayloadKind::binary : proto::PayloadKind::json;
  d.payload = r.rest();
  if (d.kind == proto::PayloadKind::json && !valid_json(d.payload)) return make_error_code(ClusterError::frame_bad_field);
  return d;
}

}  // namespace roost::cluster
