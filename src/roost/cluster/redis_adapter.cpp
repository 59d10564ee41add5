#include "roost/cluster/redis_adapter.h"

#include "roost/cluster/broadcast_frame.h"
#include "roost/core/log.h"

namespace roost::cluster {

RedisAdapter::RedisAdapter(Bus& bus, pubsub::PubSub& pubsub, NodeId self, net::Loop& home, ClusterMetrics& metrics,
                           std::string channel)
    : bus_(bus), pubsub_(pubsub), self_(std::move(self)), home_(home), metrics_(metrics), channel_(std::move(channel)) {
  bus_.subscribe(channel_, home_, [this](std::string_view bytes) { on_frame(bytes); });
}

void RedisAdapter::publish(const pubsub::BroadcastPtr& broadcast) {
  auto frame = encode_broadcast_frame(self_, broadcast->topic(), broadcast->event(), broadcast->payload());
  if (!frame) {
    // Counters have one writer, the home loop; this runs on the publisher's loop.
    home_.post([this] { metrics_.unencodable.add(); });
    if (!unencodable_logged_.exchange(true))
      log().warn("cluster: a broadcast on '{:.64}' was not sent to other nodes: {} (logged once)", broadcast->topic(),
                 frame.error().message());
    return;
  }
  bus_.publish(channel_, std::move(*frame));
}

void RedisAdapter::on_frame(std::string_view bytes) {
  auto frame = decode_broadcast_frame(bytes);
  auto reject = [&](std::error_code ec) {
    metrics_.malformed_frames.add();
    if (!malformed_logged_) {
      malformed_logged_ = true;
      log().warn("cluster: dropped a malformed frame on {} ({}, {} bytes); counted in "
                 "roost_cluster_malformed_frames_total, logged once",
                 channel_, ec.message(), bytes.size());
    }
  };
  if (!frame) return reject(frame.error());
  if (frame->from(self_)) return;  // our own, already delivered here
  proto::Payload payload{frame->kind, std::string(frame->payload)};
  auto broadcast = std::make_shared<const pubsub::Broadcast>(std::string(frame->topic), std::string(frame->event),
                                                             std::move(payload));
  // The origin validated it; a frame that still cannot be encoded here was not written
  // by a Roost node.
  if (auto ec = broadcast->validate()) return reject(ec);
  metrics_.remote_broadcasts.add();
  pubsub_.deliver_remote(std::move(broadcast));
}

}  // namespace roost::cluster
