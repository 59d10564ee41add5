#include "floor_server.h"

#include <algorithm>
#include <boost/asio/post.hpp>

#include "floor_connection.h"
#include "roost/websocket/frame_writer.h"

namespace roost::bench::floor {

namespace asio = boost::asio;

void FloorLoop::subscribe(const std::string& topic, FloorConnection* c) { topics_[topic].push_back(c); }

void FloorLoop::unsubscribe(const std::string& topic, FloorConnection* c) {
  auto it = topics_.find(topic);
  if (it == topics_.end()) return;
  auto& v = it->second;
  if (auto pos = std::find(v.begin(), v.end(), c); pos != v.end()) {
    *pos = v.back();
    v.pop_back();
  }
  if (v.empty()) topics_.erase(it);
}

void FloorLoop::broadcast(const std::string& topic, const Frame& frame) {
  auto it = topics_.find(topic);
  if (it == topics_.end()) return;
  for (FloorConnection* c : it->second) c->send(frame);
}

FloorServer::FloorServer(const Config& config) : batched_(config.batched), acceptor_([&]() -> asio::io_context& {
      const std::size_t n = config.threads > 0 ? config.threads : std::max(1u, std::thread::hardware_concurrency());
      for (std::size_t i = 0; i < n; ++i) loops_.push_back(std::make_unique<FloorLoop>());
      return loops_.front()->io;
    }()) {
  const asio::ip::tcp::endpoint ep(asio::ip::make_address(config.host), config.port);
  acceptor_.open(ep.protocol());
  acceptor_.set_option(asio::ip::tcp::acceptor::reuse_address(true));
  acceptor_.bind(ep);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
  accept();
}

FloorServer::~FloorServer() {
  stop();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

void FloorServer::run() {
  for (std::size_t i = 1; i < loops_.size(); ++i)
    threads_.emplace_back([this, i] {
      auto guard = asio::make_work_guard(loops_[i]->io);
      loops_[i]->io.run();
    });
  auto guard = asio::make_work_guard(loops_.front()->io);
  loops_.front()->io.run();
}

void FloorServer::stop() {
  for (auto& l : loops_) l->io.stop();
}

// Each accepted socket is created on the next loop's io_context and stays there.
void FloorServer::accept() {
  FloorLoop& loop = *loops_[next_loop_];
  acceptor_.async_accept(loop.io, [this, &loop](const boost::system::error_code& ec, asio::ip::tcp::socket s) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) {
      next_loop_ = (next_loop_ + 1) % loops_.size();
      asio::post(loop.io, [this, &loop, s = std::move(s)]() mutable {
        std::make_shared<FloorConnection>(*this, loop, std::move(s))->start();
      });
    }
    accept();
  });
}

void FloorServer::publish(std::string_view topic, std::string_view payload) {
  std::string text = "[null,null,\"";
  text += topic;
  text += "\",\"shout\",";
  text += payload;
  text += ']';
  auto frame = std::make_shared<const std::string>(websocket::make_frame(websocket::Opcode::text, text));
  // Posted to every loop, the publishing one too, so the fan-out never runs inside a read handler.
  for (auto& l : loops_)
    asio::post(l->io, [loop = l.get(), topic = std::string(topic), frame] { loop->broadcast(topic, frame); });
}

}  // namespace roost::bench::floor
