/**
 * What the HPA controller does with the replica calculator's count before it scales:
 * stabilization over recent recommendations, then the rate limits, then min/max — with
 * the conditions (AbleToScale, ScalingLimited) and reasons Kubernetes writes.
 *
 * - Without `behavior`: the highest recommendation of the last 5 minutes
 *   (`--horizontal-pod-autoscaler-downscale-stabilization`), then at most
 *   max(2 × current, 4) replicas (ScaleUpLimit), then min/max.
 *   Example: current 3, recommendations 8 (now) → limit max(6, 4) = 6.
 * - With `behavior`: the recommendation is held between the lowest of the scale-up window
 *   and the highest of the scale-down window (scale-down window unset: 300 s), then each
 *   direction's policies bound the change from the replicas at the start of each policy's
 *   period (replicas − added + removed within it), chosen by selectPolicy (Max: the largest
 *   change, Min: the smallest, Disabled: none).
 *   Example (defaults): current 5, desired 20, nothing scaled in the last 15 s → Pods policy
 *   5 + 4 = 9, Percent policy ceil(5 × 2) = 10, Max → 10 (ScaleUpLimit).
 *
 * State (recommendations, scale events) lives in an `HpaHistory` per HPA and reuses the
 * slots of samples that fell out of every window, so it stays bounded.
 *
 * Fidelity: mirrors kubernetes `pkg/controller/podautoscaler/horizontal.go`
 * (stabilizeRecommendation, normalizeDesiredReplicas, convertDesiredReplicasWithRules,
 * normalizeDesiredReplicasWithBehaviors, stabilizeRecommendationWithBehaviors,
 * convertDesiredReplicasWithBehaviorRate, calculateScaleUpLimitWithScalingRules,
 * calculateScaleDownLimitWithBehaviors, getReplicasChangePerPeriod, storeScaleEvent).
 */
import type { HpaScalingRules } from '../../apis/autoscaling-v2.js';

export interface TimedRecommendation {
  replicas: number;
  atMs: number;
}

export interface ScaleEvent {
  change: number;
  atMs: number;
  outdated: boolean;
}

/** One HPA's memory: recent recommendations and scale events. */
export interface HpaHistory {
  recommendations: TimedRecommendation[];
  scaleUpEvents: ScaleEvent[];
  scaleDownEvents: ScaleEvent[];
}

export function newHpaHistory(): HpaHistory {
  return { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] };
}

/** `--horizontal-pod-autoscaler-downscale-stabilization` default. */
export const DOWNSCALE_STABILIZATION_WINDOW_MS = 300_000;

/** A condition to set: type, status, reason, message. */
export interface ConditionChange {
  type: 'AbleToScale' | 'ScalingLimited';
  status: 'True' | 'False';
  reason: string;
  message: string;
}

export interface Normalized {
  replicas: number;
  conditions: ConditionChange[];
}

/** recordInitialRecommendation: the current count is the first recommendation of a new HPA. */
export function recordInitialRecommendation(h: HpaHistory, currentReplicas: number, nowMs: number): void {
  if (h.recommendations.length === 0) h.recommendations.push({ replicas: currentReplicas, atMs: nowMs });
}

/** Records `replicas` now, into the slot of a sample older than every cutoff when there is one. */
function record(h: HpaHistory, replicas: number, nowMs: number, oldIndex: number): void {
  const rec = h.recommendations[oldIndex];
  if (rec !== undefined) {
    rec.replicas = replicas;
    rec.atMs = nowMs;
  } else h.recommendations.push({ replicas, atMs: nowMs });
}

const STABILIZED_DOWN = 'recent recommendations were higher than current one, applying the highest recent recommendation';
const STABILIZED_UP = 'recent recommendations were lower than current one, applying the lowest recent recommendation';

/** stabilizeRecommendation: the highest recommendation within the downscale window, `desired` recorded. */
export function stabilizeRecommendation(h: HpaHistory, nowMs: number, desired: number, downscaleWindowMs = DOWNSCALE_STABILIZATION_WINDOW_MS): number {
  let stabilized = desired;
  let oldIndex = -1;
  const cutoff = nowMs - downscaleWindowMs;
  h.recommendations.forEach((rec, i) => {
    if (rec.atMs < cutoff) oldIndex = i;
    else if (rec.replicas > stabilized) stabilized = rec.replicas;
  });
  record(h, desired, nowMs, oldIndex);
  return stabilized;
}

