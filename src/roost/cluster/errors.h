// Role: the error enum of the cluster layer (Redis URL, RESP connection, node-to-node
// framing). Each value maps onto a roost::Condition.
// Thread affinity: none. Ownership: the category is a function-local static.
#pragma once

#include <system_error>

namespace roost::cluster {

enum class ClusterError {
  url_scheme = 1,       // the Redis URL does not start with redis://
  url_host,             // the Redis URL has no host, or a malformed [IPv6] host
  url_port,             // the port is not a number in 1-65535
  url_db,               // the /db part is not a number in 0-65535
  url_unsupported,      // credentials, a query or a fragment: not supported
  connect_timeout,      // the TCP connection to Redis did not complete in time
  connection_closed,    // Redis closed the connection (end of stream)
  redis_error,          // Redis answered a command with an error reply
  resp_protocol,        // the bytes from Redis are not valid RESP
  unexpected_reply,     // a well-formed reply of the wrong shape
  frame_truncated,      // a node-to-node frame shorter than its header says
  frame_bad_magic,      // not a Roost broadcast frame (or another version)
  frame_bad_field,      // a frame field breaks its rule (flags, UTF-8, JSON payload)
  field_too_long,       // encode side: a node name, topic or event over its length limit
};

const std::error_category& cluster_category() noexcept;

std::error_code make_error_code(ClusterError e) noexcept;

}  // namespace roost::cluster

template <>
struct std::is_error_code_enum<roost::cluster::ClusterError> : std::true_type {};
