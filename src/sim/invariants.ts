/**
 * The invariants a scenario can ask for (`invariants:`), each a check over a run's result
 * that returns its violations in one line each, with the revision, the time and the numbers.
 * `knsim run` checks the scenario's list after the run (a violation exits 1) and `knsim fuzz`
 * looks for a variant that breaks one. They read the JSON contract only: the summary, the
 * series, the events' data and the report's recordings (objects, revision stats).
 *
 * Fidelity: each states a rule of Knative (or of accounting) with the slack the simulation's
 * own timing needs, no more: what the README's "Property-based testing" section says, and
 * where a rule does not apply (a revision with min-scale, a config change mid-run) it is skipped,
 * never loosened. The scale-to-zero timing lives in invariant-zero.ts.
 */
import { lookupAppSpec } from '../dataplane/index.js';
import { DEFAULT_ROUTE_PROPAGATION_MS } from '../dataplane/router.js';
import { formatDuration, type Distribution } from '../engine/index.js';
import type { InvariantName, Scenario } from '../scenario/index.js';
import { RunData, type InvariantRun } from './invariant-data.js';
import { checkZeroAfterStableWindow } from './invariant-zero.js';
import type { InvariantResult, RecordedResult } from './result.js';
import { appModelsOf } from './world.js';

/** One invariant: what it promises (for messages and docs) and its check (violations, empty when it holds). */
interface Invariant {
  promise: string;
  check(run: InvariantRun): string[];
}

/** The most violations listed per invariant; the rest are counted. */
const MAX_LISTED = 3;

export const INVARIANTS: Readonly<Record<InvariantName, Invariant>> = {
  conservation: { promise: 'every request ended once or is still in flight', check: checkConservation },
  trafficSharesSumToOne: { promise: 'traffic shares sum to 1, Route percentages to 100', check: checkShares },
  podsWithinScaleBounds: { promise: 'replicas stay within min-scale and max-scale', check: checkScaleBounds },
  noScaleDownInPanic: { promise: 'no scale-down while in panic', check: checkNoScaleDownInPanic },
  zeroAfterStableWindow: {
    promise: 'zero within the stable window + one tick after the last response, + the grace period off the activator path',
    check: checkZeroAfterStableWindow,
  },
  rollbackServesOnlyTarget: { promise: 'a Route sending 100% to one revision serves only it once propagated', check: checkPinnedTraffic },
  latencyAtLeastServiceTime: { promise: 'no response faster than its service time', check: checkLatency },
  deterministic: { promise: 'same scenario and seed, same fingerprint', check: checkDeterministic },
};

/**
 * Checks invariants of a finished run (a `RunResult`, or `recordedResult()`'s recordings read
 * from their logs in passes). `rerun` runs the scenario again (for `deterministic`).
 * Throws when the result lacks the report's recordings (`record: { report: true }`), which the
 * invariants read.
 */
export function checkInvariants(
  scenario: Scenario,
  result: RecordedResult,
  names: readonly InvariantName[] = scenario.invariants.map((i) => i.name),
  rerun?: () => RecordedResult,
): InvariantResult[] {
  if (result.revisionStats === undefined || result.objects === undefined)
    throw new Error('invariants read the report recordings: run with record: { report: true } (runScenario(s, { record: { report: true } }))');
  const run: InvariantRun = { scenario, result, data: new RunData(result), ...(rerun !== undefined ? { rerun } : {}) };
  return names.map((name) => {
    const violations = INVARIANTS[name].check(run);
    const at = scenario.invariants.find((i) => i.name === name)?.pos;
    const listed = violations.slice(0, MAX_LISTED);
    if (violations.length > MAX_LISTED) listed.push(`… and ${violations.length - MAX_LISTED} more`);
    return {
      name,
      passed: violations.length === 0,
      message: violations.length === 0 ? INVARIANTS[name].promise : listed.join('\n'),
      ...(at !== undefined ? { at: `${at.file}:${at.line}:${at.column}` } : {}),
    };
  });
}

function checkConservation({ result }: InvariantRun): string[] {
  const out: string[] = [];
  const r = result.summary.requests;
  if (r.total !== r.succeeded + r.failed + r.inFlight)
    out.push(
      `${r.total} requests arrived but ${r.succeeded} succeeded + ${r.failed} failed + ${r.inFlight} in flight = ${r.succeeded + r.failed + r.inFlight}`,
    );
  let ended = 0;
  for (const n of Object.values(r.byStatus)) ended += n;
  if (ended !== r.succeeded + r.failed) out.push(`the statuses count ${ended} ended requests, not ${r.succeeded} succeeded + ${r.failed} failed`);
  if ((r.byStatus['200'] ?? 0) !== r.succeeded) out.push(`${r.byStatus['200'] ?? 0} responses were 200 but ${r.succeeded} succeeded`);
  // Per revision: what ended is at most what was routed to it, and what is left is in flight.
  let routed = 0;
  let routedInFlight = 0;
  for (const rev of result.revisions) {
    routed += rev.requests;
    const stats = result.revisionStats?.find((s) => s.name === rev.name);
    if (stats === undefined) continue;
    let done = 0;
    for (const n of Object.values(stats.byStatus)) done += n;
    if (done > rev.requests) out.push(`${rev.name}: ${done} requests ended but ${rev.requests} were routed to it`);
    routedInFlight += rev.requests - done;
  }
  if (routed > r.total) out.push(`${routed} requests were routed to revisions but only ${r.total} arrived`);
  if (routedInFlight > r.inFlight) out.push(`${routedInFlight} routed requests have not ended but only ${r.inFlight} are in flight`);
  return out;
}

