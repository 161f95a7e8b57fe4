/**
 * What the PodAutoscaler reconciler does with the decider's desired scale: min/max/initial
 * bounds, and the scale-to-zero state machine (activation timeout, stable-window hold, grace
 * period, pod retention, the fast path when the activator is already in the path).
 * Pure: the reconciler applies the result (patch replicas, requeue).
 *
 * Fidelity: mirrors knative/serving `pkg/reconciler/autoscaling/kpa/scaler.go` (`scale`,
 * `handleScaleToZero`, `applyBounds`). The activator probe (HTTP through the revision's public
 * service, expecting body "activator") is replaced by an input: knsim's probe succeeds once the
 * SKS status shows the activator in the path (ActivatorEndpointsPopulated=True); a failed probe
 * re-checks after 1s, as Knative's async prober re-enqueues.
 */
import type { AutoscalerConfig } from '../../apis/config/autoscaler.js';
import type { DeploymentConfig } from '../../apis/config/deployment.js';
import { getCondition } from '../../apis/conditions.js';
import type { PodAutoscaler, ServerlessService } from '../../apis/serving-types.js';
import {
  readProgressDeadlineMs,
  resolveInitialScale,
  resolvePodRetentionMs,
  resolveScaleBounds,
  resolveStableWindowMs,
  resolveTargetBurstCapacity,
} from '../../apis/autoscaling-annotations.js';

/** The decider has not decided yet. */
export const SCALE_UNKNOWN = -1;
/** Added to the progress deadline before an activating PA gives up (`activationTimeoutBuffer`). */
const ACTIVATION_TIMEOUT_BUFFER_MS = 30_000;
/** Re-check after this when the SKS is already proxying at deactivation. */
const PROXY_RECHECK_MS = 3_000;
/** How soon a failed activator probe is retried (`probePeriod` / `reenqeuePeriod`). */
const PROBE_RETRY_MS = 1_000;

/** Which rule decided this reconcile's scale, for the narrated log. */
export type ScalePhase =
  | 'no-decision'
  | 'scale'
  | 'scale-to-zero-disabled'
  | 'activating-wait'
  | 'activation-timeout'
  | 'active-hold'
  | 'deactivate'
  | 'probe-wait'
  | 'retention-hold'
  | 'grace-hold'
  | 'scale-to-zero';

export interface ScaleOutcome {
  /** The scale the PA wants (-1 unknown). */
  want: number;
  /** Whether to write `want` to the Deployment's replicas. */
  apply: boolean;
  requeueAfterMs?: number;
  phase: ScalePhase;
  minScale: number;
  maxScale: number;
  /** The decider's value before bounds, when bounds changed it. */
  boundedFrom?: number;
  /** Durations behind the phase (ms): how long active/inactive/proxying and the limit that applies. */
  forMs?: number;
  limitMs?: number;
  /** For `scale-to-zero`: inactive long enough, or the fast path (activator in the path for the grace period). */
  via?: 'inactive' | 'proxy';
}

interface ScaleInput {
  nowMs: number;
  pa: PodAutoscaler;
  sks: ServerlessService;
  /** The decider's DesiredScale (-1 before the first decision). */
  desiredScale: number;
  autoscalerConfig: AutoscalerConfig;
  deploymentConfig: DeploymentConfig;
}

/** How long the PA's Active condition has had `status` (−1 if it has another status). */
function activeConditionFor(pa: PodAutoscaler, status: 'True' | 'False' | 'Unknown', nowMs: number): number {
  const c = getCondition(pa.status?.conditions, 'Active');
  if (c === undefined || c.status !== status) return -1;
  return nowMs - (c.lastTransitionTime ?? nowMs);
}

/** How long the activator has been in the SKS's path (0 if it is not). */
function proxyForMs(sks: ServerlessService, nowMs: number): number {
  const c = getCondition(sks.status?.conditions, 'ActivatorEndpointsPopulated');
  if (c === undefined || c.status !== 'True') return 0;
  return nowMs - (c.lastTransitionTime ?? nowMs);
}

function activeStatus(pa: PodAutoscaler): 'True' | 'False' | 'Unknown' {
  return getCondition(pa.status?.conditions, 'Active')?.status ?? 'Unknown';
}

/** A scale value between bounds: below min → min; above a non-zero max → max. */
function applyBounds(min: number, max: number, x: number): number {
  if (x < min) return min;
  if (max !== 0 && x > max) return max;
  return x;
}

/**
 * Knative's `scale(pa, sks, desired)`.
 * Example (defaults, one pod, no traffic for 60s): desired 0, Active for ≥ 60s → want 0 without
 * applying (`deactivate`: the reconciler marks the PA inactive, SKS to Proxy, and re-checks in
 * 3s if already proxying); then Inactive with the activator in the path for ≥ 30s → apply 0.
 */
