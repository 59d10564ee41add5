// Role: the `challenges:<id>` channel (see challenge_channel.h).
// Thread affinity: the socket's loop; DocumentService calls hop to the WorkerPool and back.
// Ownership: per join; borrows the DocumentService.
#include "channel/challenge_channel.h"

#include <boost/json.hpp>
#include <charconv>

#include "api/challenge_json.h"
#include "collab/collab_errors.h"
#include "collab/update.h"

namespace pair::channel {

namespace json = boost::json;
using roost::Task;
using roost::channels::InResult;
using roost::channels::JoinResult;
using roost::proto::Payload;

namespace {

struct AfterJoin {};

constexpr std::string_view kTopicPrefix = "challenges:";

// "challenges:42" → 42; anything else (no digits, sign, junk, zero) → nullopt.
std::optional<std::int64_t> challenge_id_of(std::string_view topic) {
  if (!topic.starts_with(kTopicPrefix)) return std::nullopt;
  std::string_view digits = topic.substr(kTopicPrefix.size());
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty() || digits[0] == '+' || id <= 0)
    return std::nullopt;
  return id;
}

// The payload as a JSON object, or nullptr when it is not one.
std::optional<json::object> object_of(const Payload& payload) {
  if (payload.is_binary()) return std::nullopt;
  boost::system::error_code ec;
  json::value value = json::parse(payload.data, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

// The reason a client sees for a refused request.
std::string_view reason_of(std::error_code ec) {
  if (ec.category() == collab::collab_category()) return collab::reason_of(static_cast<collab::CollabErrc>(ec.value()));
  if (ec == store::StoreErrc::not_found) return "not_found";
  if (ec == store::StoreErrc::unavailable) return "unavailable";
  return "invalid";
}

InResult refused(std::error_code ec) { return InResult::error(json::value{{"reason", reason_of(ec)}}); }

InResult refused(std::string_view reason) { return InResult::error(json::value{{"reason", reason}}); }

// A user as pair_app's connect callback stores it in the socket's assigns.
std::optional<Participant> participant_of(const json::object& assigns) {
  const json::value* id = assigns.if_contains("user_id");
  const json::value* name = assigns.if_contains("first_name");
  if (!id || !id->is_int64() || !name || !name->is_string()) return std::nullopt;
  Participant p;
  p.user_id = id->get_int64();
  p.first_name = std::string(name->get_string());
  return p;
}

// A cursor position: what CodeMirror's selection holds (a UTF-16 offset).
std::optional<std::int64_t> position_of(const json::value* v) {
  if (!v || !v->is_int64() || v->get_int64() < 0 ||
      static_cast<std::uint64_t>(v->get_int64()) > collab::kMaxSectionLength)
    return std::nullopt;
  return v->get_int64();
}

}  // namespace

// tutorial:begin join
Task<JoinResult> ChallengeChannel::join(std::string_view topic, const Payload&) {
  auto id = challenge_id_of(topic);
  if (!id) co_return JoinResult::error(json::value{{"reason", "not_found"}});
  auto user = participant_of(socket().assigns);
  if (!user) co_return JoinResult::error(json::value{{"reason", "unauthorized"}});
  auto challenge = co_await documents_.load(*id);
  if (!challenge) co_return JoinResult::error(json::value{{"reason", reason_of(challenge.error())}});
  challenge_id_ = *id;
  me_ = std::move(*user);
  // Track once joined, as Phoenix apps do from :after_join: the join reply goes first.
  self().send(AfterJoin{});
  co_return JoinResult::ok(json::value{{"challenge", api::challenge_json(*challenge)}});
}
// tutorial:end join

// tutorial:begin handle-info
Task<void> ChallengeChannel::handle_info(std::any message) {
  if (std::any_cast<AfterJoin>(&message)) {
    co_await presence().track(me_.key(), me_.meta());
    co_await presence().push_state();
  } else if (std::any_cast<TypingTimer::Idle>(&message)) {
    if (me_.typing && typing_.expired()) {
      me_.typing = false;
      co_await publish_meta();
    }
  }
}
// tutorial:end handle-info

// tutorial:begin handle-in
Task<InResult> ChallengeChannel::handle_in(std::string_view event, const Payload& payload) {
  if (event == "collab:push") co_return co_await collab_push(payload);
  if (event == "collab:pull") co_return co_await collab_pull(payload);
  if (event == "cursor") co_return co_await move_cursor(payload);
  if (event == "response:update") co_return co_await update_response(payload);
  co_return refused("unknown_event");
}
// tutorial:end handle-in

// tutorial:begin collab-push
Task<InResult> ChallengeChannel::collab_push(const Payload& payload) {
  auto body = object_of(payload);
  if (!body) co_return refused("invalid");
  auto request = collab::decode_push(*body);
  if (!request) co_return refused(request.error());
  collab::PushResult pushed = co_await documents_.push(challenge_id_, request->version, std::move(request->updates));
  if (pushed.error == collab::CollabErrc::stale || pushed.error == collab::CollabErrc::desync)
    co_return InResult::error(json::value{{"reason", reason_of(pushed.error)}, {"version", pushed.version}});
  if (!pushed) co_return refused(pushed.error);
  // Durable and broadcast (collab:updates) by the DocumentService; the pusher sees its
  // own updates come back in that stream, which is how @codemirror/collab confirms them.
  co_await mark_typing();
  co_return InResult::ok(json::value{{"version", pushed.version}});
}
// tutorial:end collab-push

Task<InResult> ChallengeChannel::collab_pull(const Payload& payload) {
  auto body = object_of(payload);
  const json::value* version = body ? body->if_contains("version") : nullptr;
  if (!version) co_return refused("invalid");
  auto from = collab::decode_version(*version);
  if (!from) co_return refused(from.error());
  auto pulled = co_await documents_.pull(challenge_id_, *from);
  if (!pulled) co_return refused(pulled.error());
  co_return InResult::ok(Payload::json(collab::updates_payload(pulled->version, pulled->updates)));
}

// tutorial:begin response-update
Task<InResult> ChallengeChannel::update_response(const Payload& payload) {
  auto body = object_of(payload);
  const json::value* response = body ? body->if_contains("response") : nullptr;
  if (!response || !response->is_string()) co_return refused("invalid");
  if (response->get_string().size() > collab::kMaxDocumentBytes) co_return refused("too_large");
  auto saved = co_await documents_.replace_response(challenge_id_, std::string(response->get_string()),
                                                    "user:" + me_.key());
  if (!saved) co_return refused(saved.error());
  co_await mark_typing();
  co_return InResult::ok(json::value{{"challenge", api::challenge_json(*saved)}});
}
// tutorial:end response-update

Task<InResult> ChallengeChannel::move_cursor(const Payload& payload) {
  auto body = object_of(payload);
  if (!body) co_return refused("invalid");
  auto anchor = position_of(body->if_contains("anchor"));
  auto head = position_of(body->if_contains("head"));
  if (!anchor || !head) co_return refused("invalid");
  if (!me_.cursor || me_.cursor->anchor != *anchor || me_.cursor->head != *head) {
    me_.cursor = Cursor{*anchor, *head};
    co_await publish_meta();
  }
  co_return InResult::ok();
}

// tutorial:begin typing
Task<void> ChallengeChannel::mark_typing() {
  typing_.touch(executor(), self());
  if (me_.typing) co_return;
  me_.typing = true;
  co_await publish_meta();
}

Task<void> ChallengeChannel::publish_meta() {
  // nopresence only if the track itself failed; the next edit or join tries again.
  co_await presence().update(me_.key(), me_.meta());
}
// tutorial:end typing

}  // namespace pair::channel
