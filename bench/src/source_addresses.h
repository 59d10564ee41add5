// Role: parses the --sources option, the local IPv4 addresses client sockets bind to before
// connecting (each address has its own ephemeral port range, so many addresses lift the
// ~28k-connections-per-destination limit of one). Syntax: a comma-separated list of
// addresses or inclusive ranges, e.g. "127.0.0.1-127.0.0.20,127.0.1.1".
// Thread affinity: none. Ownership: returns values.
#pragma once

#include <boost/asio/ip/address_v4.hpp>
#include <optional>
#include <string_view>
#include <vector>

namespace roost::bench {

// Nothing on a malformed list or a range whose end precedes its start.
std::optional<std::vector<boost::asio::ip::address_v4>> parse_sources(std::string_view spec);

}  // namespace roost::bench
