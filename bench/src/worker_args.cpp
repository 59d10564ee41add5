#include "worker_args.h"

#include "control_lines.h"

namespace roost::bench {

std::vector<std::string> worker_args(const Options& o, std::size_t total, std::size_t index, std::size_t count) {
  std::vector<std::string> a = {"worker",
                                "--host", o.host,
                                "--port", std::to_string(o.port),
                                "--path", o.path,
                                "--connections", std::to_string(total),
                                "--topic", o.topic,
                                "--topics", std::to_string(o.topics),
                                "--concurrency", std::to_string(o.concurrency),
                                "--timeout-seconds", std::to_string(o.timeout_seconds),
                                "--worker-index", std::to_string(index),
                                "--worker-count", std::to_string(count)};
  if (!o.sources_spec.empty()) {
    a.push_back("--sources");
    a.push_back(o.sources_spec);
  }
  return a;
}

std::uint64_t sum_field(const std::vector<ControlLine>& lines, std::string_view key) {
  std::uint64_t sum = 0;
  for (const auto& l : lines) sum += l.u64(key);
  return sum;
}

}  // namespace roost::bench
