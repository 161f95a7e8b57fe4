/**
 * fast-check arbitraries of Knative's autoscaling configuration: `config-autoscaler` data and
 * the `autoscaling.knative.dev/*` annotations of a revision template. Values are drawn inside
 * the ranges Knative's own parsers and webhook declare (the constants of
 * src/apis/config/autoscaler.ts and src/apis/autoscaling-annotations.ts), with the cross-key
 * rules built into the draw (min ≤ max ≤ max-scale-limit, initial 0 only when allowed, an
 * activation scale between min and max), and every value is then passed through those same
 * parsers: what they reject is never generated. Each key is optional and shrinks away first;
 * numbers shrink toward the smallest valid value.
 *
 * Fidelity: ConfigMap data as Kubernetes stores it (strings); durations in whole seconds.
 */
import fc from 'fast-check';
import {
  PANIC_THRESHOLD_PERCENTAGE_MAX,
  PANIC_THRESHOLD_PERCENTAGE_MIN,
  PANIC_WINDOW_PERCENTAGE_MAX,
  PANIC_WINDOW_PERCENTAGE_MIN,
  WINDOW_MAX_MS,
  WINDOW_MIN_MS,
  KPA_CLASS,
  parseAutoscalerConfig,
  type AutoscalerConfig,
} from '../../apis/config/autoscaler.js';
import { AUTOSCALING_ANNOTATION, validateAutoscalingAnnotations } from '../../apis/autoscaling-annotations.js';
import { autoscalerConfigOf, type AutoscalerConfigInput } from '../../autoscaler/decider-inputs.js';

/** Size limits of the autoscaling arbitraries: small enough that a scenario built on them runs in milliseconds. */
export interface AutoscalingLimits {
  /** Longest stable window drawn (default 2m; Knative allows up to 1h). */
  maxStableWindowMs?: number;
  /** Largest min/max/initial/activation scale drawn (default 10). */
  maxScale?: number;
  /** Longest scale-down delay, grace and retention period drawn (default 1m). */
  maxDelayMs?: number;
}

const seconds = (minMs: number, maxMs: number): fc.Arbitrary<string> =>
  fc.integer({ min: Math.ceil(minMs / 1000), max: Math.max(Math.ceil(minMs / 1000), Math.floor(maxMs / 1000)) }).map((s) => `${s}s`);
const decimal = (min: number, max: number, digits = 1): fc.Arbitrary<string> => {
  const p = 10 ** digits;
  return fc.integer({ min: Math.ceil(min * p), max: Math.floor(max * p) }).map((n) => String(n / p));
};
const int = (min: number, max: number): fc.Arbitrary<string> => fc.integer({ min, max }).map(String);

/** min-scale, max-scale and max-scale-limit together: under a limit L, max in [1, L] (0, unlimited, is refused); min ≤ max. */
function scaleBoundsArb(maxScale: number): fc.Arbitrary<{ min?: number; max?: number; limit?: number }> {
  const n = (min: number): fc.Arbitrary<number> => fc.integer({ min, max: maxScale });
  return fc.record({ limit: n(1), max: n(0), min: n(0) }, { requiredKeys: [] }).map(({ limit, max, min }) => {
    const out: { min?: number; max?: number; limit?: number } = {};
    const boundedMax = limit !== undefined ? Math.min(Math.max(max ?? limit, 1), limit) : max;
    if (limit !== undefined) out.limit = limit;
    if (boundedMax !== undefined) out.max = boundedMax;
    if (min !== undefined) out.min = boundedMax !== undefined && boundedMax > 0 ? Math.min(min, boundedMax) : min;
    return out;
  });
}

/**
 * `config-autoscaler` data that Knative's parser accepts, as ConfigMap data (`{'stable-window': '30s', …}`).
 * Example draw: `{'stable-window': '17s', 'enable-scale-to-zero': 'true', 'max-scale': '3'}`.
 */
