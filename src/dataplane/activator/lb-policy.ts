/**
 * The activator's load-balancing policies: which pod of a revision gets the next
 * request, as pure functions of the activator's trackers of the pods assigned to it (in
 * address order), their in-flight counts and, for the random policy, a seeded stream. The
 * throttler picks the policy by containerConcurrency:
 * - CC = 0: `randomChoice2` (power of two choices);
 * - CC 1..3: `firstAvailable`;
 * - CC > 3: `roundRobin`.
 *
 * Fidelity: the draws replace Go's global math/rand with the activator's own stream for
 * the revision (throttler.ts `lbStreamName`); `rand.Int63()%2 == 0` becomes `rng() < 0.5`.
 * The per-pod trackers' weights are the activator's requests in flight to each pod.
 *
 * Upstream: knative/serving pkg/activator/net/lb_policy.go (randomChoice2Policy,
 * firstAvailableLBPolicy, newRoundRobinPolicy), throttler.go (pickLBPolicy).
 */
import type { Rng } from '../../engine/index.js';

/** What a policy reads of a pod: its tracker's weight, the activator's requests in flight to it. */
export interface PodTracker {
  readonly activatorInFlight: number;
}

/** Up to this containerConcurrency the throttler uses `firstAvailable`; above it `roundRobin` (throttler.go). */
export const FIRST_AVAILABLE_MAX_CC = 3;

// The policies run only over an activator's assigned pods, at least one. A constant, so that the
// checks on the request path build nothing while they pass.
const NO_POD = 'knsim bug: the activator load balancer read a pod outside its assigned pods';

/**
 * Power of two choices: two distinct random pods, the one with fewer requests in flight,
 * a coin toss on ties. Draws, in order: with more than two pods, the first index then
 * the second (from the n − 1 others); then the coin only on a tie. One pod: no draw.
 * Example: 5 pods, draws 0.5 and 0.5 → r1 = 2, r2 = 2 → shifted to 3: pods 2 and 3.
 */
export function randomChoice2<T extends PodTracker>(pods: readonly T[], rng: Rng): T {
  const n = pods.length;
  let r1 = 0;
  let r2 = 1;
  if (n > 2) {
    r1 = Math.floor(rng() * n);
    r2 = Math.floor(rng() * (n - 1));
    if (r2 >= r1) r2++;
  }
  const pick = pods[r1];
  if (pick === undefined) throw new Error(NO_POD);
  if (n === 1) return pick;
  const alt = pods[r2];
  if (alt === undefined) throw new Error(NO_POD);
  if (pick.activatorInFlight > alt.activatorInFlight) return alt;
  if (pick.activatorInFlight === alt.activatorInFlight && rng() < 0.5) return alt;
  return pick;
}

/** The index of the first pod with fewer than `cc` requests in flight, or -1 when all are full. */
export function firstAvailable(pods: readonly PodTracker[], cc: number): number {
  let i = 0;
  for (const pod of pods) {
    if (pod.activatorInFlight < cc) return i;
    i++;
  }
  return -1;
}

/**
 * The index of the first pod with a free slot, starting at `fromIndex` (the pick after
 * the last one; taken as 0 once past the end) and wrapping around, or -1 when all are
 * full. The caller starts the next search after the returned index.
 * Example: 3 pods, fromIndex 2, pod 2 full → pod 0.
 */
export function roundRobin(pods: readonly PodTracker[], cc: number, fromIndex: number): number {
  const n = pods.length;
  const start = fromIndex >= n ? 0 : fromIndex;
  for (let i = 0; i < n; i++) {
    const p = (start + i) % n;
    const pod = pods[p];
    if (pod === undefined) throw new Error(NO_POD);
    if (pod.activatorInFlight < cc) return p;
  }
  return -1;
}
