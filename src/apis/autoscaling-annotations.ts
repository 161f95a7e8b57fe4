/**
 * Per-revision autoscaling annotations (`autoscaling.knative.dev/*`): their keys with legacy
 * aliases, the webhook validation run on Revision/Service admission, readers that resolve each
 * one against `config-autoscaler`, and target resolution (per-pod `target` and `total`).
 *
 * Fidelity: mirrors knative/serving `pkg/apis/autoscaling/register.go` (keys, aliases, limits),
 * `annotation_validation.go` (rules and messages), `pkg/apis/autoscaling/v1alpha1/pa_lifecycle.go`
 * (readers: an unparsable value reads as absent), `pkg/reconciler/autoscaling/resources/target.go`
 * and `metric.go` (target and panic window), `kpa/resources/decider.go` (initial scale), and the
 * progress-deadline check of `pkg/apis/serving/v1/revision_validation.go`. Simplified: Knative's
 * FieldError merges identical messages for different keys into one; knsim lists them apart.
 */
import { formatDuration } from '../engine/units.js';
import type { FieldError } from './field-error.js';
import {
  formatGoFloat,
  goParseDuration,
  goParseFloat,
  goParseInt32,
  HPA_CLASS,
  KPA_CLASS,
  PANIC_THRESHOLD_PERCENTAGE_MAX,
  PANIC_THRESHOLD_PERCENTAGE_MIN,
  PANIC_WINDOW_PERCENTAGE_MAX,
  PANIC_WINDOW_PERCENTAGE_MIN,
  TARGET_MIN,
  WINDOW_MAX_MS,
  WINDOW_MIN_MS,
  type AutoscalerConfig,
} from './config/autoscaler.js';

const GROUP = 'autoscaling.knative.dev';

/** Canonical annotation keys. */
export const AUTOSCALING_ANNOTATION = {
  class: `${GROUP}/class`,
  metric: `${GROUP}/metric`,
  target: `${GROUP}/target`,
  targetUtilizationPercentage: `${GROUP}/target-utilization-percentage`,
  minScale: `${GROUP}/min-scale`,
  maxScale: `${GROUP}/max-scale`,
  initialScale: `${GROUP}/initial-scale`,
  activationScale: `${GROUP}/activation-scale`,
  window: `${GROUP}/window`,
  panicWindowPercentage: `${GROUP}/panic-window-percentage`,
  panicThresholdPercentage: `${GROUP}/panic-threshold-percentage`,
  targetBurstCapacity: `${GROUP}/target-burst-capacity`,
  scaleDownDelay: `${GROUP}/scale-down-delay`,
  scaleToZeroPodRetentionPeriod: `${GROUP}/scale-to-zero-pod-retention-period`,
  metricAggregationAlgorithm: `${GROUP}/metric-aggregation-algorithm`,
  progressDeadline: 'serving.knative.dev/progress-deadline',
} as const;

/** Keys in priority order: the canonical key first, then legacy aliases (`kmap.KeyPriority`). */
const ANNOTATION_PRIORITY = {
  class: [AUTOSCALING_ANNOTATION.class],
  metric: [AUTOSCALING_ANNOTATION.metric],
  target: [AUTOSCALING_ANNOTATION.target],
  targetUtilizationPercentage: [AUTOSCALING_ANNOTATION.targetUtilizationPercentage, `${GROUP}/targetUtilizationPercentage`],
  minScale: [AUTOSCALING_ANNOTATION.minScale, `${GROUP}/minScale`],
  maxScale: [AUTOSCALING_ANNOTATION.maxScale, `${GROUP}/maxScale`],
  initialScale: [AUTOSCALING_ANNOTATION.initialScale, `${GROUP}/initialScale`],
  activationScale: [AUTOSCALING_ANNOTATION.activationScale],
  window: [AUTOSCALING_ANNOTATION.window],
  panicWindowPercentage: [AUTOSCALING_ANNOTATION.panicWindowPercentage, `${GROUP}/panicWindowPercentage`],
  panicThresholdPercentage: [AUTOSCALING_ANNOTATION.panicThresholdPercentage, `${GROUP}/panicThresholdPercentage`],
  targetBurstCapacity: [AUTOSCALING_ANNOTATION.targetBurstCapacity, `${GROUP}/targetBurstCapacity`],
  scaleDownDelay: [AUTOSCALING_ANNOTATION.scaleDownDelay, `${GROUP}/scaleDownDelay`],
  scaleToZeroPodRetentionPeriod: [AUTOSCALING_ANNOTATION.scaleToZeroPodRetentionPeriod, `${GROUP}/scaleToZeroPodRetentionPeriod`],
  metricAggregationAlgorithm: [AUTOSCALING_ANNOTATION.metricAggregationAlgorithm, `${GROUP}/metricAggregationAlgorithm`],
  progressDeadline: [AUTOSCALING_ANNOTATION.progressDeadline],
} as const;

