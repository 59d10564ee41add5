#include "roost/net/loop.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <concurrentqueue/concurrentqueue.h>

#include "roost/core/log.h"

namespace roost::net {

namespace {
thread_local Loop* t_current = nullptr;
}

struct Loop::Mailbox {
  moodycamel::ConcurrentQueue<Task> queue;
};

Loop::Loop(std::size_t index, LoopMetrics& metrics)
    : index_(index), metrics_(metrics), io_(1), mailbox_(std::make_unique<Mailbox>()) {}

Loop::~Loop() = default;

Loop* Loop::current() noexcept { return t_current; }

void Loop::post(Task task) {
  mailbox_->queue.enqueue(std::move(task));
  // One Asio post per wake-up, not per message: the drain handler empties the queue.
  if (!wake_pending_.exchange(true, std::memory_order_acq_rel)) {
    boost::asio::post(io_, [this] { drain_mailbox(); });
  }
}

void Loop::drain_mailbox() {
  wake_pending_.store(false, std::memory_order_release);
  Task batch[64];
  for (;;) {
    std::size_t n = mailbox_->queue.try_dequeue_bulk(batch, 64);
    if (n == 0) break;
    for (std::size_t i = 0; i < n; ++i) {
      try {
        batch[i]();
      } catch (const std::exception& e) {
        log().error("loop {}: mailbox task threw: {}", index_, e.what());
      }
      batch[i] = nullptr;
    }
  }
  metrics_.mailbox_depth.sub(metrics_.mailbox_depth.get());
  metrics_.mailbox_depth.add(mailbox_->queue.size_approx());
}

void Loop::run() {
  t_current = this;
  auto guard = boost::asio::make_work_guard(io_);
  io_.run();
  t_current = nullptr;
}

void Loop::stop() { io_.stop(); }

void Loop::shutdown_pending() { io_.shutdown_now(); }

LoopGroup::LoopGroup(std::size_t threads, Metrics& metrics) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  for (std::size_t i = 0; i < threads; ++i) loops_.push_back(std::make_unique<Loop>(i, metrics.loop(i)));
}

LoopGroup::~LoopGroup() {
  stop();
}

Loop& LoopGroup::next_for_connection() noexcept {
  return *loops_[next_.fetch_add(1, std::memory_order_relaxed) % loops_.size()];
}

void LoopGroup::run() {
  for (std::size_t i = 1; i < loops_.size(); ++i) threads_.emplace_back([this, i] { loops_[i]->run(); });
  loops_[0]->run();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void LoopGroup::stop() {
  for (auto& l : loops_) l->stop();
}

void LoopGroup::shutdown_pending() {
  for (auto& l : loops_) l->shutdown_pending();
}

}  // namespace roost::net
