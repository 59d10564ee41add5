#include "target.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace roost::bench {

std::optional<UpgradeTarget> make_target(const Options& o, std::string& error) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::resolver resolver(io);
  boost::system::error_code ec;
  auto results = resolver.resolve(boost::asio::ip::tcp::v4(), o.host, std::to_string(o.port), ec);
  if (ec || results.empty()) {
    error = "cannot resolve " + o.host + ": " + ec.message();
    return std::nullopt;
  }
  return UpgradeTarget::make(results.begin()->endpoint(), o.host + ":" + std::to_string(o.port), o.path);
}

}  // namespace roost::bench