function checkShares({ result }: InvariantRun): string[] {
  const out: string[] = [];
  let routed = 0;
  let shares = 0;
  for (const rev of result.revisions) {
    routed += rev.requests;
    shares += rev.trafficShare;
  }
  if (routed > 0 && Math.abs(shares - 1) > 1e-9) out.push(`the revisions' traffic shares sum to ${shares}, not 1 (${routed} requests routed)`);
  for (const rev of result.revisions) {
    const want = routed === 0 ? 0 : rev.requests / routed;
    if (Math.abs(rev.trafficShare - want) > 1e-12) out.push(`${rev.name}: traffic share ${rev.trafficShare}, but it got ${rev.requests} of ${routed} requests`);
  }
  for (const o of result.objects ?? []) {
    if (o.kind !== 'Route' || o.state === null || !Array.isArray(o.state.traffic) || o.state.traffic.length === 0) continue;
    let percent = 0;
    for (const t of o.state.traffic) percent += t.percent;
    if (percent !== 100) out.push(`route ${o.name} at ${formatDuration(o.t)}: traffic percentages sum to ${percent}, not 100`);
  }
  return out;
}

function checkScaleBounds(run: InvariantRun): string[] {
  const { result, data } = run;
  const out: string[] = [];
  const changes = data.configChangeTimes();
  const routes = data.routeStates();
  for (const stats of result.revisionStats ?? []) {
    const a = stats.autoscaling;
    if (a === undefined || changes.some((t) => t >= a.atMs)) continue;
    const samples = data.seriesOf(stats.name);
    // Until the revision first has max(min-scale, initial-scale) ready pods, Knative holds it at
    // that many even above max-scale (kpa/scaler.go raises min-scale to the initial scale first).
    const minReady = Math.max(a.minScale, a.initialScale);
    const initialized = samples.findIndex((s) => s.readyPods >= minReady);
    const initializedMs = samples[initialized]?.t ?? Infinity;
    // When min-scale is above max-scale (an annotation against the ConfigMap's value, which the webhook
    // does not compare), Knative's applyBounds honours min-scale: there is no range to stay in.
    if (a.maxScale > 0 && a.minScale <= a.maxScale) {
      // The PodAutoscaler notices the initial scale at its next reconcile or tick.
      const over = samples.find((s) => s.desiredReplicas > (s.t > initializedMs + INITIAL_SETTLE_MS ? a.maxScale : Math.max(a.maxScale, minReady)));
      if (over !== undefined)
        out.push(
          `${stats.name}: ${over.desiredReplicas} replicas at ${formatDuration(over.t)}, above max-scale ${a.maxScale}${minReady > a.maxScale ? ` (initial scale ${minReady} reached)` : ''}`,
        );
    }
    if (a.minScale > 0 && initialized >= 0) {
      // Min-scale holds while a route sends the revision traffic (Knative drops it for an
      // unreachable revision); a route change needs a few seconds to reach the autoscaler.
      const under = samples
        .slice(initialized)
        .find((s) => s.desiredReplicas < a.minScale && routes.routedThroughout(stats.service, stats.name, s.t - ROUTING_SETTLE_MS, s.t));
      if (under !== undefined)
        out.push(
          `${stats.name}: ${under.desiredReplicas} replicas at ${formatDuration(under.t)}, below min-scale ${a.minScale}, while its route sent it traffic`,
        );
    }
  }
  return out;
}

/** Time for the PodAutoscaler to see that its initial scale was reached and apply max-scale: a tick and a reconcile. */
const INITIAL_SETTLE_MS = 3_000;

/** Time for a route change to reach the revision's PodAutoscaler (labeler, PA reachability, one reconcile). */
const ROUTING_SETTLE_MS = 5_000;

function checkNoScaleDownInPanic({ result }: InvariantRun): string[] {
  const out: string[] = [];
  const last = new Map<string, { t: number; desired: number; inPanic: boolean; entered: boolean }>();
  for (const e of result.events) {
    const d = e.data;
    if (d.kind === 'decision') {
      const prev = last.get(d.revision);
      if (prev?.inPanic === true && d.inPanic && d.panicTransition !== 'enter' && d.desiredPodCount < prev.desired)
        out.push(
          `${d.revision}: in panic since before ${formatDuration(prev.t)}, the decider went from ${prev.desired} to ${d.desiredPodCount} pods at ${formatDuration(e.t)}`,
        );
      last.set(d.revision, { t: e.t, desired: d.desiredPodCount, inPanic: d.inPanic, entered: d.panicTransition === 'enter' });
    } else if (d.kind === 'scale' && d.phase === 'scale' && d.replicasFrom !== undefined && d.replicasTo !== undefined && d.replicasTo < d.replicasFrom) {
      // The decision that enters panic may ask for fewer pods than the stable mode's last (scaling.go
      // resets maxPanicPods when a panic ends, so a new one starts from this tick's own count); only
      // a panic already in force holds the replicas.
      const decision = last.get(d.revision);
      if (decision?.inPanic === true && !decision.entered)
        out.push(`${d.revision}: scaled from ${d.replicasFrom} to ${d.replicasTo} replicas at ${formatDuration(e.t)} while the autoscaler was in panic`);
    }
  }
  return out;
}

