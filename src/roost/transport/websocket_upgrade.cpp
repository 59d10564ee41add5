#include "roost/transport/websocket_upgrade.h"

#include <boost/beast/core/string.hpp>

#include "roost/proto/subprotocols.h"
#include "roost/transport/connect_checks.h"
#include "roost/transport/ws_connection.h"
#include "roost/websocket/handshake.h"

namespace roost::transport {

namespace http = boost::beast::http;

namespace {

bool header_has_token(std::string_view value, std::string_view token) {
  // Comma-separated, case-insensitive (Connection: keep-alive, Upgrade).
  while (!value.empty()) {
    auto comma = value.find(',');
    auto item = value.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (boost::beast::iequals(item, token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

std::optional<HttpResponse> upgrade_websocket(const HttpRequest& request, const RequestInfo& info,
                                              const MountedSocket& mounted, boost::asio::ip::tcp::socket& socket,
                                              std::string leftover, PeerSlot* slot) {
  const SocketOptions& options = mounted.options;
  auto refuse = [&](unsigned status) { return make_response(request, status); };
  auto& metrics = LoopTransport::current().loop().metrics();

  if (request.method() != http::verb::get) return refuse(400);
  if (!origin_ok(options, request, info)) {
    metrics.refused_connects.add();
    return refuse(403);
  }
  std::string_view key = request[http::field::sec_websocket_key];
  if (!header_has_token(request[http::field::upgrade], "websocket") ||
      !header_has_token(request[http::field::connection], "upgrade") || !websocket::valid_client_key(key) ||
      request[http::field::sec_websocket_version] != "13")
    return refuse(400);

  // §1.3: the bearer entry carries the auth token; the answer must name "phoenix".
  bool answer_phoenix = false;
  std::optional<std::string> auth_token;
  if (auto it = request.find(http::field::sec_websocket_protocol); it != request.end()) {
    auto offer = proto::parse_subprotocols(it->value());
    if (offer.malformed) return refuse(403);
    if (options.auth_token) {
      auth_token = offer.auth_token;
      if (offer.offered_phoenix) {
        answer_phoenix = true;
      } else if (offer.offered_any) {
        metrics.refused_connects.add();
        return refuse(403);  // a list is configured and nothing offered matches
      }
    }
  }

  auto prepared = prepare_connect(request, info, TransportKind::websocket);
  if (prepared.refusal) {
    metrics.refused_connects.add();
    return refuse(403);
  }
  prepared.info.auth_token = std::move(auth_token);

  auto connection = std::make_shared<WsConnection>(std::move(socket), options, prepared.info.serializer);
  if (slot) connection->hold(std::move(*slot));
  auto handler = mounted.endpoint->connect(std::move(prepared.info), *connection);
  if (!handler) {
    metrics.refused_connects.add();
    connection->reject("HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
    return std::nullopt;
  }
  connection->attach(std::move(*handler));
  std::string response =
      "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-accept: ";
  response += websocket::accept_key(key);
  if (answer_phoenix) response += "\r\nsec-websocket-protocol: phoenix";
  response += "\r\n\r\n";
  connection->start(std::move(response), std::move(leftover));
  return std::nullopt;
}

}  // namespace roost::transport
