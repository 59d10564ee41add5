#include "roost/transport/longpoll_http.h"

#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/json/object.hpp>

#include "roost/proto/longpoll_body.h"
#include "roost/proto/query.h"
#include "roost/proto/serializer.h"
#include "roost/transport/connect_checks.h"
#include "roost/transport/longpoll_registry.h"
#include "roost/net/call_on.h"

namespace roost::transport {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

struct PollResult {
  bool found = false;
  int status = 0;
  std::vector<SharedBytes> messages;
};

HttpResponse json_answer(const HttpRequest& request, std::string body) {
  HttpResponse res = make_response(request, 200, std::move(body), "application/json; charset=utf-8");
  res.set(http::field::access_control_allow_origin, "*");
  res.set(http::field::cache_control, "no-store");
  return res;
}

HttpResponse status_answer(const HttpRequest& request, int status) {
  return json_answer(request, "{\"status\":" + std::to_string(status) + "}");
}

HttpResponse poll_answer(const HttpRequest& request, int status, const std::string& token,
                         const std::vector<SharedBytes>& messages) {
  std::string body = "{\"messages\":[";
  for (std::size_t i = 0; i < messages.size(); ++i) {
    if (i) body += ',';
    proto::append_json_string(body, *messages[i]);  // each frame travels as a JSON string
  }
  body += "],\"status\":";
  body += std::to_string(status);
  body += ",\"token\":";
  proto::append_json_string(body, token);
  body += '}';
  return json_answer(request, std::move(body));
}

// §9.1: the header wins over the query; among query params the last one wins.
std::optional<std::string> session_token(const HttpRequest& request, std::string_view query) {
  if (auto it = request.find("x-phoenix-longpoll-token"); it != request.end() && !it->value().empty())
    return std::string(it->value());
  auto params = proto::parse_query(query);
  if (!params) return std::nullopt;
  if (auto* t = params->if_contains("token"); t && t->is_string() && !t->get_string().empty())
    return std::string(t->get_string());
  return std::nullopt;
}

// Creates a session on this loop: origin, vsn and connect as for WebSocket (§9.2).
HttpResponse create_session(const HttpRequest& request, const RequestInfo& info, const MountedSocket& mounted) {
  auto& lt = LoopTransport::current();
  if (!origin_ok(mounted.options, request, info)) {
    lt.loop().metrics().refused_connects.add();
    return status_answer(request, 403);
  }
  auto prepared = prepare_connect(request, info, TransportKind::longpoll);
  if (prepared.refusal) {
    lt.loop().metrics().refused_connects.add();
    return status_answer(request, 403);
  }
  if (mounted.options.auth_token) {
    if (auto it = request.find("x-phoenix-authtoken"); it != request.end())
      prepared.info.auth_token = std::string(it->value());
  }
  auto slot = mounted.longpoll_sessions->acquire(info.peer.address());
  if (!slot) {
    lt.loop().metrics().refused_connects.add();
    HttpResponse busy = status_answer(request, 429);
    busy.result(http::status::too_many_requests);
    return busy;
  }
  auto session = lt.longpoll().create(mounted.options, prepared.info.serializer);
  session->hold(std::move(*slot));
  if (!session) return make_response(request, 500);
  auto handler = mounted.endpoint->connect(std::move(prepared.info), *session);
  if (!handler) {
    lt.loop().metrics().refused_connects.add();
    lt.longpoll().remove(session->token());
    return status_answer(request, 403);
  }
  session->attach(std::move(*handler));
  return poll_answer(request, 410, session->token(), {});
}

}  // namespace

Task<HttpResponse> handle_longpoll(const HttpRequest& request, const RequestInfo& info, const MountedSocket& mounted,
                                   net::LoopGroup& loops) {
  switch (request.method()) {
    case http::verb::options: {
      HttpResponse res = make_response(request, 200);
      res.set(http::field::access_control_allow_origin, "*");
      res.set(http::field::access_control_allow_headers, request[http::field::access_control_request_headers]);
      res.set(http::field::access_control_allow_methods, "get, post, options");
      res.set(http::field::access_control_max_age, "3600");
      co_return res;
    }
    case http::verb::get:
    case http::verb::post: break;
    default: co_return make_response(request, 400);
  }
  if (!origin_ok(mounted.options, request, info)) co_return status_answer(request, 403);

  auto token = session_token(request, info.query);
  std::optional<std::size_t> loop_index = token ? LongPollRegistry::loop_of(*token) : std::nullopt;
  if (loop_index && *loop_index >= loops.size()) loop_index.reset();

  if (request.method() == http::verb::get) {
    if (loop_index) {
      auto poll = [t = *token](auto done) {
        auto session = LoopTransport::current().longpoll().find(t);
        if (!session) return done(PollResult{});
        session->poll([done](int status, std::vector<SharedBytes> messages) {
          done(PollResult{true, status, std::move(messages)});
        });
      };
      auto result = co_await net::call_on<PollResult>(loops.at(*loop_index), std::move(poll));
      if (result.found) co_return poll_answer(request, result.status, *token, result.messages);
    }
    co_return create_session(request, info, mounted);  // §9.7: a lost session gets a new one
  }

  // POST
  if (!loop_index) co_return status_answer(request, 410);
  auto lines = proto::split_longpoll_body(request[http::field::content_type], request.body(),
                                          mounted.options.longpoll_max_lines);
  if (!lines) co_return make_response(request, 400, "bad long-poll body\n");
  auto post = [t = *token, l = std::move(*lines)](auto done) mutable {
    auto session = LoopTransport::current().longpoll().find(t);
    if (!session) return done(410);
    session->post(std::move(l), [done](int s) { done(s); });
  };
  int status = co_await net::call_on<int>(loops.at(*loop_index), std::move(post));
  co_return status_answer(request, status);
}

}  // namespace roost::transport
