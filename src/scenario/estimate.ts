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
 * - Pods: those min-scale keeps for the whole run, the pod each new revision starts
 *   (initial-scale) until the autoscaler lets it go (a stable window and the grace period: 90 s),
 *   plus those each workload's traffic needs by Little's law: concurrency = rate × mean service
 *   time (a closed loop's users × service / (service + think)), divided by the target's per-pod
 *   target (containerConcurrency or the target annotation, times the utilization), capped by
 *   max-scale, kept for the workload's window plus a stable window. A trace replay is counted
 *   minute by minute (`traceWork`): each function's minutes with invocations keep Little's pods
 *   for that minute's rate (at least one; a durations file gives the function its own mean), the
 *   first busy minute after an idle one starts a pod from zero, and each busy stretch's last pod
 *   stays 90 s after it.
 * - Time: the run's CPU time from the costs below, measured on a 2-core Linux machine running
 *   Node 20 (the machine knsim's benchmarks run on) with `knsim run --quiet`, each rounded up
 *   from the largest seen: a request 8–14 µs while the JIT warms up (the first 100,000) and
 *   0.9–1.5 µs after; a pod-second 4.6–6.4 µs (its probes, its queue-proxy's stats, the
 *   autoscaler's scrape and tick: a revision with no pod is dormant and costs nothing); a pod
 *   start 2.4 ms (some sixty reconciles from ReplicaSet to endpoints, the kubelet, its end); a
 *   revision 4–6 ms (its objects, kn's wait). Fitted to the shipped scenarios, the benchmark's
 *   Azure replays (1, 6 and 24 hours of 100 functions) and its 10, 100 and 1,000 services: the
 *   estimates came out 0.9 to 5 times the measured time (the 100-function day 38 s against 26 s;
 *   one service at 200/s for an hour 3.1 s against 0.65 s). Not foreseen: a surge of pods the
 *   cluster cannot place (every pending pod's event re-reads all of the ReplicaSet's pods).
 * Fidelity: estimates are expectations, not bounds: Poisson counts vary around them, the
 * autoscaler's pods follow its windows rather than the mean rate, and a faster machine runs
 * quicker than the time estimate says.
 */
import { distributionMeanMs } from '../engine/distribution.js';
import { MS_PER_MINUTE } from '../engine/units.js';
import { MIN_CYCLE_MS } from '../workload/closed-loop.js';
import { expectedAzureArrivals } from '../workload/azure-replay.js';
import { expectedArrivalCount } from '../workload/workload.js';
import type { TraceArrivals, TrafficWorkload } from './types.js';
import { replayWindowOf, workloadPatternOf } from './workload-spec.js';

/** CPU µs per request while the JIT warms up (measured 8 to 14), for the first WARMING_REQUESTS. */
const WARMING_REQUEST_US = 15;
const WARMING_REQUESTS = 100_000;
/** CPU µs per request after (measured 0.9 to 1.5). */
const REQUEST_US = 2;
/** CPU µs per pod and second it runs (measured 4.6 to 6.4). */
const POD_SECOND_US = 7;
/** CPU µs per pod start: its reconciles, the kubelet's work, its termination (measured about 2,400). */
const POD_START_US = 3_000;
/** CPU µs per revision created: its objects, kn's wait for it (measured 4,000 to 6,000). */
const REVISION_US = 7_000;
/** CPU seconds every run costs: building the world, compiling the hot paths. */
const BASE_SECONDS = 0.3;
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

/** The run's CPU time in seconds: requests, pod-seconds, pod starts and revisions at the measured costs. */
export function estimateRunSeconds(input: { requests: number; podSeconds: number; podStarts: number; revisions: number }): number {
  const warming = Math.min(input.requests, WARMING_REQUESTS);
  const us =
    warming * WARMING_REQUEST_US +
    (input.requests - warming) * REQUEST_US +
    input.podSeconds * POD_SECOND_US +
    input.podStarts * POD_START_US +
    input.revisions * REVISION_US;
  return BASE_SECONDS + us / 1e6;
}

/** What a trace replay asks of the cluster over its replayed window (`traceWork`). */
export interface TraceWork {
  /** Function-minutes with invocations. */
  busyMinutes: number;
  /** Pods started from zero: busy minutes after an idle one. */
  podStarts: number;
  /** Pod-seconds: Little's pods (at least one) for each busy minute, and REVISION_POD_SECONDS after each busy stretch. */
  podSeconds: number;
}

/**
 * A trace replay's work from its per-minute counts in the replayed window, function by function
 * (see the module comment). `target` gives the per-pod target and the service time (a function's
 * own mean when the durations file has it); without it a busy minute keeps one pod.
 * Example: counts 3, 0, 5, 5, 0, 0, 1 of a 200 ms app → 4 busy minutes, 3 pod starts,
 * 4 × 60 + 3 × 90 = 510 pod-seconds.
 */
export function traceWork(w: TrafficWorkload, trace: TraceArrivals, target?: EstimateTarget): TraceWork {
  const window = replayWindowOf(w, trace);
  const minuteMs = MS_PER_MINUTE * window.timeScale;
  const scaling = target?.scaling;
  const serviceTimes = trace.durations?.serviceTimes;
  let busyMinutes = 0;
  let podStarts = 0;
  let podSeconds = 0;
  trace.traces.forEach((fn, i) => {
    const d = serviceTimes?.[i];
    const serviceMs = d === null || d === undefined ? (target?.serviceMeanMs ?? 0) : distributionMeanMs(d);
    const first = (window.minuteFrom ?? 1) - 1;
    const last = (window.minuteTo ?? fn.perMinute.length) - 1;
    let previous = 0;
    for (let m = first; m <= last && window.fromMs + (m - first) * minuteMs < window.toMs; m++) {
      const count = fn.perMinute[m] ?? 0;
      if (count > 0) {
        busyMinutes++;
        if (previous === 0) {
          podStarts++;
          podSeconds += REVISION_POD_SECONDS;
        }
        podSeconds += (minutePods(count, minuteMs, serviceMs, scaling) * minuteMs) / 1000;
      }
      previous = count;
    }
  });
  return { busyMinutes, podStarts, podSeconds };
}

/** Little's pods for one trace minute's invocations, at least one, capped by max-scale. */
function minutePods(count: number, minuteMs: number, serviceMs: number, scaling: EstimateTarget['scaling']): number {
  if (scaling === undefined) return 1;
  const ratePerSecond = count / (minuteMs / 1000);
  const load = scaling.metric === 'rps' ? ratePerSecond : (ratePerSecond * serviceMs) / 1000;
  const pods = Math.max(1, Math.ceil(load / scaling.targetPerPod));
  return scaling.maxScale > 0 ? Math.min(pods, scaling.maxScale) : pods;
}
