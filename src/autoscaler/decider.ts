/**
 * The KPA decider: a pure object that turns observed revision-wide metric averages and the
 * ready-pod count into a desired pod count and an excess burst capacity, every 2s (and on a
 * poke). Stable and panic modes, rate limits, activation scale, scale-down delay and EBC.
 *
 * Fidelity: mirrors knative/serving `pkg/autoscaler/scaling/autoscaler.go` (New, Update, Scale)
 * step for step; time is an argument, never read. Min/max/initial scale and scale-to-zero timing
 * are not here: the PodAutoscaler reconciler applies them (as in Knative). The metric client and
 * pod counter are replaced by inputs: `metrics: null` is Knative's "no data" error and
 * `readyPods: null` a failed pod count; both give an invalid result that changes nothing.
 */
import { MaxTimeWindow } from './aggregation/max-time-window.js';

/** The multiscaler's tick: a decision every 2s (`tickInterval` in multiscaler.go). */
export const TICK_INTERVAL_MS = 2000;

/** What the decider needs to know about one revision (Knative's `DeciderSpec`). */
export interface DeciderSpec {
  /** `rps` reads the request-rate windows; anything else the concurrency windows. */
  scalingMetric: 'concurrency' | 'rps';
  /** Per-pod target (total × utilization), e.g. 70 concurrent requests. */
  targetValue: number;
  /** Per-pod total capacity (containerConcurrency or the default), e.g. 100; sizes EBC. */
  totalValue: number;
  /** Spare capacity to keep before taking the activator out of the path; -1 = unlimited. */
  targetBurstCapacity: number;
  /** Panic when desired panic pods / ready pods ≥ this (2.0 = 200%). */
  panicThreshold: number;
  /** Scale-up bound per decision, as a multiple of ready pods. */
  maxScaleUpRate: number;
  /** Scale-down bound per decision, as a divisor of ready pods. */
  maxScaleDownRate: number;
  /** How long panic lasts after the last over-threshold decision. */
  stableWindowMs: number;
  /** Scale-down happens only after the lower count persisted this long (0 = immediately). */
  scaleDownDelayMs: number;
  /** False for a revision no route points at: no scale-down floor and no delay. */
  reachable: boolean;
  /** Minimum non-zero scale (0 or 1 = none). */
  activationScale: number;
  /** Requests one activator can take; sizes the activator subset (read by the reconciler). */
  activatorCapacity: number;
}

/** The decider's memory: panic mode and the largest count decided while panicking. */
export type PanicState = { inPanic: boolean; panicTimeMs: number | null; maxPanicPods: number };

/** One decision's inputs. */
export interface ScaleInput {
  nowMs: number;
  /** Ready pods of the revision; null when counting them failed. */
  readyPods: number | null;
  /** Revision-wide stable and panic averages of the scaling metric; null when there is no data. */
  metrics: { stable: number; panic: number } | null;
}

/** One decision. An invalid result must be ignored by the caller. */
export interface ScaleResult {
  desiredPodCount: number;
  excessBurstCapacity: number;
  scaleValid: boolean;
}

/** Every number behind one decision, for the "why" view. */
export interface ScaleExplanation {
  nowMs: number;
  /** Why the result is invalid, if it is. */
  invalidReason?: 'pod-count-failed' | 'no-data';
  readyPods: number;
  /** max(1, ready): the pod count the rate limits and the panic ratio use. */
  readyPodsForRates: number;
  observedStable: number;
  observedPanic: number;
  targetValue: number;
  /** ceil(stable / target) and ceil(panic / target), before any bound. */
  desiredStablePodCount: number;
  desiredPanicPodCount: number;
  maxScaleUp: number;
  maxScaleDown: number;
  /** After rate limits and activation scale. */
  boundedStable: number;
  boundedPanic: number;
  activationScaleApplied: boolean;
  overPanicThreshold: boolean;
  panicTransition: 'enter' | 'extend' | 'exit' | 'none';
  inPanic: boolean;
  maxPanicPods: number;
  /** The count before the scale-down delay window. */
  desiredBeforeDelay: number;
  /** The count the delay window held (equals desiredPodCount); undefined when no window applies. */
  delayedTo?: number;
  desiredPodCount: number;
  excessBurstCapacity: number;
}

