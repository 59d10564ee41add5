// Role: the causal context of the Tracker CRDT: a version vector (`Context`, replica ->
// highest contiguous clock seen) plus `Clouds` (per replica, dots seen above that clock,
// i.e. gaps), and the lattice operations on them.
// Thread affinity: none (values and free functions). Ownership: plain containers.
// Invariants: after compact(), no cloud holds a clock <= its replica's context entry nor
// the clock right after it; clouds are kept only for replicas present in the context.
// Why std::map/std::set: a cluster has few replicas, and compaction needs each cloud in
// ascending order.
#pragma once

#include <cstdint>
#include <map>
#include <set>

#include "roost/presence/dot.h"
#include "roost/presence/replica.h"

namespace roost::presence {

using Context = std::map<ReplicaName, std::uint64_t>;
using Cloud = std::set<std::uint64_t>;
using Clouds = std::map<ReplicaName, Cloud>;

// A dot is seen iff the context covers it or it sits in its replica's cloud.
bool seen(const Context& context, const Clouds& clouds, const Dot& dot);

// The clock of `replica` in `context`, 0 when absent.
std::uint64_t clock_of(const Context& context, const ReplicaName& replica);

// A dominates B iff A has at least as many entries and A[r] >= B[r] for every r of B
// (a replica missing from A counts as 0). Callers that collect clocks skip empty ones
// (an empty clock carries no information, yet is dominated by everything).
bool dominates(const Context& a, const Context& b);

// Pointwise max / min over the union of replicas; a replica present on one side only
// keeps its clock (ranges of deltas from different senders cover different replicas).
Context upperbound(const Context& a, const Context& b);
Context lowerbound(const Context& a, const Context& b);

// a[r] >= b[r] for every replica r of `a` (b's missing replicas count as 0): the ranges
// of two deltas touch or overlap on the replicas `a` speaks about. Empty `a` covers only
// an empty `b`.
bool covers(const Context& a, const Context& b);

// Folds the cloud of `replica` into the context: a clock equal to context + 1 advances the
// context, a clock at or below it is dropped, the rest stays as a gap. An empty cloud is
// erased so clouds stay as small as the knowledge they carry.
void compact(Context& context, Clouds& clouds, const ReplicaName& replica);
void compact(Context& context, Clouds& clouds);

}  // namespace roost::presence
