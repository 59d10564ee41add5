// Role: challenge_json / user_json / iso8601_utc (see challenge_json.h).
// Thread affinity: none. Ownership: returns values.
#include "api/challenge_json.h"

#include <chrono>
#include <cstdio>

namespace pair::api {

std::string iso8601_utc(std::int64_t ms) {
  using namespace std::chrono;
  sys_time<milliseconds> t{milliseconds{ms}};
  auto day = floor<days>(t);
  year_month_day ymd{day};
  hh_mm_ss<milliseconds> tod{t - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), static_cast<int>(tod.hours().count()),
                static_cast<int>(tod.minutes().count()), static_cast<int>(tod.seconds().count()),
                static_cast<int>(tod.subseconds().count()));
  return buf;
}

boost::json::object challenge_json(const store::Challenge& c) {
  return boost::json::object{
      {"id", c.id},
      {"title", c.title},
      {"prompt", c.prompt},
      {"response", c.response},
      {"language", c.language},
      {"version", c.version},
      {"inserted_at", iso8601_utc(c.inserted_at_ms)},
      {"updated_at", iso8601_utc(c.updated_at_ms)},
  };
}

boost::json::object user_json(const store::User& u) {
  return boost::json::object{{"id", u.id}, {"first_name", u.first_name}, {"email", u.email}};
}

}  // namespace pair::api
