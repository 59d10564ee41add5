// Mirrors Plug.Conn.Query.decode: pairs are applied from last to first, and a value is only
// stored where nothing is yet (so the last occurrence wins); a parent segment must be a map
// and a "[]" segment a list, otherwise the pair is dropped. Lists are built by prepending,
// which in reverse order restores the original order.
#include "roost/proto/query.h"

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace roost::proto {
namespace {

namespace json = boost::json;

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded decoding: '+' is a space, %XY a byte.
std::optional<std::string> decode_www_form(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = hex_value(s[i + 1]);
      const int lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

bool valid_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t extra;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= s.size()) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values beyond Unicode are not UTF-8.
    if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

// "users[address][street]" -> {"users", "address", "street"}; "a[]" -> {"a", ""}; a key not
// ending in ']' (or without '[') is a single segment.
std::vector<std::string> split_key(const std::string& key) {
  if (key.empty() || key.back() != ']') return {key};
  const std::string_view sub(key.data(), key.size() - 1);
  const auto open = sub.find('[');
  if (open == std::string_view::npos) return {key};
  std::vector<std::string> parts{std::string(sub.substr(0, open))};
  std::string_view rest = sub.substr(open + 1);
  while (true) {
    const auto sep = rest.find("][");
    if (sep == std::string_view::npos) {
      parts.emplace_back(rest);
      break;
    }
    parts.emplace_back(rest.substr(0, sep));
    rest = rest.substr(sep + 2);
  }
  return parts;
}

// Applies one pair (in reverse order of appearance, see the file comment). Iterative, so a
// deeply bracketed key cannot exhaust the stack.
void assign(json::object& root, const std::vector<std::string>& parts, std::string value) {
  json::object* target = &root;
  std::size_t i = 0;
  while (true) {
    const std::string& key = parts[i];
    const std::size_t remaining = parts.size() - i - 1;
    if (remaining == 0) {
      // Leaf: only stored if nothing is there yet.
      if (!target->contains(key)) target->emplace(key, json::string(value));
      return;
    }
    if (parts[i + 1].empty()) {
      // "key[]...": a list. Items are pushed back here and the lists reversed at the end,
      // which equals prepending.
      json::value* slot = target->if_contains(key);
      if (slot == nullptr) {
        slot = &(*target)[key];
        slot->emplace_array();
      }
      if (!slot->is_array()) return;
      json::array& list = slot->as_array();
      if (remaining == 1) {
        list.emplace_back(json::string(value));
        return;
      }
      // "key[][rest...]": each such pair makes a fresh map item.
      target = &list.emplace_back(json::object()).as_object();
      i += 2;
      continue;
    }
    json::value* slot = target->if_contains(key);
    if (slot == nullptr) {
      slot = &(*target)[key];
      slot->emplace_object();
    }
    if (!slot->is_object()) return;
    target = &slot->as_object();
    ++i;
  }
}

// Pairs were applied last-first; put object keys and list items back in the order in which
// they (last) appear in the query.
json::value restore_order(json::value&& v) {
  if (v.is_object()) {
    json::object& in = v.as_object();
    json::object out;
    out.reserve(in.size());
    for (auto it = in.end(); it != in.begin();) {
      --it;
      out.emplace(it->key(), restore_order(std::move(it->value())));
    }
    return out;
  }
  if (v.is_array()) {
    json::array& in = v.as_array();
    json::array out;
    out.reserve(in.size());
    for (auto it = in.end(); it != in.begin();) {
      --it;
      out.emplace_back(restore_order(std::move(*it)));
    }
    return out;
  }
  return std::move(v);
}

}  // namespace

Result<boost::json::object> parse_query(std::string_view query) {
  if (!query.empty() && query.front() == '?') query.remove_prefix(1);

  // Split first, then walk the pairs backwards.
  std::vector<std::string_view> pairs;
  std::size_t start = 0;
  while (start <= query.size()) {
    const auto amp = query.find('&', start);
    const auto end = amp == std::string_view::npos ? query.size() : amp;
    if (end > start) pairs.push_back(query.substr(start, end - start));
    if (amp == std::string_view::npos) break;
    start = amp + 1;
  }

  json::object root;
  for (auto it = pairs.rbegin(); it != pairs.rend(); ++it) {
    const std::string_view pair = *it;
    const auto eq = pair.find('=');
    auto key = decode_www_form(pair.substr(0, eq));
    auto value = eq == std::string_view::npos ? std::optional<std::string>(std::string())
                                              : decode_www_form(pair.substr(eq + 1));
    if (!key || !value || !valid_utf8(*key) || !valid_utf8(*value)) {
      return make_error_code(ProtoError::bad_query);
    }
    assign(root, split_key(*key), std::move(*value));
  }
  json::value ordered = restore_order(json::value(std::move(root)));
  return std::move(ordered.as_object());
}

}  // namespace roost::proto
