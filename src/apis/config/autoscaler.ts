/**
 * The `config-autoscaler` ConfigMap (namespace `knative-serving`): every key Knative reads,
 * its default, and its validation, with Knative's own error wording.
 *
 * Fidelity: mirrors knative/serving `pkg/autoscaler/config/config.go` (NewConfigFromMap,
 * validate) and the parse helpers of knative/pkg `configmap/parse.go`. As in Knative, parsing
 * stops at the first problem, so at most one error is returned; its `path` names the key.
 * Durations are held in milliseconds. The Go-syntax number and duration parsers used here
 * are exported for the other ConfigMap parsers (they reproduce strconv/time error texts).
 */
import { formatDuration, parseDuration } from '../../engine/units.js';
import type { FieldError } from '../field-error.js';

/** The autoscaler configuration, after defaults and validation. Durations in ms. */
export interface AutoscalerConfig {
  /** `enable-scale-to-zero` (default true). When false the KPA never goes below 1 pod. */
  enableScaleToZero: boolean;
  /** `container-concurrency-target-percentage` as a fraction (default 70 → 0.7). */
  containerConcurrencyTargetFraction: number;
  /** `container-concurrency-target-default` (default 100): the total when containerConcurrency is 0. */
  containerConcurrencyTargetDefault: number;
  /** Utilization for non-concurrency metrics (RPS): 0.7, not settable from the ConfigMap. */
  targetUtilization: number;
  /** `requests-per-second-target-default` (default 200). */
  rpsTargetDefault: number;
  /** `max-scale-up-rate` (default 1000). */
  maxScaleUpRate: number;
  /** `max-scale-down-rate` (default 2). */
  maxScaleDownRate: number;
  /** `target-burst-capacity` (default 211; -1 = unlimited, activator always in path). */
  targetBurstCapacity: number;
  /** `panic-window-percentage` of the stable window (default 10). */
  panicWindowPercentage: number;
  /** `activator-capacity` (default 100): sizes the activator subset. */
  activatorCapacity: number;
  /** `panic-threshold-percentage` (default 200). */
  panicThresholdPercentage: number;
  /** `stable-window` (default 60s). */
  stableWindowMs: number;
  /** `scale-to-zero-grace-period` (default 30s). */
  scaleToZeroGracePeriodMs: number;
  /** `scale-to-zero-pod-retention-period` (default 0s). */
  scaleToZeroPodRetentionPeriodMs: number;
  /** `scale-down-delay` (default 0s). */
  scaleDownDelayMs: number;
  /** `pod-autoscaler-class` (default `kpa.autoscaling.knative.dev`). */
  podAutoscalerClass: string;
  /** `allow-zero-initial-scale` (default false). */
  allowZeroInitialScale: boolean;
  /** `initial-scale` (default 1). */
  initialScale: number;
  /** `min-scale` (default 0). */
  minScale: number;
  /** `max-scale` (default 0 = unlimited). */
  maxScale: number;
  /** `max-scale-limit` (default 0 = none). */
  maxScaleLimit: number;
}

/** Knative's minimum per-pod target (`autoscaling.TargetMin`). */
export const TARGET_MIN = 0.01;
/** Bounds of the stable window (`WindowMin`, `WindowMax` in pkg/apis/autoscaling/register.go). */
export const WINDOW_MIN_MS = 6_000;
export const WINDOW_MAX_MS = 3_600_000;
export const PANIC_WINDOW_PERCENTAGE_MIN = 1;
export const PANIC_WINDOW_PERCENTAGE_MAX = 100;
export const PANIC_THRESHOLD_PERCENTAGE_MIN = 110;
export const PANIC_THRESHOLD_PERCENTAGE_MAX = 1000;
export const KPA_CLASS = 'kpa.autoscaling.knative.dev';
export const HPA_CLASS = 'hpa.autoscaling.knative.dev';

/** Knative's defaults (`defaultConfig()` in config.go). */
export function defaultAutoscalerConfig(): AutoscalerConfig {
  return {
    enableScaleToZero: true,
    containerConcurrencyTargetFraction: 0.7,
    containerConcurrencyTargetDefault: 100,
    targetUtilization: 0.7,
    rpsTargetDefault: 200,
    maxScaleUpRate: 1000,
    maxScaleDownRate: 2,
    targetBurstCapacity: 211,
    panicWindowPercentage: 10,
    activatorCapacity: 100,
    panicThresholdPercentage: 200,
    stableWindowMs: 60_000,
    scaleToZeroGracePeriodMs: 30_000,
    scaleToZeroPodRetentionPeriodMs: 0,
    scaleDownDelayMs: 0,
    podAutoscalerClass: KPA_CLASS,
    allowZeroInitialScale: false,
    initialScale: 1,
    minScale: 0,
    maxScale: 0,
    maxScaleLimit: 0,
  };
}

