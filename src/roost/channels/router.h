// Role: ChannelRouter, topic patterns to channel factories. A pattern is an exact topic
// ("phoenix") or a prefix ending in '*' ("room:*"); the first declared match wins
// (protocol.md §7.2).
// Thread affinity: built before the server starts, then read-only from every loop.
// Ownership: owns the factories.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "roost/channels/channel.h"

namespace roost::channels {

using ChannelFactory = std::function<std::unique_ptr<Channel>()>;

class ChannelRouter {
 public:
  // Throws std::invalid_argument for a pattern with a '*' anywhere but at the end.
  ChannelRouter& channel(std::string pattern, ChannelFactory factory);

  template <class C>
  ChannelRouter& channel(std::string pattern) {
    return channel(std::move(pattern), [] { return std::make_unique<C>(); });
  }

  const ChannelFactory* match(std::string_view topic) const noexcept;

 private:
  struct Route {
    std::string prefix;
    bool wildcard;
    ChannelFactory factory;
  };
  std::vector<Route> routes_;
};

}  // namespace roost::channels
