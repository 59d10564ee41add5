// Role: the account endpoints (see account_routes.h).
// Thread affinity: each handler starts on the request's loop; hashing and the store run
// on the worker pool (a lambda is named before it is awaited: GCC 12 miscompiles a
// lambda temporary inside co_await).
// Ownership: the handlers borrow the ApiContext.
#include "api/account_routes.h"

#include <boost/json.hpp>

#include "api/auth_guard.h"
#include "api/challenge_json.h"
#include "api/http_json.h"
#include "auth/auth_errors.h"
#include "auth/validation.h"

namespace pair::api {
namespace {

namespace json = boost::json;
using roost::Task;
using roost::transport::HttpHandler;
using roost::transport::RequestInfo;

// The named fields as strings; a field of another type is reported in `errors`, an
// absent one reads as "" (the validation rules then say what is missing).
std::vector<std::string> string_fields(const json::object& body, std::initializer_list<std::string_view> keys,
                                       auth::FieldErrors& errors) {
  std::vector<std::string> out;
  for (std::string_view key : keys) {
    const json::value* v = body.if_contains(key);
    if (v && !v->is_string()) errors[std::string(key)] = "must be a string";
    out.emplace_back(v && v->is_string() ? std::string_view(v->get_string()) : std::string_view());
  }
  return out;
}

json::object session_json(const ApiContext& ctx, const store::User& user) {
  return json::object{{"token", ctx.tokens.issue(user.id, user.first_name)}, {"user", user_json(user)}};
}

}  // namespace

HttpHandler sign_up_handler(ApiContext& ctx) {
  return [&ctx](const HttpRequest& request, const RequestInfo&) -> Task<HttpResponse> {
    auto body = read_json_object(request);
    if (auto* refused = std::get_if<HttpResponse>(&body)) co_return std::move(*refused);
    auth::FieldErrors errors;
    auto fields = string_fields(std::get<json::object>(body), {"first_name", "email", "password"}, errors);
    for (auto& [field, message] : auth::validate_signup(fields[0], fields[1], fields[2])) errors.try_emplace(field, message);
    if (!errors.empty()) co_return invalid_response(request, errors);
    auto work = [&ctx, first_name = std::move(fields[0]), email = std::move(fields[1]),
                 password = std::move(fields[2])]() -> roost::Result<store::User> {
      auto hash = ctx.hasher.hash(password);
      if (!hash) return hash.error();
      return ctx.store.create_user(first_name, email, std::move(*hash));
    };
    auto user = co_await ctx.workers.run(std::move(work));
    if (!user) co_return failure_response(request, user.error());
    co_return json_response(request, 201, session_json(ctx, *user));
  };
}

HttpHandler sign_in_handler(ApiContext& ctx) {
  return [&ctx](const HttpRequest& request, const RequestInfo&) -> Task<HttpResponse> {
    auto body = read_json_object(request);
    if (auto* refused = std::get_if<HttpResponse>(&body)) co_return std::move(*refused);
    auth::FieldErrors errors;
    auto fields = string_fields(std::get<json::object>(body), {"email", "password"}, errors);
    if (!errors.empty()) co_return invalid_response(request, errors);
    auto work = [&ctx, email = std::move(fields[0]), password = std::move(fields[1])]() -> roost::Result<store::User> {
      auto user = ctx.store.find_user_by_email(email);
      if (!user && user.error() != store::StoreErrc::not_found) return user.error();
      std::optional<std::string> hash;
      if (user) hash = user->password_hash;
      // One verification whether or not the email exists: the answer's timing says nothing.
      if (!ctx.hasher.verify_or_dummy(hash, password)) return auth::AuthErrc::invalid_credentials;
      return user;
    };
    auto user = co_await ctx.workers.run(std::move(work));
    if (!user) co_return failure_response(request, user.error());
    co_return json_response(request, 200, session_json(ctx, *user));
  };
}

HttpHandler me_handler(ApiContext& ctx) {
  return [&ctx](const HttpRequest& request, const RequestInfo&) -> Task<HttpResponse> {
    auto who = authenticate(request, ctx.tokens);
    if (!who) co_return unauthorized_response(request);
    auto work = [&ctx, id = who->id] { return ctx.store.find_user(id); };
    auto user = co_await ctx.workers.run(std::move(work));
    // A valid token for an account that no longer exists authorises nothing.
    if (!user && user.error() == store::StoreErrc::not_found) co_return unauthorized_response(request);
    if (!user) co_return failure_response(request, user.error());
    co_return json_response(request, 200, json::object{{"user", user_json(*user)}});
  };
}

}  // namespace pair::api
