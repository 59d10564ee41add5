// Role: helpers shared by the protocol-layer tests: building byte strings from the hex
// dumps used in protocol.md / conformance.md and printing them back for failure messages.
// Thread affinity: none. Ownership: values returned by value.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace roost::proto::testing {

// "00 01 ff" -> the three bytes 0x00 0x01 0xff (whitespace between bytes is ignored).
inline std::string hex_bytes(std::string_view hex) {
  std::string out;
  int pending = -1;
  for (char c : hex) {
    int v;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    else continue;
    if (pending < 0) {
      pending = v;
    } else {
      out.push_back(static_cast<char>(pending * 16 + v));
      pending = -1;
    }
  }
  return out;
}

// The inverse, for readable assertion output.
inline std::string to_hex(std::string_view bytes) {
  std::string out;
  char buf[4];
  for (unsigned char c : bytes) {
    std::snprintf(buf, sizeof buf, "%02x", c);
    if (!out.empty()) out.push_back(' ');
    out.append(buf);
  }
  return out;
}

}  // namespace roost::proto::testing
