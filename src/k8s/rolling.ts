/**
 * The arithmetic of Deployment rollouts, as pure functions of replica counts: how far
 * the new ReplicaSet may grow, how many old pods may go, and how a scale change is
 * shared between ReplicaSets in the middle of a rollout.
 *
 * Mirrors kubernetes pkg/controller/deployment/rolling.go (reconcileNewReplicaSet,
 * reconcileOldReplicaSets, cleanupUnhealthyReplicas, scaleDownOldReplicaSetsForRollingUpdate),
 * sync.go (scale) and util/deployment_util.go (ResolveFenceposts, NewRSNewReplicas,
 * GetProportion). Fidelity: the same integer arithmetic; no I/O, so the controller
 * applies the results one step per reconcile.
 */
import { must } from '../engine/assert.js';

/** One ReplicaSet as the arithmetic sees it. */
export interface ReplicaSetCounts {
  name: string;
  /** spec.replicas */
  replicas: number;
  /** status.availableReplicas */
  availableReplicas: number;
  /** metadata.creationTimestamp (ms), for "oldest first" orderings. */
  creationMs: number;
  /** The `deployment.kubernetes.io/max-replicas` annotation, if set. */
  maxReplicasAnnotation?: number;
}

/**
 * An int-or-percent value scaled to `total`, as intstr.GetValueFromIntOrPercent:
 * `"25%"` of 10 is 2.5 → 3 when rounding up (maxSurge), 2 when rounding down (maxUnavailable).
 * Returns undefined for text that is neither an integer nor `<int>%`.
 */
