// Role: Adapter, the boundary where a cluster transport (e.g. Redis pub/sub) plugs into
// PubSub. PubSub hands every non-local broadcast to the adapter after fanning it out on
// this node; the adapter delivers broadcasts from other nodes back through
// PubSub::deliver_remote(), which fans them out here without re-publishing them.
// Thread affinity: publish() is called from whichever loop published; implementations
// must be safe to call from any loop thread.
// Ownership: PubSub holds the adapter by shared_ptr; a single node runs with none.
#pragma once

#include "roost/pubsub/broadcast.h"

namespace roost::pubsub {

class Adapter {
 public:
  virtual ~Adapter() = default;
  virtual void publish(const BroadcastPtr& broadcast) = 0;
};

}  // namespace roost::pubsub
