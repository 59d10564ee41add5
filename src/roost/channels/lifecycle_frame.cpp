#include "roost/channels/lifecycle_frame.h"

#include "roost/proto/serializer.h"

namespace roost::channels {

proto::EncodedFrame encode_lifecycle_frame(proto::Serializer serializer, const proto::RawRef& join_ref,
                                           std::string_view topic, std::string_view event,
                                           std::string_view payload_json) {
  std::string_view ref = join_ref ? std::string_view(*join_ref) : std::string_view("null");
  std::string out;
  out.reserve(topic.size() + event.size() + payload_json.size() + 2 * ref.size() + 48);
  if (serializer == proto::Serializer::v2_json) {
    out += '[';
    out += ref;
    out += ',';
    out += ref;
    out += ',';
    proto::append_json_string(out, topic);
    out += ',';
    proto::append_json_string(out, event);
    out += ',';
    out += payload_json;
    out += ']';
  } else {
    // V1 never carries join_ref; the ref position holds it (§4).
    out += "{\"event\":";
    proto::append_json_string(out, event);
    out += ",\"payload\":";
    out += payload_json;
    out += ",\"ref\":";
    out += ref;
    out += ",\"topic\":";
    proto::append_json_string(out, topic);
    out += '}';
  }
  return proto::EncodedFrame{false, std::move(out)};
}

}  // namespace roost::channels
