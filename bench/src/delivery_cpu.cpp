#include "delivery_cpu.h"

namespace roost::bench {

void add_delivery_cpu(JsonObject& j, const DeliveryCpu& c) {
  if (c.has_server) {
    j.add("server_cpu_s", c.server_s)
        .add("server_cores_busy", c.server_s / c.window_s)
        .add("server_cpu_us_per_delivery", c.server_us_per_delivery());
  } else {
    j.add_null("server_cpu_s").add_null("server_cores_busy").add_null("server_cpu_us_per_delivery");
  }
  j.add("client_cpu_s", c.client_s)
      .add("client_cores_busy", c.client_s / c.window_s)
      .add("client_cpu_us_per_delivery",
           c.deliveries > 0 ? c.client_s * 1e6 / static_cast<double>(c.deliveries) : 0.0)
      .add("host_cores", c.host_cores)
      .add("host_cores_busy", c.host_busy_s / c.window_s);
  if (c.has_server) j.add("other_cores_busy", (c.host_busy_s - c.server_s - c.client_s) / c.window_s);
}

}  // namespace roost::bench
