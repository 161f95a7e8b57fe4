/**
 * The data an HTML report embeds, built from a run result in a compact form the page
 * decodes: run-length columns as short strings (each run a zigzag delta of the scaled
 * value and its length, 5 bits per character), strings interned in tables, and the event
 * markers capped (the notable ones first) so a day of a busy run stays a few MB while a
 * shipped scenario stays well under 1 MB. Every per-second sample is kept exactly: the
 * page downsamples for drawing and redraws exact values on zoom.
 */
import { must } from '../../engine/assert.js';
import type { AutoscalerDecision, ObjectChange, Recorded, RecordedResult, RecordedTimeline, RunResult, Runs } from '../../sim/result.js';

/** URL-safe base-64 digits: a character carries 5 value bits and a continuation bit. */
const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function varint(out: string[], n: number): void {
  let v = n;
  while (v >= 32) {
    out.push(must(DIGITS[32 + (v % 32)], 'varint: a continuation digit is in the alphabet'));
    v = Math.floor(v / 32);
  }
  out.push(must(DIGITS[v], 'varint: a final digit is in the alphabet (n is a non-negative integer)'));
}

/**
 * Encodes runs `[value, count, …]` with values scaled to integers by `scale`: per run,
 * zigzag(delta of the scaled value) × 2 + (count > 1), then count − 2 when count > 1.
 * Example: [0, 3, 2, 1] at scale 1 → "B" "B" (0 repeated: token 1, count−2 = 1), then "I" (delta 2 → zigzag 4 → token 8).
 */
export function encodeRuns(runs: Runs, scale: number): string {
  const out: string[] = [];
  let prev = 0;
  for (let i = 0; i + 1 < runs.length; i += 2) {
    const v = Math.round(must(runs[i], 'encodeRuns: a run has a value') * scale);
    const d = v - prev;
    prev = v;
    const zig = d >= 0 ? d * 2 : -d * 2 - 1;
    const count = must(runs[i + 1], 'encodeRuns: a run has a count');
    varint(out, zig * 2 + (count > 1 ? 1 : 0));
    if (count > 1) varint(out, count - 2);
  }
  return out.join('');
}

/** Decodes {@link encodeRuns} back into runs (the page has its own copy of this loop). */
export function decodeRuns(text: string, scale: number): Runs {
  const runs: number[] = [];
  let i = 0;
  const next = (): number => {
    let v = 0;
    let mul = 1;
    for (;;) {
      const c = DIGITS.indexOf(must(text[i++], 'decodeRuns: the text ends with a final digit'));
      if (c < 32) return v + c * mul;
      v += (c - 32) * mul;
      mul *= 32;
    }
  };
  let prev = 0;
  while (i < text.length) {
    const token = next();
    const zig = Math.floor(token / 2);
    const d = zig % 2 === 0 ? zig / 2 : -(zig + 1) / 2;
    prev += d;
    runs.push(prev / scale, token % 2 === 1 ? next() + 2 : 1);
  }
  return runs;
}

/** An encoded column: scale and digits. */
export interface PageColumn {
  s: number;
  d: string;
}

function column(runs: Runs, scale: number): PageColumn {
  return { s: scale, d: encodeRuns(runs, scale) };
}

/** Most event markers a page carries; beyond, the notable ones are kept first. */
export const MAX_PAGE_EVENTS = 4000;
/** Most autoscaler decisions a page carries (evenly thinned beyond). */
const MAX_PAGE_DECISIONS = 30_000;
/** Beyond this many decisions the page carries their numbers but not their messages. */
const MAX_DECISION_MESSAGES = 2000;
/** Most cold starts listed one by one. */
const MAX_PAGE_POD_STARTS = 300;

