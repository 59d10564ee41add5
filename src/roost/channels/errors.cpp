#include "roost/channels/errors.h"

#include <string>

#include "roost/core/errors.h"

namespace roost::channels {
namespace {

class ChannelCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "roost.channels"; }

  std::string message(int value) const override {
    switch (static_cast<ChannelError>(value)) {
      case ChannelError::payload_too_large: return "broadcast payload too large";
    }
    return "unknown channel error";
  }

  std::error_condition default_error_condition(int) const noexcept override {
    return make_error_condition(Condition::limit);
  }
};

}  // namespace

const std::error_category& channel_category() noexcept {
  static const ChannelCategory category;
  return category;
}

}  // namespace roost::channels
