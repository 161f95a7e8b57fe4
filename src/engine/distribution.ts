/**
 * Distributions of durations in ms, one type for every place that draws a time: an app's
 * service time (the data plane), a closed-loop user's think time (workloads) and the
 * scenario format's `serviceTime`/`thinkTime` (which adds source positions).
 *
 * - constant `{distribution: 'constant', valueMs}`: no draw at all;
 * - exponential `{distribution: 'exponential', meanMs}`: by inversion;
 * - lognormal `{distribution: 'lognormal', mu, sigma}`: ln X ~ Normal(mu, sigma) with X in ms
 *   (from a median and a p99 with `lognormalFromMedianP99`);
 * - uniform `{distribution: 'uniform', minMs, maxMs}`: one draw;
 * - empirical `{distribution: 'empirical', points: [{p, valueMs}]}`: percentile points from
 *   p0 to p100 (any in between), sampled by inverse transform with linear interpolation
 *   between them, the shape of the Azure Functions 2019 trace's duration percentiles.
 *
 * `compileDistribution` turns one into a sampler once; each draw then allocates nothing.
 * Fidelity: a modelling tool, not a model of anything in Knative.
 */
import { drawExponential, drawNormal, type Rng } from './rng.js';
import { formatDuration } from './units.js';

/** One percentile point of an empirical distribution: `p` in [0, 100], the value at it in ms. */
interface EmpiricalPoint {
  p: number;
  valueMs: number;
}

/** A distribution of durations in ms. */
export type Distribution =
  | { distribution: 'constant'; valueMs: number }
  | { distribution: 'exponential'; meanMs: number }
  /**
   * ln(X) ~ Normal(mu, sigma) with X in ms.
   * Example: median 20ms, p99 200ms → mu = ln 20 = 2.996, sigma = ln(10) / 2.3263 = 0.990.
   */
  | { distribution: 'lognormal'; mu: number; sigma: number }
  | { distribution: 'uniform'; minMs: number; maxMs: number }
  /** Linear interpolation between percentile points (sorted by `p` when compiled), p0 and p100 required. */
  | { distribution: 'empirical'; points: readonly EmpiricalPoint[] };

/** Draws from a compiled distribution. */
export interface Sampler {
  /** One value in ms, drawn from `rng` (a constant draws nothing). */
  sample(rng: Rng): number;
}

/** z-score of the 99th percentile of the standard normal distribution, as the scenario format has always converted with. */
const Z99 = 2.326347874;

/**
 * The lognormal with this median and 99th percentile: mu = ln(median), and
 * ln(p99) = mu + z99·sigma. Example: median 20ms, p99 200ms → mu = 2.996, sigma = 0.990.
 */
export function lognormalFromMedianP99(medianMs: number, p99Ms: number): Extract<Distribution, { distribution: 'lognormal' }> {
  return { distribution: 'lognormal', mu: Math.log(medianMs), sigma: (Math.log(p99Ms) - Math.log(medianMs)) / Z99 };
}

const KIND_CONSTANT = 0;
const KIND_EXPONENTIAL = 1;
const KIND_LOGNORMAL = 2;
const KIND_UNIFORM = 3;
const KIND_EMPIRICAL = 4;

/** A few numbers and a switch: no closure per distribution, no allocation per draw. */
class CompiledDistribution implements Sampler {
  constructor(
    private readonly kind: number,
    private readonly a: number,
    private readonly b: number,
    /** Empirical: cumulative probabilities in [0, 1] and the values at them. */
    private readonly probs: Float64Array,
    private readonly values: Float64Array,
  ) {}

  sample(rng: Rng): number {
    switch (this.kind) {
      case KIND_CONSTANT:
        return this.a;
      case KIND_EXPONENTIAL:
        return drawExponential(rng, this.a);
      case KIND_LOGNORMAL:
        return Math.exp(this.a + this.b * drawNormal(rng));
      case KIND_UNIFORM:
        return this.a + this.b * rng();
      default:
        return this.sampleEmpirical(rng());
    }
  }

  /**
   * Inverse transform: find the percentile segment holding u and interpolate.
   * Example: p50 = 100 ms, p75 = 300 ms, u = 0.6 → 100 + (0.6 − 0.5)/(0.75 − 0.5) × 200 = 180 ms.
   */
  private sampleEmpirical(u: number): number {
    const probs = this.probs;
    const values = this.values;
    const last = probs.length - 1;
    let i = 1;
    for (; i < last; i++) {
      const p = probs[i];
      if (p === undefined || !(p <= u)) break;
    }
    const p0 = probs[i - 1];
    const p1 = probs[i];
    const v0 = values[i - 1];
    const v1 = values[i];
    // compileDistribution validated at least two points (p0 and p100), so both ends of the segment exist.
    if (p0 === undefined || p1 === undefined || v0 === undefined || v1 === undefined) throw new Error(EMPIRICAL_SEGMENT_MISSING);
    if (p1 <= p0) return v1;
    return v0 + ((u - p0) / (p1 - p0)) * (v1 - v0);
  }
}

const EMPIRICAL_SEGMENT_MISSING = 'knsim bug: a compiled empirical distribution has fewer than two points';

const NONE = new Float64Array(0);