/** A parsed config or the first error, as Knative reports it. */
type AutoscalerConfigResult = { config: AutoscalerConfig } | { errors: FieldError[] };

/**
 * Parses `config-autoscaler` data. A missing ConfigMap (undefined) gives all defaults.
 * Example: `{ 'container-concurrency-target-percentage': '80' }` gives fraction 0.8 (values
 * above 1 are percentages; values in (0, 1] are already fractions, for legacy reasons).
 */
export function parseAutoscalerConfig(data: Record<string, string> | undefined): AutoscalerConfigResult {
  const c = defaultAutoscalerConfig();
  const d = data ?? {};
  const p = new GoParser(d);
  p.str('pod-autoscaler-class', (v) => (c.podAutoscalerClass = v));
  p.bool('enable-scale-to-zero', (v) => (c.enableScaleToZero = v));
  p.bool('allow-zero-initial-scale', (v) => (c.allowZeroInitialScale = v));
  p.float('max-scale-up-rate', (v) => (c.maxScaleUpRate = v));
  p.float('max-scale-down-rate', (v) => (c.maxScaleDownRate = v));
  p.float('container-concurrency-target-percentage', (v) => (c.containerConcurrencyTargetFraction = v));
  p.float('container-concurrency-target-default', (v) => (c.containerConcurrencyTargetDefault = v));
  p.float('requests-per-second-target-default', (v) => (c.rpsTargetDefault = v));
  p.float('target-burst-capacity', (v) => (c.targetBurstCapacity = v));
  p.float('panic-window-percentage', (v) => (c.panicWindowPercentage = v));
  p.float('activator-capacity', (v) => (c.activatorCapacity = v));
  p.float('panic-threshold-percentage', (v) => (c.panicThresholdPercentage = v));
  p.int32('initial-scale', (v) => (c.initialScale = v));
  p.int32('min-scale', (v) => (c.minScale = v));
  p.int32('max-scale', (v) => (c.maxScale = v));
  p.int32('max-scale-limit', (v) => (c.maxScaleLimit = v));
  p.duration('stable-window', (v) => (c.stableWindowMs = v));
  p.duration('scale-down-delay', (v) => (c.scaleDownDelayMs = v));
  p.duration('scale-to-zero-grace-period', (v) => (c.scaleToZeroGracePeriodMs = v));
  p.duration('scale-to-zero-pod-retention-period', (v) => (c.scaleToZeroPodRetentionPeriodMs = v));
  if (p.error !== undefined) return { errors: [p.error] };
  if (c.containerConcurrencyTargetFraction > 1) c.containerConcurrencyTargetFraction /= 100;
  const err = validateAutoscalerConfig(c);
  return err === undefined ? { config: c } : { errors: [err] };
}