/** Events a reader wants first: what the user did, decisions, readiness, failures. */
function eventRank(component: string, message: string): number {
  if (component === 'kn' || component === 'kubectl' || component === 'scenario' || component === 'knsim' || component === 'engine') return 0;
  if (/error|fail|backoff|timed out/i.test(message)) return 0;
  if (component === 'autoscaler' || message.startsWith('Ready=')) return 1;
  return 2;
}

/** At most `max` of the items, the best ranks first, evenly spread inside the rank that overflows; in their order. */
function pickByRank<T>(items: Recorded<T>, ranks: readonly number[], max: number): T[] {
  if (items.length <= max) return [...items];
  const picked = new Set<number>();
  for (let rank = 0; rank <= 2 && picked.size < max; rank++) {
    const members = ranks.flatMap((r, i) => (r === rank ? [i] : []));
    const room = max - picked.size;
    if (members.length <= room) for (const i of members) picked.add(i);
    else for (let k = 0; k < room; k++) picked.add(must(members[Math.floor((k * members.length) / room)], 'k < room < members: in range'));
  }
  const out: T[] = [];
  let i = 0;
  for (const item of items) if (picked.has(i++)) out.push(item);
  return out;
}

/** `count` of the items evenly spread (item ⌊k × length / count⌋ for each k), or all of them when there are no more. */
function thin<T>(items: Recorded<T>, count: number): T[] {
  if (items.length <= count) return [...items];
  const step = items.length / count;
  const out: T[] = [];
  let i = 0;
  for (const item of items) {
    if (out.length < count && i === Math.floor(out.length * step)) out.push(item);
    i++;
  }
  return out;
}

/** The first `count` items. */
function first<T>(items: Iterable<T>, count: number): T[] {
  const out: T[] = [];
  if (count <= 0) return out;
  for (const item of items) if (out.push(item) >= count) break;
  return out;
}