/** A KPA decider instance for one revision. */
export interface Autoscaler {
  /**
   * Knative's `Scale(now)`: the desired pod count (before min/max bounds and scale-to-zero
   * timing) and the excess burst capacity. Invalid (and no state change) without metrics or
   * a pod count.
   */
  scale(input: ScaleInput): ScaleResult;
  /** `scale` plus the numbers behind it. */
  scaleExplained(input: ScaleInput): { result: ScaleResult; explanation: ScaleExplanation };
  /**
   * `scaleExplained` into objects the caller keeps, for the per-second ticker: `why` is
   * overwritten (a field that does not apply is set to undefined) and the result returned is
   * the decider's own, overwritten by the next call. `copyExplanation` gives a fresh copy.
   */
  scaleInto(input: ScaleInput, why: ScaleExplanation): ScaleResult;
  /** Replaces the spec; keeps the panic state and an existing delay window, as Knative does. */
  update(spec: DeciderSpec): void;
  readonly state: PanicState;
  readonly spec: DeciderSpec;
}

const INVALID: ScaleResult = Object.freeze({ desiredPodCount: 0, excessBurstCapacity: 0, scaleValid: false });

/**
 * Creates a decider. A revision with more than one ready pod starts in panic mode with
 * maxPanicPods = ready, so an autoscaler restart (which loses metric history) cannot scale a
 * running revision down; a failed count (null) counts as 0. A scale-down delay window exists
 * only when `scaleDownDelayMs > 0` at creation; a later `update` neither adds nor resizes it.
 */
export function createAutoscaler(spec: DeciderSpec, init: { nowMs: number; readyPods: number | null; state?: PanicState }): Autoscaler {
  return new KpaDecider(spec, init);
}

class KpaDecider implements Autoscaler {
  private currentSpec: DeciderSpec;
  private panicTimeMs: number | null;
  private maxPanicPods: number;
  private readonly delayWindow: MaxTimeWindow | null;
  /** Each decision's result, overwritten by the next (the ticker decides every revision every 2s): `scale` and `scaleExplained` hand out copies. */
  private readonly scratch: ScaleResult = { desiredPodCount: 0, excessBurstCapacity: 0, scaleValid: false };

  constructor(spec: DeciderSpec, init: { nowMs: number; readyPods: number | null; state?: PanicState }) {
    this.currentSpec = spec;
    this.delayWindow = spec.scaleDownDelayMs > 0 ? new MaxTimeWindow(spec.scaleDownDelayMs, TICK_INTERVAL_MS) : null;
    if (init.state !== undefined) {
      this.panicTimeMs = init.state.inPanic ? (init.state.panicTimeMs ?? init.nowMs) : null;
      this.maxPanicPods = init.state.maxPanicPods;
    } else {
      const ready = init.readyPods ?? 0;
      this.panicTimeMs = ready > 1 ? init.nowMs : null;
      this.maxPanicPods = ready;
    }
  }

  get state(): PanicState {
    return { inPanic: this.panicTimeMs !== null, panicTimeMs: this.panicTimeMs, maxPanicPods: this.maxPanicPods };
  }

  get spec(): DeciderSpec {
    return this.currentSpec;
  }

  update(spec: DeciderSpec): void {
    this.currentSpec = spec;
  }

  scale(input: ScaleInput): ScaleResult {
    return { ...this.compute(input, null) };
  }

  scaleExplained(input: ScaleInput): { result: ScaleResult; explanation: ScaleExplanation } {
    const explanation = {} as ScaleExplanation;
    const result = { ...this.compute(input, explanation) };
    return { result, explanation };
  }

