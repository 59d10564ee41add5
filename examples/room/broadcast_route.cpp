#include "broadcast_route.h"

#include <boost/json.hpp>

#include "roost/proto/base64.h"

namespace room {

namespace json = boost::json;
using roost::transport::HttpRequest;
using roost::transport::HttpResponse;
using roost::transport::make_response;

roost::transport::HttpHandler broadcast_route(roost::pubsub::PubSub& pubsub) {
  return [&pubsub](const HttpRequest& request, const roost::transport::RequestInfo&) -> roost::Task<HttpResponse> {
    boost::system::error_code ec;
    json::value body = json::parse(request.body(), ec);
    const json::object* o = (!ec && body.is_object()) ? &body.as_object() : nullptr;
    const json::value* topic = o ? o->if_contains("topic") : nullptr;
    const json::value* event = o ? o->if_contains("event") : nullptr;
    const json::value* payload = o ? o->if_contains("payload") : nullptr;
    if (!topic || !topic->is_string() || !event || !event->is_string() || !payload || !payload->is_object())
      co_return make_response(request, 400, R"({"error":"expected {\"topic\",\"event\",\"payload\"}"})", "application/json");
    roost::proto::Payload p;
    if (auto* b64 = payload->as_object().if_contains("binary_base64"); b64 && b64->is_string()) {
      auto bytes = roost::proto::base64_decode(b64->get_string());
      if (!bytes) co_return make_response(request, 400, R"({"error":"bad binary_base64"})", "application/json");
      p = roost::proto::Payload::binary(std::move(*bytes));
    } else {
      p = roost::proto::Payload::json(json::serialize(*payload));
    }
    if (auto err = pubsub.broadcast(std::string(topic->get_string()), std::string(event->get_string()), std::move(p)))
      co_return make_response(request, 500, json::serialize(json::object{{"error", err.message()}}), "application/json");
    co_return make_response(request, 200, R"({"ok":true})", "application/json");
  };
}

}  // namespace room
