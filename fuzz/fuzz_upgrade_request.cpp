// Role: libFuzzer target for the WebSocket upgrade request handling up to the connect
// callback (protocol.md §1): the raw request is parsed by the same Beast parser settings
// the server uses, then the origin check, query parsing, vsn negotiation, subprotocol
// (auth token) parsing and the Sec-WebSocket-Key check run on it.
// Thread affinity: single-threaded (libFuzzer's driver).
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "roost/proto/subprotocols.h"
#include "roost/transport/connect_checks.h"
#include "roost/websocket/handshake.h"

namespace http = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  http::request_parser<http::string_body> parser;
  parser.body_limit(64 * 1024);
  parser.header_limit(16 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec || !parser.is_header_done()) return 0;
  const auto& request = parser.get();

  const std::string_view target = request.target();
  const auto question = target.find('?');
  roost::transport::RequestInfo info;
  info.path = target.substr(0, question);
  info.query = question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);

  roost::transport::SocketOptions options;
  (void)roost::transport::origin_ok(options, request, info);
  auto prepared = roost::transport::prepare_connect(request, info, roost::transport::TransportKind::websocket);
  (void)prepared;
  if (auto protocols = request.find(http::field::sec_websocket_protocol); protocols != request.end()) {
    auto offer = roost::proto::parse_subprotocols(protocols->value());
    (void)offer;
  }
  if (auto key = request.find(http::field::sec_websocket_key); key != request.end()) {
    if (roost::websocket::valid_client_key(key->value())) (void)roost::websocket::accept_key(key->value());
  }
  return 0;
}