export function scaleIntOrPercent(value: number | string | undefined, total: number, roundUp: boolean): number | undefined {
  if (value === undefined) return 0;
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  const percent = /^(-?\d+)%$/.exec(value)?.[1];
  if (percent === undefined) return /^-?\d+$/.test(value) ? parseInt(value, 10) : undefined;
  const scaled = (parseInt(percent, 10) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/**
 * maxSurge and maxUnavailable in pods for `replicas` desired (ResolveFenceposts).
 * Both 0 would make progress impossible, so maxUnavailable becomes 1.
 * Example: 25%/25% of 10 replicas → surge ceil(2.5) = 3, unavailable floor(2.5) = 2;
 * of 1 replica → surge 1, unavailable 0.
 */
export function resolveFenceposts(
  maxSurge: number | string | undefined,
  maxUnavailable: number | string | undefined,
  replicas: number,
): { maxSurge: number; maxUnavailable: number } {
  const surge = scaleIntOrPercent(maxSurge, replicas, true) ?? 0;
  let unavailable = scaleIntOrPercent(maxUnavailable, replicas, false) ?? 0;
  if (surge === 0 && unavailable === 0) unavailable = 1;
  // MaxUnavailable(deployment) never exceeds the desired count.
  return { maxSurge: surge, maxUnavailable: Math.min(unavailable, replicas) };
}

/**
 * The size the new ReplicaSet may grow to in this step of a rolling update (NewRSNewReplicas):
 * never more than `replicas + maxSurge` pods in all ReplicaSets, never more than `replicas` in the new one.
 * Example: replicas 4, maxSurge 1, new RS at 0, old RS at 4 → total 4 < 5, grow by min(1, 4) to 1.
 */
export function computeNewReplicaSetSize(replicas: number, maxSurge: number, newRSReplicas: number, allRSReplicas: number): number {
  const maxTotalPods = replicas + maxSurge;
  if (allRSReplicas >= maxTotalPods) return newRSReplicas;
  const scaleUpCount = Math.min(maxTotalPods - allRSReplicas, replicas - newRSReplicas);
  return newRSReplicas + Math.max(0, scaleUpCount);
}

/**
 * New sizes for old ReplicaSets in this step of a rolling update (reconcileOldReplicaSets),
 * or an empty map when none may shrink yet.
 *
 * 1. At most `maxScaledDown = all − (replicas − maxUnavailable) − newRSUnavailable` pods may go.
 * 2. First unhealthy old pods go (spec − available per old RS, oldest RS first): they serve nothing.
 * 3. Then available old pods go, oldest RS first, while the available total (all RSes) stays ≥ replicas − maxUnavailable.
 *
 * Example: replicas 4, maxUnavailable 1, new RS 2 pods (1 available), old RS 4 pods all available:
 * all = 6, minAvailable 3, maxScaledDown = 6 − 3 − 1 = 2; no unhealthy; available 5 − 3 = 2 may go → old RS 4 → 2.
 */
export function computeOldReplicaSetSizes(
  replicas: number,
  maxUnavailable: number,
  newRS: ReplicaSetCounts | undefined,
  oldRSs: readonly ReplicaSetCounts[],
): Map<string, number> {
  const out = new Map<string, number>();
  const oldPodsCount = sum(oldRSs, (rs) => rs.replicas);
  if (oldPodsCount === 0) return out;
  const allPodsCount = oldPodsCount + (newRS?.replicas ?? 0);
  const minAvailable = replicas - maxUnavailable;
  const newRSUnavailable = newRS === undefined ? 0 : newRS.replicas - newRS.availableReplicas;
  const maxScaledDown = allPodsCount - minAvailable - newRSUnavailable;
  if (maxScaledDown <= 0) return out;

  const byAge = [...oldRSs].sort(compareOldestFirst);
  const size = new Map(byAge.map((rs) => [rs.name, rs.replicas] as const));
  let cleaned = 0;
  for (const rs of byAge) {
    if (cleaned >= maxScaledDown) break;
    if (rs.replicas === 0) continue;
    const unhealthy = rs.replicas - rs.availableReplicas;
    if (unhealthy <= 0) continue;
    const down = Math.min(maxScaledDown - cleaned, unhealthy);
    size.set(rs.name, rs.replicas - down);
    cleaned += down;
  }

  // Then available pods above the floor go (the cleanup removed only unavailable ones,
  // so the available count from status still holds).
  const availablePodCount = (newRS?.availableReplicas ?? 0) + sum(byAge, (rs) => rs.availableReplicas);
  if (availablePodCount > minAvailable) {
    const totalScaleDown = availablePodCount - minAvailable;
    let scaled = 0;
    for (const rs of byAge) {
      if (scaled >= totalScaleDown) break;
      const current = size.get(rs.name) ?? 0;
      if (current === 0) continue;
      const down = Math.min(current, totalScaleDown - scaled);
      size.set(rs.name, current - down);
      scaled += down;
    }
  }
  for (const rs of byAge) {
    const n = must(size.get(rs.name), 'a size for every active ReplicaSet');
    if (n !== rs.replicas) out.set(rs.name, n);
  }
  return out;
}

/**
 * Shares a change of `replicas` between the active ReplicaSets of a rollout in proportion
 * to their sizes (sync.go `scale`), so a scale-up during a rollout does not all land on one side.
 * `newRSName` breaks size ties: newer first when growing, older first when shrinking.
 *
 * Example: replicas 10 → 15 with maxSurge 3 while old = 8 and new = 5 (13 = 10 + 3, annotated max 13):
 * allowed = 15 + 4 = 19 (maxSurge of 15 is ceil(3.75) = 4), to add = 19 − 13 = 6;
 * old gets round(8·19/13) − 8 = 12 − 8 = 4, new gets min(round(5·19/13) − 5, 6 − 4) = 2 → old 12, new 7.
 */
export function computeProportionalSizes(
  replicas: number,
  maxSurge: number,
  previousStatusReplicas: number,
  activeRSs: readonly ReplicaSetCounts[],
  newRSName: string | undefined,
): Map<string, number> {
  const out = new Map<string, number>();
  const allReplicas = sum(activeRSs, (rs) => rs.replicas);
  const allowedSize = replicas > 0 ? replicas + maxSurge : 0;
  const toAdd = allowedSize - allReplicas;
  if (toAdd === 0) return out;
  const growing = toAdd > 0;
  const isNewer = (a: ReplicaSetCounts, b: ReplicaSetCounts): number => {
    if (a.creationMs !== b.creationMs) return b.creationMs - a.creationMs;
    if (a.name === newRSName) return -1;
    if (b.name === newRSName) return 1;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  };
  const ordered = [...activeRSs].sort((a, b) => {
    if (a.replicas !== b.replicas) return b.replicas - a.replicas;
    return growing ? isNewer(a, b) : -isNewer(a, b);
  });
  let added = 0;
  const size = new Map<string, number>();
  for (const rs of ordered) {
    let proportion = 0;
    if (rs.replicas !== 0 && toAdd !== added) {
      const annotated = rs.maxReplicasAnnotation ?? previousStatusReplicas;
      const fraction = replicas === 0 ? -rs.replicas : annotated > 0 ? roundHalfAway((rs.replicas * allowedSize) / annotated) - rs.replicas : 0;
      const allowed = toAdd - added;
      proportion = growing ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
    }
    size.set(rs.name, rs.replicas + proportion);
    added += proportion;
  }
  const first = ordered[0];
  if (first !== undefined) size.set(first.name, Math.max(0, must(size.get(first.name), 'a size for every active ReplicaSet') + toAdd - added));
  for (const rs of ordered) {
    const n = must(size.get(rs.name), 'a size for every active ReplicaSet');
    if (n !== rs.replicas) out.set(rs.name, n);
  }
  return out;
}

/** Go's math.Round (half away from zero), used by integer.RoundToInt32. */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

function compareOldestFirst(a: ReplicaSetCounts, b: ReplicaSetCounts): number {
  if (a.creationMs !== b.creationMs) return a.creationMs - b.creationMs;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function sum<T>(items: readonly T[], f: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += f(item);
  return total;
}
