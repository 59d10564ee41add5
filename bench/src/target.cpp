#include "target.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace roost::bench {

std::optional<Targets> make_targets(const Options& o, std::string& error) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::resolver resolver(io);
  boost::system::error_code ec;
  auto results = resolver.resolve(boost::asio::ip::tcp::v4(), o.host, "0", ec);
  if (ec || results.empty()) {
    error = "cannot resolve " + o.host + ": " + ec.message();
    return std::nullopt;
  }
  const auto wire = make_wire(o.protocol);
  const std::string path = o.path.empty() ? std::string(wire->default_path()) : o.path;
  Targets out;
  for (const std::uint16_t port : o.ports) {
    const boost::asio::ip::tcp::endpoint ep(results.begin()->endpoint().address(), port);
    out.push_back(UpgradeTarget::make(ep, o.host + ":" + std::to_string(port), path, wire->upgrade_query()));
  }
  return out;
}

}  // namespace roost::bench
