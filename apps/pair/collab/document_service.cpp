// Role: DocumentService (see document_service.h): check, apply, append durably, then
// broadcast.
// Thread affinity: the *_blocking functions and commit_locked run on WorkerPool threads
// only; the awaitable wrappers hop there and back.
// Ownership: borrows store, workers and pubsub.
#include "collab/document_service.h"

#include <boost/json/serialize.hpp>

#include "api/challenge_json.h"
#include "collab/apply_changes.h"
#include "collab/collab_errors.h"
#include "collab/utf16.h"
#include "roost/core/log.h"

namespace pair::collab {

namespace json = boost::json;

namespace {

// A concurrent replacement on another node can move the version between our read and
// our append; a few attempts settle it (each attempt is one read and one append).
constexpr int kReplaceAttempts = 8;

// The stored text the changes are counted against. CodeMirror reads "\r\n" and "\r" as
// one "\n" when a client loads the document, so the server must count the same way.
std::string base_text(const std::string& response) {
  return response.find('\r') == std::string::npos ? response : normalize_line_breaks(response);
}

}  // namespace

std::string challenge_topic(std::int64_t id) { return "challenges:" + std::to_string(id); }

DocumentService::DocumentService(store::Store& store, roost::net::WorkerPool& workers, roost::pubsub::PubSub& pubsub)
    : store_(store), workers_(workers), pubsub_(pubsub) {}

std::mutex& DocumentService::stripe(std::int64_t id) noexcept {
  return stripes_[static_cast<std::uint64_t>(id) % stripes_.size()];
}

roost::Result<DocumentCache::Entry> DocumentService::current_locked(std::int64_t id, std::int64_t wanted_version) {
  // The cache is never ahead of the store, so it is enough unless the caller expects a
  // newer version (another node may have moved on): then ask the store.
  if (auto cached = cache_.get(id); cached && cached->version >= wanted_version) return *cached;
  auto challenge = store_.find_challenge(id);
  if (!challenge) return challenge.error();
  DocumentCache::Entry entry{challenge->version, std::make_shared<const std::string>(base_text(challenge->response))};
  cache_.put(id, entry);
  return entry;
}

PushResult DocumentService::commit_locked(std::int64_t id, const DocumentCache::Entry& base,
                                          const std::vector<Update>& updates) {
  PushResult result;
  result.version = base.version;
  std::string text = *base.text;
  std::vector<store::CollabUpdate> stored;
  stored.reserve(updates.size());
  for (const Update& update : updates) {
    auto next = apply_changes(text, update.changes);
    if (!next) {
      result.error = next.error();
      return result;
    }
    // Checked after every update so that no intermediate text grows without bound.
    if (next->size() > kMaxDocumentBytes) {
      result.error = make_error_code(CollabErrc::too_large);
      return result;
    }
    text = std::move(*next);
    stored.push_back(to_stored(update));
  }
  if (stored.empty()) {  // nothing to append: the document stays at its version
    auto current = store_.find_challenge(id);
    if (!current) result.error = current.error();
    else result.challenge = std::move(*current);
    return result;
  }
  auto appended = store_.append_updates(id, base.version, stored, text);
  if (!appended) {
    result.error = appended.error();
    if (appended.error() == store::StoreErrc::version_conflict) {
      // Another node got there first: forget what we knew; the client pulls and rebases.
      cache_.erase(id);
      result.error = make_error_code(CollabErrc::stale);
      auto now = store_.find_challenge(id);
      result.version = now ? now->version : base.version;
    }
    return result;
  }
  cache_.put(id, {appended->version, std::make_shared<const std::string>(std::move(text))});
  // tutorial:begin broadcast-updates
  // Durable now; tell the room (the pusher included: that is how it sees its own
  // updates confirmed). Under the stripe lock, so this node's broadcasts keep commit order.
  if (auto ec = pubsub_.broadcast(challenge_topic(id), "collab:updates",
                                  roost::proto::Payload::json(updates_payload(base.version, stored)))) {
    roost::log().warn("collab:updates broadcast for challenge {} failed: {}", id, ec.message());
  }
  // tutorial:end broadcast-updates
  result.version = appended->version;
  result.challenge = std::move(*appended);
  return result;
}

// tutorial:begin push-blocking
PushResult DocumentService::push_blocking(std::int64_t id, std::int64_t base_version,
                                          const std::vector<Update>& updates) {
  PushResult result;
  // Someone already moved past this version (the cache never runs ahead of the store):
  // stale, without waiting for the lock or the database.
  if (auto cached = cache_.get(id); cached && base_version < cached->version) {
    result.error = make_error_code(CollabErrc::stale);
    result.version = cached->version;
    return result;
  }
  std::lock_guard lock(stripe(id));
  auto current = current_locked(id, base_version);
  if (!current) {
    result.error = current.error();
    return result;
  }
  result.version = current->version;
  if (base_version > current->version) {
    result.error = make_error_code(CollabErrc::desync);
    return result;
  }
  if (base_version < current->version) {
    result.error = make_error_code(CollabErrc::stale);
    return result;
  }
  return commit_locked(id, *current, updates);
}
// tutorial:end push-blocking

roost::Result<store::Challenge> DocumentService::replace_response_blocking(std::int64_t id, std::string_view text,
                                                                           const std::string& client_id) {
  std::string normalized = normalize_line_breaks(text);
  if (normalized.size() > kMaxDocumentBytes) return make_error_code(CollabErrc::too_large);
  std::lock_guard lock(stripe(id));
  for (int attempt = 0; attempt < kReplaceAttempts; ++attempt) {
    auto current = current_locked(id, 0);
    if (!current) return current.error();
    auto old_units = utf16_length(*current->text);
    if (!old_units) return old_units.error();
    auto changes = ChangeSet::replace_all(*old_units, normalized);
    if (!changes) return changes.error();
    std::vector<Update> updates{Update{client_id, std::move(*changes)}};
    PushResult pushed = commit_locked(id, *current, updates);
    if (pushed.error == CollabErrc::stale) continue;  // the cache entry is gone: read the store again
    if (pushed.error) return pushed.error;
    json::object payload{{"challenge", api::challenge_json(pushed.challenge)}};
    if (auto ec = pubsub_.broadcast(challenge_topic(id), "response:updated",
                                    roost::proto::Payload::json(json::serialize(payload)))) {
      roost::log().warn("response:updated broadcast for challenge {} failed: {}", id, ec.message());
    }
    return std::move(pushed.challenge);
  }
  return make_error_code(CollabErrc::stale);
}

roost::Result<PullResult> DocumentService::pull_blocking(std::int64_t id, std::int64_t version) {
  auto updates = store_.updates_since(id, version);
  if (!updates) return updates.error();
  if (updates->empty()) {
    // Nothing newer: either the client is current, or it claims a version this server
    // never reached (its history was lost), which only a reload can repair.
    auto current = store_.find_challenge(id);
    if (!current) return current.error();
    if (version > current->version) return make_error_code(CollabErrc::desync);
  }
  if (updates->size() > kMaxPullUpdates) updates->resize(kMaxPullUpdates);
  return PullResult{version, std::move(*updates)};
}

roost::Task<roost::Result<store::Challenge>> DocumentService::load(std::int64_t id) {
  auto work = [this, id] { return store_.find_challenge(id); };
  co_return co_await workers_.run(std::move(work));
}

roost::Task<PushResult> DocumentService::push(std::int64_t id, std::int64_t base_version, std::vector<Update> updates) {
  auto work = [this, id, base_version, updates = std::move(updates)] { return push_blocking(id, base_version, updates); };
  co_return co_await workers_.run(std::move(work));
}

roost::Task<roost::Result<store::Challenge>> DocumentService::replace_response(std::int64_t id, std::string text,
                                                                               std::string client_id) {
  auto work = [this, id, text = std::move(text), client_id = std::move(client_id)] {
    return replace_response_blocking(id, text, client_id);
  };
  co_return co_await workers_.run(std::move(work));
}

roost::Task<roost::Result<PullResult>> DocumentService::pull(std::int64_t id, std::int64_t version) {
  auto work = [this, id, version] { return pull_blocking(id, version); };
  co_return co_await workers_.run(std::move(work));
}

}  // namespace pair::collab
