#include "source_addresses.h"

#include <string>

namespace roost::bench {

namespace {
std::optional<boost::asio::ip::address_v4> parse_one(std::string_view text) {
  boost::system::error_code ec;
  auto a = boost::asio::ip::make_address_v4(std::string(text), ec);
  if (ec) return std::nullopt;
  return a;
}
}  // namespace

std::optional<std::vector<boost::asio::ip::address_v4>> parse_sources(std::string_view spec) {
  std::vector<boost::asio::ip::address_v4> out;
  while (!spec.empty()) {
    const auto comma = spec.find(',');
    const std::string_view item = spec.substr(0, comma);
    spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
    if (item.empty()) continue;
    const auto dash = item.find('-');
    auto first = parse_one(item.substr(0, dash));
    if (!first) return std::nullopt;
    auto last = dash == std::string_view::npos ? first : parse_one(item.substr(dash + 1));
    if (!last || last->to_uint() < first->to_uint()) return std::nullopt;
    for (auto v = first->to_uint(); v <= last->to_uint(); ++v) {
      out.emplace_back(v);
      if (v == last->to_uint()) break;  // 255.255.255.255 would wrap
    }
  }
  return out;
}

}  // namespace roost::bench
