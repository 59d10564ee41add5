// Role: Participant, what the room shows of one person in a challenge: the Presence
// meta {user_id, first_name, typing, color, cursor} that a ChallengeChannel tracks under
// the user's id, and the colour each user keeps in every room and every session.
// Thread affinity: none (a value). Ownership: owns its fields.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>

namespace pair::channel {

struct Cursor {
  std::int64_t anchor = 0;  // UTF-16 positions in the sender's document, as CodeMirror's selection
  std::int64_t head = 0;
};

struct Participant {
  std::int64_t user_id = 0;
  std::string first_name;
  bool typing = false;
  std::optional<Cursor> cursor;

  // The Presence key: the user's id as a string (Presence keys are strings on the wire).
  std::string key() const { return std::to_string(user_id); }
  // {"user_id", "first_name", "typing", "color", "cursor": {"anchor","head"} | null}
  boost::json::object meta() const;
};

// "#rrggbb", a function of the user id only, so a user keeps one colour everywhere.
std::string color_for(std::int64_t user_id);

}  // namespace pair::channel
