#include "roost/cluster/redis_bus.h"

#include <array>
#include <cassert>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <fmt/format.h>
#include <stdexcept>

#include "roost/cluster/errors.h"
#include "roost/core/log.h"

namespace roost::cluster {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

// Command words as named string_views: GCC 12 mishandles string literals in braced lists
// inside coroutines ("array used as initializer").
constexpr std::string_view kPing = "PING";
constexpr std::string_view kSelect = "SELECT";
constexpr std::string_view kSubscribe = "SUBSCRIBE";
constexpr std::string_view kSubscribeReply = "subscribe";
constexpr std::string_view kMessage = "message";
constexpr std::string_view kPublish = "PUBLISH";

struct Link {
  std::shared_ptr<RespConnection> sub;
  std::shared_ptr<RespConnection> pub;
};

// Closes the given connections unless destroyed first: bounds a series of setup requests
// against a Redis that accepts connections but does not answer.
class SetupDeadline {
 public:
  SetupDeadline(const asio::any_io_executor& executor, std::chrono::milliseconds timeout,
                std::vector<std::shared_ptr<RespConnection>> conns)
      : timer_(std::make_shared<asio::steady_timer>(executor, timeout)), expired_(std::make_shared<bool>(false)) {
    timer_->async_wait([conns = std::move(conns), expired = expired_](const boost::system::error_code& ec) {
      if (ec) return;
      *expired = true;
      for (const auto& c : conns) c->close();
    });
  }
  ~SetupDeadline() { timer_->cancel(); }
  SetupDeadline(const SetupDeadline&) = delete;
  SetupDeadline& operator=(const SetupDeadline&) = delete;

  std::error_code error_or_timeout(std::error_code ec) const {
    return *expired_ ? make_error_code(ClusterError::connect_timeout) : ec;
  }

 private:
  std::shared_ptr<asio::steady_timer> timer_;
  std::shared_ptr<bool> expired_;
};

// Connects the subscriber and the publisher, selects the database, and subscribes to
// every channel, confirmed by Redis, before the link counts as up.
Task<Result<Link>> connect_link(const RedisUrl& url, std::chrono::milliseconds timeout,
                                const std::vector<std::string_view>& channels, std::string& detail) {
  auto sub = co_await RespConnection::connect(url, timeout);
  if (!sub) co_return sub.error();
  auto pub = co_await RespConnection::connect(url, timeout);
  if (!pub) {
    (*sub)->close();
    co_return pub.error();
  }
  Link link{*sub, *pub};
  auto fail = [&](std::error_code ec) -> Result<Link> {
    link.sub->close();
    link.pub->close();
    return ec;
  };
  auto executor = co_await asio::this_coro::executor;
  SetupDeadline deadline(executor, timeout, {link.sub, link.pub});
  // Redis pub/sub ignores databases (a channel is server-wide); SELECT still makes a wrong
  // /db fail at start rather than be silently meaningless.
  if (url.db != 0) {
    std::string db = std::to_string(url.db);
    const std::array<std::string_view, 2> select{kSelect, db};
    const std::array<RespConnection*, 2> both{link.sub.get(), link.pub.get()};
    for (RespConnection* c : both) {
      auto r = co_await c->request(select, &detail);
      if (!r) co_return fail(deadline.error_or_timeout(r.error()));
    }
  }
  const std::array<std::string_view, 1> ping{kPing};
  auto pong = co_await link.pub->request(ping, &detail);
  if (!pong) co_return fail(deadline.error_or_timeout(pong.error()));
  if (channels.empty()) {
    auto r = co_await link.sub->request(ping, &detail);
    if (!r) co_return fail(deadline.error_or_timeout(r.error()));
    co_return link;
  }
  std::vector<std::string_view> command{kSubscribe};
  command.insert(command.end(), channels.begin(), channels.end());
  link.sub->send(command);
  for (std::size_t i = 0; i < channels.size(); ++i) {
    auto r = co_await link.sub->read();
    if (!r) co_return fail(deadline.error_or_timeout(r.error()));
    RespValue v = r->value();
    if (v.type() == RespType::error) {
      detail = std::string(v.str());
      co_return fail(make_error_code(ClusterError::redis_error));
    }
    if (v.type() != RespType::array || v.size() != 3 || !v[0].is(kSubscribeReply))
      co_return fail(make_error_code(ClusterError::unexpected_reply));
  }
  co_return link;
}


}  // namespace

