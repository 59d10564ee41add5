// Role: the few Phoenix V2 JSON frames the load generator sends (join, heartbeat, timestamped
// shout) and a scanner that reads only the head of a received frame: the four leading
// elements and a view of the payload, without parsing the payload itself.
// Thread affinity: none (pure functions). Ownership: builders append to the caller's string;
// FrameHead views borrow the scanned text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace roost::bench {

// Every connection joins exactly one channel, always with join ref "1".
inline constexpr std::string_view kJoinRef = "1";

void append_join(std::string& out, std::string_view topic);
void append_heartbeat(std::string& out, std::uint64_t ref);
// The decimal digits of `value`.
void append_decimal(std::string& out, std::int64_t value);
// {"t":<send_ns>} or {"t":<send_ns>,"pad":"<pad>"}: the shout payload, in either protocol.
void append_shout_payload(std::string& out, std::int64_t send_ns, std::string_view pad);
// ["1","<ref>","<topic>","shout",{"t":<send_ns>,"pad":"<pad>"}] (no "pad" when it is empty)
void append_shout(std::string& out, std::string_view topic, std::uint64_t ref, std::int64_t send_ns,
                  std::string_view pad);
// ["<join_ref>","<ref>","<topic>","<event>",<payload_json>]: any message of a channel whose
// join used `join_ref` (the soak scenario joins, leaves and rejoins with fresh join refs).
void append_message(std::string& out, std::uint64_t join_ref, std::uint64_t ref, std::string_view topic,
                    std::string_view event, std::string_view payload_json);
// Pad length that brings a shout payload to about `payload_bytes` bytes.
std::size_t pad_for_payload(std::size_t payload_bytes);

struct FrameHead {
  std::string_view join_ref, ref, topic, event;  // empty for null
  std::string_view payload;                        // the raw JSON of element 5
};

// Scans `[jr, ref, topic, event, payload]`; false if the text does not have that shape.
bool scan_head(std::string_view text, FrameHead& out);

// The integer value of the first "t": key in a shout payload.
std::optional<std::int64_t> find_send_time(std::string_view payload);

// Whether a phx_reply payload carries "status":"ok".
bool reply_ok(std::string_view payload);

}  // namespace roost::bench
