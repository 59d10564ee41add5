#include "roost/channels/socket_definition.h"

#include "roost/channels/socket.h"
#include "roost/core/errors.h"
#include "roost/core/log.h"

namespace roost::channels {

SocketDefinition::SocketDefinition(pubsub::PubSub& pubsub, presence::Tracker* tracker, ConnectCallback connect,
                                   ChannelRouter router, SocketLimits limits)
    : pubsub_(pubsub), tracker_(tracker), connect_(std::move(connect)), router_(std::move(router)), limits_(limits) {}

Result<std::unique_ptr<transport::SocketHandler>> SocketDefinition::connect(transport::ConnectInfo info,
                                                                           transport::Outbound& outbound) {
  ConnectResult result;
  try {
    result = connect_ ? connect_(info) : ConnectResult::accept();
  } catch (const std::exception& e) {
    log().warn("connect callback threw: {}", e.what());
    result = ConnectResult::refuse();
  }
  if (!result.accepted) return std::make_error_code(std::errc::permission_denied);
  auto context = std::make_shared<SocketContext>();
  context->params = std::move(info.params);
  context->assigns = std::move(result.assigns);
  context->id = std::move(result.id);
  context->auth_token = std::move(info.auth_token);
  context->transport = info.transport;
  context->serializer = info.serializer;
  context->peer_address = std::move(info.peer_address);
  return std::unique_ptr<transport::SocketHandler>(std::make_unique<Socket>(*this, outbound, std::move(context)));
}

}  // namespace roost::channels
