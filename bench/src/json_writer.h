// Role: builds the one-line JSON objects the subcommands print. Keys are written in insertion
// order; doubles with 6 significant digits; non-finite numbers become null.
// Thread affinity: one thread. Ownership: owns the text being built.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace roost::bench {

class JsonObject {
 public:
  JsonObject& add(std::string_view key, std::string_view value);
  JsonObject& add(std::string_view key, const char* value) { return add(key, std::string_view(value)); }
  JsonObject& add(std::string_view key, double value);
  JsonObject& add(std::string_view key, std::int64_t value);
  JsonObject& add(std::string_view key, std::uint64_t value);
  JsonObject& add(std::string_view key, int value) { return add(key, static_cast<std::int64_t>(value)); }
  JsonObject& add(std::string_view key, bool value);
  JsonObject& add(std::string_view key, const JsonObject& nested);
  JsonObject& add_null(std::string_view key);
  // A value already rendered as JSON (an array, say).
  JsonObject& add_raw(std::string_view key, std::string_view json);

  std::string str() const { return "{" + body_ + "}"; }

 private:
  void key(std::string_view k);
  std::string body_;
};

// Appends s as a quoted JSON string.
void append_json_string(std::string& out, std::string_view s);

}  // namespace roost::bench