function validateAutoscalerConfig(c: AutoscalerConfig): FieldError | undefined {
  const e = (path: string, message: string): FieldError => ({ path, message });
  if (c.scaleToZeroGracePeriodMs <= 0)
    return e('scale-to-zero-grace-period', `scale-to-zero-grace-period must be positive, was: ${formatDuration(c.scaleToZeroGracePeriodMs)}`);
  if (c.scaleDownDelayMs < 0) return e('scale-down-delay', `scale-down-delay cannot be negative, was: ${formatDuration(c.scaleDownDelayMs)}`);
  if (!isWholeSeconds(c.scaleDownDelayMs))
    return e('scale-down-delay', `scale-down-delay = ${formatDuration(c.scaleDownDelayMs)}, must be specified with at most second precision`);
  if (c.scaleToZeroPodRetentionPeriodMs < 0)
    return e(
      'scale-to-zero-pod-retention-period',
      `scale-to-zero-pod-retention-period cannot be negative, was: ${formatDuration(c.scaleToZeroPodRetentionPeriodMs)}`,
    );
  if (c.targetBurstCapacity < 0 && c.targetBurstCapacity !== -1)
    return e('target-burst-capacity', `target-burst-capacity must be either non-negative or -1 (for unlimited), was: ${c.targetBurstCapacity.toFixed(6)}`);
  if (!(c.containerConcurrencyTargetFraction > 0 && c.containerConcurrencyTargetFraction <= 1)) {
    return e(
      'container-concurrency-target-percentage',
      `container-concurrency-target-percentage = ${c.containerConcurrencyTargetFraction.toFixed(6)} is outside of valid range of (0, 100]`,
    );
  }
  const target = c.containerConcurrencyTargetFraction * c.containerConcurrencyTargetDefault;
  if (target < TARGET_MIN) {
    return e(
      'container-concurrency-target-default',
      `container-concurrency-target-percentage and container-concurrency-target-default yield target concurrency of ${formatGoFloat(target)}, can't be less than ${TARGET_MIN}`,
    );
  }
  if (c.rpsTargetDefault < TARGET_MIN)
    return e(
      'requests-per-second-target-default',
      `requests-per-second-target-default must be at least ${TARGET_MIN}, was: ${formatGoFloat(c.rpsTargetDefault)}`,
    );
  if (c.activatorCapacity < 1) return e('activator-capacity', `activator-capacity = ${formatGoFloat(c.activatorCapacity)}, must be at least 1`);
  if (c.maxScaleUpRate <= 1) return e('max-scale-up-rate', `max-scale-up-rate = ${formatGoFloat(c.maxScaleUpRate)}, must be greater than 1.0`);
  if (c.maxScaleDownRate <= 1) return e('max-scale-down-rate', `max-scale-down-rate = ${formatGoFloat(c.maxScaleDownRate)}, must be greater than 1.0`);
  if (c.stableWindowMs < WINDOW_MIN_MS || c.stableWindowMs > WINDOW_MAX_MS) {
    return e(
      'stable-window',
      `stable-window = ${formatDuration(c.stableWindowMs)}, must be in [${formatDuration(WINDOW_MIN_MS)}; ${formatDuration(WINDOW_MAX_MS)}] range`,
    );
  }
  if (!isWholeSeconds(c.stableWindowMs))
    return e('stable-window', `stable-window = ${formatDuration(c.stableWindowMs)}, must be specified with at most second precision`);
  if (c.panicWindowPercentage < PANIC_WINDOW_PERCENTAGE_MIN || c.panicWindowPercentage > PANIC_WINDOW_PERCENTAGE_MAX) {
    return e(
      'panic-window-percentage',
      `panic-window-percentage = ${formatGoFloat(c.panicWindowPercentage)}, must be in [${PANIC_WINDOW_PERCENTAGE_MIN}, ${PANIC_WINDOW_PERCENTAGE_MAX}] interval`,
    );
  }
  if (c.initialScale < 0 || (c.initialScale === 0 && !c.allowZeroInitialScale)) {
    return e('initial-scale', `initial-scale = ${c.initialScale}, must be at least 0 (or at least 1 when allow-zero-initial-scale is false)`);
  }
  if (c.minScale < 0) return e('min-scale', `min-scale = ${c.minScale}, must be at least 0`);
  const minMaxScale = c.maxScaleLimit > 0 ? 1 : 0;
  if (c.maxScale < minMaxScale || (c.maxScaleLimit > 0 && c.maxScale > c.maxScaleLimit)) {
    return e('max-scale', `max-scale = ${c.maxScale}, must be in [${minMaxScale}, max-scale-limit(${c.maxScaleLimit})] range`);
  }
  if (c.maxScaleLimit < 0) return e('max-scale-limit', `max-scale-limit = ${c.maxScaleLimit}, must be at least 0`);
  if (c.minScale > c.maxScale && c.maxScale > 0) return e('min-scale', `min-scale (${c.minScale}) must be less than max-scale (${c.maxScale})`);
  return undefined;
}

function isWholeSeconds(ms: number): boolean {
  return Math.round(ms / 1000) * 1000 === ms;
}

// ---------------------------------------------------------------------------------------
// Go-syntax parsing with Go's error texts (strconv, time.ParseDuration, configmap.Parse).

/** A Go-parse outcome: the value, or the error text Go would produce. */
type GoParse<T> = { ok: true; value: T } | { ok: false; message: string };

