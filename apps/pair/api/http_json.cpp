// Role: the JSON request/response helpers of the API (see http_json.h).
// Thread affinity: none. Ownership: returns values.
#include "api/http_json.h"

#include <boost/json.hpp>

#include "auth/auth_errors.h"
#include "collab/collab_errors.h"
#include "store/store.h"

namespace pair::api {

namespace json = boost::json;

HttpResponse json_response(const HttpRequest& request, unsigned status, const json::object& body) {
  auto res = roost::transport::make_response(request, status, json::serialize(body), "application/json");
  // Answers carry tokens and personal data: no cache keeps them.
  res.set(boost::beast::http::field::cache_control, "no-store");
  return res;
}

HttpResponse error_response(const HttpRequest& request, unsigned status, std::string_view code,
                            std::string_view message) {
  return json_response(request, status, json::object{{"error", code}, {"message", message}});
}

HttpResponse invalid_response(const HttpRequest& request, const std::map<std::string, std::string>& errors) {
  json::object fields;
  for (const auto& [field, message] : errors) fields[field] = message;
  return json_response(request, 422, json::object{{"error", "invalid"}, {"errors", std::move(fields)}});
}

HttpResponse unauthorized_response(const HttpRequest& request) {
  auto res = error_response(request, 401, "unauthorized", "a valid token is required: Authorization: Bearer <token>");
  res.set(boost::beast::http::field::www_authenticate, "Bearer");
  return res;
}

HttpResponse failure_response(const HttpRequest& request, std::error_code error) {
  using store::StoreErrc;
  using collab::CollabErrc;
  if (error == StoreErrc::not_found) return error_response(request, 404, "not_found", "not found");
  if (error == StoreErrc::email_taken)
    return error_response(request, 409, "email_taken", "an account with this email already exists");
  if (error == StoreErrc::invalid) return error_response(request, 400, "bad_request", "text must not contain NUL");
  if (error == CollabErrc::too_large) return invalid_response(request, {{"response", "must be at most 256 KiB"}});
  if (error == CollabErrc::invalid_text) return invalid_response(request, {{"response", "is not valid text"}});
  if (error == CollabErrc::stale)
    return error_response(request, 503, "busy", "the response is being edited too fast; try again");
  if (error == auth::AuthErrc::invalid_credentials)
    return error_response(request, 401, "invalid_credentials", "wrong email or password");
  return error_response(request, 503, "unavailable", "the service is temporarily unavailable; try again");
}

std::variant<json::object, HttpResponse> read_json_object(const HttpRequest& request) {
  const std::string& body = request.body();
  if (body.size() > kMaxBodyBytes)
    return error_response(request, 413, "too_large", "the request body is larger than 1 MiB");
  json::error_code ec;
  json::value parsed = json::parse(body, ec);
  if (ec) return error_response(request, 400, "malformed_json", "the request body is not valid JSON");
  if (!parsed.is_object()) return error_response(request, 400, "malformed_json", "the request body must be a JSON object");
  return std::move(parsed.as_object());
}

}  // namespace pair::api