export function computeScale(input: ScaleInput): ScaleOutcome {
  const { pa, nowMs: now, autoscalerConfig: cfg } = input;
  const annotations = pa.metadata.annotations;
  const status = activeStatus(pa);
  const reachability = pa.spec.reachability;
  const bounds = resolveScaleBounds(annotations, reachability, cfg);
  const maxScale = bounds.maxScale;
  let minScale = bounds.minScale;
  const base = { minScale, maxScale };
  if (input.desiredScale < 0 && status !== 'Unknown') return { want: input.desiredScale, apply: false, phase: 'no-decision', ...base };

  const initialScale = resolveInitialScale(annotations, cfg);
  const initialized = getCondition(pa.status?.conditions, 'ScaleTargetInitialized')?.status === 'True';
  if (initialScale > 1 && !initialized && reachability !== 'Unreachable') minScale = Math.max(initialScale, minScale);
  const desired = applyBounds(minScale, maxScale, input.desiredScale);
  const bounded = { minScale, maxScale, ...(desired !== input.desiredScale ? { boundedFrom: input.desiredScale } : {}) };

  if (desired !== 0) return { want: desired, apply: true, phase: 'scale', ...bounded };
  if (!cfg.enableScaleToZero) return { want: 1, apply: true, phase: 'scale-to-zero-disabled', ...bounded };

  const activationTimeoutMs = (readProgressDeadlineMs(annotations) ?? input.deploymentConfig.progressDeadlineMs) + ACTIVATION_TIMEOUT_BUFFER_MS;
  if (status === 'Unknown') {
    const activatingFor = activeConditionFor(pa, 'Unknown', now);
    if (activatingFor > activationTimeoutMs)
      return { want: desired, apply: true, phase: 'activation-timeout', forMs: activatingFor, limitMs: activationTimeoutMs, ...bounded };
    // Knative re-enqueues after the whole timeout and relies on real-world lateness for its strict
    // "longer than" test; knsim asks for the remaining time plus 1ms so the check passes exactly once.
    const remainingMs = activatingFor >= 0 ? activationTimeoutMs - activatingFor + 1 : activationTimeoutMs;
    return {
      want: SCALE_UNKNOWN,
      apply: false,
      requeueAfterMs: wholeMs(remainingMs),
      phase: 'activating-wait',
      forMs: activatingFor,
      limitMs: activationTimeoutMs,
      ...bounded,
    };
  }
  if (status === 'True') {
    const stableWindowMs = resolveStableWindowMs(annotations, cfg);
    const activeFor = activeConditionFor(pa, 'True', now);
    if (activeFor >= stableWindowMs) {
      const requeue = input.sks.spec.mode === 'Proxy' ? { requeueAfterMs: PROXY_RECHECK_MS } : {};
      return { want: desired, apply: false, phase: 'deactivate', forMs: activeFor, limitMs: stableWindowMs, ...requeue, ...bounded };
    }
    return {
      want: 1,
      apply: true,
      requeueAfterMs: wholeMs(stableWindowMs - activeFor),
      phase: 'active-hold',
      forMs: activeFor,
      limitMs: stableWindowMs,
      ...bounded,
    };
  }
  // Inactive: the activator must be in the path before the last pod goes.
  const activatorInPath =
    resolveTargetBurstCapacity(annotations, cfg) === -1 || getCondition(input.sks.status?.conditions, 'ActivatorEndpointsPopulated')?.status === 'True';
  if (!activatorInPath) return { want: desired, apply: false, requeueAfterMs: PROBE_RETRY_MS, phase: 'probe-wait', ...bounded };
  const retentionMs = resolvePodRetentionMs(annotations, reachability, cfg);
  const graceMs = cfg.scaleToZeroGracePeriodMs;
  const inactiveFor = activeConditionFor(pa, 'False', now);
  const lastPodMaxMs = Math.max(graceMs, retentionMs);
  if (inactiveFor >= lastPodMaxMs)
    return { want: desired, apply: true, phase: 'scale-to-zero', via: 'inactive', forMs: inactiveFor, limitMs: lastPodMaxMs, ...bounded };
  if (retentionMs > 0 && inactiveFor < retentionMs) {
    return {
      want: desired,
      apply: false,
      requeueAfterMs: wholeMs(retentionMs - inactiveFor),
      phase: 'retention-hold',
      forMs: inactiveFor,
      limitMs: retentionMs,
      ...bounded,
    };
  }
  const proxyFor = proxyForMs(input.sks, now);
  if (graceMs - proxyFor <= 0) return { want: desired, apply: true, phase: 'scale-to-zero', via: 'proxy', forMs: proxyFor, limitMs: graceMs, ...bounded };
  return { want: desired, apply: false, requeueAfterMs: wholeMs(graceMs - proxyFor), phase: 'grace-hold', forMs: proxyFor, limitMs: graceMs, ...bounded };
}

/** A re-check delay in whole milliseconds, at least 1: float residues of `limit − elapsed` must still move the clock. */
function wholeMs(ms: number): number {
  return Math.max(1, Math.ceil(ms));
}
