// Role: TopicRegistry, one loop's index of topic -> subscribers, and the fan-out of a
// broadcast to them.
// Thread affinity: one registry per loop, used only on that loop's thread (no locks).
// Ownership: holds non-owning Subscriber pointers. Subscribers may unsubscribe (or new
// ones subscribe) while a fan-out of the same topic is running; removals leave a hole
// that is compacted after the walk, additions are not visited by the running walk.
#pragma once

#include <boost/unordered/unordered_flat_map.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "roost/pubsub/subscriber.h"

namespace roost::pubsub {

class TopicRegistry {
 public:
  void subscribe(std::string_view topic, Subscriber* subscriber);
  void unsubscribe(std::string_view topic, Subscriber* subscriber);
  // Delivers to every subscriber of the broadcast's topic except its `from`.
  // Returns the number of subscribers reached.
  std::size_t fan_out(const BroadcastPtr& broadcast);

  std::size_t subscriber_count(std::string_view topic) const;
  std::size_t topic_count() const noexcept { return topics_.size(); }

 private:
  struct Topic {
    std::vector<Subscriber*> subscribers;
    std::size_t live = 0;      // non-null entries
    int walking = 0;           // fan-outs in progress (re-entrant broadcasts)
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  struct Eq {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const noexcept { return a == b; }
  };
  // Topics are boxed so a Topic stays put while deliveries add other topics (rehash).
  boost::unordered_flat_map<std::string, std::unique_ptr<Topic>, Hash, Eq> topics_;
};

}  // namespace roost::pubsub
