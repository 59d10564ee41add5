// Role: DocumentService, the authority of collaborative editing for every challenge's
// response (the @codemirror/collab "central authority"): it accepts a push only at the
// current version, applies its changes to the stored text, has the store append them
// atomically and durably (committed before anyone hears of them, so a kill -9 loses no
// acknowledged change), and then broadcasts them to the challenge's room. The database's
// conditional append decides which change is next, so several nodes may serve one room.
// Every commit broadcasts on `challenges:<id>`:
//   collab:updates   {"version": <version the updates start from>, "updates": [...]}
// and a whole-text replacement (replace_response) also:
//   response:updated {"challenge": <challenge JSON>}
// The latest (version, text) of recently edited documents is kept in a DocumentCache:
// a push needs no read, and one based on a version older than the cached one is refused
// as stale at once, without the lock or the database.
// Thread affinity: the awaitable calls are awaited on any loop; the store work runs on
// the WorkerPool. The *_blocking forms are for code already on a worker. Pushes for one
// challenge are serialised on this node by a striped lock held only on workers (never on
// a loop), which also keeps this node's broadcasts for a room in commit order.
// Ownership: borrows the store, the worker pool and PubSub (all outlive the service);
// owns the cache.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <system_error>
#include <vector>

#include "collab/document_cache.h"
#include "collab/update.h"
#include "roost/core/result.h"
#include "roost/core/task.h"
#include "roost/net/worker_pool.h"
#include "roost/pubsub/pubsub.h"
#include "store/store.h"

namespace pair::collab {

// Documents whose latest text this node keeps (at most 256 KiB each: 32 MiB at worst).
inline constexpr std::size_t kCachedDocuments = 128;

// A response is refused past this many bytes of UTF-8 (a code challenge's answer, not a
// file store; it also bounds every broadcast of `response:updated`).
inline constexpr std::size_t kMaxDocumentBytes = 256 * 1024;

// A pull answers at most this many updates (a client pulls again from where they end),
// so one reply stays well under a connection's outbound budget.
inline constexpr std::size_t kMaxPullUpdates = 1000;

// "challenges:<id>", the room of one challenge.
std::string challenge_topic(std::int64_t id);

struct PushResult {
  // Empty on success. Otherwise CollabErrc (stale, desync, invalid_text, length_mismatch,
  // splits_character, malformed, too_large) or StoreErrc (not_found, unavailable).
  std::error_code error;
  // The challenge after the append (on success).
  store::Challenge challenge{};
  // The version the store is at: after the append on success, the current one when stale.
  std::int64_t version = 0;

  explicit operator bool() const noexcept { return !error; }
};

struct PullResult {
  std::int64_t version = 0;                  // the version the updates start from
  std::vector<store::CollabUpdate> updates;  // the updates after it, oldest first
};

class DocumentService {
 public:
  DocumentService(store::Store& store, roost::net::WorkerPool& workers, roost::pubsub::PubSub& pubsub);

  // The challenge as stored now (its response and version), for a join.
  roost::Task<roost::Result<store::Challenge>> load(std::int64_t id);

  // Accepts `updates` (in order, as one atomic append) if `base_version` is the current
  // version and every update applies; stale → CollabErrc::stale with `version` = current.
  roost::Task<PushResult> push(std::int64_t id, std::int64_t base_version, std::vector<Update> updates);
  PushResult push_blocking(std::int64_t id, std::int64_t base_version, const std::vector<Update>& updates);

  // The whole response replaced by `text` as ONE collab update from `client_id`, at
  // whatever the current version is (retried if another change lands meanwhile); also
  // broadcasts `response:updated`. Line breaks are normalised to "\n" first (as
  // CodeMirror does). For the `response:update` channel event and for PATCH
  // /api/challenges/<id> with a `response`: the HTTP API calls this instead of editing
  // the response itself, so the room hears of the change. `client_id` must never equal
  // an editor's random ID: use a name with a ':' such as "api:patch" (CodeMirror's IDs
  // are base-36). Errors: CollabErrc::too_large (> kMaxDocumentBytes),
  // CollabErrc::invalid_text (NUL), StoreErrc::not_found / unavailable.
  roost::Task<roost::Result<store::Challenge>> replace_response(std::int64_t id, std::string text,
                                                                std::string client_id);
  roost::Result<store::Challenge> replace_response_blocking(std::int64_t id, std::string_view text,
                                                            const std::string& client_id);

  // The updates after `version`, oldest first, at most kMaxPullUpdates of them;
  // CollabErrc::desync when `version` is beyond the current one.
  roost::Task<roost::Result<PullResult>> pull(std::int64_t id, std::int64_t version);
  roost::Result<PullResult> pull_blocking(std::int64_t id, std::int64_t version);

 private:
  // Under the stripe lock: the document at the newest version this node can know of
  // (the cache, else the store).
  roost::Result<DocumentCache::Entry> current_locked(std::int64_t id, std::int64_t wanted_version);
  PushResult commit_locked(std::int64_t id, const DocumentCache::Entry& base, const std::vector<Update>& updates);
  std::mutex& stripe(std::int64_t id) noexcept;

  store::Store& store_;
  roost::net::WorkerPool& workers_;
  roost::pubsub::PubSub& pubsub_;
  std::array<std::mutex, 64> stripes_;
  DocumentCache cache_{kCachedDocuments};
};

}  // namespace pair::collab