/** The legacy scale-up limit: twice the current count, at least 4. */
export function calculateScaleUpLimit(currentReplicas: number): number {
  return Math.trunc(Math.max(2 * currentReplicas, 4));
}

/** convertDesiredReplicasWithRules: min, then the legacy scale-up limit or max, whichever is lower. */
export function convertDesiredReplicasWithRules(currentReplicas: number, desired: number, minReplicas: number, maxReplicas: number): Limited {
  const upLimit = calculateScaleUpLimit(currentReplicas);
  const [max, reason, message] =
    maxReplicas > upLimit
      ? [upLimit, 'ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate']
      : [maxReplicas, 'TooManyReplicas', 'the desired replica count is more than the maximum replica count'];
  if (desired < minReplicas)
    return { replicas: minReplicas, reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
  if (desired > max) return { replicas: max, reason, message };
  return { replicas: desired, reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
}

/** The path without `behavior`: 5-minute downscale stabilization, then convertDesiredReplicasWithRules. */
export function normalizeDesiredReplicas(
  h: HpaHistory,
  nowMs: number,
  currentReplicas: number,
  desired: number,
  minReplicas: number,
  maxReplicas: number,
  downscaleWindowMs = DOWNSCALE_STABILIZATION_WINDOW_MS,
): Normalized {
  const stabilized = stabilizeRecommendation(h, nowMs, desired, downscaleWindowMs);
  const conditions: ConditionChange[] = [
    stabilized !== desired
      ? { type: 'AbleToScale', status: 'True', reason: 'ScaleDownStabilized', message: STABILIZED_DOWN }
      : { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' },
  ];
  const limited = convertDesiredReplicasWithRules(currentReplicas, stabilized, minReplicas, maxReplicas);
  conditions.push({ type: 'ScalingLimited', status: limited.replicas === stabilized ? 'False' : 'True', reason: limited.reason, message: limited.message });
  return { replicas: limited.replicas, conditions };
}

/** Replicas added (or removed) by the events within the last `periodSeconds`. */
function changeWithin(events: readonly ScaleEvent[], periodSeconds: number, nowMs: number): number {
  const cutoff = nowMs - periodSeconds * 1000;
  let sum = 0;
  for (const e of events) if (e.atMs > cutoff) sum += e.change;
  return sum;
}

/** The highest count the scale-up policies allow now. */
export function scaleUpLimit(h: HpaHistory, current: number, rules: HpaScalingRules, nowMs: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pickMin = rules.selectPolicy === 'Min';
  let result = pickMin ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
  for (const p of rules.policies ?? []) {
    const start = current - changeWithin(h.scaleUpEvents, p.periodSeconds, nowMs) + changeWithin(h.scaleDownEvents, p.periodSeconds, nowMs);
    // Rounded up, so a small percentage of a small count still adds a pod.
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    result = pickMin ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

/** The lowest count the scale-down policies allow now. */
export function scaleDownLimit(h: HpaHistory, current: number, rules: HpaScalingRules, nowMs: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pickMin = rules.selectPolicy === 'Min';
  let result = pickMin ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  for (const p of rules.policies ?? []) {
    const start = current - changeWithin(h.scaleUpEvents, p.periodSeconds, nowMs) + changeWithin(h.scaleDownEvents, p.periodSeconds, nowMs);
    // Truncated toward zero, as Go's int32 conversion.
    const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    result = pickMin ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

/** A count with the reason and message Kubernetes gives for it. */
export interface Limited {
  replicas: number;
  reason: string;
  message: string;
}

/**
 * stabilizeRecommendationWithBehaviors: the current count held between the lowest
 * recommendation of the scale-up window and the highest of the scale-down window; `desired`
 * is recorded (into the slot of a sample older than both windows when there is one).
 */
export function stabilizeWithBehaviors(
  h: HpaHistory,
  nowMs: number,
  currentReplicas: number,
  desired: number,
  scaleUp: HpaScalingRules,
  scaleDown: HpaScalingRules,
): Limited {
  const upCutoff = nowMs - (scaleUp.stabilizationWindowSeconds ?? 0) * 1000;
  const downCutoff = nowMs - (scaleDown.stabilizationWindowSeconds ?? DOWNSCALE_STABILIZATION_WINDOW_MS / 1000) * 1000;
  let up = desired;
  let down = desired;
  let oldIndex = -1;
  h.recommendations.forEach((rec, i) => {
    if (rec.atMs > upCutoff) up = Math.min(up, rec.replicas);
    if (rec.atMs > downCutoff) down = Math.max(down, rec.replicas);
    if (rec.atMs < upCutoff && rec.atMs < downCutoff) oldIndex = i;
  });
  let replicas = currentReplicas;
  if (replicas < up) replicas = up;
  if (replicas > down) replicas = down;
  record(h, desired, nowMs, oldIndex);
  return desired >= currentReplicas
    ? { replicas, reason: 'ScaleUpStabilized', message: STABILIZED_UP }
    : { replicas, reason: 'ScaleDownStabilized', message: STABILIZED_DOWN };
}

/** convertDesiredReplicasWithBehaviorRate: the policies' limit in the direction of the change, then min/max. */
export function convertWithBehaviorRate(
  h: HpaHistory,
  nowMs: number,
  currentReplicas: number,
  desired: number,
  minReplicas: number,
  maxReplicas: number,
  scaleUp: HpaScalingRules,
  scaleDown: HpaScalingRules,
): Limited {
  if (desired > currentReplicas) {
    // Never below the current count, even when recent events used up the policies.
    const limit = Math.max(scaleUpLimit(h, currentReplicas, scaleUp, nowMs), currentReplicas);
    if (maxReplicas > limit) {
      if (desired > limit)
        return { replicas: limit, reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' };
    } else if (desired > maxReplicas)
      return { replicas: maxReplicas, reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
  } else if (desired < currentReplicas) {
    const limit = Math.min(scaleDownLimit(h, currentReplicas, scaleDown, nowMs), currentReplicas);
    if (minReplicas < limit) {
      if (desired < limit)
        return { replicas: limit, reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' };
    } else if (desired < minReplicas)
      return { replicas: minReplicas, reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
  }
  return { replicas: desired, reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
}

/** The path with `behavior`: both stabilization windows, then each direction's policies, then min/max. */
export function normalizeDesiredReplicasWithBehaviors(
  h: HpaHistory,
  nowMs: number,
  currentReplicas: number,
  desired: number,
  minReplicas: number,
  maxReplicas: number,
  scaleUp: HpaScalingRules,
  scaleDown: HpaScalingRules,
): Normalized {
  const stabilized = stabilizeWithBehaviors(h, nowMs, currentReplicas, desired, scaleUp, scaleDown);
  const conditions: ConditionChange[] = [
    stabilized.replicas !== desired
      ? { type: 'AbleToScale', status: 'True', reason: stabilized.reason, message: stabilized.message }
      : { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' },
  ];
  const limited = convertWithBehaviorRate(h, nowMs, currentReplicas, stabilized.replicas, minReplicas, maxReplicas, scaleUp, scaleDown);
  conditions.push({
    type: 'ScalingLimited',
    status: limited.replicas === stabilized.replicas ? 'False' : 'True',
    reason: limited.reason,
    message: limited.message,
  });
  return { replicas: limited.replicas, conditions };
}

/** storeScaleEvent: remembers a rescale for the policies (only with `behavior`), reusing outdated slots. */
export function storeScaleEvent(h: HpaHistory, prev: number, next: number, nowMs: number, scaleUp: HpaScalingRules, scaleDown: HpaScalingRules): void {
  const up = next > prev;
  const events = up ? h.scaleUpEvents : h.scaleDownEvents;
  const rules = up ? scaleUp : scaleDown;
  const longestMs = Math.max(0, ...(rules.policies ?? []).map((p) => p.periodSeconds)) * 1000;
  for (const e of events) if (e.atMs < nowMs - longestMs) e.outdated = true;
  const change = Math.abs(next - prev);
  // The last outdated slot is reused.
  let slot: ScaleEvent | undefined;
  for (const e of events) if (e.outdated) slot = e;
  if (slot !== undefined) {
    slot.change = change;
    slot.atMs = nowMs;
    slot.outdated = false;
  } else events.push({ change, atMs: nowMs, outdated: false });
}
