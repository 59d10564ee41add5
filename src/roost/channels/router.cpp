#include "roost/channels/router.h"

#include <stdexcept>

namespace roost::channels {

ChannelRouter& ChannelRouter::channel(std::string pattern, ChannelFactory factory) {
  auto star = pattern.find('*');
  bool wildcard = star != std::string::npos;
  if (wildcard && star != pattern.size() - 1)
    throw std::invalid_argument("channel pattern '" + pattern + "': '*' may only end a pattern, as in \"room:*\"");
  if (wildcard) pattern.pop_back();
  routes_.push_back(Route{std::move(pattern), wildcard, std::move(factory)});
  return *this;
}

const ChannelFactory* ChannelRouter::match(std::string_view topic) const noexcept {
  for (const Route& r : routes_) {
    if (r.wildcard ? topic.starts_with(r.prefix) : topic == r.prefix) return &r.factory;
  }
  return nullptr;
}

}  // namespace roost::channels
