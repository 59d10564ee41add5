// Role: the line protocol between roost-bench and its worker processes, over two pipes.
// A line is a verb followed by space-separated key=value fields, e.g.
//   parent -> worker:  "window start=<ns> end=<ns>", "count", "report", "quit"
//   worker -> parent:  "ready joined=.. failed_connect=.. ...", "count sent_in=.. total=..",
//                      "report ... hist=<Histogram::encode()>"
// Values never contain spaces.
// Thread affinity: none. Ownership: values.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace roost::bench {

struct ControlLine {
  std::string verb;
  std::map<std::string, std::string, std::less<>> fields;

  std::uint64_t u64(std::string_view key) const;  // 0 if absent or malformed
  std::int64_t i64(std::string_view key) const;
  std::string_view str(std::string_view key) const;
};

ControlLine parse_control_line(std::string_view line);

// Builds a line: `line("ready").add("joined", 5).text()` -> "ready joined=5\n".
class LineBuilder {
 public:
  explicit LineBuilder(std::string_view verb) : text_(verb) {}
  LineBuilder& add(std::string_view key, std::uint64_t value);
  LineBuilder& add_signed(std::string_view key, std::int64_t value);
  LineBuilder& add(std::string_view key, std::string_view value);
  std::string text() const { return text_ + "\n"; }

 private:
  std::string text_;
};

}  // namespace roost::bench