type Annotations = Readonly<Record<string, string>> | undefined;

/** The first present key of a priority list with its value. */
function getAnnotation(annotations: Annotations, keys: readonly string[]): { key: string; value: string } | undefined {
  if (annotations === undefined) return undefined;
  for (const key of keys) {
    if (!Object.prototype.hasOwnProperty.call(annotations, key)) continue;
    const value = annotations[key];
    if (value !== undefined) return { key, value };
  }
  return undefined;
}

function readInt32(a: Annotations, keys: readonly string[]): number | undefined {
  const hit = getAnnotation(a, keys);
  if (hit === undefined) return undefined;
  const r = goParseInt32(hit.value);
  return r.ok ? r.value : undefined;
}

function readFloat(a: Annotations, keys: readonly string[]): number | undefined {
  const hit = getAnnotation(a, keys);
  if (hit === undefined) return undefined;
  const r = goParseFloat(hit.value);
  return r.ok ? r.value : undefined;
}

function readDurationMs(a: Annotations, keys: readonly string[]): number | undefined {
  const hit = getAnnotation(a, keys);
  if (hit === undefined) return undefined;
  const r = goParseDuration(hit.value);
  return r.ok ? r.value : undefined;
}

/** `class` annotation, else the config's pod-autoscaler-class. */
export function readClass(a: Annotations, config?: AutoscalerConfig): string {
  return getAnnotation(a, ANNOTATION_PRIORITY.class)?.value ?? config?.podAutoscalerClass ?? KPA_CLASS;
}
/** `metric` annotation, else `concurrency` for KPA (`cpu` for HPA), as `PodAutoscaler.Metric()`. */
export function readMetric(a: Annotations): string {
  return getAnnotation(a, ANNOTATION_PRIORITY.metric)?.value ?? (getAnnotation(a, ANNOTATION_PRIORITY.class)?.value === HPA_CLASS ? 'cpu' : 'concurrency');
}
const readMinScale = (a: Annotations): number | undefined => readInt32(a, ANNOTATION_PRIORITY.minScale);
const readMaxScale = (a: Annotations): number | undefined => readInt32(a, ANNOTATION_PRIORITY.maxScale);
export const readInitialScale = (a: Annotations): number | undefined => readInt32(a, ANNOTATION_PRIORITY.initialScale);
export const readActivationScale = (a: Annotations): number | undefined => readInt32(a, ANNOTATION_PRIORITY.activationScale);
export const readTarget = (a: Annotations): number | undefined => readFloat(a, ANNOTATION_PRIORITY.target);
/** `target-utilization-percentage` as a fraction (`70` → 0.7). */
function readTargetUtilization(a: Annotations): number | undefined {
  const v = readFloat(a, ANNOTATION_PRIORITY.targetUtilizationPercentage);
  return v === undefined ? undefined : v / 100;
}
const readTargetBurstCapacity = (a: Annotations): number | undefined => readFloat(a, ANNOTATION_PRIORITY.targetBurstCapacity);
export const readWindowMs = (a: Annotations): number | undefined => readDurationMs(a, ANNOTATION_PRIORITY.window);
const readPanicWindowPercentage = (a: Annotations): number | undefined => readFloat(a, ANNOTATION_PRIORITY.panicWindowPercentage);
export const readPanicThresholdPercentage = (a: Annotations): number | undefined => readFloat(a, ANNOTATION_PRIORITY.panicThresholdPercentage);
export const readScaleDownDelayMs = (a: Annotations): number | undefined => readDurationMs(a, ANNOTATION_PRIORITY.scaleDownDelay);
const readScaleToZeroPodRetentionMs = (a: Annotations): number | undefined => readDurationMs(a, ANNOTATION_PRIORITY.scaleToZeroPodRetentionPeriod);
export const readProgressDeadlineMs = (a: Annotations): number | undefined => readDurationMs(a, ANNOTATION_PRIORITY.progressDeadline);
/** `linear` (default) or `weighted-exponential` (either spelling). */
export function readMetricAggregationAlgorithm(a: Annotations): 'linear' | 'weighted-exponential' {
  const v = getAnnotation(a, ANNOTATION_PRIORITY.metricAggregationAlgorithm)?.value;
  return v === 'weighted-exponential' || v === 'weightedExponential' ? 'weighted-exponential' : 'linear';
}

