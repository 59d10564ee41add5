#include "roost/presence/meta.h"

#include <cstdio>
#include <string_view>

namespace roost::presence {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(u));
      out += buf;
    } else {
      out += c;
    }
  }
  out += '"';
}

}  // namespace

std::string to_json(const Meta& meta) {
  std::string_view text = meta.fields;
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  const bool object = text.size() >= 2 && text.front() == '{' && text.back() == '}';
  std::string_view body = object ? text.substr(1, text.size() - 2) : std::string_view{};
  bool has_members = false;
  for (char c : body) {
    if (!is_space(c)) {
      has_members = true;
      break;
    }
  }

  std::string out;
  out.reserve(text.size() + meta.phx_ref.size() + meta.phx_ref_prev.size() + 40);
  out += '{';
  if (has_members) {
    out += body;
    out += ',';
  }
  out += "\"phx_ref\":";
  append_json_string(out, meta.phx_ref);
  if (!meta.phx_ref_prev.empty()) {
    out += ",\"phx_ref_prev\":";
    append_json_string(out, meta.phx_ref_prev);
  }
  out += '}';
  return out;
}

}  // namespace roost::presence
