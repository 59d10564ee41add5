// Role: StalledClients (see stalled_clients.h).
// Thread affinity: the io_context's thread. Ownership: see the header.
#include "stalled_clients.h"

namespace roost::bench {

namespace {
constexpr std::string_view kJoinRef = "1";
}

StalledClients::StalledClients(boost::asio::io_context& io, std::size_t count, ProtocolKind protocol,
                               std::string topic)
    : is_stalled_(count, false), wire_(make_wire(protocol)), topic_(std::move(topic)) {
  clients_.reserve(count);
  for (std::size_t i = 0; i < count; ++i)
    clients_.push_back(std::make_unique<WsClient>(io, *this, static_cast<std::uint32_t>(i)));
}

void StalledClients::start(const UpgradeTarget& target, const boost::asio::ip::address_v4* source) {
  for (auto& c : clients_) {
    c->set_receive_buffer(kReceiveBufferBytes);
    c->start(target, source);
  }
}

void StalledClients::on_open(WsClient& c) {
  if (wire_->opened(c)) wire_->join(c, topic_);
}

void StalledClients::on_text(WsClient& c, std::string_view text, std::int64_t) {
  const Inbound in = wire_->received(c, text);
  if (in.kind == Inbound::Kind::ready) {
    wire_->join(c, topic_);
  } else if (in.kind == Inbound::Kind::reply && in.ref == kJoinRef && !is_stalled_[c.id()]) {
    if (!in.ok) {
      c.abort();  // on_closed counts it as failed
      return;
    }
    is_stalled_[c.id()] = true;
    ++stalled_;
    c.pause_reading();
  }
}

void StalledClients::on_closed(WsClient& c, Failure why) {
  if (!is_stalled_[c.id()]) {
    ++failed_;
    return;
  }
  // Only what reading again reveals counts: a close noticed before (a reply was still in
  // flight when reading stopped) is the server's doing as well.
  if (why != Failure::none) ++disconnected_;
}

void StalledClients::resume() {
  for (auto& c : clients_)
    if (is_stalled_[c->id()]) c->resume_reading();
}

void StalledClients::abort_all() {
  for (auto& c : clients_) c->abort();
}

}  // namespace roost::bench