// ---------------------------------------------------------------------------------------
// Resolution against config-autoscaler.

/** The stable window: the `window` annotation, else `stable-window`. */
export function resolveStableWindowMs(a: Annotations, config: AutoscalerConfig): number {
  return readWindowMs(a) ?? config.stableWindowMs;
}

/**
 * The panic window: stable window × panic-window-percentage / 100, rounded to the nearest
 * second (half away from zero, as Go's Duration.Round), at least 1s.
 * Examples: 60s × 10% = 6s; 60s × 51% = 30.6s → 31s; 10s × 10% = 1s; 6s × 1% = 0.06s → 1s.
 */
export function resolvePanicWindowMs(a: Annotations, config: AutoscalerConfig): number {
  const pct = readPanicWindowPercentage(a) ?? config.panicWindowPercentage;
  const raw = (resolveStableWindowMs(a, config) * pct) / 100;
  const rounded = Math.round(raw / 1000) * 1000;
  return Math.max(1000, rounded);
}

/**
 * min and max scale. min is forced to 0 for an Unreachable revision (no route points at it).
 * max 0 means unbounded.
 */
export function resolveScaleBounds(a: Annotations, reachability: string | undefined, config: AutoscalerConfig): { minScale: number; maxScale: number } {
  const minScale = reachability === 'Unreachable' ? 0 : (readMinScale(a) ?? config.minScale);
  const maxScale = readMaxScale(a) ?? config.maxScale;
  return { minScale, maxScale };
}

/** The initial scale: the annotation if present, except 0 when the cluster disallows zero (then the config value). */
export function resolveInitialScale(a: Annotations, config: AutoscalerConfig): number {
  const v = readInitialScale(a);
  if (v === undefined || (v === 0 && !config.allowZeroInitialScale)) return config.initialScale;
  return v;
}

/** Target burst capacity: the annotation, else the config value. */
export function resolveTargetBurstCapacity(a: Annotations, config: AutoscalerConfig): number {
  return readTargetBurstCapacity(a) ?? config.targetBurstCapacity;
}

/** Pod retention after scale-to-zero is decided: 0 when Unreachable, else annotation, else config. */
export function resolvePodRetentionMs(a: Annotations, reachability: string | undefined, config: AutoscalerConfig): number {
  if (reachability === 'Unreachable') return 0;
  return readScaleToZeroPodRetentionMs(a) ?? config.scaleToZeroPodRetentionPeriodMs;
}

/**
 * Per-pod `target` and `total` for the scaling metric (resources/target.go).
 * total: rps → requests-per-second-target-default; concurrency → containerConcurrency if > 0,
 * else container-concurrency-target-default; a `target` annotation replaces it (capped at
 * containerConcurrency for concurrency with CC > 0). target = max(0.01, total × utilization).
 * Examples with defaults: CC=0 → target 70, total 100; CC=10 → 7 and 10; rps → 140 and 200;
 * CC=10 with `target: 50` → total min(50, 10) = 10, target 7.
 */
export function resolveTargets(
  input: { annotations: Annotations; containerConcurrency?: number },
  config: AutoscalerConfig,
): { metric: string; target: number; total: number } {
  const a = input.annotations;
  const cc = input.containerConcurrency ?? 0;
  const metric = readMetric(a);
  let total: number;
  let utilization: number;
  if (metric === 'rps') {
    total = config.rpsTargetDefault;
    utilization = config.targetUtilization;
  } else {
    total = cc === 0 ? config.containerConcurrencyTargetDefault : cc;
    utilization = config.containerConcurrencyTargetFraction;
  }
  const annotationTarget = readTarget(a);
  if (annotationTarget !== undefined) {
    total = metric === 'concurrency' && cc !== 0 ? Math.min(annotationTarget, cc) : annotationTarget;
  }
  const tu = readTargetUtilization(a);
  if (tu !== undefined) utilization = tu;
  return { metric, target: Math.max(TARGET_MIN, total * utilization), total };
}

// ---------------------------------------------------------------------------------------
// Webhook validation.

const MAX_INT32 = 2147483647;

