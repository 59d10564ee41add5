// Role: the CPU part of a delivery scenario's JSON (fanout, rooms): server, client and
// machine CPU over the measured window, per core and per delivery, and the CPU used by
// neither side (other programs, or kernel work charged to none).
// Thread affinity: none (formats values). Ownership: writes into the caller's object.
#pragma once

#include <cstdint>

#include "json_writer.h"

namespace roost::bench {

struct DeliveryCpu {
  bool has_server = false;   // a server PID was given, so its CPU was sampled
  double server_s = 0;       // CPU seconds over the window
  double client_s = 0;
  double host_busy_s = 0;    // machine-wide busy CPU seconds
  double host_cores = 0;     // cores the machine reported over the window
  double window_s = 1;
  std::uint64_t deliveries = 0;  // received inside the window

  double server_us_per_delivery() const {
    return deliveries > 0 ? server_s * 1e6 / static_cast<double>(deliveries) : 0.0;
  }
};

void add_delivery_cpu(JsonObject& j, const DeliveryCpu& cpu);

}  // namespace roost::bench