/** Compiles a distribution into a sampler; throws when it is invalid (see `validateDistribution`). */
export function compileDistribution(d: Distribution): Sampler {
  const problems = validateDistribution(d);
  if (problems.length > 0) throw new Error(`invalid distribution: ${problems.join('; ')}`);
  switch (d.distribution) {
    case 'constant':
      return new CompiledDistribution(KIND_CONSTANT, d.valueMs, 0, NONE, NONE);
    case 'exponential':
      return new CompiledDistribution(KIND_EXPONENTIAL, d.meanMs, 0, NONE, NONE);
    case 'lognormal':
      return new CompiledDistribution(KIND_LOGNORMAL, d.mu, d.sigma, NONE, NONE);
    case 'uniform':
      // min + (max − min)·u with the width computed once.
      return new CompiledDistribution(KIND_UNIFORM, d.minMs, d.maxMs - d.minMs, NONE, NONE);
    case 'empirical': {
      const points = sortedPoints(d.points);
      return new CompiledDistribution(
        KIND_EMPIRICAL,
        0,
        0,
        Float64Array.from(points, (pt) => pt.p / 100),
        Float64Array.from(points, (pt) => pt.valueMs),
      );
    }
  }
}

/** Problems with a distribution, each `path.field: what is wrong`; empty when it can be sampled. */
export function validateDistribution(d: Distribution, path = 'distribution'): string[] {
  if (d === null || typeof d !== 'object') return [`${path}: required`];
  const out: string[] = [];
  const duration = (value: unknown, field: string): void => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) out.push(`${path}.${field}: must be a duration ≥ 0 ms, got ${String(value)}`);
  };
  switch (d.distribution) {
    case 'constant':
      duration(d.valueMs, 'valueMs');
      break;
    case 'exponential':
      duration(d.meanMs, 'meanMs');
      break;
    case 'lognormal':
      if (typeof d.mu !== 'number' || !Number.isFinite(d.mu)) out.push(`${path}.mu: must be a finite number, got ${String(d.mu)}`);
      if (typeof d.sigma !== 'number' || !Number.isFinite(d.sigma) || d.sigma < 0)
        out.push(`${path}.sigma: must be a finite number ≥ 0, got ${String(d.sigma)}`);
      break;
    case 'uniform':
      duration(d.minMs, 'minMs');
      duration(d.maxMs, 'maxMs');
      if (!(d.maxMs >= d.minMs)) out.push(`${path}.maxMs: ${String(d.maxMs)} is below minMs ${String(d.minMs)}`);
      break;
    case 'empirical': {
      if (!Array.isArray(d.points)) {
        out.push(`${path}.points: must be a list of {p, valueMs}`);
        break;
      }
      d.points.forEach((pt: EmpiricalPoint, i: number) => {
        if (!(typeof pt?.p === 'number' && pt.p >= 0 && pt.p <= 100))
          out.push(`${path}.points[${i}].p: must be a percentile in [0, 100], got ${String(pt?.p)}`);
        duration(pt?.valueMs, `points[${i}].valueMs`);
      });
      if (out.length > 0) break;
      const points = sortedPoints(d.points);
      if (points.length < 2 || points[0]?.p !== 0 || points.at(-1)?.p !== 100) out.push(`${path}.points: needs p0 and p100`);
      let prev: EmpiricalPoint | undefined;
      for (const pt of points) {
        if (prev !== undefined) {
          if (pt.p === prev.p) out.push(`${path}.points: p${pt.p} is given twice`);
          else if (pt.valueMs < prev.valueMs) out.push(`${path}.points: p${pt.p} (${pt.valueMs}) is below p${prev.p} (${prev.valueMs})`);
        }
        prev = pt;
      }
      break;
    }
    default:
      out.push(
        `${path}.distribution: must be one of constant, exponential, lognormal, uniform, empirical; got ${String((d as { distribution?: unknown }).distribution)}`,
      );
  }
  return out;
}

/**
 * The mean in ms.
 * Examples: lognormal median 20ms with p99 200ms → exp(2.996 + 0.490) ≈ 32.6ms;
 * empirical p0 0, p50 10, p100 30 → 0.5 × 5 + 0.5 × 20 = 12.5ms.
 */
export function distributionMeanMs(d: Distribution): number {
  switch (d.distribution) {
    case 'constant':
      return d.valueMs;
    case 'exponential':
      return d.meanMs;
    case 'lognormal':
      // E[X] = exp(mu + sigma²/2).
      return Math.exp(d.mu + (d.sigma * d.sigma) / 2);
    case 'uniform':
      return (d.minMs + d.maxMs) / 2;
    case 'empirical': {
      // The quantile function is piecewise linear in p, so the mean is the trapezoid area.
      const points = sortedPoints(d.points);
      let mean = 0;
      let a: EmpiricalPoint | undefined;
      for (const b of points) {
        if (a !== undefined) mean += ((b.p - a.p) / 100) * ((a.valueMs + b.valueMs) / 2);
        a = b;
      }
      return mean;
    }
  }
}

/** A short description for logs: `250ms`, `exp(mean 1s)`, `uniform 10ms–200ms`, `lognormal(mu 2.996, sigma 0.99)`, `empirical 1ms–4s`. */
export function describeDistribution(d: Distribution): string {
  switch (d.distribution) {
    case 'constant':
      return formatDuration(d.valueMs);
    case 'exponential':
      return `exp(mean ${formatDuration(d.meanMs)})`;
    case 'uniform':
      return `uniform ${formatDuration(d.minMs)}–${formatDuration(d.maxMs)}`;
    case 'lognormal':
      return `lognormal(mu ${round3(d.mu)}, sigma ${round3(d.sigma)})`;
    case 'empirical': {
      const points = sortedPoints(d.points);
      const first = points[0];
      const last = points.at(-1);
      return first === undefined || last === undefined ? 'empirical' : `empirical ${formatDuration(first.valueMs)}–${formatDuration(last.valueMs)}`;
    }
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** The points sorted by percentile (a copy; equal percentiles keep their order). */
function sortedPoints(points: readonly EmpiricalPoint[]): EmpiricalPoint[] {
  return [...points].sort((x, y) => x.p - y.p);
}
