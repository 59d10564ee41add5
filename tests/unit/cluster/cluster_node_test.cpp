// ClusterNode: the GET /cluster document and the roost_cluster_* families of /metrics,
// before the bus ever connects (a node that never reached Redis reports just that).
#include "roost/cluster/cluster_node.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "support/loop_runner.h"

namespace {

using roost::cluster::ClusterNode;
using roost::cluster::NodeId;
using roost::cluster::RedisUrl;

TEST(ClusterNode, StatusDocument) {
  roost::testing::LoopRunner runner;
  roost::pubsub::PubSub pubsub(runner.group());
  ClusterNode node(runner.loop(), pubsub, NodeId{"a", 0xabcdef0123456789ull}, RedisUrl{"10.0.0.7", 7000, 2});
  node.metrics().reconnects.add(3);
  boost::json::array replicas{boost::json::object{{"node", "b"}}};
  auto status = node.status(replicas);
  EXPECT_EQ(boost::json::serialize(status),
            R"({"node":"a","incarnation":"abcdef0123456789","redis":{"url":"redis://10.0.0.7:7000/2",)"
            R"("connected":false,"reconnects":3},"replicas":[{"node":"b"}]})");
}

TEST(ClusterMetrics, RendersEveryFamilyWithHelpAndType) {
  roost::cluster::ClusterMetrics metrics;
  metrics.messages_dropped.add(4);
  metrics.link_up.add();
  std::string out;
  metrics.render(out);
  EXPECT_NE(out.find("# TYPE roost_cluster_messages_dropped_total counter\nroost_cluster_messages_dropped_total 4\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("# TYPE roost_cluster_link_up gauge\nroost_cluster_link_up 1\n"), std::string::npos) << out;
  for (const char* family : {"messages_published_total", "bytes_published_total", "messages_received_total",
                             "bytes_received_total", "link_losses_total", "reconnects_total",
                             "remote_broadcasts_total", "malformed_frames_total", "unencodable_total"}) {
    EXPECT_NE(out.find(std::string("\nroost_cluster_") + family + " 0\n"), std::string::npos) << family;
  }
}

TEST(NodeId, IncarnationsAreRandomAndNonZero) {
  auto a = NodeId::make("n"), b = NodeId::make("n");
  EXPECT_EQ(a.name, "n");
  EXPECT_NE(a.incarnation, 0u);
  EXPECT_NE(a.incarnation, b.incarnation);
  EXPECT_EQ(NodeId({"n", 255}).incarnation_hex(), "00000000000000ff");
}

}  // namespace
