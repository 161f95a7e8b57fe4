/**
 * Workload shapes: what a workload is asked to produce (a spec), where its arrivals go
 * (a sink) and how the caller controls it afterwards (a handle).
 *
 * Fidelity: open-loop patterns are arrival processes over virtual time, as load generators
 * such as `hey -q`, k6's arrival-rate executors or invitro's trace loader produce them; the
 * closed loop is `hey -c N` (each user waits for its response, then thinks, then sends again).
 * Nothing here knows HTTP: the sink turns an arrival into a request. Mirrors no upstream file.
 */
import type { Distribution } from '../engine/index.js';

/** Where arrivals go. Called once per arrival, at the arrival's virtual time. */
export interface ArrivalSink<T> {
  /**
   * A request for `target` arrives at `nowMs` (equal to `engine.nowMs`).
   * `user` is null for open-loop workloads. For a closed-loop workload it is the user that
   * sent the request: keep it with the request and call `user.complete()` when the user has
   * its response (success or error), so the user can think and send its next request.
   * `serviceMs` is the request's own service time when the workload carries one (a trace
   * replay with a durations file); absent or NaN, the target's app model draws it.
   */
  arrive(target: T, nowMs: number, user: ClosedLoopUser | null, serviceMs?: number): void;
}

/** What the caller keeps to observe and stop a running workload. */
export interface WorkloadHandle {
  readonly name: string;
  /** Arrivals delivered to the sink so far. */
  readonly arrivalCount: number;
  /** Closed loop: requests sent and not yet completed (never more than `users`); 0 for open loops. */
  readonly outstandingCount: number;
  /** Cancels every pending arrival; later completions of closed-loop users send nothing. Idempotent. */
  stop(): void;
}

/**
 * One closed-loop user. The workload creates one per user at start (not per request), so the
 * data plane can carry a reference in its request record without allocating.
 */
export interface ClosedLoopUser {
  /** The workload's name, for logs. */
  readonly workloadName: string;
  /** 0-based user number within the workload. */
  readonly index: number;
  /** True between sending a request and `complete()`. */
  readonly outstanding: boolean;
  /** The user has its response: think, then send again if the workload's window is still open. */
  complete(): void;
}

/**
 * How arrivals are placed under a rate curve λ(t).
 * - `poisson`: a (non-homogeneous) Poisson process: gaps in expected-arrival units are Exp(1).
 * - `regular`: deterministic; an arrival each time the expected count Λ(t) crosses an integer
 *   (Λ = 0, 1, 2, …), so a constant rate gives a fixed interval of 1/rate starting at `fromMs`.
 */
export type ArrivalProcess = 'poisson' | 'regular';

/** A burst on top of the base rate: extra `ratePerSecond` for `durationMs`, or `count` requests at once. */
export type Spike = { atMs: number; durationMs: number; ratePerSecond: number } | { atMs: number; count: number };

/** One step of a step pattern: from `atMs` on, the rate is `ratePerSecond` (until the next step). */
export interface RateStep {
  atMs: number;
  ratePerSecond: number;
}

/** The shape of a workload's arrivals. Rates are requests per second; times are absolute virtual ms. */
export type WorkloadPattern =
  /** Fixed interval 1000/rate ms, first arrival at `fromMs`. */
  | { pattern: 'constant'; ratePerSecond: number }
  /** Poisson arrivals: exponential gaps with mean 1000/rate ms. */
  | { pattern: 'poisson'; ratePerSecond: number }
  /** Rate moves linearly from `startRatePerSecond` at `fromMs` to `endRatePerSecond` at `toMs`. */
  | { pattern: 'ramp'; startRatePerSecond: number; endRatePerSecond: number; arrivals?: ArrivalProcess }
  /** Piecewise-constant rate; 0 before the first step. */
  | { pattern: 'step'; steps: readonly RateStep[]; arrivals?: ArrivalProcess }
  /** Base rate plus spikes. */
  | { pattern: 'burst'; baseRatePerSecond: number; spikes: readonly Spike[]; arrivals?: ArrivalProcess }
  /**
   * λ(t) = max(0, mean + amplitude·cos(2π(t − phaseMs)/periodMs)): the rate peaks at `phaseMs`
   * (default 0) and every `periodMs` after it, and bottoms out half a period later; an amplitude
   * above the mean is clipped at 0 in the troughs.
   */
  | {
      pattern: 'diurnal';
      meanRatePerSecond: number;
      amplitudePerSecond: number;
      periodMs: number;
      phaseMs?: number;
      arrivals?: ArrivalProcess;
    }
  /** `users` closed-loop users; user i starts at fromMs + i·rampUpMs/users (all at once by default). */
  /** `thinkTime` is drawn after each response, before the user's next request. */
  | { pattern: 'closed-loop'; users: number; thinkTime: Distribution; rampUpMs?: number };

/** A workload: a name (its random stream is `workload/<name>`), a target, a window and a pattern. */
export type WorkloadSpec<T> = WorkloadPattern & {
  name: string;
  target: T;
  /** Arrivals happen in [fromMs, toMs). */
  fromMs: number;
  toMs: number;
};
