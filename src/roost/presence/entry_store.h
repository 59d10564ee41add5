// Role: EntryStore, the indexed container behind a State: one node per entry, reachable
// by identity (topic, owner, key), by topic (ordered by key, then owner), by owner and by
// tag (ordered by replica, then clock).
// Thread affinity: as its State (one loop). Ownership: owns the entries.
// Why one multi-index container: each operation touches each index once, in O(1) or
// O(log n), with no second copy of the entry to keep in sync; list(topic) and
// get_by_key(topic, key) are ranges of the topic index; "all entries of replica r" (replica
// down/up/permdown, full-state merge) is a range of the tag index; "all entries of owner o"
// (process exit) is a bucket of the owner index.
#pragma once

#include <boost/container_hash/hash.hpp>
#include <boost/multi_index/composite_key.hpp>
#include <boost/multi_index/hashed_index.hpp>
#include <boost/multi_index/member.hpp>
#include <boost/multi_index/ordered_index.hpp>
#include <boost/multi_index_container.hpp>
#include <cstddef>
#include <functional>
#include <string_view>

#include "roost/presence/entry.h"

namespace roost::presence {

struct ById {};
struct ByTopic {};
struct ByOwner {};
struct ByTag {};

// Accepts std::string and std::string_view alike, so lookups need no temporary string.
struct TextHash {
  std::size_t operator()(std::string_view s) const noexcept { return boost::hash<std::string_view>{}(s); }
};

using EntryStore = boost::multi_index_container<
    Entry,
    boost::multi_index::indexed_by<
        boost::multi_index::hashed_unique<
            boost::multi_index::tag<ById>,
            boost::multi_index::composite_key<Entry,
                                              boost::multi_index::member<Entry, std::string, &Entry::topic>,
                                              boost::multi_index::member<Entry, Owner, &Entry::owner>,
                                              boost::multi_index::member<Entry, std::string, &Entry::key>>,
            boost::multi_index::composite_key_hash<TextHash, OwnerHash, TextHash>,
            boost::multi_index::composite_key_equal_to<std::equal_to<>, std::equal_to<>, std::equal_to<>>>,
        boost::multi_index::ordered_unique<
            boost::multi_index::tag<ByTopic>,
            boost::multi_index::composite_key<Entry,
                                              boost::multi_index::member<Entry, std::string, &Entry::topic>,
                                              boost::multi_index::member<Entry, std::string, &Entry::key>,
                                              boost::multi_index::member<Entry, Owner, &Entry::owner>>,
            boost::multi_index::composite_key_compare<std::less<>, std::less<>, std::less<>>>,
        boost::multi_index::hashed_non_unique<boost::multi_index::tag<ByOwner>,
                                              boost::multi_index::member<Entry, Owner, &Entry::owner>,
                                              OwnerHash>,
        boost::multi_index::ordered_unique<boost::multi_index::tag<ByTag>,
                                           boost::multi_index::member<Entry, Dot, &Entry::tag>>>>;

}  // namespace roost::presence
