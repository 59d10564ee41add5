// Role: the rules a sign-up must meet, checked before anything is hashed or stored:
// first_name 1–100 characters, an email of the shape local@domain.tld (≤ 254 bytes),
// a password of 8–1024 characters (the upper bound caps the cost of hashing it).
// Lengths count Unicode code points, not bytes, so "Zoë" is three characters.
// Thread affinity: none (pure functions). Ownership: returns values.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace pair::auth {

inline constexpr std::size_t kMinPasswordChars = 8;
inline constexpr std::size_t kMaxPasswordChars = 1024;
inline constexpr std::size_t kMaxFirstNameChars = 100;
inline constexpr std::size_t kMaxEmailBytes = 254;  // RFC 5321's limit on a path

// field name → message, e.g. {"password": "must be at least 8 characters"}; empty if valid.
using FieldErrors = std::map<std::string, std::string>;

FieldErrors validate_signup(std::string_view first_name, std::string_view email, std::string_view password);
bool email_shape_ok(std::string_view email);
// Code points in valid UTF-8 (the JSON parser guarantees validity).
std::size_t utf8_length(std::string_view text);

}  // namespace pair::auth
