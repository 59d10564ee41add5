// Role: the challenge endpoints (see challenge_routes.h).
// Thread affinity: each handler starts on the request's loop; the store runs on the
// worker pool (lambdas are named before they are awaited, for GCC 12).
// Ownership: the handlers borrow the ApiContext.
#include "api/challenge_routes.h"

#include <boost/json.hpp>

#include "api/auth_guard.h"
#include "api/challenge_input.h"
#include "api/challenge_json.h"
#include "api/http_json.h"

namespace pair::api {
namespace {

namespace json = boost::json;
using roost::Task;
using roost::transport::HttpHandler;
using roost::transport::RequestInfo;

HttpResponse challenge_response(const HttpRequest& request, unsigned status, const store::Challenge& challenge) {
  return json_response(request, status, json::object{{"challenge", challenge_json(challenge)}});
}

HttpResponse not_found_response(const HttpRequest& request) {
  return error_response(request, 404, "not_found", "no such challenge");
}

}  // namespace

HttpHandler list_challenges_handler(ApiContext& ctx) {
  return [&ctx](const HttpRequest& request, const RequestInfo&) -> Task<HttpResponse> {
    if (!authenticate(request, ctx.tokens)) co_return unauthorized_response(request);
    auto work = [&ctx] { return ctx.store.list_challenges(); };
    auto challenges = co_await ctx.workers.run(std::move(work));
    if (!challenges) co_return failure_response(request, challenges.error());
    json::array list;
    list.reserve(challenges->size());
    for (const store::Challenge& c : *challenges) list.emplace_back(challenge_json(c));
    co_return json_response(request, 200, json::object{{"challenges", std::move(list)}});
  };
}

HttpHandler create_challenge_handler(ApiContext& ctx) {
  return [&ctx](const HttpRequest& request, const RequestInfo&) -> Task<HttpResponse> {
    if (!authenticate(request, ctx.tokens)) co_return unauthorized_response(request);
    auto body = read_json_object(request);
    if (auto* refused = std::get_if<HttpResponse>(&body)) co_return std::move(*refused);
    auto input = parse_new_challenge(std::get<json::object>(body));
    if (auto* errors = std::get_if<FieldErrors>(&input)) co_return invalid_response(request, *errors);
    auto work = [&ctx, c = std::move(std::get<NewChallenge>(input))]() mutable {
      return ctx.store.create_challenge(std::move(c.title), std::move(c.prompt), std::move(c.language),
                                        std::move(c.response));
    };
    auto created = co_await ctx.workers.run(std::move(work));
    if (!created) co_return failure_response(request, created.error());
    co_return challenge_response(request, 201, *created);
  };
}

HttpHandler show_challenge_handler(ApiContext& ctx) {
  return [&ctx](const HttpRequest& request, const RequestInfo& info) -> Task<HttpResponse> {
    if (!authenticate(request, ctx.tokens)) co_return unauthorized_response(request);
    auto id = challenge_id_from_path(info.path, kChallengePathPrefix);
    if (!id) co_return not_found_response(request);
    auto work = [&ctx, id = *id] { return ctx.store.find_challenge(id); };
    auto challenge = co_await ctx.workers.run(std::move(work));
    if (!challenge) co_return failure_response(request, challenge.error());
    co_return challenge_response(request, 200, *challenge);
  };
}

HttpHandler patch_challenge_handler(ApiContext& ctx) {
  return [&ctx](const HttpRequest& request, const RequestInfo& info) -> Task<HttpResponse> {
    auto who = authenticate(request, ctx.tokens);
    if (!who) co_return unauthorized_response(request);
    auto id = challenge_id_from_path(info.path, kChallengePathPrefix);
    if (!id) co_return not_found_response(request);
    auto body = read_json_object(request);
    if (auto* refused = std::get_if<HttpResponse>(&body)) co_return std::move(*refused);
    auto input = parse_challenge_patch(std::get<json::object>(body));
    if (auto* errors = std::get_if<FieldErrors>(&input)) co_return invalid_response(request, *errors);
    ChallengePatch& patch = std::get<ChallengePatch>(input);

    // Fields first, then the response: each is its own commit (the response one is
    // also a collab update), and the answer shows the challenge after both.
    roost::Result<store::Challenge> result = store::StoreErrc::not_found;
    if (patch.edits_fields() || !patch.response) {
      auto work = [&ctx, id = *id, edit = patch.edit]() -> roost::Result<store::Challenge> {
        if (edit.title || edit.prompt || edit.language) return ctx.store.edit_challenge(id, edit);
        return ctx.store.find_challenge(id);
      };
      result = co_await ctx.workers.run(std::move(work));
      if (!result) co_return failure_response(request, result.error());
    }
    if (patch.response) {
      // A client id no editor can have (CodeMirror's are base-36): the room sees who changed it.
      std::string client_id = "api:user-" + std::to_string(who->id);
      result = co_await ctx.documents.replace_response(*id, std::move(*patch.response), std::move(client_id));
      if (!result) co_return failure_response(request, result.error());
    }
    co_return challenge_response(request, 200, *result);
  };
}

}  // namespace pair::api
