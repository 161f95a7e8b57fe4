/**
 * Queries over a run's result for tests: the autoscaler's decisions and scale changes from the
 * events' typed data, a revision's requests and quiet periods, the time it took to reach zero,
 * its cold starts, and the exact change points of what the per-second series samples (replicas,
 * ready pods, SKS mode, panic), which can be read at any millisecond.
 *
 * They read the JSON contract only, so they work on a result saved with `knsim run --json` too.
 * The change points come from the report's recordings (`record: { report: true }`; `run()` of
 * knsim/testing records them): object states as watches saw them, the API latency after each
 * write, and the decisions at the tick that made them.
 * Fidelity: knsim's own; nothing here is Knative's.
 */
import type { DecisionEventData, EventData } from '../sim/event-data.js';
import type { PodStart, RunEvent, RunResult } from '../sim/result.js';

function needsRecordings(result: RunResult, what: string): asserts result is RunResult & Required<Pick<RunResult, 'objects' | 'revisionStats' | 'podStarts'>> {
  if (result.objects === undefined || result.revisionStats === undefined || result.podStarts === undefined)
    throw new Error(`${what} reads the report's recordings: run with run() from knsim/testing, record: { report: true }, or knsim run --json`);
}

/** Events of one kind (and revision), with their data typed. */
export function eventsOf<K extends EventData['kind']>(result: RunResult, kind: K, revision?: string): (RunEvent & { data: Extract<EventData, { kind: K }> })[] {
  return result.events.filter(
    (e): e is RunEvent & { data: Extract<EventData, { kind: K }> } => e.data.kind === kind && (revision === undefined || e.data.revision === revision),
  );
}

/** The decider's decisions for a revision, each with its time: observed concurrency, desired pods, panic. */
export function decisionsOf(result: RunResult, revision: string): (DecisionEventData & { t: number })[] {
  return eventsOf(result, 'decision', revision).map((e) => ({ t: e.t, ...e.data }));
}

/** Every write of the revision's Deployment replicas by the autoscaler: `{t, from, to, phase}`. */
export function scaleChanges(result: RunResult, revision: string): { t: number; from: number; to: number; phase: string }[] {
  const out: { t: number; from: number; to: number; phase: string }[] = [];
  for (const e of eventsOf(result, 'scale', revision)) {
    const d = e.data;
    if (d.replicasFrom !== undefined && d.replicasTo !== undefined) out.push({ t: e.t, from: d.replicasFrom, to: d.replicasTo, phase: d.phase });
  }
  return out;
}

/** Arrival time (ms) of the last request routed to the revision; undefined when none was. */
export function lastRequestAt(result: RunResult, revision: string): number | undefined {
  needsRecordings(result, 'lastRequestAt');
  return result.revisionStats.find((s) => s.name === revision)?.lastRequestMs;
}

/** The revision's quiet periods of at least 6 s: from a response that left nothing in flight to the next arrival (or the end). */
export function quietPeriodsOf(result: RunResult, revision: string): { fromMs: number; toMs: number }[] {
  needsRecordings(result, 'quietPeriodsOf');
  return (result.revisionStats.find((s) => s.name === revision)?.quietPeriods ?? []).map(([fromMs, toMs]) => ({ fromMs, toMs }));
}

/**
 * How long after `afterMs` the autoscaler scaled the revision's Deployment to 0 replicas, by
 * default after its last response (when its last request ended, the start of its final quiet
 * period); undefined when it did not reach zero after that, or never served a request.
 * Example: 02-scale-to-zero's morning ends at 2m30s; timeToZero(result, 'sunshine-00001', { afterMs: 150_000 }) is 62 s.
 */
export function timeToZero(result: RunResult, revision: string, options: { afterMs?: number } = {}): number | undefined {
  const after = options.afterMs ?? lastResponseAt(result, revision);
  if (after === undefined) return undefined;
  const zero = scaleChanges(result, revision).find((c) => c.t >= after && c.to === 0);
  return zero === undefined ? undefined : zero.t - after;
}

