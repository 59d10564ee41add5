#include "worker_args.h"

#include "control_lines.h"

namespace roost::bench {

std::vector<std::string> worker_args(const Options& o, std::size_t total, std::size_t index, std::size_t count) {
  std::vector<std::string> a = {"worker",
                                "--protocol", protocol_name(o.protocol),
                                "--host", o.host,
                                "--port", o.ports_spec,
                                "--connections", std::to_string(total),
                                "--topic", o.topic,
                                "--topics", std::to_string(o.topics),
                                "--concurrency", std::to_string(o.concurrency),
                                "--timeout-seconds", std::to_string(o.timeout_seconds),
                                "--worker-index", std::to_string(index),
                                "--worker-count", std::to_string(count)};
  if (!o.path.empty()) {
    a.push_back("--path");
    a.push_back(o.path);
  }
  if (!o.sources_spec.empty()) {
    a.push_back("--sources");
    a.push_back(o.sources_spec);
  }
  return a;
}

Share share_of(const Options& o) {
  Share s;
  s.first = o.connections * o.worker_index / o.worker_count;
  s.count = o.connections * (o.worker_index + 1) / o.worker_count - s.first;
  return s;
}

Dialer::Config dial_config(const Options& o, Targets targets) {
  const Share share = share_of(o);
  return Dialer::Config{std::move(targets), o.sources, share.first, share.count, o.concurrency};
}

std::uint64_t sum_field(const std::vector<ControlLine>& lines, std::string_view key) {
  std::uint64_t sum = 0;
  for (const auto& l : lines) sum += l.u64(key);
  return sum;
}

}  // namespace roost::bench