export function autoscalerConfigArb(limits: AutoscalingLimits = {}): fc.Arbitrary<Record<string, string>> {
  const maxWindow = Math.min(WINDOW_MAX_MS, limits.maxStableWindowMs ?? 120_000);
  const maxScale = limits.maxScale ?? 10;
  const maxDelay = limits.maxDelayMs ?? 60_000;
  const plain = fc.record(
    {
      'enable-scale-to-zero': fc.constantFrom('true', 'false'),
      'container-concurrency-target-percentage': int(1, 100),
      'container-concurrency-target-default': int(1, 1000),
      'requests-per-second-target-default': int(1, 1000),
      'target-burst-capacity': fc.oneof(fc.constantFrom('-1', '0'), int(1, 1000)),
      'stable-window': seconds(WINDOW_MIN_MS, maxWindow),
      'panic-window-percentage': decimal(PANIC_WINDOW_PERCENTAGE_MIN, PANIC_WINDOW_PERCENTAGE_MAX),
      'panic-threshold-percentage': decimal(PANIC_THRESHOLD_PERCENTAGE_MIN, PANIC_THRESHOLD_PERCENTAGE_MAX),
      'max-scale-up-rate': decimal(1.1, 1000),
      'max-scale-down-rate': decimal(1.1, 10),
      'scale-to-zero-grace-period': seconds(1000, maxDelay),
      'scale-to-zero-pod-retention-period': seconds(0, maxDelay),
      'scale-down-delay': seconds(0, maxDelay),
      'activator-capacity': int(1, 1000),
    },
    { requiredKeys: [] },
  );
  const initial = fc.option(
    fc
      .boolean()
      .chain((allowZero) => fc.record({ allow: fc.constant(allowZero), initial: fc.integer({ min: allowZero ? 0 : 1, max: Math.min(3, maxScale) }) })),
    { nil: undefined },
  );
  return fc
    .tuple(plain, scaleBoundsArb(maxScale), initial)
    .map(([data, bounds, init]) => {
      const out: Record<string, string> = { ...stripUndefined(data) };
      if (bounds.min !== undefined) out['min-scale'] = String(bounds.min);
      if (bounds.max !== undefined) out['max-scale'] = String(bounds.max);
      if (bounds.limit !== undefined) out['max-scale-limit'] = String(bounds.limit);
      if (init !== undefined) {
        out['allow-zero-initial-scale'] = String(init.allow);
        out['initial-scale'] = String(init.initial);
      }
      return out;
    })
    .filter((data) => 'config' in parseAutoscalerConfig(data));
}

/**
 * Revision-template annotations (`autoscaling.knative.dev/*`) that Knative's webhook accepts
 * under `config` (ConfigMap data or a parsed config; Knative's defaults when omitted).
 * Example draw: `{'autoscaling.knative.dev/window': '23s', 'autoscaling.knative.dev/max-scale': '4'}`.
 */
export function autoscalingAnnotationsArb(config?: AutoscalerConfigInput, limits: AutoscalingLimits = {}): fc.Arbitrary<Record<string, string>> {
  const cfg: AutoscalerConfig = autoscalerConfigOf(config);
  const maxWindow = Math.min(WINDOW_MAX_MS, limits.maxStableWindowMs ?? 120_000);
  const maxScale = limits.maxScale ?? 10;
  const maxDelay = limits.maxDelayMs ?? 60_000;
  const A = AUTOSCALING_ANNOTATION;
  const plain = fc.record(
    {
      [A.class]: fc.constant(KPA_CLASS),
      [A.metric]: fc.constantFrom('concurrency', 'rps'),
      [A.target]: int(1, 200),
      [A.targetUtilizationPercentage]: int(1, 100),
      [A.window]: seconds(WINDOW_MIN_MS, maxWindow),
      [A.panicWindowPercentage]: int(PANIC_WINDOW_PERCENTAGE_MIN, PANIC_WINDOW_PERCENTAGE_MAX),
      [A.panicThresholdPercentage]: int(PANIC_THRESHOLD_PERCENTAGE_MIN, PANIC_THRESHOLD_PERCENTAGE_MAX),
      [A.targetBurstCapacity]: fc.oneof(fc.constantFrom('-1', '0'), int(1, 500)),
      [A.scaleDownDelay]: seconds(0, maxDelay),
      [A.scaleToZeroPodRetentionPeriod]: seconds(0, maxDelay),
    },
    { requiredKeys: [] },
  );
  const limit = cfg.maxScaleLimit;
  const scales = fc
    .record(
      {
        max: fc.integer({ min: limit > 0 ? 1 : 0, max: limit > 0 ? Math.min(limit, maxScale) : maxScale }),
        min: fc.integer({ min: 0, max: maxScale }),
        initial: fc.integer({ min: cfg.allowZeroInitialScale ? 0 : 1, max: Math.min(3, maxScale) }),
        activation: fc.integer({ min: 2, max: Math.max(2, maxScale) }),
      },
      { requiredKeys: [] },
    )
    .map((s) => {
      const out: Record<string, string> = {};
      const max = s.max ?? (limit > 0 ? undefined : 0);
      const min = s.min === undefined ? undefined : max !== undefined && max > 0 ? Math.min(s.min, max) : s.min;
      if (s.max !== undefined) out[A.maxScale] = String(s.max);
      if (min !== undefined) out[A.minScale] = String(min);
      if (s.initial !== undefined) out[A.initialScale] = String(s.initial);
      if (s.activation !== undefined) {
        const floor = Math.max(2, min ?? 0);
        const ceiling = max !== undefined && max > 0 ? max : Infinity;
        if (floor <= ceiling) out[A.activationScale] = String(Math.min(Math.max(s.activation, floor), ceiling));
      }
      return out;
    });
  return fc
    .tuple(plain, scales)
    .map(([p, s]) => ({ ...stripUndefined(p), ...s }))
    .filter((annotations) => {
      // Under a max-scale-limit an annotation set without max-scale inherits the config's, which must itself be in range.
      return validateAutoscalingAnnotations(annotations, cfg).length === 0;
    });
}

function stripUndefined(record: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined) out[k] = v;
  return out;
}
