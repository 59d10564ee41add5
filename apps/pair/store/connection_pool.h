// Role: ConnectionPool<C>, a small fixed-size pool of database connections (SQLite or
// libpq) shared by the worker threads. A lease hands one connection to one thread for
// one store call and returns it when it goes out of scope.
// Thread affinity: any worker thread; never used on an event loop (acquire may wait).
// The mutex guards only the free list, once per store call, off the per-message path.
// Ownership: the pool owns its connections; a Lease borrows one and must not outlive
// the pool.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "roost/core/result.h"

namespace pair::store {

template <class C>
class ConnectionPool {
 public:
  using Factory = std::function<roost::Result<std::unique_ptr<C>>()>;

  // Connections are opened lazily, up to `size`: a pool no worker uses costs nothing.
  ConnectionPool(std::size_t size, Factory factory) : size_(size ? size : 1), factory_(std::move(factory)) {}

  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<C> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (conn_) pool_->give_back(std::move(conn_));
    }
    C& operator*() const noexcept { return *conn_; }
    C* operator->() const noexcept { return conn_.get(); }
    // Drops a connection that is broken; the pool opens a new one when next needed.
    void discard() noexcept {
      conn_.reset();
      pool_->forget_one();
    }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<C> conn_;
  };

  // A free connection, a new one while under `size`, or waits for one to come back.
  roost::Result<Lease> acquire() {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [&] { return !idle_.empty() || open_ < size_; });
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(conn));
    }
    ++open_;
    lock.unlock();
    auto conn = factory_();
    if (!conn) {
      forget_one();
      return conn.error();
    }
    return Lease(this, std::move(*conn));
  }

 private:
  void give_back(std::unique_ptr<C> conn) {
    {
      std::lock_guard lock(mutex_);
      idle_.push_back(std::move(conn));
    }
    available_.notify_one();
  }
  void forget_one() {
    {
      std::lock_guard lock(mutex_);
      --open_;
    }
    available_.notify_one();
  }

  const std::size_t size_;
  Factory factory_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<C>> idle_;
  std::size_t open_ = 0;
};

}  // namespace pair::store
