#include "roost/pubsub/topic_registry.h"

#include <algorithm>

namespace roost::pubsub {

void TopicRegistry::subscribe(std::string_view topic, Subscriber* subscriber) {
  auto it = topics_.find(topic);
  if (it == topics_.end()) it = topics_.emplace(std::string(topic), std::make_unique<Topic>()).first;
  it->second->subscribers.push_back(subscriber);
  ++it->second->live;
}

void TopicRegistry::unsubscribe(std::string_view topic, Subscriber* subscriber) {
  auto it = topics_.find(topic);
  if (it == topics_.end()) return;
  Topic& t = *it->second;
  auto pos = std::find(t.subscribers.begin(), t.subscribers.end(), subscriber);
  if (pos == t.subscribers.end()) return;
  --t.live;
  if (t.walking > 0) {
    *pos = nullptr;  // a fan-out is iterating this vector: leave a hole
    return;
  }
  // Order among subscribers carries no meaning, so swap-and-pop keeps removal O(1).
  *pos = t.subscribers.back();
  t.subscribers.pop_back();
  if (t.live == 0) topics_.erase(it);
}

std::size_t TopicRegistry::fan_out(const BroadcastPtr& broadcast) {
  auto it = topics_.find(std::string_view(broadcast->topic()));
  if (it == topics_.end()) return 0;
  Topic& t = *it->second;  // boxed: stays valid while deliveries change the map
  std::size_t reached = 0;
  ++t.walking;
  const std::size_t n = t.subscribers.size();
  for (std::size_t i = 0; i < n; ++i) {
    Subscriber* s = t.subscribers[i];
    if (s == nullptr || s == broadcast->from()) continue;
    s->deliver(broadcast);
    ++reached;
  }
  --t.walking;
  if (t.walking == 0 && t.live != t.subscribers.size()) {
    std::erase(t.subscribers, nullptr);
    if (t.live == 0) topics_.erase(std::string_view(broadcast->topic()));
  }
  return reached;
}

std::size_t TopicRegistry::subscriber_count(std::string_view topic) const {
  auto it = topics_.find(topic);
  return it == topics_.end() ? 0 : it->second->live;
}

}  // namespace roost::pubsub
