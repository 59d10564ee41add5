#include "control_lines.h"

#include <charconv>

namespace roost::bench {

namespace {
template <typename T>
T number(const ControlLine& l, std::string_view key) {
  const auto it = l.fields.find(key);
  if (it == l.fields.end()) return 0;
  T v = 0;
  std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
  return v;
}
}  // namespace

std::uint64_t ControlLine::u64(std::string_view key) const { return number<std::uint64_t>(*this, key); }
std::int64_t ControlLine::i64(std::string_view key) const { return number<std::int64_t>(*this, key); }

std::string_view ControlLine::str(std::string_view key) const {
  const auto it = fields.find(key);
  return it == fields.end() ? std::string_view{} : std::string_view(it->second);
}

ControlLine parse_control_line(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  ControlLine out;
  bool first = true;
  while (!line.empty()) {
    const auto space = line.find(' ');
    const std::string_view word = line.substr(0, space);
    line = space == std::string_view::npos ? std::string_view{} : line.substr(space + 1);
    if (word.empty()) continue;
    if (first) {
      out.verb = word;
      first = false;
      continue;
    }
    const auto eq = word.find('=');
    if (eq == std::string_view::npos) continue;
    out.fields.emplace(word.substr(0, eq), word.substr(eq + 1));
  }
  return out;
}

LineBuilder& LineBuilder::add(std::string_view key, std::uint64_t value) {
  return add(key, std::string_view(std::to_string(value)));
}

LineBuilder& LineBuilder::add_signed(std::string_view key, std::int64_t value) {
  return add(key, std::string_view(std::to_string(value)));
}

LineBuilder& LineBuilder::add(std::string_view key, std::string_view value) {
  text_ += ' ';
  text_ += key;
  text_ += '=';
  text_ += value;
  return *this;
}

}  // namespace roost::bench
