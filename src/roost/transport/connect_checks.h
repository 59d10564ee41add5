// Role: the checks both transports run before a client's connect callback
// (protocol.md §1.2–§1.4): origin, query params, serializer negotiation; and the
// ConnectInfo they produce.
// Thread affinity: none (pure functions over one request).
#pragma once

#include <optional>

#include "roost/transport/http_types.h"

namespace roost::transport {

enum class ConnectRefusal { origin, bad_params, bad_vsn };

struct PreparedConnect {
  std::optional<ConnectRefusal> refusal;
  ConnectInfo info;
};

// `info.secure` picks the scheme (https or http) and default port the request was sent
// to, which check_origin :conn compares against.
bool origin_ok(const SocketOptions& options, const HttpRequest& request, const RequestInfo& info);

// Parses the query (last duplicate wins), negotiates `vsn`, and fills in the peer,
// origin and user agent. The auth token is the transport's to add.
PreparedConnect prepare_connect(const HttpRequest& request, const RequestInfo& info, TransportKind kind);

}  // namespace roost::transport
