// Role: RedisBus, the Bus (bus.h) over Redis pub/sub. Two connections on one home loop:
// a subscriber (SUBSCRIBE to every channel registered before start) and a publisher
// (pipelined PUBLISH). A supervisor coroutine keeps the link up: on a loss it tells the
// on_link listeners, drops what was queued, and reconnects with exponential backoff and
// jitter (100 ms doubling to 5 s), subscribing again before reporting the link up.
// A PING on both connections every second detects a Redis that stopped answering
// without closing the socket (stopped process, lost route).
// Thread affinity: publish() from any thread, posted to the home loop; subscribe() and
// on_link() before start(); everything else runs on the home loop.
// Ownership: owned by the ClusterNode; must outlive the home loop's run (its coroutines
// run there and are destroyed with the loop's pending work).
#pragma once

#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "roost/cluster/bus.h"
#include "roost/cluster/cluster_metrics.h"
#include "roost/cluster/redis_url.h"
#include "roost/cluster/resp_connection.h"

namespace roost::cluster {

struct RedisBusOptions {
  // Bounds the TCP connect and the setup commands. Loopback or LAN Redis answers in
  // well under a millisecond; 2 s tolerates a busy Redis without hiding a dead one.
  std::chrono::milliseconds connect_timeout{2000};
  // Reconnect backoff: the first retry soon (a Redis restart takes ~100 ms), doubling to a
  // ceiling that keeps a long outage from costing more than one attempt per node per 5 s.
  std::chrono::milliseconds backoff_min{100};
  std::chrono::milliseconds backoff_max{5000};
  // Bytes queued to Redis (not yet accepted by the kernel) beyond which publishes are
  // dropped and counted: a stalled Redis must not grow this node's memory without bound.
  // 8 MiB is seconds of heavy cross-node traffic.
  std::size_t outgoing_budget = 8u << 20;
  // Health check: PING both connections this often; a connection that has answered
  // nothing for three intervals is declared lost.
  std::chrono::milliseconds ping_interval{1000};
};

class RedisBus final : public Bus {
 public:
  RedisBus(net::Loop& home, RedisUrl url, ClusterMetrics& metrics, RedisBusOptions options = {});
  ~RedisBus() override;

  void publish(std::string channel, std::string payload) override;
  void subscribe(std::string channel, net::Loop& deliver_on, Handler handler) override;
  void on_link(net::Loop& deliver_on, std::function<void(bool up)> fn) override;

  // Blocking, before the home loop runs: checks that Redis answers (connect, PING, and
  // SELECT when the URL names a database) on a private io_context, so a node with a wrong
  // address fails at start with a clear message instead of retrying forever. On success
  // the link's supervisor is spawned on the home loop and connects once it runs.
  // Errors: the resolver's or socket's, ClusterError::connect_timeout, ::redis_error
  // (Redis's text in *detail when given).
  std::error_code start(std::string* detail = nullptr);
  // On the home loop: closes the link for good (no more reconnects).
  void stop();

  bool connected() const noexcept { return up_.load(std::memory_order_relaxed); }
  const RedisUrl& url() const noexcept { return url_; }

 private:
  struct Subscription {
    net::Loop* loop;
    Handler handler;
  };
  struct Listener {
    net::Loop* loop;
    std::function<void(bool)> fn;
  };
  using Connection = std::shared_ptr<RespConnection>;

  Task<void> supervise();
  Task<std::error_code> open_link(std::string& detail);
  Task<void> read_replies(std::uint64_t generation, Connection conn, bool subscriber);
  Task<void> ping(std::uint64_t generation);
  void link_failed(std::uint64_t generation, std::string reason);
  void do_publish(const std::string& channel, const std::string& payload);
  void deliver(std::string_view channel, std::string_view payload);
  void notify(bool up);
  std::chrono::milliseconds next_backoff();

  net::Loop& home_;
  RedisUrl url_;
  ClusterMetrics& metrics_;
  RedisBusOptions options_;
  bool started_ = false;
  std::map<std::string, std::vector<Subscription>, std::less<>> subscriptions_;
  std::vector<Listener> listeners_;

  // Home loop only from here on.
  Connection sub_;
  Connection pub_;
  std::uint64_t generation_ = 0;  // of the current link; stale coroutines check it
  std::string failure_;           // why the current link ended
  std::chrono::steady_clock::time_point sub_heard_, pub_heard_;
  std::unique_ptr<boost::asio::steady_timer> link_down_;  // cancelled when the link ends
  std::unique_ptr<boost::asio::steady_timer> backoff_timer_;
  std::chrono::milliseconds backoff_;
  std::minstd_rand jitter_;
  bool stopped_ = false;
  bool drop_logged_ = false;  // one log line per outage, not per dropped message
  std::atomic<bool> up_{false};
};

}  // namespace roost::cluster