  scaleInto(input: ScaleInput, why: ScaleExplanation): ScaleResult {
    return this.compute(input, why);
  }

  /** One decision into `why` (when given); the result is `INVALID` or the decider's scratch, to be read at once or copied. */
  private compute(input: ScaleInput, why: ScaleExplanation | null): ScaleResult {
    const spec = this.currentSpec;
    const now = input.nowMs;
    if (input.readyPods === null || input.metrics === null) {
      if (why !== null) fillInvalid(why, input, spec, this.panicTimeMs !== null, this.maxPanicPods, input.readyPods === null ? 'pod-count-failed' : 'no-data');
      return INVALID;
    }
    const ready = input.readyPods;
    // Zero ready pods count as one for the rate limits and the panic ratio.
    const readyF = Math.max(1, ready);
    const { stable: observedStable, panic: observedPanic } = input.metrics;

    // ceil makes sure a slow rate still grows by one pod: rate 1.1 × 2 pods = 2.2 → 3.
    const maxScaleUp = Math.ceil(spec.maxScaleUpRate * readyF);
    // Unreachable revisions have no scale-down floor: 100 pods at rate 2 may drop straight to 1.
    const maxScaleDown = spec.reachable ? Math.floor(readyF / spec.maxScaleDownRate) : 0;

    // Worked example: stable 350 concurrent, target 70 → dspc = 5.
    const dspc = Math.ceil(observedStable / spec.targetValue);
    const dppc = Math.ceil(observedPanic / spec.targetValue);

    let desiredStable = Math.min(Math.max(dspc, maxScaleDown), maxScaleUp);
    let desiredPanic = Math.min(Math.max(dppc, maxScaleDown), maxScaleUp);

    // Activation scale applies after the rate limits, so it may exceed maxScaleUp; 0 stays 0.
    let activationScaleApplied = false;
    if (spec.activationScale > 1) {
      if (dspc > 0 && spec.activationScale > desiredStable) {
        desiredStable = spec.activationScale;
        activationScaleApplied = true;
      }
      if (dppc > 0 && spec.activationScale > desiredPanic) {
        desiredPanic = spec.activationScale;
        activationScaleApplied = true;
      }
    }

    // The unclamped panic count decides: 3 pods wanted with 1 ready → 3 ≥ 2.0 → panic.
    const overPanic = dppc / readyF >= spec.panicThreshold;
    let transition: ScaleExplanation['panicTransition'] = 'none';
    if (this.panicTimeMs === null && overPanic) {
      this.panicTimeMs = now;
      transition = 'enter';
    } else if (overPanic) {
      this.panicTimeMs = now;
      transition = 'extend';
    } else if (this.panicTimeMs !== null && this.panicTimeMs + spec.stableWindowMs < now) {
      // Panic ends once a whole stable window passed without crossing the threshold.
      this.panicTimeMs = null;
      this.maxPanicPods = 0;
      transition = 'exit';
    }

    let desired = desiredStable;
    if (this.panicTimeMs !== null) {
      // Provision for the larger of the two, and never decrease while panicking.
      if (desired < desiredPanic) desired = desiredPanic;
      if (desired > this.maxPanicPods) this.maxPanicPods = desired;
      desired = this.maxPanicPods;
    }

    const desiredBeforeDelay = desired;
    let delayedTo: number | undefined;
    if (spec.reachable && this.delayWindow !== null) {
      this.delayWindow.record(now, desired);
      desired = this.delayWindow.current();
      delayedTo = desired;
    }

    // EBC uses the raw ready count and the panic value: 1 pod × 100 − 211 − 0 = −111 (activator stays).
    let ebc: number;
    if (spec.targetBurstCapacity === 0) ebc = 0;
    else if (spec.targetBurstCapacity > 0) ebc = Math.floor(ready * spec.totalValue - spec.targetBurstCapacity - observedPanic);
    else ebc = -1;

    if (why !== null) {
      why.nowMs = now;
      // A reused explanation may carry an earlier decision's reason; a fresh one gets no key.
      if (why.invalidReason !== undefined) why.invalidReason = undefined;
      why.readyPods = ready;
      why.readyPodsForRates = readyF;
      why.observedStable = observedStable;
      why.observedPanic = observedPanic;
      why.targetValue = spec.targetValue;
      why.desiredStablePodCount = dspc;
      why.desiredPanicPodCount = dppc;
      why.maxScaleUp = maxScaleUp;
      why.maxScaleDown = maxScaleDown;
      why.boundedStable = desiredStable;
      why.boundedPanic = desiredPanic;
      why.activationScaleApplied = activationScaleApplied;
      why.overPanicThreshold = overPanic;
      why.panicTransition = transition;
      why.inPanic = this.panicTimeMs !== null;
      why.maxPanicPods = this.maxPanicPods;
      why.desiredBeforeDelay = desiredBeforeDelay;
      if (delayedTo !== undefined) why.delayedTo = delayedTo;
      else if (why.delayedTo !== undefined) why.delayedTo = undefined;
      why.desiredPodCount = desired;
      why.excessBurstCapacity = ebc;
    }
    const out = this.scratch;
    out.desiredPodCount = desired;
    out.excessBurstCapacity = ebc;
    out.scaleValid = true;
    return out;
  }
}

