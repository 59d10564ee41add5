#include "roost/pubsub/pubsub.h"

#include <cassert>

namespace roost::pubsub {

PubSub::PubSub(net::LoopGroup& loops) : loops_(loops) {
  for (std::size_t i = 0; i < loops.size(); ++i) registries_.push_back(std::make_unique<TopicRegistry>());
}

TopicRegistry& PubSub::registry() noexcept {
  net::Loop* loop = net::Loop::current();
  assert(loop != nullptr && "PubSub::registry() must be called on a loop thread");
  return *registries_[loop->index()];
}

void PubSub::subscribe(std::string_view topic, Subscriber* subscriber) { registry().subscribe(topic, subscriber); }

void PubSub::unsubscribe(std::string_view topic, Subscriber* subscriber) {
  // Off a loop thread only at process exit, when the io_contexts destroy what they still
  // hold after the loops have stopped: the registries go away with them.
  if (net::Loop::current() == nullptr) return;
  registry().unsubscribe(topic, subscriber);
}

std::error_code PubSub::broadcast(std::string topic, std::string event, proto::Payload payload, const Subscriber* from) {
  auto b = std::make_shared<const Broadcast>(std::move(topic), std::move(event), std::move(payload), from);
  if (auto ec = b->validate()) return ec;
  fan_out_everywhere(b);
  if (adapter_) adapter_->publish(b);
  return {};
}

std::error_code PubSub::local_broadcast(std::string topic, std::string event, proto::Payload payload,
                                        const Subscriber* from) {
  auto b = std::make_shared<const Broadcast>(std::move(topic), std::move(event), std::move(payload), from);
  if (auto ec = b->validate()) return ec;
  fan_out_everywhere(b);
  return {};
}

void PubSub::deliver_remote(BroadcastPtr broadcast) { fan_out_everywhere(broadcast); }

void PubSub::fan_out_everywhere(const BroadcastPtr& broadcast) {
  // Even the publishing loop goes through its mailbox: the fan-out then never runs
  // inside the publisher's own call stack (a channel handler may be mid-iteration over
  // the registry), and per-publisher order is kept by the FIFO mailbox.
  for (std::size_t i = 0; i < loops_.size(); ++i) {
    TopicRegistry* registry = registries_[i].get();
    net::Loop& loop = loops_.at(i);
    loop.post([registry, broadcast, &loop] {
      loop.metrics().broadcasts.add();
      registry->fan_out(broadcast);
    });
  }
}

}  // namespace roost::pubsub
