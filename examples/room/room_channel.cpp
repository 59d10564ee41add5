#include "room_channel.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json.hpp>
#include <stdexcept>

namespace room {

namespace json = boost::json;
using roost::Task;
using roost::channels::InResult;
using roost::channels::JoinResult;
using roost::proto::Payload;

namespace {

json::object object_of(const Payload& payload) {
  if (payload.is_binary()) return {};
  boost::system::error_code ec;
  json::value v = json::parse(payload.data, ec);
  if (ec || !v.is_object()) return {};
  return v.as_object();
}

Task<void> sleep_ms(std::int64_t ms) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, std::chrono::milliseconds(ms));
  co_await timer.async_wait(roost::use_awaitable);
}

json::value optional_string(const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); }

}  // namespace

Task<JoinResult> RoomChannel::join(std::string_view, const Payload& payload) {
  join_payload_ = payload.is_binary() ? "{}" : payload.data;
  json::object params = object_of(payload);
  auto flag = [&](const char* key) {
    auto* v = params.if_contains(key);
    return v && v->is_bool() && v->get_bool();
  };
  if (flag("deny")) co_return JoinResult::error(json::value{{"reason", "unauthorized"}});
  if (flag("crash")) throw std::runtime_error("join crash requested");
  if (flag("reply")) co_return JoinResult::ok(json::value{{"hello", "world"}});
  if (auto* d = params.if_contains("delay"); d && d->is_int64()) co_await sleep_ms(d->get_int64());
  co_return JoinResult::ok();
}

Task<InResult> RoomChannel::handle_in(std::string_view event, const Payload& payload) {
  if (event == "echo") co_return InResult::ok(payload);
  if (event == "noreply") co_return InResult::no_reply();
  if (event == "boom") throw std::runtime_error("boom requested");
  if (event == "stop") co_return InResult::stop_with_reply("normal", "ok", Payload::empty_object());
  if (event == "shout" || event == "shout_from") {
    const auto ec = event == "shout" ? broadcast("shout", payload) : broadcast_from("shout", payload);
    if (ec) co_return InResult::error(json::value{{"reason", ec.message()}});
    co_return InResult::ok();
  }
  if (event == "push_me") {
    push("pushed", json::value{{"n", 1}});
    co_return InResult::no_reply();
  }
  if (event == "custom") co_return InResult::reply("custom");
  if (event == "later") {
    // Reply from a stored reference 100 ms later; the channel goes on meanwhile.
    boost::asio::co_spawn(
        executor(),
        [ref = reply_ref()]() -> Task<void> {
          co_await sleep_ms(100);
          Channel::reply(ref, "ok", Payload::json(R"({"late":true})"));
        },
        boost::asio::detached);
    co_return InResult::no_reply();
  }
  if (event == "bin") {
    push("bin_push", Payload::binary(std::string("\x00\x01", 2)));
    std::string bytes = payload.data + std::string("\x03\x04", 2);
    co_return InResult::ok(Payload::binary(std::move(bytes)));
  }
  if (event == "inspect") {
    const auto& s = socket();
    json::object out;
    out["params"] = s.params;
    out["auth_token"] = optional_string(s.auth_token);
    out["socket_id"] = optional_string(s.id);
    boost::system::error_code ec;
    json::value jp = json::parse(join_payload_, ec);
    out["join_payload"] = ec ? json::value(json::object{}) : jp;
    co_return InResult::ok(json::value(std::move(out)));
  }
  if (event == "slow") {
    // Blocks this channel only: its later messages wait, the loop goes on.
    std::int64_t ms = 1000;
    json::object p = object_of(payload);
    if (auto* v = p.if_contains("ms"); v && v->is_int64()) ms = v->get_int64();
    co_await sleep_ms(ms);
    co_return InResult::ok();
  }
  co_return InResult::error(json::value{{"reason", "unknown event"}});
}

void InterceptChannel::handle_out(std::string_view event, const Payload& payload) {
  json::object p = object_of(payload);
  p["seen_by"] = "channel";
  push(event, json::value(std::move(p)));
}

}  // namespace room
