// Role: the ChangeSet model's JSON encoder and strict decoder (see change_set.h).
// Thread affinity: none (pure functions). Ownership: values.
#include "collab/change_set.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "collab/collab_errors.h"
#include "collab/utf16.h"

namespace pair::collab {

namespace json = boost::json;

namespace {

// A length as fromJSON reads it, restricted to what toJSON can produce: a non-negative
// integer (never a fraction, never negative), bounded so sums cannot overflow.
roost::Result<std::size_t> length_of(const json::value& v) {
  if (v.is_int64()) {
    std::int64_t n = v.get_int64();
    if (n < 0) return make_error_code(CollabErrc::malformed);
    if (static_cast<std::uint64_t>(n) > kMaxSectionLength) return make_error_code(CollabErrc::too_large);
    return static_cast<std::size_t>(n);
  }
  if (v.is_uint64()) return make_error_code(CollabErrc::too_large);  // > INT64_MAX
  return make_error_code(CollabErrc::malformed);
}

// One inserted line: valid UTF-8, no NUL, and no line break (CodeMirror splits on
// "\r\n", "\r" and "\n", so a line holding one would count differently on every client).
roost::Result<std::size_t> line_length(std::string_view line) {
  if (line.find_first_of("\r\n") != std::string_view::npos) return make_error_code(CollabErrc::invalid_text);
  return utf16_length(line);
}

roost::Result<ChangeSection> decode_section(const json::value& part) {
  ChangeSection section;
  if (!part.is_array()) {
    auto n = length_of(part);
    if (!n) return n.error();
    section.length = *n;
    return section;
  }
  const json::array& arr = part.get_array();
  if (arr.empty()) return make_error_code(CollabErrc::malformed);
  auto n = length_of(arr[0]);
  if (!n) return n.error();
  section.length = *n;
  section.replace = true;
  std::size_t inserted = 0;
  for (std::size_t i = 1; i < arr.size(); ++i) {
    if (!arr[i].is_string()) return make_error_code(CollabErrc::malformed);
    std::string_view line = arr[i].get_string();
    auto units = line_length(line);
    if (!units) return units.error();
    inserted += *units + (i > 1 ? 1 : 0);  // each joined line break counts 1
    if (inserted > kMaxSectionLength) return make_error_code(CollabErrc::too_large);
    section.lines.emplace_back(line);
  }
  // fromJSON turns [d, ""] into an empty insertion, which toJSON writes as [d].
  if (inserted == 0 && section.lines.size() == 1) section.lines.clear();
  section.inserted_length = inserted;
  return section;
}

}  // namespace

ChangeSet::ChangeSet(std::vector<ChangeSection> sections) : sections_(std::move(sections)) {
  for (const auto& s : sections_) {
    old_length_ += s.length;
    new_length_ += s.replace ? s.inserted_length : s.length;
  }
}

json::array ChangeSet::to_json() const {
  json::array out;
  out.reserve(sections_.size());
  for (const auto& s : sections_) {
    if (!s.replace) {
      out.emplace_back(static_cast<std::int64_t>(s.length));
      continue;
    }
    json::array part;
    part.reserve(1 + s.lines.size());
    part.emplace_back(static_cast<std::int64_t>(s.length));
    for (const auto& line : s.lines) part.emplace_back(line);  // none for [d] and [d, ""]
    out.emplace_back(std::move(part));
  }
  return out;
}

std::string ChangeSet::to_json_text() const { return json::serialize(to_json()); }

roost::Result<ChangeSet> ChangeSet::replace_all(std::size_t old_units, std::string_view text) {
  std::vector<ChangeSection> sections;
  if (old_units == 0 && text.empty()) return ChangeSet(std::move(sections));  // as ChangeSet.of: []
  ChangeSection section;
  section.length = old_units;
  section.replace = true;
  if (!text.empty()) {
    std::size_t start = 0;
    for (;;) {
      std::size_t end = text.find('\n', start);
      auto line = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
      auto units = line_length(line);
      if (!units) return units.error();
      section.inserted_length += *units + (section.lines.empty() ? 0 : 1);
      section.lines.emplace_back(line);
      if (end == std::string_view::npos) break;
      start = end + 1;
    }
  }
  if (section.inserted_length > kMaxSectionLength || old_units > kMaxSectionLength)
    return make_error_code(CollabErrc::too_large);
  sections.push_back(std::move(section));
  return ChangeSet(std::move(sections));
}

roost::Result<ChangeSet> decode_change_set(const json::value& value) {
  if (!value.is_array()) return make_error_code(CollabErrc::malformed);
  const json::array& parts = value.get_array();
  std::vector<ChangeSection> sections;
  sections.reserve(parts.size());
  std::size_t old_total = 0, new_total = 0;
  for (const json::value& part : parts) {
    auto section = decode_section(part);
    if (!section) return section.error();
    old_total += section->length;
    new_total += section->replace ? section->inserted_length : section->length;
    // Both totals are bounded like one section, so neither can overflow.
    if (old_total > kMaxSectionLength || new_total > kMaxSectionLength) return make_error_code(CollabErrc::too_large);
    sections.push_back(std::move(*section));
  }
  return ChangeSet(std::move(sections));
}

roost::Result<ChangeSet> parse_change_set(std::string_view json_text) {
  boost::system::error_code ec;
  json::value value = json::parse(json_text, ec);
  if (ec) return make_error_code(CollabErrc::malformed);
  return decode_change_set(value);
}

}  // namespace pair::collab