RedisBus::RedisBus(net::Loop& home, RedisUrl url, ClusterMetrics& metrics, RedisBusOptions options)
    : home_(home),
      url_(std::move(url)),
      metrics_(metrics),
      options_(options),
      backoff_(options.backoff_min),
      jitter_(std::random_device{}()) {}

RedisBus::~RedisBus() = default;

void RedisBus::publish(std::string channel, std::string payload) {
  home_.post([this, channel = std::move(channel), payload = std::move(payload)] { do_publish(channel, payload); });
}

void RedisBus::subscribe(std::string channel, net::Loop& deliver_on, Handler handler) {
  if (started_) throw std::logic_error("Bus::subscribe(\"" + channel + "\") after start(): subscribe before the server runs");
  subscriptions_[std::move(channel)].push_back(Subscription{&deliver_on, std::move(handler)});
}

void RedisBus::on_link(net::Loop& deliver_on, std::function<void(bool up)> fn) {
  if (started_) throw std::logic_error("Bus::on_link() after start(): register before the server runs");
  listeners_.push_back(Listener{&deliver_on, std::move(fn)});
}

std::error_code RedisBus::start(std::string* detail) {
  if (started_) throw std::logic_error("RedisBus::start() called twice");
  started_ = true;
  std::vector<std::string_view> channels;
  for (const auto& [name, subs] : subscriptions_) channels.push_back(name);

  asio::io_context io;
  std::error_code result;
  std::string text;
  auto probe = [&]() -> Task<void> {
    auto link = co_await connect_link(url_, options_.connect_timeout, channels, text);
    if (!link) {
      result = link.error();
      co_return;
    }
    link->sub->close();
    link->pub->close();
  };
  asio::co_spawn(io, probe, asio::detached);
  io.run();
  if (result) {
    if (detail) *detail = text;
    return result;
  }
  auto supervisor = [this]() -> Task<void> { co_await supervise(); };
  asio::co_spawn(home_.io(), supervisor, asio::detached);
  return {};
}

void RedisBus::stop() {
  assert(home_.is_current() && "RedisBus::stop() runs on the bus's home loop");
  stopped_ = true;
  if (backoff_timer_) backoff_timer_->cancel();
  if (up_) link_failed(generation_, "stopped");
}

Task<void> RedisBus::supervise() {
  std::vector<std::string_view> channels;
  for (const auto& [name, subs] : subscriptions_) channels.push_back(name);
  bool ever_up = false;
  int attempts = 0;
  Clock::time_point down_since = Clock::now();
  backoff_timer_ = std::make_unique<asio::steady_timer>(home_.io());
  while (!stopped_) {
    std::string detail;
    auto link = co_await connect_link(url_, options_.connect_timeout, channels, detail);
    if (link && stopped_) {
      link->sub->close();
      link->pub->close();
    }
    if (stopped_) break;
    if (link) {
      std::uint64_t generation = ++generation_;
      sub_ = link->sub;
      pub_ = link->pub;
      sub_heard_ = pub_heard_ = Clock::now();
      up_ = true;
      metrics_.link_up.add();
      if (ever_up) {
        metrics_.reconnects.add();
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - down_since).count();
        log().info("cluster: reconnected to Redis {} after {} ms ({} attempts)", url_.to_string(), ms, attempts + 1);
      } else {
        log().info("cluster: connected to Redis {}", url_.to_string());
      }
      ever_up = true;
      attempts = 0;
      backoff_ = options_.backoff_min;
      drop_logged_ = false;
      notify(true);
      link_down_ = std::make_unique<asio::steady_timer>(home_.io(), Clock::time_point::max());
      auto sub_reader = [this, generation, c = sub_]() -> Task<void> { co_await read_replies(generation, c, true); };
      auto pub_reader = [this, generation, c = pub_]() -> Task<void> { co_await read_replies(generation, c, false); };
      auto pinger = [this, generation]() -> Task<void> { co_await ping(generation); };
      asio::co_spawn(home_.io(), sub_reader, asio::detached);
      asio::co_spawn(home_.io(), pub_reader, asio::detached);
      asio::co_spawn(home_.io(), pinger, asio::detached);
      co_await link_down_->async_wait(asio::as_tuple(use_awaitable));
      // link_failed() closed both connections: what was queued to Redis is lost.
      up_ = false;
      metrics_.link_up.sub();
      metrics_.link_losses.add();
      sub_.reset();
      pub_.reset();
      down_since = Clock::now();
      notify(false);
      if (stopped_) break;
      log().warn("cluster: link to Redis {} lost ({}); reconnecting", url_.to_string(), failure_);
    } else {
      ++attempts;
      std::string why = detail.empty() ? link.error().message() : link.error().message() + ": " + detail;
      if (attempts == 1)
        log().warn("cluster: cannot connect to Redis {} ({}); retrying every {}-{} ms", url_.to_string(), why,
                   options_.backoff_min.count(), options_.backoff_max.count());
      else
        log().debug("cluster: Redis {} still unreachable ({}), attempt {}", url_.to_string(), why, attempts);
    }
    backoff_timer_->expires_after(next_backoff());
    co_await backoff_timer_->async_wait(asio::as_tuple(use_awaitable));
  }
}

