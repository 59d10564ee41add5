#include "roost/transport/loop_transport.h"

#include <boost/asio/post.hpp>

#include "roost/transport/longpoll_registry.h"
#include "roost/transport/ws_connection.h"

namespace roost::transport {

namespace {
thread_local LoopTransport* t_current = nullptr;
// Sweep period: the resolution of idle timeouts, close lingers and soft budgets.
// 250 ms keeps a 10k-connection scan at a few µs per tick on the loop.
constexpr auto kSweepPeriod = std::chrono::milliseconds(250);
// Read scratch: a read of up to 64 KiB per syscall, shared by every connection of the loop.
constexpr std::size_t kScratchBytes = 64 * 1024;
}  // namespace

LoopTransport::LoopTransport(net::Loop& loop)
    : loop_(loop), now_(Clock::now()), scratch_(kScratchBytes), sweep_timer_(loop.io()) {}

LoopTransport::~LoopTransport() {
  // Sessions reach their loop's transport while they are destroyed: end them first.
  longpoll_.reset();
  connections_.clear();
  if (t_current == this) t_current = nullptr;
}

namespace {
thread_local std::unique_ptr<LoopTransport> t_owned;
}  // namespace

void LoopTransport::uninstall() { t_owned.reset(); }

void LoopTransport::install(net::Loop& loop) {
  auto& owned = t_owned;
  owned = std::make_unique<LoopTransport>(loop);
  t_current = owned.get();
  owned->longpoll_ = std::make_unique<LongPollRegistry>(loop);
  owned->arm_sweep();
}

LoopTransport& LoopTransport::current() { return *t_current; }

void LoopTransport::add(SweptConnection& connection) { connections_.push_back(connection); }

void LoopTransport::schedule_flush(std::shared_ptr<WsConnection> connection) {
  dirty_.push_back(std::move(connection));
  if (!flush_posted_) {
    flush_posted_ = true;
    boost::asio::post(loop_.io(), [this] { flush_all(); });
  }
}

void LoopTransport::flush_all() {
  flush_posted_ = false;
  auto batch = std::move(dirty_);
  dirty_.clear();
  for (auto& c : batch) c->flush();
  if (dirty_.empty() && batch.capacity() > dirty_.capacity()) {
    batch.clear();
    dirty_.swap(batch);  // keep the grown vector: the next burst needs it too
  }
}

void LoopTransport::arm_sweep() {
  sweep_timer_.expires_after(kSweepPeriod);
  sweep_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    sweep();
    arm_sweep();
  });
}

void LoopTransport::sweep() {
  now_ = Clock::now();
  // sweep() may finish a connection, which unlinks it: step before calling.
  for (auto it = connections_.begin(); it != connections_.end();) {
    SweptConnection& c = *it++;
    c.sweep(now_);
  }
  longpoll_->sweep(now_);
}

void LoopTransport::close_all(std::uint16_t code_with_channels, std::uint16_t code_without,
                              Clock::time_point deadline) {
  for (auto it = connections_.begin(); it != connections_.end();) {
    SweptConnection& c = *it++;
    c.drain(code_with_channels, code_without, deadline);
  }
  longpoll_->close_all();
}

}  // namespace roost::transport
