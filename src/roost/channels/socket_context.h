// Role: SocketContext, what channel code knows about the socket it runs on: the connect
// params, the assigns the connect callback set (e.g. the current user), the socket id,
// the auth token and the transport.
// Thread affinity: the socket's loop. Ownership: owned by channels::Socket; channels
// hold it by shared_ptr so an asynchronous handler may still read it after the socket
// has closed.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "roost/transport/socket_handler.h"

namespace roost::channels {

struct SocketContext {
  boost::json::object params;
  boost::json::object assigns;
  std::optional<std::string> id;
  std::optional<std::string> auth_token;
  transport::TransportKind transport = transport::TransportKind::websocket;
  proto::Serializer serializer = proto::Serializer::v2_json;
  std::string peer_address;
};

}  // namespace roost::channels
