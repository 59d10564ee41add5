#include "roost/transport/longpoll_registry.h"

#include <charconv>
#include <openssl/rand.h>

#include "roost/proto/base64.h"

namespace roost::transport {

std::shared_ptr<LongPollSession> LongPollRegistry::create(const SocketOptions& options, proto::Serializer serializer) {
  // 18 random bytes: unguessable, so the token needs no signature; the loop index in
  // front lets any loop route a request to the session's own loop.
  unsigned char random[18];
  if (RAND_bytes(random, sizeof random) != 1) return nullptr;
  std::string token = std::to_string(loop_.index()) + "." +
                      proto::base64url_encode(std::string_view(reinterpret_cast<const char*>(random), sizeof random));
  auto session = std::make_shared<LongPollSession>(token, options, serializer);
  sessions_.emplace(std::move(token), session);
  return session;
}

std::shared_ptr<LongPollSession> LongPollRegistry::find(std::string_view token) const {
  auto it = sessions_.find(std::string(token));
  if (it == sessions_.end() || it->second->ended()) return nullptr;
  return it->second;
}

void LongPollRegistry::remove(std::string_view token) { sessions_.erase(std::string(token)); }

void LongPollRegistry::sweep(LongPollSession::Clock::time_point now) {
  std::vector<std::shared_ptr<LongPollSession>> all;
  all.reserve(sessions_.size());
  for (auto& [token, s] : sessions_) all.push_back(s);
  for (auto& s : all) s->sweep(now);
}

void LongPollRegistry::close_all() {
  std::vector<std::shared_ptr<LongPollSession>> all;
  for (auto& [token, s] : sessions_) all.push_back(s);
  for (auto& s : all) s->end();
}

std::optional<std::size_t> LongPollRegistry::loop_of(std::string_view token) {
  auto dot = token.find('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;
  std::size_t index = 0;
  auto [p, ec] = std::from_chars(token.data(), token.data() + dot, index);
  if (ec != std::errc() || p != token.data() + dot) return std::nullopt;
  return index;
}

}  // namespace roost::transport
