// Role: the explicit result values a Channel's callbacks return: JoinResult (accept with
// an optional reply, or refuse with a reason) and InResult (reply, no reply, or stop).
// Thread affinity: none (values). Ownership: they own their payloads.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>

#include "roost/proto/message.h"

namespace roost::channels {

// JSON text of a Boost.JSON value; the payload form channel code usually builds.
proto::Payload json_payload(const boost::json::value& value);

struct JoinResult {
  bool accepted = true;
  proto::Payload reply = proto::Payload::empty_object();

  static JoinResult ok(proto::Payload reply = proto::Payload::empty_object()) { return {true, std::move(reply)}; }
  static JoinResult ok(const boost::json::value& reply) { return {true, json_payload(reply)}; }
  // Refuses the join; the client receives status "error" with `reply` as response,
  // conventionally {"reason": "..."}.
  static JoinResult error(proto::Payload reply) { return {false, std::move(reply)}; }
  static JoinResult error(const boost::json::value& reply) { return {false, json_payload(reply)}; }
};

struct InResult {
  enum class Kind { no_reply, reply, stop };
  Kind kind = Kind::no_reply;
  std::string status;              // reply status (and the stop's reply, if any)
  proto::Payload payload;          // reply response
  bool stop_has_reply = false;
  std::string stop_reason;         // "normal", "shutdown", ... (anything else is a crash)

  static InResult no_reply() { return {}; }
  static InResult reply(std::string status, proto::Payload payload = proto::Payload::empty_object()) {
    InResult r;
    r.kind = Kind::reply;
    r.status = std::move(status);
    r.payload = std::move(payload);
    return r;
  }
  static InResult ok(proto::Payload payload = proto::Payload::empty_object()) { return reply("ok", std::move(payload)); }
  static InResult ok(const boost::json::value& v) { return reply("ok", json_payload(v)); }
  static InResult error(const boost::json::value& v) { return reply("error", json_payload(v)); }
  // Stops the channel. Reasons "normal", "shutdown" and "shutdown:<detail>" close it
  // gracefully (phx_close); any other reason is reported as a crash (phx_error).
  static InResult stop(std::string reason = "normal") {
    InResult r;
    r.kind = Kind::stop;
    r.stop_reason = std::move(reason);
    return r;
  }
  static InResult stop_with_reply(std::string reason, std::string status, proto::Payload payload) {
    InResult r = stop(std::move(reason));
    r.stop_has_reply = true;
    r.status = std::move(status);
    r.payload = std::move(payload);
    return r;
  }
};

}  // namespace roost::channels