std::chrono::milliseconds RedisBus::next_backoff() {
  // "Equal jitter": half the step fixed, half random, so nodes that lost Redis together
  // do not reconnect in lockstep, yet none retries much sooner than the schedule.
  auto step = backoff_;
  backoff_ = std::min(backoff_ * 2, options_.backoff_max);
  std::uniform_int_distribution<std::int64_t> half(0, step.count() / 2);
  return std::chrono::milliseconds(step.count() - step.count() / 2 + half(jitter_));
}

void RedisBus::link_failed(std::uint64_t generation, std::string reason) {
  if (generation != generation_ || !up_) return;
  ++generation_;  // the link's other coroutines now see they are stale
  failure_ = std::move(reason);
  if (sub_) sub_->close();
  if (pub_) pub_->close();
  if (link_down_) link_down_->cancel();
}

Task<void> RedisBus::read_replies(std::uint64_t generation, Connection conn, bool subscriber) {
  // The publisher's replies (PUBLISH's receiver counts) are read too, though nothing needs
  // them: that keeps its socket's receive side drained and proves Redis alive.
  for (;;) {
    auto reply = co_await conn->read();
    if (generation != generation_) co_return;
    if (!reply) {
      link_failed(generation, reply.error().message());
      co_return;
    }
    (subscriber ? sub_heard_ : pub_heard_) = Clock::now();
    if (!subscriber) continue;
    RespValue v = reply->value();
    if (v.type() == RespType::array && v.size() == 3 && v[0].is(kMessage)) deliver(v[1].str(), v[2].str());
    // Anything else is the answer to a health-check PING (["pong", ""]): liveness only.
  }
}

Task<void> RedisBus::ping(std::uint64_t generation) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    timer.expires_after(options_.ping_interval);
    co_await timer.async_wait(asio::as_tuple(use_awaitable));
    if (generation != generation_) co_return;
    auto silent = Clock::now() - std::min(sub_heard_, pub_heard_);
    if (silent > 3 * options_.ping_interval) {
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(silent).count();
      link_failed(generation, fmt::format("Redis did not answer for {} ms", ms));
      co_return;
    }
    const std::array<std::string_view, 1> command{kPing};
    sub_->send(command);
    pub_->send(command);
  }
}

void RedisBus::do_publish(const std::string& channel, const std::string& payload) {
  assert(home_.is_current());
  const char* refused = nullptr;
  if (!up_ || !pub_) refused = "Redis link down";
  else if (pub_->pending_bytes() + payload.size() > options_.outgoing_budget) refused = "outgoing byte budget full";
  if (refused) {
    metrics_.messages_dropped.add();
    if (!drop_logged_) {
      drop_logged_ = true;
      log().warn("cluster: dropping messages to other nodes ({}); counted in roost_cluster_messages_dropped_total",
                 refused);
    }
    return;
  }
  pub_->send({kPublish, channel, payload});
  metrics_.messages_published.add();
  metrics_.bytes_published.add(payload.size());
}

void RedisBus::deliver(std::string_view channel, std::string_view payload) {
  metrics_.messages_received.add();
  metrics_.bytes_received.add(payload.size());
  auto it = subscriptions_.find(channel);
  if (it == subscriptions_.end()) return;
  // One copy of the payload shared by every handler: the reply it points into is freed
  // when this read is done, and the handlers run later on their loops.
  auto shared = std::make_shared<const std::string>(payload);
  for (const Subscription& s : it->second) {
    const Handler* handler = &s.handler;
    s.loop->post([handler, shared] { (*handler)(*shared); });
  }
}

void RedisBus::notify(bool up) {
  for (const Listener& l : listeners_) {
    const auto* fn = &l.fn;
    l.loop->post([fn, up] { (*fn)(up); });
  }
}

}  // namespace roost::cluster
