// Role: splits a long-poll POST body into client frames (protocol.md §9.4).
// `application/x-ndjson` (clients >= 1.7.0): one message per line (\n or \r\n), empty lines
// skipped, only the first max_lines messages kept (the rest are ignored silently, as the
// reference server does); a line starting with '[' is a V2 text frame, any other line is the
// standard base64 (padding optional) of a V2 binary frame. Any other content type (clients
// <= 1.6 send application/json): the whole body is one text frame.
// Thread affinity: none (pure function). Ownership: lines are returned by value.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "roost/core/result.h"
#include "roost/proto/errors.h"

namespace roost::proto {

struct LongPollLine {
  bool binary = false;  // bytes is a decoded binary frame (else a text frame)
  std::string bytes;

  friend bool operator==(const LongPollLine&, const LongPollLine&) = default;
};

// The reference server processes at most this many messages per POST.
inline constexpr std::size_t kLongPollMaxLines = 100;

// content_type: the Content-Type header value; the media type is compared case-insensitively
// and parameters (e.g. "; charset=utf-8") are ignored. bad_base64 for an undecodable line.
Result<std::vector<LongPollLine>> split_longpoll_body(std::string_view content_type,
                                                      std::string_view body,
                                                      std::size_t max_lines = kLongPollMaxLines);

}  // namespace roost::proto