function fillInvalid(
  why: ScaleExplanation,
  input: ScaleInput,
  spec: DeciderSpec,
  inPanic: boolean,
  maxPanicPods: number,
  reason: 'pod-count-failed' | 'no-data',
): void {
  why.nowMs = input.nowMs;
  why.invalidReason = reason;
  why.readyPods = input.readyPods ?? 0;
  why.readyPodsForRates = Math.max(1, input.readyPods ?? 0);
  why.observedStable = input.metrics?.stable ?? 0;
  why.observedPanic = input.metrics?.panic ?? 0;
  why.targetValue = spec.targetValue;
  why.desiredStablePodCount = 0;
  why.desiredPanicPodCount = 0;
  why.maxScaleUp = 0;
  why.maxScaleDown = 0;
  why.boundedStable = 0;
  why.boundedPanic = 0;
  why.activationScaleApplied = false;
  why.overPanicThreshold = false;
  why.panicTransition = 'none';
  why.inPanic = inPanic;
  why.maxPanicPods = maxPanicPods;
  why.desiredBeforeDelay = 0;
  if (why.delayedTo !== undefined) why.delayedTo = undefined;
  why.desiredPodCount = 0;
  why.excessBurstCapacity = 0;
}

/**
 * The keys of an explanation in the order a fresh decision writes them (`invalidReason` only on
 * an invalid one, `delayedTo` only under a scale-down delay). Every key of `ScaleExplanation`
 * is here: the reuse property test compares copies with fresh decisions as JSON.
 */
const EXPLANATION_KEYS: readonly (keyof ScaleExplanation)[] = [
  'nowMs',
  'invalidReason',
  'readyPods',
  'readyPodsForRates',
  'observedStable',
  'observedPanic',
  'targetValue',
  'desiredStablePodCount',
  'desiredPanicPodCount',
  'maxScaleUp',
  'maxScaleDown',
  'boundedStable',
  'boundedPanic',
  'activationScaleApplied',
  'overPanicThreshold',
  'panicTransition',
  'inPanic',
  'maxPanicPods',
  'desiredBeforeDelay',
  'delayedTo',
  'desiredPodCount',
  'excessBurstCapacity',
];

/**
 * A fresh copy of an explanation with its keys in the order a fresh decision writes them and
 * no key set to undefined: what a reused one hands to the trace and to views, so their JSON is
 * the same either way.
 */
export function copyExplanation(x: ScaleExplanation): ScaleExplanation {
  const copy: Record<string, unknown> = {};
  for (const key of EXPLANATION_KEYS) if (x[key] !== undefined) copy[key] = x[key];
  return copy as unknown as ScaleExplanation;
}
