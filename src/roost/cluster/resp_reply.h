// Role: RespReply, one reply (or pub/sub push) decoded by hiredis's reader, and
// RespValue, a non-owning view of it or of one of its nested elements. Strings are
// binary-safe views into the reply, so a pub/sub payload reaches its handler uncopied.
// Thread affinity: none (a value owned by whoever read it).
// Ownership: RespReply owns the hiredis reply tree; RespValues and the string_views they
// return are valid while that RespReply lives.
// hiredis stays out of this header (its include dir exposes generic header names):
// `struct redisReply` is only declared here.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

struct redisReply;

namespace roost::cluster {

enum class RespType { string, array, integer, nil, status, error };

class RespValue {
 public:
  explicit RespValue(const redisReply* reply) noexcept : reply_(reply) {}

  RespType type() const noexcept;
  // The bytes of a string, status or error reply; empty for other types.
  std::string_view str() const noexcept;
  long long integer() const noexcept;  // 0 unless an integer reply
  std::size_t size() const noexcept;   // array length; 0 unless an array
  RespValue operator[](std::size_t i) const noexcept;  // i < size()
  // A string or status reply equal to `s` (case-sensitive), e.g. "OK", "message".
  bool is(std::string_view s) const noexcept;

 private:
  const redisReply* reply_;
};

class RespReply {
 public:
  explicit RespReply(redisReply* reply) noexcept : reply_(reply) {}
  RespValue value() const noexcept { return RespValue(reply_.get()); }

 private:
  struct Free {
    void operator()(redisReply* r) const noexcept;
  };
  std::unique_ptr<redisReply, Free> reply_;
};

}  // namespace roost::cluster
