/**
 * The user container as the data plane sees it: how long it takes to serve a request,
 * how often it fails, and how much longer than the image pull and container start it
 * needs before its port answers. Looked up by container image, so two revisions of a
 * service with different images behave differently (a slow or failing canary).
 * The service time is a `Distribution` (src/engine/distribution.ts), compiled once per
 * model and sampled per request from the revision's `app/<revision>` stream.
 *
 * A response is written in one piece when it ends, unless the model gives a time to
 * first byte (the status and headers go out then) and optionally a stream interval (a
 * chunk every interval after the first byte until the end): what the request, response
 * start and idle timeouts look at (timeouts.ts).
 *
 * Fidelity: a request's service time is independent of load unless the container has a
 * CPU limit that the app's CPU demand passes (resources/pod-usage.ts); errors are 500s
 * decided per request with the given probability. CPU and memory per request and at idle
 * are the app's (`cpuPerRequestMs`, `idleCpuMillis`, `memoryPerRequestBytes`, `baseMemoryBytes`).
 */
import { compileDistribution, validateDistribution, type Distribution, type Rng, type Sampler } from '../engine/index.js';
import { compileFailure, validateFailure, type AppFailure, type AppFailureSpec } from './app-failure.js';

export interface AppModelSpec {
  serviceTime: Distribution;
  /** Probability in [0, 1] that a request ends in a 500. Default 0. */
  errorRate?: number;
  /** Extra time after the container starts before the app listens (the kubelet adds it to the startup). Default 0. */
  startupDelayMs?: number;
  /** Time from the start of service to the first response byte, at most the service time. Default: the whole service time. */
  firstByte?: Distribution;
  /** After the first byte, a chunk every this many ms until the response ends (a streamed response). Default 0: none. */
  streamIntervalMs?: number;
  /** How the process fails: crashes, failing start-ups, readiness flaps, hangs (app-failure.ts). Default none. */
  failure?: AppFailureSpec;
  /** CPU time one request burns, ms (spread over its service time). Default 0. */
  cpuPerRequestMs?: number;
  /** CPU the app uses with no request, millicores. Default 0. */
  idleCpuMillis?: number;
  /** Memory per request in the container, bytes. Default 0. */
  memoryPerRequestBytes?: number;
  /** Memory of the idle app, bytes. Default 0. */
  baseMemoryBytes?: number;
}

/**
 * The model for images nobody described: a small web handler, median 20 ms with a
 * tail ten times longer at p99 (mu = ln 20, sigma = ln 10 / z99). A modelling default,
 * not a Knative number; scenarios describe their own apps. z99 here is written to full
 * double precision, unlike the 10-digit one of `lognormalFromMedianP99` (the scenario
 * format's conversion); each keeps the value it always had, so runs stay byte-identical.
 */
export const DEFAULT_APP_MODEL: AppModelSpec = {
  serviceTime: { distribution: 'lognormal', mu: Math.log(20), sigma: (Math.log(200) - Math.log(20)) / 2.3263478740408408 },
};

/** A compiled app model: its numbers and a compiled service-time sampler, nothing allocated per request. */
export class AppModel {
  readonly errorRate: number;
  /** Ms between chunks of a streamed response after its first byte; 0 when the rest comes at the end. */
  readonly streamIntervalMs: number;
  readonly startupDelayMs: number;
  /** The compiled failure model, null when the app never fails (app-process.ts). */
  readonly failure: AppFailure | null;
  readonly cpuPerRequestMs: number;
  readonly idleCpuMillis: number;
  readonly memoryPerRequestBytes: number;
  readonly baseMemoryBytes: number;
  private readonly serviceTime: Sampler;
  private readonly firstByte: Sampler | null;

