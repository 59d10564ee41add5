// Role: Subscriber, what a TopicRegistry delivers broadcasts to (a joined channel, or a
// socket listening on its id topic for `disconnect`).
// Thread affinity: a subscriber lives on one loop and is registered in that loop's
// registry; deliver() is called on that loop only.
// Ownership: the registry holds raw pointers; a subscriber unsubscribes before it dies.
#pragma once

#include "roost/pubsub/broadcast.h"

namespace roost::pubsub {

class Subscriber {
 public:
  virtual ~Subscriber() = default;
  virtual void deliver(const BroadcastPtr& broadcast) = 0;
};

}  // namespace roost::pubsub
