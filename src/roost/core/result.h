// Role: the result type every fallible Roost call returns (value or std::error_code).
// Thread affinity: none (a value type). Ownership: holds its value.
// Why boost::system::result: it is in Boost 1.81, cheap, and takes std::error_code,
// so each layer can keep its own error enum (see core/errors.h) grouped into conditions.
#pragma once

#include <boost/system/result.hpp>
#include <system_error>

namespace roost {

template <class T>
using Result = boost::system::result<T, std::error_code>;

}  // namespace roost
