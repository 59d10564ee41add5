#include "phx_frames.h"

#include <charconv>

namespace roost::bench {

void append_join(std::string& out, std::string_view topic) {
  out += "[\"1\",\"1\",\"";
  out += topic;
  out += "\",\"phx_join\",{}]";
}

void append_decimal(std::string& out, std::int64_t value) {
  char num[24];
  auto [end, ec] = std::to_chars(num, num + sizeof num, value);
  (void)ec;  // 24 characters hold any 64-bit integer
  out.append(num, end);
}

void append_heartbeat(std::string& out, std::uint64_t ref) {
  out += "[null,\"";
  append_decimal(out, static_cast<std::int64_t>(ref));
  out += "\",\"phoenix\",\"heartbeat\",{}]";
}

void append_shout_payload(std::string& out, std::int64_t send_ns, std::string_view pad) {
  out += "{\"t\":";
  append_decimal(out, send_ns);
  if (!pad.empty()) {
    out += ",\"pad\":\"";
    out += pad;
    out += '"';
  }
  out += '}';
}

void append_shout(std::string& out, std::string_view topic, std::uint64_t ref, std::int64_t send_ns,
                  std::string_view pad) {
  out += "[\"1\",\"";
  append_decimal(out, static_cast<std::int64_t>(ref));
  out += "\",\"";
  out += topic;
  out += "\",\"shout\",";
  append_shout_payload(out, send_ns, pad);
  out += ']';
}

void append_message(std::string& out, std::uint64_t join_ref, std::uint64_t ref, std::string_view topic,
                    std::string_view event, std::string_view payload_json) {
  out += "[\"";
  append_decimal(out, static_cast<std::int64_t>(join_ref));
  out += "\",\"";
  append_decimal(out, static_cast<std::int64_t>(ref));
  out += "\",\"";
  out += topic;
  out += "\",\"";
  out += event;
  out += "\",";
  out += payload_json;
  out += ']';
}

std::size_t pad_for_payload(std::size_t payload_bytes) {
  // {"t":1234567890123456,"pad":""} is 31 bytes with a 16-digit timestamp.
  constexpr std::size_t kFixed = 31;
  return payload_bytes > kFixed ? payload_bytes - kFixed : 0;
}

namespace {

// Reads one head element (a JSON string without needing unescaping, or null) at `pos`;
// advances past it and the following comma.
bool element(std::string_view text, std::size_t& pos, std::string_view& out) {
  if (pos >= text.size()) return false;
  if (text[pos] == 'n') {
    if (text.compare(pos, 4, "null") != 0) return false;
    out = {};
    pos += 4;
  } else if (text[pos] == '"') {
    std::size_t i = pos + 1;
    while (i < text.size() && text[i] != '"') i += text[i] == '\\' ? 2 : 1;
    if (i >= text.size()) return false;
    out = text.substr(pos + 1, i - pos - 1);
    pos = i + 1;
  } else {
    return false;
  }
  if (pos >= text.size() || text[pos] != ',') return false;
  ++pos;
  return true;
}

}  // namespace

bool scan_head(std::string_view text, FrameHead& out) {
  if (text.size() < 2 || text.front() != '[' || text.back() != ']') return false;
  std::size_t pos = 1;
  if (!element(text, pos, out.join_ref) || !element(text, pos, out.ref) || !element(text, pos, out.topic) ||
      !element(text, pos, out.event))
    return false;
  out.payload = text.substr(pos, text.size() - 1 - pos);
  return true;
}

std::optional<std::int64_t> find_send_time(std::string_view payload) {
  const auto at = payload.find("\"t\":");
  if (at == std::string_view::npos) return std::nullopt;
  std::int64_t t = 0;
  const char* first = payload.data() + at + 4;
  auto [p, ec] = std::from_chars(first, payload.data() + payload.size(), t);
  if (ec != std::errc{} || p == first) return std::nullopt;
  return t;
}

bool reply_ok(std::string_view payload) { return payload.find("\"status\":\"ok\"") != std::string_view::npos; }

}  // namespace roost::bench
