#include "soak_worker.h"

#include <algorithm>

#include "control_lines.h"
#include "soak_fleet.h"
#include "worker_args.h"
#include "worker_shell.h"

namespace roost::bench {

namespace asio = boost::asio;

namespace {

class SoakWorker : public WorkerShell<SoakWorker, SoakFleet> {
 public:
  SoakWorker(asio::io_context& io, const Options& o, Targets targets)
      : WorkerShell(io, o, fleet_config(o, std::move(targets))) {}

 private:
  friend class WorkerShell<SoakWorker, SoakFleet>;
  static SoakFleet::Config fleet_config(const Options& o, Targets targets) {
    SoakFleet::Config c;
    c.dial = dial_config(o, std::move(targets));
    c.topic_prefix = o.topic;
    c.rooms = std::max<std::size_t>(o.connections / o.room_size, 1);
    c.churn_per_second = o.churn_per_second;
    return c;
  }

  void handle(const ControlLine& cmd) {
    if (cmd.verb == "go") {
      fleet_.go(cmd.i64("start"), cmd.i64("window"), cmd.i64("end"));
    } else if (cmd.verb == "stop") {
      fleet_.stop();
      write_line("stopped\n");
    } else if (cmd.verb == "report") {
      write_line(counters("report").add("hist", fleet_.deliveries().latency_ns.encode()).text());
    }
  }

  LineBuilder counters(std::string_view verb) const {
    const SoakCounters& c = fleet_.counters();
    const DeliveryStats& d = fleet_.deliveries();
    LineBuilder b(verb);
    b.add("joined", fleet_.joined_now())
        .add("live", fleet_.live())
        .add("joins", c.joins)
        .add("rejoins", c.rejoins)
        .add("reconnects", c.reconnects)
        .add("join_failures", c.join_failures)
        .add("unexpected_closes", c.unexpected_closes)
        .add("channel_errors", c.channel_errors)
        .add("sends", c.sends)
        .add("replies_ok", c.replies_ok)
        .add("replies_error", c.replies_error)
        .add("missing_replies", fleet_.missing_replies())
        .add("leaves", c.leaves)
        .add("disconnects", c.disconnects)
        .add("deliveries", d.total)
        .add("deliveries_timed", d.sent_in)
        .add("no_time", d.no_time);
    return b;
  }
};

}  // namespace

int run_soak_worker(const Options& o) { return run_worker_process<SoakWorker>(o, "soak-worker"); }

}  // namespace roost::bench
