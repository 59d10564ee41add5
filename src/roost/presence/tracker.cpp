#include "roost/presence/tracker.h"

#include <boost/asio/post.hpp>
#include <chrono>
#include <fmt/format.h>
#include <functional>
#include <stdexcept>

#include "roost/net/call_on.h"

namespace roost::presence {

namespace {

std::size_t checked_shards(std::size_t n) {
  if (n == 0) throw std::invalid_argument("presence shards must be at least 1");
  return n;
}

// FNV-1a, 64 bits: fixed by definition, so every node (whatever its build or standard
// library) puts a topic in the same shard; std::hash makes no such promise.
std::uint64_t fnv1a(std::string_view s) noexcept {
  std::uint64_t h = 14695981039346656037ull;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

Tracker::Tracker(net::LoopGroup& loops, pubsub::PubSub& pubsub, TrackerOptions options)
    : loops_(loops), pubsub_(pubsub), options_(std::move(options)), shards_(checked_shards(options_.shards)) {
  for (std::size_t i = 0; i < shards_.size(); ++i) stats_.push_back(std::make_unique<ReplicationStats>());
}

Tracker::~Tracker() = default;

void Tracker::replicate(ReplicationLink link) {
  if (!link) throw std::invalid_argument("presence replication needs publish, subscribe and on_link");
  if (options_.node.empty()) throw std::invalid_argument("presence replication needs a node name (TrackerOptions::node)");
  timing_ = ReplicationTiming::from(options_);
  link_ = std::move(link);
}

void Tracker::start() {
  // Wall-clock microseconds: unique per start, and a restarted node's is larger.
  const auto vsn = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  for (std::size_t i = 0; i < shards_.size(); ++i) {
    net::Loop& loop = shard_loop(i);
    std::optional<TrackerShard::Replication> replication;
    if (link_) {
      auto on_peer = [this, i](const ReplicaName& r, std::optional<ReplicaStatus> s) {
        loops_.at(0).post([this, i, r, s] { directory_.update(i, r, s); });
      };
      replication = TrackerShard::Replication{link_.publish, vsn, timing_, stats_[i].get(), std::move(on_peer)};
      // Deliveries run on the shard's loop, after the creation posted below (the bus
      // starts delivering only once the loops run).
      auto deliver = [this, i](std::string_view payload) { shards_[i]->on_replication_message(payload); };
      link_.subscribe(replication_channel(i), loop, deliver);
      link_.subscribe(replication_channel(i, options_.node), loop, deliver);
      link_.on_link(loop, [this, i](bool up) { shards_[i]->on_link(up); });
    }
    // Posted before the loops run, so each shard exists before any request reaches it.
    boost::asio::post(loop.io(), [this, &loop, i, replication = std::move(replication)]() mutable {
      shards_[i] = std::make_unique<TrackerShard>(loop, i, options_, pubsub_, std::move(replication));
    });
  }
}

std::size_t Tracker::shard_index(std::string_view topic) const noexcept { return fnv1a(topic) % shards_.size(); }

Task<Result<std::string>> Tracker::track(Owner owner, std::string topic, std::string key, std::string meta) {
  std::size_t i = shard_index(topic);
  auto fn = [this, i, owner = std::move(owner), topic = std::move(topic), key = std::move(key),
             meta = std::move(meta)](auto done) mutable {
    auto result = shards_[i]->track(owner, topic, key, std::move(meta));
    if (!result && result.error() == TrackerError::too_many_metas)
      metas_refused_.fetch_add(1, std::memory_order_relaxed);
    done(std::move(result));
  };
  co_return co_await net::call_on<Result<std::string>>(shard_loop(i), std::move(fn));
}

Task<Result<std::string>> Tracker::update(Owner owner, std::string topic, std::string key, std::string meta) {
  std::size_t i = shard_index(topic);
  auto fn = [this, i, owner = std::move(owner), topic = std::move(topic), key = std::move(key),
             meta = std::move(meta)](auto done) mutable { done(shards_[i]->update(owner, topic, key, std::move(meta))); };
  co_return co_await net::call_on<Result<std::string>>(shard_loop(i), std::move(fn));
}

Task<void> Tracker::untrack(Owner owner, std::string topic, std::string key) {
  std::size_t i = shard_index(topic);
  auto fn = [this, i, owner = std::move(owner), topic = std::move(topic), key = std::move(key)](auto done) {
    shards_[i]->untrack(owner, topic, key);
    done(true);
  };
  co_await net::call_on<bool>(shard_loop(i), std::move(fn));
}

Task<void> Tracker::untrack_owner(Owner owner, std::string topic) {
  std::size_t i = shard_index(topic);
  auto fn = [this, i, owner = std::move(owner)](auto done) {
    shards_[i]->untrack_all(owner);
    done(true);
  };
  co_await net::call_on<bool>(shard_loop(i), std::move(fn));
}

void Tracker::untrack_all(const Owner& owner, std::string_view topic) {
  std::size_t i = shard_index(topic);
  shard_loop(i).post([this, i, owner] { shards_[i]->untrack_all(owner); });
}

Task<std::string> Tracker::list(std::string topic) {
  std::size_t i = shard_index(topic);
  auto fn = [this, i, topic = std::move(topic)](auto done) { done(shards_[i]->list_json(topic)); };
  co_return co_await net::call_on<std::string>(shard_loop(i), std::move(fn));
}

Task<std::string> Tracker::get_by_key(std::string topic, std::string key) {
  std::size_t i = shard_index(topic);
  auto fn = [this, i, topic = std::move(topic), key = std::move(key)](auto done) {
    done(shards_[i]->get_by_key_json(topic, key));
  };
  co_return co_await net::call_on<std::string>(shard_loop(i), std::move(fn));
}

void Tracker::render_metrics(std::string& out) const {
  fmt::format_to(std::back_inserter(out),
                 "# HELP roost_presence_metas_refused_total Local tracks refused over max_metas_per_key\n"
                 "# TYPE roost_presence_metas_refused_total counter\nroost_presence_metas_refused_total {}\n",
                 metas_refused_.load(std::memory_order_relaxed));
  if (!link_) return;
  struct Family {
    const char* name;
    const char* type;
    const char* help;
    Counter ReplicationStats::*field;
  };
  static constexpr Family kFamilies[] = {
      {"roost_presence_heartbeats_sent_total", "counter", "Presence heartbeats published (all shards)", &ReplicationStats::heartbeats_sent},
      {"roost_presence_heartbeats_received_total", "counter", "Presence heartbeats received from other nodes", &ReplicationStats::heartbeats_received},
      {"roost_presence_deltas_sent_total", "counter", "Heartbeats that carried a presence delta", &ReplicationStats::deltas_sent},
      {"roost_presence_deltas_received_total", "counter", "Presence deltas received from other nodes", &ReplicationStats::deltas_received},
      {"roost_presence_transfer_requests_sent_total", "counter", "Presence state transfer requests sent", &ReplicationStats::transfer_requests_sent},
      {"roost_presence_transfer_requests_received_total", "counter", "Presence state transfer requests received", &ReplicationStats::transfer_requests_received},
      {"roost_presence_transfers_sent_total", "counter", "Presence state transfers sent (delta or full state)", &ReplicationStats::transfers_sent},
      {"roost_presence_full_transfers_sent_total", "counter", "Presence state transfers sent as the full state", &ReplicationStats::full_transfers_sent},
      {"roost_presence_transfers_received_total", "counter", "Presence state transfers received", &ReplicationStats::transfers_received},
      {"roost_presence_bad_messages_total", "counter", "Undecodable presence replication messages dropped", &ReplicationStats::bad_messages},
      {"roost_presence_replica_up_total", "counter", "Remote shard replicas seen new or back from down", &ReplicationStats::replica_up_events},
      {"roost_presence_replica_down_total", "counter", "Remote shard replicas marked down (silent for down_period)", &ReplicationStats::replica_down_events},
      {"roost_presence_replica_permdown_total", "counter", "Remote shard replicas dropped (permdown_period or a new incarnation)", &ReplicationStats::replica_permdown_events},
      {"roost_presence_replicas_up", "gauge", "Remote shard replicas currently up (nodes x shards)", &ReplicationStats::replicas_up},
      {"roost_presence_replicas_down", "gauge", "Remote shard replicas currently down (nodes x shards)", &ReplicationStats::replicas_down},
  };
  for (const Family& f : kFamilies) {
    std::uint64_t sum = 0;
    for (const auto& s : stats_) sum += ((*s).*f.field).get();
    fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n{} {}\n", f.name, f.help, f.name, f.type,
                   f.name, sum);
  }
}

}  // namespace roost::presence
