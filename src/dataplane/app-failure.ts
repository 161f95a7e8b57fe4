/**
 * How the user's code fails, as part of an app model (app-model.ts `failure`): what the
 * process in the user container does besides serving requests.
 *
 * - `crash`: the process exits with `exitCode` (default 1) — after running for `after`
 *   (a distribution, drawn at each start), as it takes its `afterRequests`-th request
 *   (that request and all others inside fail), or at random at `ratePerSecond` (an
 *   exponential running time); whichever comes first.
 * - `startupFailures`: the first K starts of the container in each pod exit at the end of
 *   their start-up (Infinity: every start, an app that never comes up).
 * - `readinessFlap`: once listening, its readiness endpoint passes for `ready`, then
 *   fails for `unready`, over and over (each drawn anew); requests are still served. Only
 *   probes that ask the app (httpGet, exec, gRPC) see it; a TCP probe still connects.
 * - `hang`: after running for `after` the process stops answering: requests and HTTP,
 *   exec or gRPC probes get nothing (a TCP connect still succeeds); a liveness probe
 *   catches it.
 * - `message`: the termination message the container leaves (Knative's revision shows it).
 *
 * Fidelity: a modelling tool, not a model of anything in Knative; a crash draws nothing
 * from the request's own streams, so adding a failure model to one image leaves the
 * service times of every other unchanged.
 */
import { compileDistribution, validateDistribution, type Distribution, type Sampler } from '../engine/index.js';

export interface AppFailureSpec {
  crash?: { after?: Distribution; afterRequests?: number; ratePerSecond?: number };
  /** Exit code of a crash or a failed start-up. Default 1. */
  exitCode?: number;
  /** The termination message. Default none. */
  message?: string;
  /** Starts that fail, per pod (Infinity: all). Default 0. */
  startupFailures?: number;
  readinessFlap?: { ready: Distribution; unready: Distribution };
  hang?: { after: Distribution };
}

/** A failure spec compiled once: samplers and numbers, nothing allocated per start. */
export interface AppFailure {
  readonly crashAfter: Sampler | null;
  readonly crashAfterRequests: number;
  readonly crashRatePerSecond: number;
  readonly exitCode: number;
  readonly message: string;
  readonly startupFailures: number;
  readonly flapReady: Sampler | null;
  readonly flapUnready: Sampler | null;
  readonly hangAfter: Sampler | null;
}

export function compileFailure(spec: AppFailureSpec | undefined): AppFailure | null {
  if (spec === undefined) return null;
  return {
    crashAfter: spec.crash?.after === undefined ? null : compileDistribution(spec.crash.after),
    crashAfterRequests: spec.crash?.afterRequests ?? Infinity,
    crashRatePerSecond: spec.crash?.ratePerSecond ?? 0,
    exitCode: spec.exitCode ?? 1,
    message: spec.message ?? '',
    startupFailures: spec.startupFailures ?? 0,
    flapReady: spec.readinessFlap === undefined ? null : compileDistribution(spec.readinessFlap.ready),
    flapUnready: spec.readinessFlap === undefined ? null : compileDistribution(spec.readinessFlap.unready),
    hangAfter: spec.hang === undefined ? null : compileDistribution(spec.hang.after),
  };
}

/** Problems with a failure spec, each naming its field under `failure`; empty when valid. */
export function validateFailure(spec: AppFailureSpec | undefined): string[] {
  if (spec === undefined) return [];
  if (typeof spec !== 'object' || spec === null) return ['failure: must be an object'];
  const out: string[] = [];
  const crash = spec.crash;
  if (crash !== undefined) {
    if (crash.after !== undefined) out.push(...validateDistribution(crash.after, 'failure.crash.after'));
    if (crash.afterRequests !== undefined && !(Number.isInteger(crash.afterRequests) && crash.afterRequests >= 1))
      out.push(`failure.crash.afterRequests: must be an integer ≥ 1, got ${String(crash.afterRequests)}`);
    if (crash.ratePerSecond !== undefined && !(Number.isFinite(crash.ratePerSecond) && crash.ratePerSecond > 0))
      out.push(`failure.crash.ratePerSecond: must be a number > 0, got ${String(crash.ratePerSecond)}`);
    if (crash.after === undefined && crash.afterRequests === undefined && crash.ratePerSecond === undefined)
      out.push('failure.crash: give after, afterRequests or ratePerSecond');
  }
  if (spec.exitCode !== undefined && !(Number.isInteger(spec.exitCode) && spec.exitCode >= 0 && spec.exitCode <= 255))
    out.push(`failure.exitCode: must be an integer in [0, 255], got ${String(spec.exitCode)}`);
  if (spec.startupFailures !== undefined && !(spec.startupFailures === Infinity || (Number.isInteger(spec.startupFailures) && spec.startupFailures >= 0)))
    out.push(`failure.startupFailures: must be an integer ≥ 0 or Infinity, got ${String(spec.startupFailures)}`);
  if (spec.readinessFlap !== undefined) {
    out.push(...validateDistribution(spec.readinessFlap.ready, 'failure.readinessFlap.ready'));
    out.push(...validateDistribution(spec.readinessFlap.unready, 'failure.readinessFlap.unready'));
  }
  if (spec.hang !== undefined) out.push(...validateDistribution(spec.hang.after, 'failure.hang.after'));
  return out;
}
