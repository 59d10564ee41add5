#include "roost/cluster/errors.h"

#include <string>

#include "roost/core/errors.h"

namespace roost::cluster {
namespace {

class ClusterCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "roost.cluster"; }

  std::string message(int value) const override {
    switch (static_cast<ClusterError>(value)) {
      case ClusterError::url_scheme: return "a Redis URL starts with redis:// (e.g. redis://127.0.0.1:6379)";
      case ClusterError::url_host: return "the Redis URL has no host (or a malformed [IPv6] host)";
      case ClusterError::url_port: return "the Redis URL's port is not a number in 1-65535";
      case ClusterError::url_db: return "the Redis URL's database (/db) is not a number in 0-65535";
      case ClusterError::url_unsupported:
        return "credentials, queries and fragments are not supported in a Redis URL (redis://host[:port][/db])";
      case ClusterError::connect_timeout: return "connecting to Redis timed out";
      case ClusterError::connection_closed: return "Redis closed the connection";
      case ClusterError::redis_error: return "Redis answered with an error";
      case ClusterError::resp_protocol: return "invalid RESP from Redis";
      case ClusterError::unexpected_reply: return "unexpected reply from Redis";
      case ClusterError::frame_truncated: return "cluster frame truncated";
      case ClusterError::frame_bad_magic: return "not a cluster broadcast frame of this version";
      case ClusterError::frame_bad_field: return "cluster frame field is invalid";
      case ClusterError::field_too_long: return "node name, topic or event too long for a cluster frame";
    }
    return "unknown cluster error";
  }

  std::error_condition default_error_condition(int value) const noexcept override {
    switch (static_cast<ClusterError>(value)) {
      case ClusterError::connect_timeout:
      case ClusterError::connection_closed: return make_error_condition(Condition::closed);
      case ClusterError::field_too_long: return make_error_condition(Condition::limit);
      default: return make_error_condition(Condition::protocol_violation);
    }
  }
};

}  // namespace

const std::error_category& cluster_category() noexcept {
  static const ClusterCategory category;
  return category;
}

std::error_code make_error_code(ClusterError e) noexcept { return {static_cast<int>(e), cluster_category()}; }

}  // namespace roost::cluster
