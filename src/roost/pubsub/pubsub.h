// Role: PubSub, this node's publish/subscribe: one TopicRegistry per loop, broadcasts
// forwarded once to every loop through its mailbox and fanned out there, and the
// Adapter boundary for other nodes.
// Thread affinity: subscribe/unsubscribe/registry() act on the calling loop's registry
// and must be called on a loop thread; broadcast() may be called from any thread
// (an HTTP handler, a timer, a worker).
// Ownership: owns the registries; borrows the LoopGroup, which must outlive it.
#pragma once

#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "roost/net/loop.h"
#include "roost/pubsub/adapter.h"
#include "roost/pubsub/topic_registry.h"

namespace roost::pubsub {

class PubSub {
 public:
  explicit PubSub(net::LoopGroup& loops);

  void subscribe(std::string_view topic, Subscriber* subscriber);
  void unsubscribe(std::string_view topic, Subscriber* subscriber);
  TopicRegistry& registry() noexcept;  // the calling loop's

  // To every subscriber of `topic` on every node (except `from`, if given). Fails, and
  // sends nothing, when the message cannot be encoded (conformance item 64).
  std::error_code broadcast(std::string topic, std::string event, proto::Payload payload,
                            const Subscriber* from = nullptr);
  // Same, this node only.
  std::error_code local_broadcast(std::string topic, std::string event, proto::Payload payload,
                                  const Subscriber* from = nullptr);
  // A broadcast that came from another node: fan out here, never re-publish.
  void deliver_remote(BroadcastPtr broadcast);

  void set_adapter(std::shared_ptr<Adapter> adapter) { adapter_ = std::move(adapter); }

 private:
  void fan_out_everywhere(const BroadcastPtr& broadcast);

  net::LoopGroup& loops_;
  std::vector<std::unique_ptr<TopicRegistry>> registries_;
  std::shared_ptr<Adapter> adapter_;
};

}  // namespace roost::pubsub