const FLOAT_SYNTAX = /^[+-]?((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|inf|infinity|nan)$/i;

/** `strconv.ParseFloat(s, 64)`: `1.5`, `2e3`, `-inf`; error `strconv.ParseFloat: parsing "x": invalid syntax`. */
export function goParseFloat(text: string): GoParse<number> {
  if (!FLOAT_SYNTAX.test(text)) return { ok: false, message: `strconv.ParseFloat: parsing ${goQuote(text)}: invalid syntax` };
  const lower = text.toLowerCase().replace(/^\+/, '');
  if (lower === 'nan') return { ok: true, value: NaN };
  if (lower === 'inf' || lower === 'infinity') return { ok: true, value: Infinity };
  if (lower === '-inf' || lower === '-infinity') return { ok: true, value: -Infinity };
  return { ok: true, value: Number(text) };
}

/** `strconv.ParseInt(s, 10, 32)`: decimal digits with an optional sign, within int32. */
export function goParseInt32(text: string): GoParse<number> {
  if (!/^[+-]?\d+$/.test(text)) return { ok: false, message: `strconv.ParseInt: parsing ${goQuote(text)}: invalid syntax` };
  const v = Number(text);
  if (v > 2147483647 || v < -2147483648) return { ok: false, message: `strconv.ParseInt: parsing ${goQuote(text)}: value out of range` };
  return { ok: true, value: v };
}

/** `strconv.ParseBool`: 1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False. */
function goParseBool(text: string): GoParse<boolean> {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return { ok: true, value: true };
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return { ok: true, value: false };
  return { ok: false, message: `strconv.ParseBool: parsing ${goQuote(text)}: invalid syntax` };
}

/** `time.ParseDuration` in ms, with Go's error texts (`time: invalid duration "x"`, `time: missing unit in duration "5"`). */
export function goParseDuration(text: string): GoParse<number> {
  if (text !== text.trim() || text === '') return { ok: false, message: `time: invalid duration ${goQuote(text)}` };
  const parsed = parseDuration(text);
  if (parsed.ok) return { ok: true, value: parsed.ms };
  if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) return { ok: false, message: `time: missing unit in duration ${goQuote(text)}` };
  const unit = /^[+-]?(?:\d+\.?\d*|\.\d+)([^\d.]+)/.exec(text)?.[1];
  if (unit !== undefined && !/^(ns|us|µs|ms|s|m|h)/.test(unit))
    return { ok: false, message: `time: unknown unit ${goQuote(unit.replace(/[\d.].*$/, ''))} in duration ${goQuote(text)}` };
  return { ok: false, message: `time: invalid duration ${goQuote(text)}` };
}

/** Go's `%v` of a float64: shortest text, exponent form below 1e-4 or from 1e21 (`1e-05`, `2.5`, `100`). */
export function formatGoFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e21)) {
    // toExponential always has an `e`: `1e-5`, `2.5e+21`.
    const text = v.toExponential();
    const at = text.indexOf('e');
    const mantissa = text.slice(0, at);
    const exp = text.slice(at + 1);
    const sign = exp.startsWith('-') ? '-' : '+';
    const digits = exp.replace(/^[+-]/, '').padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  return String(v);
}

/** Go's `%q` for plain strings (close enough to strconv.Quote for ConfigMap values). */
function goQuote(text: string): string {
  return JSON.stringify(text);
}

/** Runs knative/pkg-style `configmap.Parse` steps in order and keeps the first error. */
export class GoParser {
  error: FieldError | undefined;
  constructor(private readonly data: Record<string, string>) {}

  /** The key's text when it is set and no earlier step failed. */
  private text(key: string): string | undefined {
    if (this.error !== undefined || !Object.prototype.hasOwnProperty.call(this.data, key)) return undefined;
    return this.data[key];
  }

  private fail(key: string, message: string, keyed = true): void {
    this.error = { path: key, message: keyed ? `failed to parse data: failed to parse ${goQuote(key)}: ${message}` : `failed to parse data: ${message}` };
  }

  str(key: string, set: (v: string) => void): void {
    const text = this.text(key);
    if (text !== undefined) set(text);
  }

  bool(key: string, set: (v: boolean) => void): void {
    const text = this.text(key);
    if (text === undefined) return;
    const r = goParseBool(text);
    // configmap.AsBool returns strconv's error without naming the key.
    if (r.ok) set(r.value);
    else this.fail(key, r.message, false);
  }

  float(key: string, set: (v: number) => void): void {
    const text = this.text(key);
    if (text === undefined) return;
    const r = goParseFloat(text);
    if (r.ok) set(r.value);
    else this.fail(key, r.message);
  }

  int32(key: string, set: (v: number) => void): void {
    const text = this.text(key);
    if (text === undefined) return;
    const r = goParseInt32(text);
    if (r.ok) set(r.value);
    else this.fail(key, r.message);
  }

  duration(key: string, set: (v: number) => void): void {
    const text = this.text(key);
    if (text === undefined) return;
    const r = goParseDuration(text);
    if (r.ok) set(r.value);
    else this.fail(key, r.message);
  }
}
