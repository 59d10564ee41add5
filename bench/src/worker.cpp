#include "worker.h"

#include <chrono>
#include <cstdio>

#include "control_lines.h"
#include "worker_shell.h"
#include "fleet.h"
#include "worker_args.h"

namespace roost::bench {

namespace asio = boost::asio;

namespace {

LineBuilder with_counters(std::string_view verb, const Fleet& fleet, std::size_t assigned) {
  const FleetCounters c = fleet.counters();
  LineBuilder b(verb);
  b.add("assigned", assigned);
  add_fleet_counters(b, c, fleet.live());
  b.add("pings", c.pings);
  return b;
}

class Worker : public WorkerShell<Worker, Fleet> {
 public:
  Worker(asio::io_context& io, const Options& o, Targets targets)
      : WorkerShell(io, o, fleet_config(o, std::move(targets))),
        assigned_(share_of(o).count) {}

 private:
  friend class WorkerShell<Worker, Fleet>;
  static Fleet::Config fleet_config(const Options& o, Targets targets) {
    Fleet::Config c;
    c.dial = dial_config(o, std::move(targets));
    c.protocol = o.protocol;
    c.topic = o.topic;
    c.topics = o.topics > 1 ? o.topics : 0;
    return c;
  }

  void handle(const ControlLine& cmd) {
    if (cmd.verb == "window") {
      fleet_.set_window(cmd.i64("start"), cmd.i64("end"));
    } else if (cmd.verb == "count") {
      const auto& d = fleet_.deliveries();
      write_line(LineBuilder("count").add("sent_in", d.sent_in).add("total", d.total).text());
    } else if (cmd.verb == "report") {
      const auto& d = fleet_.deliveries();
      write_line(with_counters("report", fleet_, assigned_)
                     .add("total", d.total)
                     .add("sent_in", d.sent_in)
                     .add("recv_in", d.recv_in)
                     .add("no_time", d.no_time)
                     .add("hist", d.latency_ns.encode())
                     .text());
    }
  }

  LineBuilder counters(std::string_view verb) const { return with_counters(verb, fleet_, assigned_); }

  std::size_t assigned_;
};

}  // namespace

int run_worker(const Options& o) { return run_worker_process<Worker>(o, "worker"); }

}  // namespace roost::bench
