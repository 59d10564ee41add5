// Role: the JSON shapes of Pair's data as every client sees them (HTTP API, challenge
// channel replies and broadcasts): a challenge
//   {id, title, prompt, response, language, version, inserted_at, updated_at}
// with times as ISO-8601 UTC strings ("2024-05-01T12:00:00.123Z"), and a public user
//   {id, first_name, email}
// (never the password hash).
// Thread affinity: none (pure functions). Ownership: returns values.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

#include "store/store.h"

namespace pair::api {

boost::json::object challenge_json(const store::Challenge& challenge);
boost::json::object user_json(const store::User& user);
// Milliseconds since the Unix epoch as "YYYY-MM-DDTHH:MM:SS.mmmZ".
std::string iso8601_utc(std::int64_t ms);

}  // namespace pair::api
