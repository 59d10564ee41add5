#include "rooms_worker.h"

#include <chrono>
#include <cstdio>

#include "control_lines.h"
#include "worker_args.h"
#include "worker_shell.h"
#include "rooms_fleet.h"

namespace roost::bench {

namespace asio = boost::asio;

namespace {

LineBuilder with_counters(std::string_view verb, const RoomsFleet& fleet) {
  const FleetCounters c = fleet.counters();
  const RoomsSendStats& s = fleet.sends();
  const DeliveryStats& d = fleet.deliveries();
  LineBuilder b(verb);
  add_fleet_counters(b, c, fleet.live());
  b.add("sends", s.sent)
      .add("sends_in", s.sent_in)
      .add("sends_skipped", s.skipped)
      .add("max_burst", s.max_burst)
      .add("max_lag_ns", s.max_lag_ns)
      .add("acks_ok", c.acks_ok)
      .add("acks_error", c.acks_error)
      .add("total", d.total)
      .add("sent_in", d.sent_in)
      .add("recv_in", d.recv_in)
      .add("no_time", d.no_time);
  return b;
}

class RoomsWorker : public WorkerShell<RoomsWorker, RoomsFleet> {
 public:
  RoomsWorker(asio::io_context& io, const Options& o, Targets targets)
      : WorkerShell(io, o, fleet_config(o, std::move(targets))) {}

 private:
  friend class WorkerShell<RoomsWorker, RoomsFleet>;
  static RoomsFleet::Config fleet_config(const Options& o, Targets targets) {
    RoomsFleet::Config c;
    c.dial = dial_config(o, std::move(targets));
    c.protocol = o.protocol;
    c.topic_prefix = o.topic;
    c.rooms = o.connections / o.room_size;
    c.total = o.connections;
    return c;
  }

  void handle(const ControlLine& cmd) {
    if (cmd.verb == "schedule") {
      fleet_.schedule(cmd.i64("send_start"), cmd.i64("send_end"), cmd.i64("start"), cmd.i64("end"));
    } else if (cmd.verb == "count") {
      write_line(LineBuilder("count")
                     .add("sent_in", fleet_.deliveries().sent_in)
                     .add("sends_in", fleet_.sends().sent_in)
                     .text());
    } else if (cmd.verb == "report") {
      write_line(with_counters("report", fleet_).add("hist", fleet_.deliveries().latency_ns.encode()).text());
    }
  }

  LineBuilder counters(std::string_view verb) const { return with_counters(verb, fleet_); }
};

}  // namespace

int run_rooms_worker(const Options& o) { return run_worker_process<RoomsWorker>(o, "rooms-worker"); }

}  // namespace roost::bench
