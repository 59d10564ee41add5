#include "roost/channels/results.h"

#include <boost/json/serialize.hpp>

namespace roost::channels {

proto::Payload json_payload(const boost::json::value& value) { return proto::Payload::json(boost::json::serialize(value)); }

}  // namespace roost::channels