/** When the revision's last request ended, if nothing of it is in flight at the end of the run (the start of its final quiet period). */
export function lastResponseAt(result: RunResult, revision: string): number | undefined {
  const last = quietPeriodsOf(result, revision).at(-1);
  return last !== undefined && last.toMs >= result.durationMs ? last.fromMs : undefined;
}

/** Pods of the revision that started while it had no ready pod (each a cold start), with their phases. */
export function coldStartsOf(result: RunResult, revision: string): PodStart[] {
  needsRecordings(result, 'coldStartsOf');
  return result.podStarts.filter((p) => p.revision === revision && p.fromZero);
}

/** What the change points follow: the Deployment's replicas, Ready and existing pods, the SKS mode, the PA's desired scale, panic. */
export type ChangingField = 'desiredReplicas' | 'readyPods' | 'pods' | 'sksMode' | 'desiredScale' | 'panic';
type FieldValue = number | string | boolean;

/**
 * Every change of a field of a revision, in time order: `{t, value}` from its first known value
 * on. Exact times, unlike the series' 1 s samples (object states at watch delivery; panic at the
 * decision that entered or left it).
 */
export function changePoints(result: RunResult, revision: string, field: ChangingField): { t: number; value: FieldValue }[] {
  needsRecordings(result, 'changePoints');
  const out: { t: number; value: FieldValue }[] = [];
  const push = (t: number, value: FieldValue): void => {
    const last = out[out.length - 1];
    if (last !== undefined && last.value === value) return;
    if (last !== undefined && last.t === t) out.pop();
    out.push({ t, value });
  };
  if (field === 'panic') {
    for (const d of decisionsOf(result, revision)) push(d.t, d.inPanic);
    return out;
  }
  if (field === 'readyPods' || field === 'pods') {
    const phases = new Map<string, string | null>();
    for (const o of result.objects) {
      if (o.kind !== 'Pod' || o.owner !== revision) continue;
      phases.set(o.name, o.state === null ? null : text(o.state.phase));
      let n = 0;
      for (const phase of phases.values()) if (phase !== null && (field === 'pods' || phase === 'Ready')) n++;
      push(o.t, n);
    }
    return out;
  }
  for (const o of result.objects) {
    if (field === 'desiredReplicas' && o.kind === 'Deployment' && o.name === `${revision}-deployment`)
      push(o.t, o.state === null ? 0 : Number(o.state.replicas));
    else if (field === 'sksMode' && o.kind === 'ServerlessService' && o.name === revision) push(o.t, o.state === null ? '' : text(o.state.mode));
    else if (field === 'desiredScale' && o.kind === 'PodAutoscaler' && o.name === revision) push(o.t, o.state === null ? 0 : Number(o.state.desiredScale));
  }
  return out;
}

/** A field's value at any millisecond (the last change at or before it); undefined before its first. */
export function valueAt(result: RunResult, revision: string, field: ChangingField, tMs: number): FieldValue | undefined {
  let value: FieldValue | undefined;
  for (const c of changePoints(result, revision, field)) {
    if (c.t > tMs) break;
    value = c.value;
  }
  return value;
}

/** A field sampled every `stepMs` from `fromMs` (default stepMs) to `toMs` (default the run's end): finer than the 1 s series if you like. */
export function sampleEvery(
  result: RunResult,
  revision: string,
  field: ChangingField,
  stepMs: number,
  range: { fromMs?: number; toMs?: number } = {},
): { t: number; value: FieldValue | undefined }[] {
  if (!(stepMs > 0)) throw new Error(`sampleEvery: stepMs must be > 0, got ${stepMs}`);
  const points = changePoints(result, revision, field);
  const out: { t: number; value: FieldValue | undefined }[] = [];
  let i = 0;
  let value: FieldValue | undefined;
  for (let t = range.fromMs ?? stepMs; t <= (range.toMs ?? result.durationMs); t += stepMs) {
    for (let p = points[i]; p !== undefined && p.t <= t; p = points[++i]) value = p.value;
    out.push({ t, value });
  }
  return out;
}

/** A state field that holds a word (a pod's phase, an SKS mode). */
function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
