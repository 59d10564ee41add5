// Role: the JSON edges of Pair's HTTP API: reading a request body as a JSON object
// (bounded: bodies over kMaxBodyBytes → 413, bad JSON → 400), writing JSON answers, and
// the error shapes every endpoint shares:
//   {"error": "<code>", "message": "<human text>"}            (400, 401, 404, 409, 413, 503)
//   {"error": "invalid", "errors": {"<field>": "<message>"}}  (422)
// Thread affinity: none (pure functions of the request). Ownership: returns values.
#pragma once

#include <boost/json/object.hpp>
#include <map>
#include <string>
#include <string_view>
#include <system_error>
#include <variant>

#include "roost/transport/http_types.h"

namespace pair::api {

using roost::transport::HttpRequest;
using roost::transport::HttpResponse;

// An API request body larger than this is refused with 413: far above any challenge
// (whose response is capped at 256 KiB), far below the server's transport limit.
inline constexpr std::size_t kMaxBodyBytes = 1u << 20;

HttpResponse json_response(const HttpRequest& request, unsigned status, const boost::json::object& body);
HttpResponse error_response(const HttpRequest& request, unsigned status, std::string_view code,
                            std::string_view message);
HttpResponse invalid_response(const HttpRequest& request, const std::map<std::string, std::string>& errors);
// 401 {"error":"unauthorized"} with WWW-Authenticate: Bearer.
HttpResponse unauthorized_response(const HttpRequest& request);
// The answer for a failure from the store, auth or collab layers (404, 409, 413, 422, 503).
HttpResponse failure_response(const HttpRequest& request, std::error_code error);

// The body as a JSON object, or the error answer to send instead.
std::variant<boost::json::object, HttpResponse> read_json_object(const HttpRequest& request);

}  // namespace pair::api
