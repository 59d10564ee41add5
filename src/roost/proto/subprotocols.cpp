#include "roost/proto/subprotocols.h"

#include "roost/proto/base64.h"

namespace roost::proto {

SubprotocolOffer parse_subprotocols(std::string_view header_value) {
  SubprotocolOffer offer;
  int bearers = 0;
  std::size_t start = 0;
  while (start <= header_value.size()) {
    auto comma = header_value.find(',', start);
    if (comma == std::string_view::npos) comma = header_value.size();
    std::string_view item = header_value.substr(start, comma - start);
    start = comma + 1;
    const auto first = item.find_first_not_of(" \t");
    if (first == std::string_view::npos) continue;
    item = item.substr(first, item.find_last_not_of(" \t") - first + 1);

    offer.offered_any = true;
    if (item == kPhoenixSubprotocol) {
      offer.offered_phoenix = true;
    } else if (item.starts_with(kAuthTokenPrefix)) {
      if (++bearers == 1) offer.auth_token = base64_decode(item.substr(kAuthTokenPrefix.size()));
    } else {
      offer.others.emplace_back(item);
    }
  }
  // Two bearer entries are ambiguous: refuse to pick one (the reference server ignores both).
  if (bearers > 1 || (bearers == 1 && !offer.auth_token)) {
    offer.malformed = true;
    offer.auth_token.reset();
  }
  return offer;
}

}  // namespace roost::proto
