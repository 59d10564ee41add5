#include "roost/cluster/resp_reply.h"

#include <hiredis/hiredis.h>

namespace roost::cluster {

RespType RespValue::type() const noexcept {
  switch (reply_->type) {
    case REDIS_REPLY_STRING: return RespType::string;
    case REDIS_REPLY_ARRAY: return RespType::array;
    case REDIS_REPLY_INTEGER: return RespType::integer;
    case REDIS_REPLY_STATUS: return RespType::status;
    case REDIS_REPLY_ERROR: return RespType::error;
    default: return RespType::nil;
  }
}

std::string_view RespValue::str() const noexcept {
  auto t = type();
  if (t != RespType::string && t != RespType::status && t != RespType::error) return {};
  return {reply_->str, reply_->len};
}

long long RespValue::integer() const noexcept { return type() == RespType::integer ? reply_->integer : 0; }

std::size_t RespValue::size() const noexcept { return type() == RespType::array ? reply_->elements : 0; }

RespValue RespValue::operator[](std::size_t i) const noexcept { return RespValue(reply_->element[i]); }

bool RespValue::is(std::string_view s) const noexcept {
  auto t = type();
  return (t == RespType::string || t == RespType::status) && str() == s;
}

void RespReply::Free::operator()(redisReply* r) const noexcept { freeReplyObject(r); }

}  // namespace roost::cluster
