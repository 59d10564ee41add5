#include "roost/cluster/cluster_metrics.h"

#include <fmt/format.h>

#include <iterator>

namespace roost::cluster {
namespace {

struct Family {
  const char* name;
  const char* type;
  const char* help;
  Counter ClusterMetrics::*field;
};

constexpr Family kFamilies[] = {
    {"roost_cluster_messages_published_total", "counter", "Messages published to other nodes through Redis", &ClusterMetrics::messages_published},
    {"roost_cluster_bytes_published_total", "counter", "Payload bytes published to other nodes", &ClusterMetrics::bytes_published},
    {"roost_cluster_messages_received_total", "counter", "Messages received from Redis (own echoes included)", &ClusterMetrics::messages_received},
    {"roost_cluster_bytes_received_total", "counter", "Payload bytes received from Redis", &ClusterMetrics::bytes_received},
    {"roost_cluster_messages_dropped_total", "counter", "Messages not published: Redis away or the outgoing byte budget full", &ClusterMetrics::messages_dropped},
    {"roost_cluster_link_losses_total", "counter", "Established links to Redis that were lost", &ClusterMetrics::link_losses},
    {"roost_cluster_reconnects_total", "counter", "Links to Redis re-established after a loss", &ClusterMetrics::reconnects},
    {"roost_cluster_link_up", "gauge", "1 while connected to Redis with every subscription active", &ClusterMetrics::link_up},
    {"roost_cluster_remote_broadcasts_total", "counter", "Broadcasts from other nodes delivered here", &ClusterMetrics::remote_broadcasts},
    {"roost_cluster_malformed_frames_total", "counter", "Broadcast frames from Redis rejected by strict decoding", &ClusterMetrics::malformed_frames},
    {"roost_cluster_unencodable_total", "counter", "Broadcasts not sent to other nodes: a field exceeds the frame format", &ClusterMetrics::unencodable},
};

}  // namespace

void ClusterMetrics::render(std::string& out) const {
  for (const Family& f : kFamilies) {
    fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n{} {}\n", f.name, f.help, f.name, f.type,
                   f.name, (this->*f.field).get());
  }
}

}  // namespace roost::cluster