/**
 * Knative's admission checks of the autoscaling annotations, in Knative's order, with its
 * messages. Paths are `<pathPrefix>.<annotation key>` (default `metadata.annotations`).
 * Example: `{'autoscaling.knative.dev/max-scale': '2', 'autoscaling.knative.dev/min-scale': '5'}` →
 * `max-scale=2 is less than min-scale=5` at both keys.
 */
export function validateAutoscalingAnnotations(annotations: Annotations, config: AutoscalerConfig, pathPrefix = 'metadata.annotations'): FieldError[] {
  const m = annotations ?? {};
  const errs: FieldError[] = [];
  const at = (...keys: string[]): string => keys.map((k) => (pathPrefix ? `${pathPrefix}.${k}` : k)).join(', ');
  const invalid = (value: string, key: string): void => void errs.push({ path: at(key), message: `invalid value: ${value}` });
  const outOfBounds = (value: string | number, lo: string | number, hi: string | number, key: string): void =>
    void errs.push({ path: at(key), message: `expected ${lo} <= ${value} <= ${hi}` });
  const generic = (message: string, ...keys: string[]): void => void errs.push({ path: at(...keys), message });

  // class: Knative refuses an unknown *.knative.dev class; knsim also refuses any other class
  // (Knative leaves those to a custom autoscaler, which knsim does not run), with the same message.
  const cls = getAnnotation(m, ANNOTATION_PRIORITY.class);
  if (cls !== undefined && cls.value !== KPA_CLASS && cls.value !== HPA_CLASS) invalid(cls.value, cls.key);

  // min/max scale and activation scale
  const intGE0 = (keys: readonly string[]): number => {
    const hit = getAnnotation(m, keys);
    if (hit === undefined) return 0;
    if (!/^[+-]?\d+$/.test(hit.value)) {
      invalid(hit.value, hit.key);
      return 0;
    }
    const r = goParseInt32(hit.value);
    if (!r.ok || r.value < 0) {
      outOfBounds(hit.value, 0, MAX_INT32, hit.key);
      return 0;
    }
    return r.value;
  };
  const min = intGE0(ANNOTATION_PRIORITY.minScale);
  const max = intGE0(ANNOTATION_PRIORITY.maxScale);
  if (max !== 0 && max < min) generic(`max-scale=${max} is less than min-scale=${min}`, AUTOSCALING_ANNOTATION.maxScale, AUTOSCALING_ANNOTATION.minScale);
  const maxHit = getAnnotation(m, ANNOTATION_PRIORITY.maxScale);
  if (maxHit !== undefined && config.maxScaleLimit > 0) {
    if (max > config.maxScaleLimit) outOfBounds(max, 1, config.maxScaleLimit, maxHit.key);
    if (max === 0) generic(`max-scale=0 (unlimited), must be less than ${config.maxScaleLimit}`, maxHit.key);
  }
  const act = getAnnotation(m, ANNOTATION_PRIORITY.activationScale);
  if (act !== undefined) {
    const r = goParseInt32(act.value);
    if (!r.ok) invalid(act.value, act.key);
    else if (min > r.value) generic(`min-scale=${min} is greater than activation-scale=${r.value}`, act.key);
    else if (max < r.value && max !== 0) generic(`max-scale=${max} is less than activation-scale=${r.value}`, act.key);
    else if (r.value < 2) generic(`activation-scale=${r.value} must be greater than 1`, act.key);
  }

  // floats
  const float = (keys: readonly string[], check: (v: number, raw: string, key: string) => void): void => {
    const hit = getAnnotation(m, keys);
    if (hit === undefined) return;
    const r = goParseFloat(hit.value);
    if (!r.ok) invalid(hit.value, hit.key);
    else check(r.value, hit.value, hit.key);
  };
  float(ANNOTATION_PRIORITY.panicWindowPercentage, (v, raw, key) => {
    if (v < PANIC_WINDOW_PERCENTAGE_MIN || v > PANIC_WINDOW_PERCENTAGE_MAX)
      outOfBounds(raw, formatGoFloat(PANIC_WINDOW_PERCENTAGE_MIN), formatGoFloat(PANIC_WINDOW_PERCENTAGE_MAX), key);
  });
  float(ANNOTATION_PRIORITY.panicThresholdPercentage, (v, raw, key) => {
    if (v < PANIC_THRESHOLD_PERCENTAGE_MIN || v > PANIC_THRESHOLD_PERCENTAGE_MAX)
      outOfBounds(raw, formatGoFloat(PANIC_THRESHOLD_PERCENTAGE_MIN), formatGoFloat(PANIC_THRESHOLD_PERCENTAGE_MAX), key);
  });
  float(ANNOTATION_PRIORITY.target, (v, raw, key) => {
    if (v < TARGET_MIN) generic(`target ${raw} should be at least ${formatGoFloat(TARGET_MIN)}`, key);
  });
  float(ANNOTATION_PRIORITY.targetUtilizationPercentage, (v, raw, key) => {
    if (v < 1 || v > 100) outOfBounds(raw, 1, 100, key);
  });
  float(ANNOTATION_PRIORITY.targetBurstCapacity, (v, raw, key) => {
    if (v < 0 && v !== -1) invalid(raw, key);
  });

  // window
  const win = getAnnotation(m, ANNOTATION_PRIORITY.window);
  if (win !== undefined) {
    const d = goParseDuration(win.value);
    if (!d.ok) invalid(win.value, AUTOSCALING_ANNOTATION.window);
    else if (d.value < WINDOW_MIN_MS || d.value > WINDOW_MAX_MS)
      outOfBounds(win.value, formatDuration(WINDOW_MIN_MS), formatDuration(WINDOW_MAX_MS), AUTOSCALING_ANNOTATION.window);
    else if (Math.trunc(d.value / 1000) * 1000 !== d.value) generic('must be specified with at most second precision', AUTOSCALING_ANNOTATION.window);
  }

  // last pod retention
  const ret = getAnnotation(m, ANNOTATION_PRIORITY.scaleToZeroPodRetentionPeriod);
  if (ret !== undefined) {
    const d = goParseDuration(ret.value);
    if (!d.ok) invalid(ret.value, ret.key);
    else if (d.value < 0 || d.value > WINDOW_MAX_MS) outOfBounds(ret.value, formatDuration(0), formatDuration(WINDOW_MAX_MS), ret.key);
  }

  // scale-down delay
  const sdd = getAnnotation(m, ANNOTATION_PRIORITY.scaleDownDelay);
  if (sdd !== undefined) {
    const d = goParseDuration(sdd.value);
    if (!d.ok) invalid(sdd.value, sdd.key);
    else if (d.value < 0 || d.value > WINDOW_MAX_MS) outOfBounds(sdd.value, formatDuration(0), formatDuration(WINDOW_MAX_MS), sdd.key);
    else if (Math.round(d.value / 1000) * 1000 !== d.value) generic('must be specified with at most second precision', sdd.key);
  }

  // metric: KPA accepts concurrency and rps; HPA any non-empty value; other classes unchecked.
  const metric = getAnnotation(m, ANNOTATION_PRIORITY.metric);
  if (metric !== undefined) {
    const classValue = cls?.value ?? config.podAutoscalerClass;
    const ok = classValue === KPA_CLASS ? metric.value === 'concurrency' || metric.value === 'rps' : classValue === HPA_CLASS ? metric.value !== '' : true;
    if (!ok) invalid(metric.value, AUTOSCALING_ANNOTATION.metric);
  }

  // aggregation algorithm: checked only when the class annotation says KPA.
  if (cls?.value === KPA_CLASS) {
    const alg = getAnnotation(m, ANNOTATION_PRIORITY.metricAggregationAlgorithm);
    if (alg !== undefined && alg.value !== '' && !['linear', 'weighted-exponential', 'weightedExponential'].includes(alg.value)) invalid(alg.value, alg.key);
  }

  // initial scale
  const init = getAnnotation(m, ANNOTATION_PRIORITY.initialScale);
  if (init !== undefined) {
    if (!/^[+-]?\d+$/.test(init.value)) invalid(init.value, init.key);
    else if (Number(init.value) < 0) invalid(init.value, `${init.key} must be greater than 0`);
    else if (!config.allowZeroInitialScale && Number(init.value) === 0) invalid(init.value, `${init.key}=0 not allowed by cluster`);
  }

  // progress deadline (revision validation)
  const pd = getAnnotation(m, ANNOTATION_PRIORITY.progressDeadline);
  if (pd !== undefined && pd.value !== '') {
    const d = goParseDuration(pd.value);
    if (!d.ok) invalid(pd.value, pd.key);
    else if (Math.round(d.value / 1000) * 1000 !== d.value) generic(`progress-deadline=${pd.value} is not at second precision`, pd.key);
    else if (d.value < 0) generic(`progress-deadline=${pd.value} must be positive`, pd.key);
  }
  return errs;
}
