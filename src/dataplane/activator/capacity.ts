/**
 * How an activator shares a revision's pods with the other activators that front it, and
 * how much it may send: pure functions of the sorted pod trackers, this activator's index
 * among the revision's activators and their number.
 *
 * - `inferIndex`: an activator's index is its address's position among the addresses of
 *   the revision's public endpoints (the activators the SKS chose), sorted; -1 when it is
 *   not among them (then it takes every pod).
 * - `assignSlice` (containerConcurrency > 0 only; CC = 0 takes every pod): with more
 *   activators than pods, activator i takes pod i mod #pods; otherwise a contiguous slice
 *   of floor(#pods / #activators) pods, plus one of the last #pods mod #activators pods
 *   when i is below that remainder.
 *   Example: 5 pods, 2 activators → activator 0 takes pods 0, 1 and 4; activator 1 pods 2, 3.
 * - `calculateCapacity`: the revision breaker's capacity, CC × assigned pods (with pod
 *   addressing); through a ClusterIP, CC × backends / activators, at least 1; CC = 0, or a
 *   capacity beyond MaxInt32, gives MaxInt32 once a backend exists.
 *   Example: CC 10, 10 backends, 5 activators, no pod trackers → 10 × 10 / 5 = 20.
 *
 * Fidelity: transcribed; knsim's activator always addresses pods (the ClusterIP path of a
 * mesh is computed here for the table tests, but the data plane never takes it).
 *
 * Upstream: knative/serving pkg/activator/net/throttler.go (pickIndices, assignSlice,
 * calculateCapacity, inferIndex, minOneOrValue, breakerQueueDepth, revisionMaxConcurrency),
 * pkg/queue/breaker.go (MaxBreakerCapacity, totalSlots).
 */

/** Requests queued on a breaker beyond its concurrency before it refuses (throttler.go breakerQueueDepth). */
const BREAKER_QUEUE_DEPTH = 10_000;

/** The revision breaker's largest concurrency: math.MaxInt32 (queue.MaxBreakerCapacity). */
export const REVISION_MAX_CONCURRENCY = 2_147_483_647;

/**
 * Requests one activator's revision breaker admits (waiting plus proxied) before it answers
 * 503 "pending request queue full": QueueDepth + MaxConcurrency (breaker.go totalSlots),
 * 10,000 + MaxInt32 — in practice never reached; requests wait until their timeout.
 */
export const REVISION_BREAKER_SLOTS = BREAKER_QUEUE_DEPTH + REVISION_MAX_CONCURRENCY;

/** num when it is above 1, else 1. */
function minOneOrValue(num: number): number {
  return num > 1 ? num : 1;
}

/**
 * The slice of `numTrackers` sorted trackers for activator `selfIndex` of `numActivators`:
 * [begin, end) and how many trackers are left over at the end.
 * Examples: 10 pods, 3 activators, index 1 → [3, 6), 1 left over; 2 pods, 3 activators, index 2 → [0, 1).
 */
export function pickIndices(numTrackers: number, selfIndex: number, numActivators: number): { begin: number; end: number; remnants: number } {
  if (numActivators > numTrackers) {
    const begin = selfIndex % numTrackers;
    return { begin, end: begin + 1, remnants: 0 };
  }
  const sliceSize = Math.floor(numTrackers / numActivators);
  const begin = selfIndex * sliceSize;
  return { begin, end: begin + sliceSize, remnants: numTrackers % numActivators };
}

/**
 * The trackers (sorted by address) this activator sends to: all of them when its index is
 * unknown (-1), when there is at most one, or when it is the only activator; else its slice
 * plus, when its index is below the remainder, one tracker of the remainder.
 * Example: 20 pods, 3 activators: activators 0 and 1 take 6 + 1, activator 2 takes 6.
 */
export function assignSlice<T>(trackers: readonly T[], selfIndex: number, numActivators: number): readonly T[] {
  const n = trackers.length;
  if (selfIndex === -1 || n <= 1 || numActivators === 1) return trackers;
  const { begin, end, remnants } = pickIndices(n, selfIndex, numActivators);
  const slice = trackers.slice(begin, end);
  if (remnants > 0 && selfIndex < remnants) {
    const extra = trackers[n - remnants + selfIndex];
    if (extra !== undefined) slice.push(extra);
  }
  return slice;
}

/**
 * The revision breaker's capacity for one activator. `numTrackers` are the pods assigned to
 * it (0 when it sends through the revision's ClusterIP); `backendCount` the revision's
 * ready backends; `activatorCount` the activators fronting the revision (0 when unknown).
 * Examples: CC 10, 2 trackers → 20; CC 10, no trackers, 10 backends, 200 activators → 1;
 * CC 0 with a backend → MaxInt32 (the infinite breaker opens).
 */
export function calculateCapacity(containerConcurrency: number, backendCount: number, numTrackers: number, activatorCount: number): number {
  let capacity: number;
  if (numTrackers > 0) {
    capacity = containerConcurrency * numTrackers;
  } else {
    capacity = containerConcurrency * backendCount;
    if (capacity > 0) capacity = minOneOrValue(Math.trunc(capacity / minOneOrValue(activatorCount)));
  }
  if (backendCount > 0 && (containerConcurrency === 0 || capacity > REVISION_MAX_CONCURRENCY)) capacity = REVISION_MAX_CONCURRENCY;
  return capacity;
}

/**
 * This activator's index among the revision's activator addresses (sorted), or -1 when it is
 * not one of them. Example: ["10.10.10.1", "10.10.10.2", "10.10.10.3"], "10.10.10.3" → 2.
 */
export function inferIndex(sortedAddresses: readonly string[], address: string): number {
  return sortedAddresses.indexOf(address);
}
