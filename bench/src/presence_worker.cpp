#include "presence_worker.h"

#include <chrono>
#include <cstdio>

#include "clock.h"
#include "control_lines.h"
#include "worker_args.h"
#include "worker_shell.h"
#include "presence_fleet.h"

namespace roost::bench {

namespace asio = boost::asio;

namespace {

// Incomplete clients listed by name in a report, so a bad run points at examples.
constexpr std::size_t kIncompleteListed = 20;

class PresenceWorker : public WorkerShell<PresenceWorker, PresenceFleet> {
 public:
  PresenceWorker(asio::io_context& io, const Options& o, Targets targets)
      : WorkerShell(io, o, fleet_config(o, std::move(targets))) {}

 private:
  friend class WorkerShell<PresenceWorker, PresenceFleet>;
  static PresenceFleet::Config fleet_config(const Options& o, Targets targets) {
    PresenceFleet::Config c;
    c.dial = dial_config(o, std::move(targets));
    c.topic = o.topic;
    c.expected_keys = o.connections;
    return c;
  }

  LineBuilder counters(std::string_view verb) const {
    const StormCounters& c = fleet_.counters();
    LineBuilder b(verb);
    b.add("opened", c.opened)
        .add("live", fleet_.live())
        .add("joined", c.joined)
        .add("join_refused", c.join_refused)
        .add("failed_connect", fleet_.failures().connect)
        .add("failed_handshake", fleet_.failures().handshake)
        .add("failed_other", fleet_.failures().other)
        .add("dropped", c.dropped)
        .add("server_closes", c.server_closes)
        .add("channel_errors", c.channel_errors)
        .add("diff_frames", c.diff_frames)
        .add("diff_bytes", c.diff_bytes)
        .add("state_frames", c.state_frames)
        .add("state_bytes", c.state_bytes)
        .add("complete", c.complete);
    return b;
  }

  void handle(const ControlLine& cmd) {
    if (cmd.verb == "go") {
      fleet_.storm(cmd.i64("start"), [] { write_line("complete\n"); });
    } else if (cmd.verb == "count") {
      write_line(counters("count").text());
    } else if (cmd.verb == "report") {
      write_line(report().text());
    }
  }

  LineBuilder report() const {
    const StormCounters& c = fleet_.counters();
    std::string listed;
    const auto incomplete = fleet_.incomplete();
    for (std::size_t i = 0; i < incomplete.size() && i < kIncompleteListed; ++i) {
      if (!listed.empty()) listed += ',';
      listed += 'u' + std::to_string(incomplete[i].index) + ':' + std::to_string(incomplete[i].keys) +
                (incomplete[i].has_state ? "" : ":nostate");
    }
    std::size_t fewest = incomplete.empty() ? 0 : incomplete.front().keys;
    for (const auto& i : incomplete) fewest = std::min(fewest, i.keys);
    auto b = counters("report");
    b.add("diffs_buffered", c.diffs_buffered)
        .add("join_metas", c.join_metas)
        .add("redundant_join_metas", c.redundant_join_metas)
        .add("leave_metas", c.leave_metas)
        .add("malformed", c.malformed)
        .add("extra_states", c.extra_states)
        .add("regressions", c.regressions)
        .add("multi_meta_clients", fleet_.multi_meta_clients())
        .add("digest", fleet_.reference_digest())
        .add("digest_mismatches", fleet_.digest_mismatches())
        .add("incomplete", static_cast<std::uint64_t>(incomplete.size()))
        .add("fewest_keys", static_cast<std::uint64_t>(fewest))
        .add_signed("first_join_sent_ns", c.first_join_sent_ns)
        .add_signed("last_join_sent_ns", c.last_join_sent_ns)
        .add_signed("last_join_reply_ns", c.last_join_reply_ns)
        .add_signed("last_complete_ns", c.last_complete_ns)
        .add_signed("last_presence_ns", c.last_presence_ns)
        .add("hist", fleet_.complete_after_go().encode());
    if (!listed.empty()) b.add("incomplete_list", listed);
    return b;
  }
};

}  // namespace

int run_presence_worker(const Options& o) { return run_worker_process<PresenceWorker>(o, "presence-worker"); }

}  // namespace roost::bench