  constructor(readonly spec: AppModelSpec) {
    const problems = validateAppModel(spec);
    if (problems.length > 0) throw new Error(`invalid app model: ${problems.join('; ')}`);
    this.errorRate = spec.errorRate ?? 0;
    this.startupDelayMs = spec.startupDelayMs ?? 0;
    this.failure = compileFailure(spec.failure);
    this.cpuPerRequestMs = spec.cpuPerRequestMs ?? 0;
    this.idleCpuMillis = spec.idleCpuMillis ?? 0;
    this.memoryPerRequestBytes = spec.memoryPerRequestBytes ?? 0;
    this.baseMemoryBytes = spec.baseMemoryBytes ?? 0;
    this.serviceTime = compileDistribution(spec.serviceTime);
    this.firstByte = spec.firstByte === undefined ? null : compileDistribution(spec.firstByte);
    this.streamIntervalMs = spec.streamIntervalMs ?? 0;
  }

  /** One service time in ms. */
  sampleServiceMs(rng: Rng): number {
    return this.serviceTime.sample(rng);
  }

  /**
   * The time to first byte of a response that takes `serviceMs` in all. Without a
   * `firstByte` model it is `serviceMs` and no number is drawn, so apps without one keep
   * their random streams as they were.
   */
  sampleFirstByteMs(rng: Rng, serviceMs: number): number {
    if (this.firstByte === null) return serviceMs;
    return Math.min(serviceMs, this.firstByte.sample(rng));
  }
}

/** Problems with a spec, each naming its field; empty when valid. */
export function validateAppModel(spec: AppModelSpec): string[] {
  const st = spec?.serviceTime;
  if (st === undefined || st === null || typeof st !== 'object') return ['serviceTime: required'];
  const out = validateDistribution(st, 'serviceTime');
  if (spec.errorRate !== undefined && !(spec.errorRate >= 0 && spec.errorRate <= 1)) out.push(`errorRate: must lie in [0, 1], got ${spec.errorRate}`);
  if (spec.startupDelayMs !== undefined && !(typeof spec.startupDelayMs === 'number' && Number.isFinite(spec.startupDelayMs) && spec.startupDelayMs >= 0)) {
    out.push(`startupDelayMs: must be a finite number ≥ 0, got ${String(spec.startupDelayMs)}`);
  }
  if (spec.firstByte !== undefined) out.push(...validateDistribution(spec.firstByte, 'firstByte'));
  if (
    spec.streamIntervalMs !== undefined &&
    !(typeof spec.streamIntervalMs === 'number' && Number.isFinite(spec.streamIntervalMs) && spec.streamIntervalMs >= 0)
  ) {
    out.push(`streamIntervalMs: must be a finite number ≥ 0, got ${String(spec.streamIntervalMs)}`);
  }
  out.push(...validateFailure(spec.failure));
  for (const key of ['cpuPerRequestMs', 'idleCpuMillis', 'memoryPerRequestBytes', 'baseMemoryBytes'] as const) {
    const v = spec[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) out.push(`${key}: must be a finite number ≥ 0, got ${String(v)}`);
  }
  return out;
}

/**
 * The model for an image: an exact match in `apps`, else the same image without its
 * tag or digest, else `apps.default`, else DEFAULT_APP_MODEL.
 * Example: `ghcr.io/knative/helloworld-go:v2` matches the key `ghcr.io/knative/helloworld-go`.
 */
export function lookupAppSpec(apps: Readonly<Record<string, AppModelSpec>>, image: string | undefined): AppModelSpec {
  if (image !== undefined) {
    const exact = ownSpec(apps, image);
    if (exact !== undefined) return exact;
    const bare = ownSpec(apps, stripTag(image));
    if (bare !== undefined) return bare;
  }
  return ownSpec(apps, 'default') ?? DEFAULT_APP_MODEL;
}

/** The spec under `key` itself, never one inherited from Object.prototype (`constructor`, `toString`). */
function ownSpec(apps: Readonly<Record<string, AppModelSpec>>, key: string): AppModelSpec | undefined {
  return Object.prototype.hasOwnProperty.call(apps, key) ? apps[key] : undefined;
}

function stripTag(image: string): string {
  const at = image.indexOf('@');
  const noDigest = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > lastSlash ? noDigest.slice(0, colon) : noDigest;
}
