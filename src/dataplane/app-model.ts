/**
 * The user container as the data plane sees it: how long it takes to serve a request,
 * how often it fails, and how much longer than the image pull and container start it
 * needs before its port answers. Looked up by container image, so two revisions of a
 * service with different images behave differently (a slow or failing canary).
 *
 * Service-time distributions:
 * - constant `{kind: 'constant', ms}`
 * - exponential `{kind: 'exponential', meanMs}`
 * - lognormal `{kind: 'lognormal', medianMs, p99Ms}` or `{kind: 'lognormal', mu, sigma}` (of ln ms)
 * - uniform `{kind: 'uniform', minMs, maxMs}`
 * - empirical `{kind: 'empirical', percentiles: {p0, p1, p25, p50, p75, p99, p100}}` (any
 *   `p<number>` keys; p0 and p100 required), sampled by inverse transform with linear
 *   interpolation between the given percentiles — the shape of the Azure Functions
 *   2019 trace's per-function duration percentiles.
 *
 * Fidelity: a request's service time is independent of load (no CPU contention in
 * the container); errors are 500s decided per request with the given probability.
 */
import { drawExponential, drawNormal, type Rng } from '../engine/index.js';

export type ServiceTimeSpec =
  | { kind: 'constant'; ms: number }
  | { kind: 'exponential'; meanMs: number }
  | { kind: 'lognormal'; medianMs: number; p99Ms: number }
  | { kind: 'lognormal'; mu: number; sigma: number }
  | { kind: 'uniform'; minMs: number; maxMs: number }
  | { kind: 'empirical'; percentiles: Record<string, number> };

export interface AppModelSpec {
  serviceTime: ServiceTimeSpec;
  /** Probability in [0, 1] that a request ends in a 500. Default 0. */
  errorRate?: number;
  /** Extra time after the container starts before the app listens (the kubelet adds it to the startup). Default 0. */
  startupDelayMs?: number;
}

/**
 * The model for images nobody described: a small web handler, median 20 ms with a
 * tail ten times longer at p99. A modelling default, not a Knative number; scenarios
 * describe their own apps.
 */
export const DEFAULT_APP_MODEL: AppModelSpec = { serviceTime: { kind: 'lognormal', medianMs: 20, p99Ms: 200 } };

/** z such that P(N(0,1) ≤ z) = 0.99. */
const Z99 = 2.3263478740408408;

const KIND_CONSTANT = 0;
const KIND_EXPONENTIAL = 1;
const KIND_LOGNORMAL = 2;
const KIND_UNIFORM = 3;
const KIND_EMPIRICAL = 4;

/** A compiled app model: a few numbers and a switch, no closure per request. */
export class AppModel {
  readonly errorRate: number;
  readonly startupDelayMs: number;
  private readonly kind: number;
  private readonly a: number;
  private readonly b: number;
  /** Empirical: cumulative probabilities in [0,1] and the values at them. */
  private readonly probs: Float64Array;
  private readonly values: Float64Array;

  constructor(readonly spec: AppModelSpec) {
    const problems = validateAppModel(spec);
    if (problems.length > 0) throw new Error(`invalid app model: ${problems.join('; ')}`);
    this.errorRate = spec.errorRate ?? 0;
    this.startupDelayMs = spec.startupDelayMs ?? 0;
    const st = spec.serviceTime;
    this.probs = new Float64Array(0);
    this.values = new Float64Array(0);
    this.a = 0;
    this.b = 0;
    switch (st.kind) {
      case 'constant':
        this.kind = KIND_CONSTANT;
        this.a = st.ms;
        break;
      case 'exponential':
        this.kind = KIND_EXPONENTIAL;
        this.a = st.meanMs;
        break;
      case 'lognormal':
        this.kind = KIND_LOGNORMAL;
        if ('medianMs' in st) {
          // ln X ~ N(mu, sigma): the median is e^mu and p99 is e^(mu + z99·sigma).
          // Example: median 20, p99 200 → mu = ln 20 = 2.996, sigma = ln(10) / 2.326 = 0.990.
          this.a = Math.log(st.medianMs);
          this.b = (Math.log(st.p99Ms) - Math.log(st.medianMs)) / Z99;
        } else {
          this.a = st.mu;
          this.b = st.sigma;
        }
        break;
      case 'uniform':
        this.kind = KIND_UNIFORM;
        this.a = st.minMs;
        this.b = st.maxMs - st.minMs;
        break;
      case 'empirical': {
        this.kind = KIND_EMPIRICAL;
        const points = parsePercentiles(st.percentiles);
        this.probs = Float64Array.from(points.map((p) => p.percent / 100));
        this.values = Float64Array.from(points.map((p) => p.ms));
        break;
      }
    }
  }

