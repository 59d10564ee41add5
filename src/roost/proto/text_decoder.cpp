// decode_text: client JSON text frames (protocol.md §3 V2 arrays, §4 V1 objects), parsed with
// simdjson on-demand. The frame is walked once: topic and event are unescaped, refs and the
// payload are sliced out of the input as raw text (so they go back out byte for byte), and
// everything else is validated without building any DOM.
#include <cstring>
#include <simdjson.h>

#include "roost/proto/json_text.h"
#include "roost/proto/serializer.h"

namespace roost::proto {
namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;

// simdjson needs SIMDJSON_PADDING readable bytes after the input and reuses its internal
// buffers between documents; one parser and one padded copy buffer per thread give both
// without an allocation per frame once they have grown to the largest frame seen.
struct Scratch {
  od::parser parser;
  std::string buffer;
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

simdjson::padded_string_view padded_copy(std::string& buffer, std::string_view text) {
  const std::size_t needed = text.size() + simdjson::SIMDJSON_PADDING;
  if (buffer.size() < needed) buffer.resize(needed);
  if (!text.empty()) std::memcpy(buffer.data(), text.data(), text.size());
  std::memset(buffer.data() + text.size(), 0, simdjson::SIMDJSON_PADDING);
  return simdjson::padded_string_view(buffer.data(), text.size(), buffer.size());
}

error_code validate_value(od::value& v);

error_code validate_array(od::array& array) {
  for (auto element : array) {
    od::value v;
    if (auto e = std::move(element).get(v)) return e;
    if (auto e = validate_value(v)) return e;
  }
  return simdjson::SUCCESS;
}

error_code validate_object(od::object& object) {
  for (auto member : object) {
    od::field field;
    if (auto e = std::move(member).get(field)) return e;
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return e;
    if (auto e = validate_value(field.value())) return e;
  }
  return simdjson::SUCCESS;
}

// Checks one scalar token (already known not to be a container) by its text.
error_code validate_scalar_token(od::json_type type, std::string_view token) {
  token = detail::trim_json_ws(token);
  switch (type) {
    case od::json_type::number:
      return detail::is_json_number(token) ? simdjson::SUCCESS : simdjson::NUMBER_ERROR;
    case od::json_type::boolean:
      return token == "true" || token == "false" ? simdjson::SUCCESS : simdjson::INCORRECT_TYPE;
    case od::json_type::null:
      return token == "null" ? simdjson::SUCCESS : simdjson::INCORRECT_TYPE;
    default:
      return simdjson::INCORRECT_TYPE;
  }
}

// Walks v completely so that malformed content anywhere inside it is reported. Recursion
// depth is bounded by the parser's maximum depth.
error_code validate_value(od::value& v) {
  od::json_type type;
  if (auto e = v.type().get(type)) return e;
  switch (type) {
    case od::json_type::array: {
      od::array array;
      if (auto e = v.get_array().get(array)) return e;
      return validate_array(array);
    }
    case od::json_type::object: {
      od::object object;
      if (auto e = v.get_object().get(object)) return e;
      return validate_object(object);
    }
    case od::json_type::string: {
      // Stage 1 has already checked that the string is terminated, is valid UTF-8 and has
      // no raw control characters; only escape sequences are left to check, so strings
      // without a backslash (nearly all) need no unescaping.
      if (v.raw_json_token().find('\\') == std::string_view::npos) return simdjson::SUCCESS;
      std::string_view s;
      return v.get_string().get(s);
    }
    default:
      return validate_scalar_token(type, v.raw_json_token());
  }
}

// Validates v and returns its exact text, without surrounding whitespace. Containers end
// where the iterator stands once they are fully walked (at the following ',' ']' or '}').
error_code slice_value(od::document& doc, od::value& v, od::json_type& type,
                       std::string_view& text) {
  if (auto e = v.type().get(type)) return e;
  const std::string_view token = v.raw_json_token();
  if (type != od::json_type::array && type != od::json_type::object) {
    if (auto e = validate_value(v)) return e;
    text = detail::trim_json_ws(token);
    return simdjson::SUCCESS;
  }
  if (auto e = validate_value(v)) return e;
  const char* end = nullptr;
  if (auto e = doc.current_location().get(end)) return e;
  const auto length = static_cast<std::size_t>(end - token.data());
  text = detail::trim_json_ws(std::string_view(token.data(), length));
  return simdjson::SUCCESS;
}

error_code read_ref(od::document& doc, od::value& v, RawRef& out) {
  od::json_type type;
  std::string_view text;
  if (auto e = slice_value(doc, v, type, text)) return e;
  if (type == od::json_type::null) {
    out.reset();
  } else {
    out.emplace(text);
  }
  return simdjson::SUCCESS;
}

error_code read_payload(od::document& doc, od::value& v, Payload& out) {
  od::json_type type;
  std::string_view text;
  if (auto e = slice_value(doc, v, type, text)) return e;
  out = Payload::json(std::string(text));
  return simdjson::SUCCESS;
}

// Reads a topic or event. A value that is valid JSON but not a string is `not_string`; a
// malformed one is invalid_json.
std::error_code read_name(od::value& v, std::string& out, ProtoError not_string) {
  od::json_type type;
  if (v.type().get(type)) return make_error_code(ProtoError::invalid_json);
  if (type != od::json_type::string) {
    if (validate_value(v)) return make_error_code(ProtoError::invalid_json);
    return make_error_code(not_string);
  }
  std::string_view s;
  if (v.get_string().get(s)) return make_error_code(ProtoError::invalid_json);
  out.assign(s);
  return {};
}

// True when nothing follows the root value (on-demand does not check that by itself).
bool at_document_end(od::document& doc) {
  const char* location = nullptr;
  return doc.current_location().get(location) == simdjson::OUT_OF_BOUNDS;
}

// The root is not of the expected kind: tell a well-formed document of the wrong shape
// (wrong_shape) from garbage (invalid_json).
std::error_code classify_root(od::document& doc, od::json_type type, std::string_view text,
                              ProtoError wrong_shape) {
  const auto invalid = make_error_code(ProtoError::invalid_json);
  switch (type) {
    case od::json_type::array: {
      od::array array;
      if (doc.get_array().get(array) || validate_array(array) || !at_document_end(doc)) {
        return invalid;
      }
      break;
    }
    case od::json_type::object: {
      od::object object;
      if (doc.get_object().get(object) || validate_object(object) || !at_document_end(doc)) {
        return invalid;
      }
      break;
    }
    default: {
      // A root scalar must be the only token of the document.
      std::string_view token;
      if (doc.raw_json_token().get(token)) return invalid;
      token = detail::trim_json_ws(token);
      if (token != detail::trim_json_ws(text)) return invalid;
      if (type == od::json_type::string) {
        std::string_view s;
        if (doc.get_string().get(s)) return invalid;
      } else if (validate_scalar_token(type, token)) {
        return invalid;
      }
    }
  }
  return make_error_code(wrong_shape);
}

Result<InboundMessage> decode_v2(od::document& doc, std::string_view text) {
  const auto invalid = make_error_code(ProtoError::invalid_json);
  od::json_type root_type;
  if (doc.type().get(root_type)) return invalid;
  if (root_type != od::json_type::array) {
    return classify_root(doc, root_type, text, ProtoError::not_an_array);
  }
  od::array array;
  if (doc.get_array().get(array)) return invalid;

  InboundMessage msg;
  std::size_t index = 0;
  for (auto element : array) {
    od::value v;
    if (std::move(element).get(v)) return invalid;
    switch (index) {
      case 0:
        if (read_ref(doc, v, msg.join_ref)) return invalid;
        break;
      case 1:
        if (read_ref(doc, v, msg.ref)) return invalid;
        break;
      case 2:
        if (auto e = read_name(v, msg.topic, ProtoError::topic_not_string)) return e;
        break;
      case 3:
        if (auto e = read_name(v, msg.event, ProtoError::event_not_string)) return e;
        break;
      case 4:
        if (read_payload(doc, v, msg.payload)) return invalid;
        break;
      default:
        // Elements after the fifth are ignored, but must still be JSON.
        if (validate_value(v)) return invalid;
    }
    ++index;
  }
  if (!at_document_end(doc)) return invalid;
  if (index < 5) return make_error_code(ProtoError::short_array);
  return msg;
}

Result<InboundMessage> decode_v1(od::document& doc, std::string_view text) {
  const auto invalid = make_error_code(ProtoError::invalid_json);
  od::json_type root_type;
  if (doc.type().get(root_type)) return invalid;
  if (root_type != od::json_type::object) {
    return classify_root(doc, root_type, text, ProtoError::not_an_object);
  }
  od::object object;
  if (doc.get_object().get(object)) return invalid;

  InboundMessage msg;
  bool have_topic = false, have_event = false, have_payload = false, have_ref = false;
  for (auto member : object) {
    od::field field;
    if (std::move(member).get(field)) return invalid;
    std::string_view key;
    if (field.unescaped_key().get(key)) return invalid;
    od::value& v = field.value();
    // A repeated key overwrites the earlier one, as the reference decoder keeps the last.
    if (key == "topic") {
      if (auto e = read_name(v, msg.topic, ProtoError::topic_not_string)) return e;
      have_topic = true;
    } else if (key == "event") {
      if (auto e = read_name(v, msg.event, ProtoError::event_not_string)) return e;
      have_event = true;
    } else if (key == "payload") {
      if (read_payload(doc, v, msg.payload)) return invalid;
      have_payload = true;
    } else if (key == "ref") {
      if (read_ref(doc, v, msg.ref)) return invalid;
      have_ref = true;
    } else if (key == "join_ref") {
      if (read_ref(doc, v, msg.join_ref)) return invalid;
    } else if (validate_value(v)) {
      return invalid;
    }
  }
  if (!at_document_end(doc)) return invalid;
  if (!have_topic || !have_event || !have_payload || !have_ref) {
    return make_error_code(ProtoError::missing_key);
  }
  return msg;
}

}  // namespace

Result<InboundMessage> decode_text(Serializer serializer, std::string_view text) {
  Scratch& s = scratch();
  od::document doc;
  // iterate() runs simdjson's first stage over the whole frame, which already rejects
  // invalid UTF-8 and unescaped control characters in strings.
  if (s.parser.iterate(padded_copy(s.buffer, text)).get(doc)) {
    return make_error_code(ProtoError::invalid_json);
  }
  return serializer == Serializer::v2_json ? decode_v2(doc, text) : decode_v1(doc, text);
}

}  // namespace roost::proto
