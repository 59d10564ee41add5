// Builds a Roost endpoint with one echo channel, using only the installed headers
// and libraries. It never calls run(): constructing and configuring the endpoint
// shows that the public headers compile on their own and the libraries link.
#include <roost/server/endpoint.h>

#include <roost/channels/channel.h>

#include <cstdio>
#include <string_view>
#include <utility>

namespace {

class EchoChannel : public roost::channels::Channel {
 public:
  roost::Task<roost::channels::JoinResult> join(std::string_view, const roost::proto::Payload&) override {
    co_return roost::channels::JoinResult::ok();
  }
  roost::Task<roost::channels::InResult> handle_in(std::string_view event,
                                                   const roost::proto::Payload& payload) override {
    if (event == "echo") co_return roost::channels::InResult::ok(payload);
    co_return roost::channels::InResult::no_reply();
  }
};

}  // namespace

int main() {
  roost::server::EndpointConfig config;
  config.port = 0;
  config.loops = 1;
  roost::server::Endpoint endpoint(config);

  roost::transport::SocketOptions options;
  options.mount = "/socket";
  roost::channels::ChannelRouter router;
  router.channel<EchoChannel>("room:*");
  endpoint.socket(
      options, [](const roost::transport::ConnectInfo&) { return roost::channels::ConnectResult::accept(); },
      std::move(router));

  std::puts("consumer: endpoint configured");
  return 0;
}
