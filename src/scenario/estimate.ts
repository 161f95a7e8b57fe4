/**
 * What a scenario will cost, estimated before the run, so that a scenario asking for billions
 * of requests or years of pod time is refused with the estimate and the way to raise the
 * limit, instead of running for days.
 * - Requests: an open workload's count is the workload layer's own (`expectedArrivalCount`, the
 *   integral of its rate curve); a trace's is the replayer's own count; closed-loop users send
 *   one request per think time plus the mean service time of their target's own app model (the
 *   fastest of its images), and, while the target cannot answer yet (until it is created plus a
 *   start-up allowance), one per think time (a 404 comes back at once), never more than one per
 *   millisecond per user (the closed loop's floor).
 * - Pods: those the timeline asks for (min-scale, initial-scale) for the whole run, the pod each
 *   new revision starts (initial-scale) until the autoscaler lets it go (a stable window and the
 *   grace period: 90 s), plus those
 *   each workload's traffic needs by Little's law: concurrency = rate × mean service time (a
 *   closed loop's users × service / (service + think); a trace with a durations file weighs its
 *   functions' own means by their requests), divided by the target's per-pod target
 *   (containerConcurrency or the target annotation, times the utilization), capped by max-scale,
 *   kept for the workload's window plus a stable window.
 * - Time: the run's CPU time from the costs below, measured on a 2-core Linux machine running
 *   Node 20 (the machine knsim's benchmarks run on), each rounded up from the largest seen:
 *   a request 7–55 µs (the top for containerConcurrency-limited services whose requests queue),
 *   a pod-second 20–25 µs, a revision 30–40 ms (its controllers, its pod's start, kn's wait), a
 *   revision-second under 20 µs.
 * Fidelity: estimates are expectations, not bounds: Poisson counts vary around them, the
 * autoscaler's pods follow its windows rather than the mean rate, and a faster machine runs
 * quicker than the time estimate says.
 */
import { distributionMeanMs } from '../engine/distribution.js';
import { MIN_CYCLE_MS } from '../workload/closed-loop.js';
import { expectedAzureArrivals } from '../workload/azure-replay.js';
import { expectedArrivalCount } from '../workload/workload.js';
import type { TraceArrivals, TrafficWorkload } from './types.js';
import { replayWindowOf, workloadPatternOf } from './workload-spec.js';

/** CPU µs per request (measured 7 to 55). */
const REQUEST_US = 60;
/** CPU µs per pod and second it runs (measured 20 to 25). */
const POD_SECOND_US = 30;
/** CPU µs per revision and second: the autoscaler's ticks, the controllers' reconciles (measured under 20). */
const SERVICE_SECOND_US = 20;
/** CPU µs per revision created: its children, its first pod, kn's wait for it (measured 30,000 to 40,000). */
const REVISION_US = 50_000;
/** CPU seconds every run costs: building the world, compiling the hot paths. */
const BASE_SECONDS = 0.5;
/** How long after a service is created its closed-loop users are assumed to get answers at once (404) before it serves. */
export const READINESS_ALLOWANCE_MS = 30_000;
/** How long the autoscaler keeps the pods of a load after it ends: Knative's default stable window. */
const STABLE_WINDOW_MS = 60_000;
/** Pod-seconds of the pod a new revision starts before the autoscaler scales it away: a stable window plus the scale-to-zero grace period. */
export const REVISION_POD_SECONDS = 90;

/** What the estimate needs to know of a workload's target. */
export interface EstimateTarget {
  /** Mean service time of the fastest app model the target runs (ms). */
  serviceMeanMs: number;
  /** When the target can first answer, or Infinity when it never can (a host nothing routes). */
  servingFromMs: number;
  /** The autoscaler's per-pod target (concurrency, or requests per second with `metric: rps`), and max-scale (0: none). */
  scaling?: { metric: string; targetPerPod: number; maxScale: number };
}

/**
 * Expected requests of one workload over its window.
 * Examples: constant 10/s over 60s → 600; ramp 0 → 100/s over 60s → 3000;
 * 10 users with 1s think time and a 9ms app over 60s, served from the start → 10 × 60000 / 1009 ≈ 595.
 */