function checkPinnedTraffic(run: InvariantRun): string[] {
  const { result, scenario, data } = run;
  const out: string[] = [];
  const propagationMs = (scenario.cluster.routePropagationMs ?? DEFAULT_ROUTE_PROPAGATION_MS) + PROPAGATION_SLACK_MS;
  const routes = data.routeStates();
  for (const [service, states] of routes.byService) {
    states.forEach((state, i) => {
      const traffic = state.traffic;
      const pinned = traffic.filter((t) => t.percent > 0);
      const target = pinned[0];
      if (pinned.length !== 1 || target === undefined || target.percent !== 100 || traffic.some((t) => t.tag !== undefined)) return;
      const fromMs = state.t + propagationMs;
      const untilMs = states[i + 1]?.t ?? result.durationMs;
      for (const rev of result.revisions) {
        if (rev.service !== service || rev.name === target.revision) continue;
        // A sample counts the arrivals of the second before it.
        const hit = data.seriesOf(rev.name).find((s) => s.t - 1000 >= fromMs && s.t <= untilMs && s.requests > 0);
        if (hit !== undefined)
          out.push(
            `${rev.name}: ${hit.requests} request(s) in the second before ${formatDuration(hit.t)}, after route ${service} sent 100% to ${target.revision} at ${formatDuration(state.t)} (propagated by ${formatDuration(fromMs)})`,
          );
      }
    });
  }
  return out;
}

/** Beyond routePropagation: the route's write reaching the Ingress and the router's watch. */
const PROPAGATION_SLACK_MS = 1_000;

function checkLatency({ result, scenario }: InvariantRun): string[] {
  const out: string[] = [];
  const apps = appModelsOf(scenario);
  const traced = traceShortestMs(scenario);
  for (const s of result.revisionStats ?? []) {
    if (s.latencyOverheadMinMs !== undefined && s.latencyOverheadMinMs < -1e-6)
      out.push(`${s.name}: a request ended ${formatDuration(-s.latencyOverheadMinMs)} sooner than the time it spent in the app`);
    // A replayed trace function's requests bring their own service times (its durations), which may be shorter than the image's.
    const shortest = Math.min(
      distributionMinMs(lookupAppSpec(apps, s.image).serviceTime),
      traced.get(s.service) ?? Infinity,
      traced.get(ANY_SERVICE) ?? Infinity,
    );
    if (s.servedLatencyMinMs !== undefined && s.servedLatencyMinMs < shortest - 1e-6)
      out.push(`${s.name}: a 200 response took ${formatDuration(s.servedLatencyMinMs)}, below the app's shortest service time ${formatDuration(shortest)}`);
  }
  return out;
}

/** Stands for every service: the key of a trace function sent to a `{host}`, which may reach any revision. */
const ANY_SERVICE = '*';

/** The shortest service time the trace functions' durations give the requests they send, by target service name. */
function traceShortestMs(scenario: Scenario): Map<string, number> {
  const out = new Map<string, number>();
  for (const w of scenario.traffic) {
    const a = w.arrivals;
    if (a.pattern !== 'trace' || a.durations === undefined) continue;
    a.durations.serviceTimes.forEach((d, i) => {
      const target = a.targets[i];
      if (d === null || target === undefined) return;
      const key = target.kind === 'service' ? target.service : ANY_SERVICE;
      out.set(key, Math.min(out.get(key) ?? Infinity, distributionMinMs(d)));
    });
  }
  return out;
}

/** The shortest time a distribution can draw (0 for the unbounded ones). */
function distributionMinMs(d: Distribution): number {
  switch (d.distribution) {
    case 'constant':
      return d.valueMs;
    case 'uniform':
      return d.minMs;
    case 'empirical':
      return d.points.reduce((min, p) => Math.min(min, p.valueMs), Infinity);
    case 'exponential':
    case 'lognormal':
      return 0;
  }
}

function checkDeterministic({ result, rerun }: InvariantRun): string[] {
  if (rerun === undefined) return ['cannot check: no way to run the scenario again was given'];
  const again = rerun();
  if (again.fingerprint === result.fingerprint && JSON.stringify(again.summary) === JSON.stringify(result.summary)) return [];
  return [
    `a second run of the same scenario and seed gave fingerprint ${again.fingerprint} (first ${result.fingerprint}), ${again.summary.requests.total} requests (first ${result.summary.requests.total})`,
  ];
}
