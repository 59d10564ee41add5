#include "presence_fleet.h"

#include <chrono>

#include "clock.h"
#include "phx_frames.h"

namespace roost::bench {

namespace {

// ["1","1","<topic>","phx_join",{"name":"u<index>"}]
void append_named_join(std::string& out, std::string_view topic, std::size_t index) {
  out += "[\"1\",\"1\",\"";
  out += topic;
  out += "\",\"phx_join\",{\"name\":\"u";
  append_decimal(out, static_cast<std::int64_t>(index));
  out += "\"}]";
}

}  // namespace

PresenceFleet::PresenceFleet(boost::asio::io_context& io, Config config)
    : config_(std::move(config)),
      dialer_(io, config_.dial, *this),
      clients_(config_.dial.count) {}

void PresenceFleet::start(std::function<void()> on_opened) {
  dialer_.start(std::move(on_opened));
  dialer_.keep_alive([this](WsClient& c) {
    scratch_.clear();
    append_heartbeat(scratch_, ++heartbeat_ref_);
    c.send_text(scratch_);
  });
}

void PresenceFleet::storm(std::int64_t go_ns, std::function<void()> on_complete) {
  go_ns_ = go_ns;
  on_complete_ = std::move(on_complete);
  counters_.first_join_sent_ns = mono_ns();
  // All joins are queued in one pass; each connection writes its own as soon as it can, so
  // the server sees them as fast as the sockets deliver.
  for (std::size_t i = 0; i < clients_.size(); ++i) {
    auto& c = clients_[i];
    if (c.phase != Phase::open || !dialer_.client(i).is_open()) continue;
    scratch_.clear();
    append_named_join(scratch_, config_.topic, dialer_.global(i));
    dialer_.client(i).send_text(scratch_);
    c.phase = Phase::joining;
  }
  counters_.last_join_sent_ns = mono_ns();
  check_all_complete();
}

void PresenceFleet::close_all() { dialer_.close_all(); }

void PresenceFleet::abort_all() { dialer_.abort_all(); }

void PresenceFleet::check_complete(Client& c, std::int64_t now) {
  const bool full = c.has_state && c.view.keys() >= config_.expected_keys;
  if (full && !c.complete) {
    c.complete = true;
    ++counters_.complete;
    counters_.last_complete_ns = now;
    complete_hist_.record(now - go_ns_);
    check_all_complete();
  } else if (!full && c.complete && !c.regressed) {
    // Completion is recorded once; a later loss is reported, not re-timed.
    c.regressed = true;
    ++counters_.regressions;
  }
}

void PresenceFleet::check_all_complete() {
  if (!all_complete_ && on_complete_ && counters_.complete == config_.dial.count) {
    all_complete_ = true;
    on_complete_();
  }
}

void PresenceFleet::on_open(WsClient& c) {
  dialer_.opened();
  ++counters_.opened;
  clients_[c.id()].phase = Phase::open;
  dialer_.settled();
}

void PresenceFleet::on_text(WsClient& ws, std::string_view text, std::int64_t recv_ns) {
  FrameHead head;
  if (!scan_head(text, head)) return;
  Client& c = clients_[ws.id()];
  if (head.event == "presence_diff") {
    if (head.topic != config_.topic) return;
    ++counters_.diff_frames;
    counters_.last_presence_ns = recv_ns;
    counters_.diff_bytes += text.size();
    PresenceDiff& diff = c.has_state ? diff_ : c.pending.emplace_back();
    if (!read_presence_diff(head.payload, keys_, refs_, diff)) {
      ++counters_.malformed;
      if (!c.has_state) c.pending.pop_back();
      return;
    }
    counters_.join_metas += diff.joins.size();
    counters_.leave_metas += diff.leaves.size();
    if (!c.has_state) {
      ++counters_.diffs_buffered;
      return;
    }
    counters_.redundant_join_metas += c.view.apply(diff);
    check_complete(c, recv_ns);
    return;
  }
  if (head.event == "presence_state") {
    // A push for another join ref would be discarded by the JS channel (presence.md §6.5).
    if (head.topic != config_.topic || head.join_ref != kJoinRef) return;
    ++counters_.state_frames;
    counters_.last_presence_ns = recv_ns;
    counters_.state_bytes += text.size();
    state_entries_.clear();
    if (!read_presence_state(head.payload, keys_, refs_, state_entries_)) {
      ++counters_.malformed;
      return;
    }
    if (c.has_state) ++counters_.extra_states;
    // syncState against a snapshot leaves exactly the snapshot's (key, ref) set.
    c.view.clear();
    for (const auto& e : state_entries_) c.view.join(e.key, e.ref);
    c.has_state = true;
    for (const auto& d : c.pending) counters_.redundant_join_metas += c.view.apply(d);
    c.pending.clear();
    c.pending.shrink_to_fit();
    check_complete(c, recv_ns);
    return;
  }
  if (head.event == "phx_reply") {
    if (head.ref != kJoinRef || c.phase != Phase::joining) return;  // heartbeat replies
    counters_.last_join_reply_ns = std::max(counters_.last_join_reply_ns, recv_ns);
    if (reply_ok(head.payload)) {
      c.phase = Phase::joined;
      ++counters_.joined;
    } else {
      c.phase = Phase::done;
      ++counters_.join_refused;
    }
    return;
  }
  if ((head.event == "phx_error" || head.event == "phx_close") && head.topic == config_.topic) ++counters_.channel_errors;
}

void PresenceFleet::on_closed(WsClient& ws, Failure why) {
  if (why == Failure::server_close) ++counters_.server_closes;
  Client& c = clients_[ws.id()];
  dialer_.closed(ws);
  const Phase phase = c.phase;
  c.phase = Phase::done;
  if (phase == Phase::connecting) return dialer_.failed(why);
  if (why != Failure::none) ++counters_.dropped;
}

std::vector<PresenceFleet::Incomplete> PresenceFleet::incomplete() const {
  std::vector<Incomplete> out;
  for (std::size_t i = 0; i < clients_.size(); ++i)
    if (!clients_[i].complete || clients_[i].view.keys() < config_.expected_keys)
      out.push_back({dialer_.global(i), clients_[i].view.keys(), clients_[i].has_state});
  return out;
}

std::uint64_t PresenceFleet::multi_meta_clients() const {
  std::uint64_t n = 0;
  for (const auto& c : clients_) n += c.view.multi_meta_keys() > 0 ? 1 : 0;
  return n;
}

std::uint64_t PresenceFleet::reference_digest() const {
  for (const auto& c : clients_)
    if (c.complete) return c.view.digest(keys_, refs_);
  return 0;
}

std::uint64_t PresenceFleet::digest_mismatches() const {
  const std::uint64_t ref = reference_digest();
  std::uint64_t n = 0;
  for (const auto& c : clients_)
    if (c.complete && c.view.digest(keys_, refs_) != ref) ++n;
  return n;
}

}  // namespace roost::bench