class Interner {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();
  of(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

/** Numbers the cursor shows under a decision, in this order (missing: null). */
export const DECISION_FIELDS = [
  'observedStable',
  'observedPanic',
  'targetValue',
  'stableWindowMs',
  'panicWindowMs',
  'desiredStablePodCount',
  'desiredPanicPodCount',
  'panicThreshold',
  'readyPods',
  'readyPodsForRates',
  'maxScaleUp',
  'maxScaleDown',
  'desiredPodCount',
  'excessBurstCapacity',
  'inPanic',
  'overPanicThreshold',
  'desiredBeforeDelay',
  'delayedTo',
  'phase',
  'want',
  'forMs',
  'limitMs',
  'minScale',
  'maxScale',
  'replicasFrom',
  'replicasTo',
] as const;

/** What the page shows of a revision's figures. */
type PageRevisionStats = Pick<
  NonNullable<RunResult['revisionStats']>[number],
  'name' | 'service' | 'coldStarts' | 'podStarts' | 'podSeconds' | 'latencyMs' | 'byStatus'
>;

/** The page's data for one run (JSON-serialisable). */
export interface PageRun {
  name: string;
  seed: string | number;
  durationMs: number;
  fingerprint: string;
  summary: RunResult['summary'];
  revisions: RunResult['revisions'];
  /** The summary panel's figures of each revision (not the invariants' facts: quiet periods, settings). */
  revisionStats: PageRevisionStats[];
  expectations: RunResult['expectations'];
  stepMs: number;
  steps: number;
  columns: { name: string; namespace: string; service: string; target: number; threshold: number; cols: Record<string, PageColumn> }[];
  status: Record<string, PageColumn>;
  latency: { intervalMs: number; intervals: number; p50: PageColumn; p99: PageColumn; count: PageColumn };
  strings: string[];
  /** Events: times as delta runs-free varints, then component, object and message string indices. */
  events: { total: number; shown: number; t: string; c: string; o: string; m: string };
  /** Objects once each as [kind, namespace, name, owner] string indices; their changes as times, object indices and state JSON string indices. */
  objects: { table: number[][]; t: string; o: string; s: string };
  /**
   * Decisions: times, revision and message indices, the shape of each (an index into
   * `shapes`, the DECISION_FIELDS indices it has), and per field its present values as
   * encoded runs (strings as string indices, booleans as 0/1).
   */
  decisions: { total: number; t: string; r: string; m: string; shape: string; shapes: number[][]; f: PageColumn[] };
  podStarts: { total: number; list: [string, string, number, number, number, number, number, number, boolean][] };
}

function varints(values: number[]): string {
  const out: string[] = [];
  for (const v of values) varint(out, v);
  return out.join('');
}

function deltas(times: number[]): string {
  const out: string[] = [];
  let prev = 0;
  for (const t of times) {
    varint(out, Math.max(0, Math.round(t) - prev));
    prev = Math.max(prev, Math.round(t));
  }
  return out.join('');
}

/** Runs of a sequence of numbers (`[value, count, …]`). */
function toRuns(values: readonly number[]): Runs {
  const runs: number[] = [];
  let value = 0;
  let count = 0;
  for (const v of values) {
    if (count > 0 && v === value) count++;
    else {
      if (count > 0) runs.push(value, count);
      value = v;
      count = 1;
    }
  }
  if (count > 0) runs.push(value, count);
  return runs;
}

/** Fields with fractions (kept to 3 decimals); the others are integers, booleans or strings. */
const FRACTIONAL = new Set<string>(['observedStable', 'observedPanic', 'targetValue', 'panicThreshold', 'excessBurstCapacity']);

/**
 * The decisions' numbers: each decision's shape (which fields it has; a decider's
 * arithmetic or a PodAutoscaler phase) and per field the values it has, run-length
 * encoded, so a field that stays the same (a window, the target) costs a few characters.
 */
function decisionColumns(decisions: readonly AutoscalerDecision[], strings: Interner): Pick<PageRun['decisions'], 'shape' | 'shapes' | 'f'> {
  const shapeIndex = new Map<string, number>();
  const shapes: number[][] = [];
  const shapeOf = (d: AutoscalerDecision): number => {
    const fields = DECISION_FIELDS.flatMap((f, i) => (d.data[f] === undefined ? [] : [i]));
    const key = fields.join(',');
    let i = shapeIndex.get(key);
    if (i === undefined) {
      i = shapes.length;
      shapes.push(fields);
      shapeIndex.set(key, i);
    }
    return i;
  };
  const shape = varints(decisions.map(shapeOf));
  const f = DECISION_FIELDS.map((name) => {
    const numbers = decisions.flatMap((d) => {
      const v = d.data[name];
      return v === undefined ? [] : [typeof v === 'string' ? strings.of(v) : typeof v === 'boolean' ? (v ? 1 : 0) : v];
    });
    return column(toRuns(numbers), FRACTIONAL.has(name) ? 1000 : 1);
  });
  return { shape, shapes, f };
}

/** The change log: each object once in a table, each change as (time, object, state); the states' strings after the objects'. */
function objectLog(changes: Recorded<ObjectChange>, strings: Interner): PageRun['objects'] {
  const index = new Map<string, number>();
  const table: number[][] = [];
  const objectOf = (o: ObjectChange): number => {
    const key = `${o.kind}/${o.namespace}/${o.name}`;
    let i = index.get(key);
    if (i === undefined) {
      i = table.length;
      table.push([strings.of(o.kind), strings.of(o.namespace), strings.of(o.name), strings.of(o.owner)]);
      index.set(key, i);
    }
    return i;
  };
  // Two passes, so a log read back from disk is never held whole.
  const times: number[] = [];
  const objects: number[] = [];
  for (const o of changes) {
    times.push(o.t);
    objects.push(objectOf(o));
  }
  const states: number[] = [];
  for (const o of changes) states.push(strings.of(o.state === null ? '' : JSON.stringify(o.state)));
  return { table, t: deltas(times), o: varints(objects), s: varints(states) };
}

const SCALE = {
  desiredReplicas: 1,
  readyPods: 1,
  pods: 1,
  activatorQueue: 1,
  stableConcurrency: 1000,
  panicConcurrency: 1000,
  panic: 1,
  sksMode: 1,
  requests: 1,
} as const;

/** Each revision's columns encoded for the page, decoded one revision at a time. */
function pageColumns(timeline: RecordedTimeline): PageRun['columns'] {
  const out: PageRun['columns'] = [];
  for (const r of timeline.revisions)
    out.push({
      name: r.name,
      namespace: r.namespace,
      service: r.service,
      target: r.targetPerPod,
      threshold: r.panicThreshold,
      cols: Object.fromEntries(Object.entries(SCALE).map(([k, scale]) => [k, column([...r[k as keyof typeof SCALE]], scale)])),
    });
  return out;
}

/**
 * Builds the page data of a result recorded with `record.report` (throws a one-line error
 * otherwise). Its recordings are read in passes (they may be logs read back from disk).
 */
export function buildPageRun(result: RecordedResult): PageRun {
  const timeline: RecordedTimeline | undefined = result.timeline;
  if (timeline === undefined)
    throw new Error(`the result of ${result.scenario} has no timeline: run it with --html, or save it with --json from this version of knsim`);
  const strings = new Interner();
  strings.of('');
  const events = result.events;
  const ranks: number[] = [];
  for (const e of events) ranks.push(eventRank(e.component, e.message));
  const ev = pickByRank(events, ranks, MAX_PAGE_EVENTS);
  const objects = result.objects ?? [];
  const decisionsAll = result.decisions ?? [];
  const decisions = thin(decisionsAll, MAX_PAGE_DECISIONS);
  const starts = result.podStarts ?? [];
  return {
    name: result.scenario,
    seed: result.seed,
    durationMs: result.durationMs,
    fingerprint: result.fingerprint,
    summary: result.summary,
    revisions: result.revisions,
    revisionStats: (result.revisionStats ?? []).map(({ name, service, coldStarts, podStarts, podSeconds, latencyMs, byStatus }) => ({
      name,
      service,
      coldStarts,
      podStarts,
      podSeconds,
      latencyMs,
      byStatus,
    })),
    expectations: result.expectations,
    stepMs: timeline.stepMs,
    steps: timeline.steps,
    columns: pageColumns(timeline),
    status: Object.fromEntries(Object.entries(timeline.requestsByStatus).map(([k, runs]) => [k, column(runs, 1)])),
    latency: {
      intervalMs: timeline.latency.intervalMs,
      intervals: timeline.latency.intervals,
      p50: column(timeline.latency.p50, 100),
      p99: column(timeline.latency.p99, 100),
      count: column(timeline.latency.count, 1),
    },
    strings: strings.list,
    events: {
      total: events.length,
      shown: ev.length,
      t: deltas(ev.map((e) => e.t)),
      c: varints(ev.map((e) => strings.of(e.component))),
      o: varints(ev.map((e) => strings.of(e.object))),
      m: varints(ev.map((e) => strings.of(e.message))),
    },
    objects: objectLog(objects, strings),
    decisions: {
      total: decisionsAll.length,
      t: deltas(decisions.map((d) => d.t)),
      r: varints(decisions.map((d) => strings.of(d.revision))),
      // A long run's decision messages are mostly unique numbers: the page rebuilds the line from the fields instead.
      m: varints(decisions.map((d) => strings.of(decisions.length > MAX_DECISION_MESSAGES ? '' : d.message))),
      ...decisionColumns(decisions, strings),
    },
    podStarts: {
      total: starts.length,
      list: first(starts, MAX_PAGE_POD_STARTS).map((s) => [
        s.pod,
        s.revision,
        s.createdMs,
        s.readyMs,
        s.schedulingMs,
        s.pullMs,
        s.startMs,
        s.readinessMs,
        s.fromZero,
      ]),
    },
  };
}
