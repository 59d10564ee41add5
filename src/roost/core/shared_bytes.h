// Role: SharedBytes, an immutable, reference-counted byte string. A broadcast is encoded
// (and WebSocket-framed) once into one SharedBytes that every subscriber's connection
// queues and writes; nobody copies or mutates it.
// Thread affinity: the bytes are immutable, so any thread may read them; the refcount is
// atomic, so a SharedBytes may cross loops.
#pragma once

#include <memory>
#include <string>

namespace roost {

using SharedBytes = std::shared_ptr<const std::string>;

inline SharedBytes make_shared_bytes(std::string bytes) {
  return std::make_shared<const std::string>(std::move(bytes));
}

}  // namespace roost