  /** One service time in ms. */
  sampleServiceMs(rng: Rng): number {
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
    let i = 1;
    while (i < probs.length - 1 && probs[i] <= u) i++;
    const p0 = probs[i - 1];
    const p1 = probs[i];
    if (p1 <= p0) return values[i];
    return values[i - 1] + ((u - p0) / (p1 - p0)) * (values[i] - values[i - 1]);
  }
}

/** Problems with a spec, each naming its field; empty when valid. */
export function validateAppModel(spec: AppModelSpec): string[] {
  const out: string[] = [];
  const st = spec?.serviceTime;
  const nonNegative = (value: unknown, path: string): void => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) out.push(`${path}: must be a finite number ≥ 0, got ${String(value)}`);
  };
  if (st === undefined || typeof st !== 'object') return ['serviceTime: required'];
  switch (st.kind) {
    case 'constant':
      nonNegative(st.ms, 'serviceTime.ms');
      break;
    case 'exponential':
      nonNegative(st.meanMs, 'serviceTime.meanMs');
      break;
    case 'lognormal':
      if ('medianMs' in st) {
        nonNegative(st.medianMs, 'serviceTime.medianMs');
        nonNegative(st.p99Ms, 'serviceTime.p99Ms');
        if (!(st.medianMs > 0)) out.push('serviceTime.medianMs: must be > 0');
        if (!(st.p99Ms >= st.medianMs)) out.push('serviceTime.p99Ms: must be ≥ medianMs');
      } else {
        if (typeof st.mu !== 'number' || !Number.isFinite(st.mu)) out.push('serviceTime.mu: must be a finite number');
        nonNegative(st.sigma, 'serviceTime.sigma');
      }
      break;
    case 'uniform':
      nonNegative(st.minMs, 'serviceTime.minMs');
      nonNegative(st.maxMs, 'serviceTime.maxMs');
      if (!(st.maxMs >= st.minMs)) out.push('serviceTime.maxMs: must be ≥ minMs');
      break;
    case 'empirical':
      try {
        parsePercentiles(st.percentiles);
      } catch (err) {
        out.push(`serviceTime.percentiles: ${(err as Error).message}`);
      }
      break;
    default:
      out.push(`serviceTime.kind: must be one of constant, exponential, lognormal, uniform, empirical; got ${String((st as { kind?: unknown }).kind)}`);
  }
  if (spec.errorRate !== undefined && !(spec.errorRate >= 0 && spec.errorRate <= 1)) out.push(`errorRate: must lie in [0, 1], got ${spec.errorRate}`);
  if (spec.startupDelayMs !== undefined) nonNegative(spec.startupDelayMs, 'startupDelayMs');
  return out;
}

/** `{p0: 1, p50: 10, p100: 90}` → sorted points; throws with a message on malformed input. */
function parsePercentiles(percentiles: Record<string, number>): { percent: number; ms: number }[] {
  if (percentiles === null || typeof percentiles !== 'object') throw new Error('must map p<percent> to milliseconds');
  const points: { percent: number; ms: number }[] = [];
  for (const key of Object.keys(percentiles)) {
    const m = /^p(\d+(?:\.\d+)?)$/.exec(key);
    const percent = m === null ? NaN : Number(m[1]);
    if (!(percent >= 0 && percent <= 100)) throw new Error(`key "${key}" is not p<percent> with percent in [0, 100]`);
    const ms = percentiles[key];
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw new Error(`${key} must be a finite number ≥ 0`);
    points.push({ percent, ms });
  }
  points.sort((x, y) => x.percent - y.percent);
  if (points.length < 2 || points[0].percent !== 0 || points[points.length - 1].percent !== 100) throw new Error('needs p0 and p100');
  for (let i = 1; i < points.length; i++) {
    if (points[i].ms < points[i - 1].ms) throw new Error(`p${points[i].percent} (${points[i].ms}) is below p${points[i - 1].percent} (${points[i - 1].ms})`);
  }
  return points;
}

/**
 * The model for an image: an exact match in `apps`, else the same image without its
 * tag or digest, else `apps.default`, else DEFAULT_APP_MODEL.
 * Example: `ghcr.io/knative/helloworld-go:v2` matches the key `ghcr.io/knative/helloworld-go`.
 */
export function lookupAppSpec(apps: Readonly<Record<string, AppModelSpec>>, image: string | undefined): AppModelSpec {
  if (image !== undefined) {
    if (Object.prototype.hasOwnProperty.call(apps, image)) return apps[image];
    const bare = stripTag(image);
    if (Object.prototype.hasOwnProperty.call(apps, bare)) return apps[bare];
  }
  return Object.prototype.hasOwnProperty.call(apps, 'default') ? apps.default : DEFAULT_APP_MODEL;
}

function stripTag(image: string): string {
  const at = image.indexOf('@');
  const noDigest = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > lastSlash ? noDigest.slice(0, colon) : noDigest;
}
