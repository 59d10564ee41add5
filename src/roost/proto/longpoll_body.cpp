#include "roost/proto/longpoll_body.h"

#include "roost/proto/base64.h"

namespace roost::proto {
namespace {

bool is_ndjson(std::string_view content_type) noexcept {
  constexpr std::string_view kNdjson = "application/x-ndjson";
  if (const auto semi = content_type.find(';'); semi != std::string_view::npos) {
    content_type = content_type.substr(0, semi);
  }
  const auto first = content_type.find_first_not_of(" \t");
  if (first == std::string_view::npos) return false;
  const auto last = content_type.find_last_not_of(" \t");
  content_type = content_type.substr(first, last - first + 1);
  if (content_type.size() != kNdjson.size()) return false;
  for (std::size_t i = 0; i < kNdjson.size(); ++i) {
    char c = content_type[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kNdjson[i]) return false;
  }
  return true;
}

}  // namespace

Result<std::vector<LongPollLine>> split_longpoll_body(std::string_view content_type,
                                                      std::string_view body,
                                                      std::size_t max_lines) {
  std::vector<LongPollLine> lines;
  if (!is_ndjson(content_type)) {
    lines.push_back(LongPollLine{false, std::string(body)});
    return lines;
  }
  std::size_t start = 0;
  while (start < body.size() && lines.size() < max_lines) {
    auto end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (line.front() == '[') {
      lines.push_back(LongPollLine{false, std::string(line)});
      continue;
    }
    auto bytes = base64_decode(line);
    if (!bytes) return make_error_code(ProtoError::bad_base64);
    lines.push_back(LongPollLine{true, std::move(*bytes)});
  }
  return lines;
}

}  // namespace roost::proto
