// Role: Bus, the node-to-node message transport of a Roost cluster. The PubSub adapter
// (RedisAdapter) and the Tracker replication both talk to other nodes through it; the
// production implementation is RedisBus (Redis pub/sub), tests may plug their own.
// Thread affinity: publish() from any thread; subscribe()/on_link() before start only;
// handlers run on the loop given at subscription, posted through its mailbox.
// Ownership: the Bus is owned by the Endpoint (or whoever starts it) and outlives every
// handler registration; handlers are owned by the Bus once registered.
//
// Contract
// --------
// * Delivery is at-most-once and best-effort. A message is a (channel, payload) pair of
//   opaque bytes; the Bus never interprets payloads.
// * publish(channel, payload): callable from any thread, never blocks and never waits for
//   Redis. While the link is down (or the outgoing byte budget is exhausted) the message
//   is dropped and counted: local delivery must never wait on the cluster, so the callers
//   deliver locally themselves and use the Bus only to reach other nodes.
// * subscribe(channel, deliver_on, handler): before start() only (subscriptions are fixed
//   for the life of the Bus, which is what makes resubscribing after a reconnect simple).
//   `handler(payload)` runs on `deliver_on` (posted through its mailbox), once per message
//   published on `channel` by any node, INCLUDING this one: a subscriber that does not want
//   its own messages must recognise and drop them (the payload carries the origin). The
//   string_view is valid only during the call.
//   Messages from one publisher on one channel arrive in publish order while the link
//   stays up; nothing is ordered across channels or across a reconnect.
// * on_link(deliver_on, fn): before start() only. fn(true) runs on `deliver_on` each time
//   the link to Redis comes up — after every subscription is active again, so a message
//   published by anyone after fn(true) is seen — and fn(false) each time it goes down.
//   Messages published by other nodes while the link was down are lost: replication
//   reacts to fn(true) by asking peers for their state. The first fn(true) follows start();
//   until then the link counts as down, so what is published before it is dropped too.
// * Several handlers may subscribe to the same channel (each gets every message); the
//   order between handlers is unspecified.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "roost/net/loop.h"

namespace roost::cluster {

class Bus {
 public:
  using Handler = std::function<void(std::string_view payload)>;
  virtual ~Bus() = default;
  // From any thread. While Redis is away messages are dropped (and counted): local
  // delivery never waits for Redis.
  virtual void publish(std::string channel, std::string payload) = 0;
  // Before start() only. `handler` runs on `deliver_on` (posted through its mailbox),
  // once per message published on `channel` by anyone, including this node.
  virtual void subscribe(std::string channel, net::Loop& deliver_on, Handler handler) = 0;
  // Called on `deliver_on` each time the link to Redis comes up (after the
  // subscriptions are back) and goes down: replication asks for state on up.
  virtual void on_link(net::Loop& deliver_on, std::function<void(bool up)> fn) = 0;
};

}  // namespace roost::cluster
