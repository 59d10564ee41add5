#include "roost/presence/tracker.h"

#include <boost/asio/post.hpp>
#include <functional>

#include "roost/net/call_on.h"

namespace roost::presence {

Tracker::Tracker(net::LoopGroup& loops, pubsub::PubSub& pubsub, TrackerOptions options)
    : loops_(loops), pubsub_(pubsub), options_(std::move(options)), shards_(loops.size()) {}

Tracker::~Tracker() = default;

void Tracker::start() {
  for (std::size_t i = 0; i < loops_.size(); ++i) {
    net::Loop& loop = loops_.at(i);
    // Posted before the loops run, so each shard exists before any request reaches it.
    boost::asio::post(loop.io(), [this, &loop, i] {
      shards_[i] = std::make_unique<TrackerShard>(loop, i, options_, pubsub_);
    });
  }
}

std::size_t Tracker::shard_index(std::string_view topic) const noexcept {
  return std::hash<std::string_view>{}(topic) % shards_.size();
}

Task<Result<std::string>> Tracker::track(Owner owner, std::string topic, std::string key, std::string meta) {
  std::size_t i = shard_index(topic);
  auto fn = [this, i, owner = std::move(owner), topic = std::move(topic), key = std::move(key),
             meta = std::move(meta)](auto done) mutable { done(shards_[i]->track(owner, topic, key, std::move(meta))); };
  co_return co_await net::call_on<Result<std::string>>(loops_.at(i), std::move(fn));
}

Task<Result<std::string>> Tracker::update(Owner owner, std::string topic, std::string key, std::string meta) {
  std::size_t i = shard_index(topic);
  auto fn = [this, i, owner = std::move(owner), topic = std::move(topic), key = std::move(key),
             meta = std::move(meta)](auto done) mutable { done(shards_[i]->update(owner, topic, key, std::move(meta))); };
  co_return co_await net::call_on<Result<std::string>>(loops_.at(i), std::move(fn));
}

Task<void> Tracker::untrack(Owner owner, std::string topic, std::string key) {
  std::size_t i = shard_index(topic);
  auto fn = [this, i, owner = std::move(owner), topic = std::move(topic), key = std::move(key)](auto done) {
    shards_[i]->untrack(owner, topic, key);
    done(true);
  };
  co_await net::call_on<bool>(loops_.at(i), std::move(fn));
}

Task<void> Tracker::untrack_owner(Owner owner, std::string topic) {
  std::size_t i = shard_index(topic);
  auto fn = [this, i, owner = std::move(owner)](auto done) {
    shards_[i]->untrack_all(owner);
    done(true);
  };
  co_await net::call_on<bool>(loops_.at(i), std::move(fn));
}

void Tracker::untrack_all(const Owner& owner, std::string_view topic) {
  std::size_t i = shard_index(topic);
  loops_.at(i).post([this, i, owner] { shards_[i]->untrack_all(owner); });
}

Task<std::string> Tracker::list(std::string topic) {
  std::size_t i = shard_index(topic);
  auto fn = [this, i, topic = std::move(topic)](auto done) { done(shards_[i]->list_json(topic)); };
  co_return co_await net::call_on<std::string>(loops_.at(i), std::move(fn));
}

Task<std::string> Tracker::get_by_key(std::string topic, std::string key) {
  std::size_t i = shard_index(topic);
  auto fn = [this, i, topic = std::move(topic), key = std::move(key)](auto done) {
    done(shards_[i]->get_by_key_json(topic, key));
  };
  co_return co_await net::call_on<std::string>(loops_.at(i), std::move(fn));
}

}  // namespace roost::presence
