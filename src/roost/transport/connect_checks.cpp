#include "roost/transport/connect_checks.h"

#include "roost/proto/origin.h"
#include "roost/proto/query.h"
#include "roost/proto/serializer.h"

namespace roost::transport {

namespace http = boost::beast::http;

namespace {

// "host:port" of the request, for check_origin :conn.
std::pair<std::string, std::uint16_t> request_host(const HttpRequest& request, bool secure) {
  std::string_view host = request[http::field::host];
  std::uint16_t port = secure ? 443 : 80;
  auto colon = host.rfind(':');
  if (colon != std::string_view::npos && host.find(']') == std::string_view::npos) {
    port = static_cast<std::uint16_t>(std::atoi(std::string(host.substr(colon + 1)).c_str()));
    host = host.substr(0, colon);
  }
  return {std::string(host), port};
}

}  // namespace

bool origin_ok(const SocketOptions& options, const HttpRequest& request, const RequestInfo& info) {
  auto it = request.find(http::field::origin);
  std::optional<std::string_view> origin;
  if (it != request.end()) origin = it->value();
  auto [host, port] = request_host(request, info.secure);
  return proto::origin_allowed(options.check_origin, origin, info.secure ? "https" : "http", host, port);
}

PreparedConnect prepare_connect(const HttpRequest& request, const RequestInfo& info, TransportKind kind) {
  PreparedConnect out;
  auto params = proto::parse_query(info.query);
  if (!params) {
    out.refusal = ConnectRefusal::bad_params;
    return out;
  }
  std::optional<std::string_view> vsn;
  if (auto* v = params->if_contains("vsn")) {
    if (!v->is_string()) {  // e.g. vsn[a]=b (§1.2)
      out.refusal = ConnectRefusal::bad_vsn;
      return out;
    }
    vsn = std::string_view(v->get_string());
  }
  auto serializer = proto::negotiate_vsn(vsn);
  if (!serializer) {
    out.refusal = ConnectRefusal::bad_vsn;
    return out;
  }
  out.info.params = std::move(*params);
  out.info.serializer = *serializer;
  out.info.transport = kind;
  out.info.peer_address = info.peer.address().to_string();
  out.info.peer_port = info.peer.port();
  if (auto it = request.find(http::field::origin); it != request.end()) out.info.origin = std::string(it->value());
  if (auto it = request.find(http::field::user_agent); it != request.end()) out.info.user_agent = std::string(it->value());
  return out;
}

}  // namespace roost::transport
