// Role: the server side of the WebSocket opening handshake keys (RFC 6455 §4.2). The HTTP
// upgrade request itself is parsed elsewhere; this only checks Sec-WebSocket-Key and computes
// Sec-WebSocket-Accept.
// Thread affinity: none (pure functions). Ownership: results are returned by value.
#pragma once

#include <string>
#include <string_view>

namespace roost::websocket {

// base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")), the Sec-WebSocket-Accept value.
std::string accept_key(std::string_view sec_websocket_key);

// Whether the key is what the RFC requires: the base64 encoding of 16 bytes, i.e. 22 base64
// characters followed by "==". The unused low bits of the last character are not checked;
// decoders ignore them and rejecting a client over them would gain nothing.
bool valid_client_key(std::string_view sec_websocket_key);

}  // namespace roost::websocket