export function estimateRequests(w: TrafficWorkload, target: EstimateTarget): number {
  const a = w.arrivals;
  if (a.pattern === 'trace') return a.totalInvocations;
  if (a.pattern === 'users') {
    const thinkMs = distributionMeanMs(a.thinkTime);
    const servedCycleMs = Math.max(MIN_CYCLE_MS, thinkMs + target.serviceMeanMs);
    const unservedCycleMs = Math.max(MIN_CYCLE_MS, thinkMs);
    const servedFrom = Math.min(Math.max(target.servingFromMs, w.fromMs), w.toMs);
    return a.users * ((servedFrom - w.fromMs) / unservedCycleMs + (w.toMs - servedFrom) / servedCycleMs);
  }
  return expectedArrivalCount({ ...workloadPatternOf(w), name: w.name, target: null, fromMs: w.fromMs, toMs: w.toMs }) ?? 0;
}

/**
 * The mean service time of a trace replay's requests when its durations file gives the functions
 * theirs: each function's distribution mean (or `fallbackMs`, its target's app model, when it has
 * none) weighted by the requests it sends in the window.
 * Example: 300 requests at a mean of 100 ms and 100 at 2 s → (300 × 100 + 100 × 2000) / 400 = 575 ms.
 */
export function traceServiceMeanMs(w: TrafficWorkload, trace: TraceArrivals, fallbackMs: number): number {
  const serviceTimes = trace.durations?.serviceTimes;
  if (serviceTimes === undefined) return fallbackMs;
  const window = replayWindowOf(w, trace);
  let requests = 0;
  let weighted = 0;
  trace.traces.forEach((fn, i) => {
    const n = expectedAzureArrivals({ name: w.name, functions: [fn], targets: [null], spread: trace.spread, ...window });
    const d = serviceTimes[i];
    requests += n;
    weighted += n * (d === null || d === undefined ? fallbackMs : distributionMeanMs(d));
  });
  return requests === 0 ? fallbackMs : weighted / requests;
}

/**
 * Pod-seconds a workload's traffic needs (Little's law over its mean rate), beyond the pods the timeline asks for.
 * Example: 100 requests/s of a 50 ms app to a service with containerConcurrency 1 (target 0.7 per pod)
 * → concurrency 5, 8 pods, for the window plus 60 s.
 */
export function estimateTrafficPodSeconds(w: TrafficWorkload, requests: number, target: EstimateTarget): number {
  return (estimateTrafficPods(w, requests, target) * (w.toMs - w.fromMs + STABLE_WINDOW_MS)) / 1000;
}

/** The pods a workload's traffic needs at its mean rate (Little's law over the per-pod target, capped by max-scale); 0 without scaling. */
export function estimateTrafficPods(w: TrafficWorkload, requests: number, target: EstimateTarget): number {
  const spanMs = w.toMs - w.fromMs;
  if (!(spanMs > 0) || target.scaling === undefined) return 0;
  const a = w.arrivals;
  const ratePerSecond = requests / (spanMs / 1000);
  const concurrency =
    a.pattern === 'users'
      ? (a.users * target.serviceMeanMs) / Math.max(MIN_CYCLE_MS, target.serviceMeanMs + distributionMeanMs(a.thinkTime))
      : (ratePerSecond * target.serviceMeanMs) / 1000;
  const load = target.scaling.metric === 'rps' ? ratePerSecond : concurrency;
  let pods = Math.ceil(load / target.scaling.targetPerPod);
  if (target.scaling.maxScale > 0) pods = Math.min(pods, target.scaling.maxScale);
  return pods;
}

/** The run's CPU time in seconds: requests, pod-seconds, revisions and revision-seconds at the measured costs. */
export function estimateRunSeconds(input: { requests: number; podSeconds: number; revisions: number; durationMs: number }): number {
  const us = input.requests * REQUEST_US + input.podSeconds * POD_SECOND_US + input.revisions * (REVISION_US + (input.durationMs / 1000) * SERVICE_SECOND_US);
  return BASE_SECONDS + us / 1e6;
}
