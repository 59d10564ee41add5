// Role: a participant's Presence meta and colour (see participant.h).
// Thread affinity: none. Ownership: values.
#include "channel/participant.h"

#include <array>
#include <string_view>

namespace pair::channel {

namespace {

// Twelve colours that stay readable as cursor and avatar colours on a light or dark
// editor; consecutive user ids get different ones.
constexpr std::array<std::string_view, 12> kPalette = {
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4",
    "#f032e6", "#9a6324", "#469990", "#800000", "#808000", "#000075",
};

}  // namespace

std::string color_for(std::int64_t user_id) {
  auto index = static_cast<std::uint64_t>(user_id) % kPalette.size();
  return std::string(kPalette[index]);
}

boost::json::object Participant::meta() const {
  boost::json::object meta;
  meta["user_id"] = user_id;
  meta["first_name"] = first_name;
  meta["typing"] = typing;
  meta["color"] = color_for(user_id);
  if (cursor)
    meta["cursor"] = boost::json::object{{"anchor", cursor->anchor}, {"head", cursor->head}};
  else
    meta["cursor"] = nullptr;
  return meta;
}

}  // namespace pair::channel
