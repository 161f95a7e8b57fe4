/**
 * `knsim explain`: the narrated timeline for learners. Every controller's action in order, and
 * under each line the numbers that applied (explain-numbers.ts: the decider's arithmetic with
 * every clamp that bound it, the image pull's formula, a cold start's phases); between them the
 * story markers a reader needs and no single component traces: the last request before a scale
 * to zero, the activator entering or leaving the request path (SKS Proxy/Serve) with the excess
 * burst capacity behind it, a revision left with zero ready pods, the first request the
 * activator buffered and how long it waited. It can be narrowed to one revision and a window,
 * and ends with a glossary of the Knative terms it used, linked to Knative's docs.
 *
 * A pure function of the result (run with `record.report`: decisions, pod starts, object
 * changes, activator buffers) and the traced entries; the CLI collects them. Lines are never
 * repeated: an exact repeat is dropped, and an autoscaler line that another line at the same
 * instant completes ("desired 0" then "desired 0; marked inactive; …") gives its numbers to it.
 */
import { formatClock, formatDuration, type TraceEntry } from '../engine/index.js';
import type { ActivatorBuffer, ObjectChange, PodStart, RunResult } from '../sim/result.js';
import { coldStartLine, deciderLines, fmt, pullLine, type ScaleBounds } from './explain-numbers.js';
import { renderGlossary, termsUsed } from './glossary.js';
import { renderSummary } from './text.js';

/** Components whose chatter is summarised rather than listed line by line. */
const QUIET = new Set(['router', 'endpoints-controller']);

/** Components that act on a whole Service: their lines concern each of its revisions. */
const SERVICE_LEVEL = new Set(['kn', 'kubectl', 'service-controller', 'configuration-controller', 'route-controller']);

export interface ExplainOptions {
  /** Only what concerns this revision (its Service's lines, its pods, its autoscaler). */
  revision?: string;
  /** Only lines at or after this virtual time. */
  fromMs?: number;
  /** Only lines at or before this virtual time. */
  toMs?: number;
  /** End with the glossary of the terms used (default true). */
  glossary?: boolean;
}

interface Item {
  t: number;
  /** 0: a marker that tells why the lines at its instant happen; 1: a traced line; 2: a marker about what just happened. */
  phase: 0 | 1 | 2;
  seq: number;
  /** The component and object (traced lines) or the revision (markers). */
  head: string;
  lines: string[];
  /** What the item concerns, for the revision filter. */
  concerns: (revision: string, service: string | undefined) => boolean;
}

export function renderExplain(result: RunResult, entries: readonly TraceEntry[], options: ExplainOptions = {}): string {
  const items = [...tracedItems(result, entries), ...markers(result)];
  items.sort((a, b) => a.t - b.t || a.phase - b.phase || a.seq - b.seq);
  const service = options.revision === undefined ? undefined : result.revisions.find((r) => r.name === options.revision)?.service;
  const shown = items.filter(
    (i) =>
      (options.fromMs === undefined || i.t >= options.fromMs) &&
      (options.toMs === undefined || i.t <= options.toMs) &&
      (options.revision === undefined || i.concerns(options.revision, service)),
  );
  const scope = [
    options.revision === undefined ? '' : `revision ${options.revision}`,
    options.fromMs === undefined && options.toMs === undefined
      ? ''
      : `from ${formatDuration(options.fromMs ?? 0)} to ${formatDuration(options.toMs ?? result.durationMs)}`,
  ].filter((s) => s !== '');
  const out: string[] = [`How ${result.scenario} unfolds (seed ${result.seed})${scope.length > 0 ? `: ${scope.join(', ')}` : ''}`, ''];
  let previous = '';
  for (const item of shown) {
    const text = [`${formatClock(item.t)}  ${item.head}`, ...item.lines.map((l) => `    ${l}`)].join('\n');
    // Never the same block twice in a row (a repeated trace at one instant).
    if (text === previous) continue;
    previous = text;
    out.push(text);
  }
  if (shown.length === 0) out.push('(nothing happened in this window)');
  out.push('', 'In numbers', renderSummary(result));
  const body = out.join('\n');
  if (options.glossary === false) return body;
  const terms = termsUsed(body);
  return terms.length === 0 ? body : `${body}\n\n${renderGlossary(terms)}`;
}

/** The revision a traced object names (`sunshine-00001`, `pod/sunshine-00001-deployment-…`), tested against one. */
function objectConcerns(e: TraceEntry, revision: string, service: string | undefined): boolean {
  const bare = e.object.includes('/') ? e.object.slice(e.object.indexOf('/') + 1) : e.object;
  if (bare === revision || bare.startsWith(`${revision}-deployment`) || bare === `${revision}-private`) return true;
  if (e.component === 'scenario') return true;
  return service !== undefined && SERVICE_LEVEL.has(e.component) && bare === service;
}

function tracedItems(result: RunResult, entries: readonly TraceEntry[]): Item[] {
  const podStarts = new Map<string, PodStart>();
  for (const p of result.podStarts ?? []) podStarts.set(p.pod, p);
  const lastRequest = new Map<string, number>();
  for (const d of result.decisions ?? [])
    if (typeof d.data.lastRequestMs === 'number') lastRequest.set(`${d.t}|${d.revision}|${d.message}`, d.data.lastRequestMs);
  const bounds = new Map<string, ScaleBounds>();
  const merged = autoscalerMerges(entries);
  const foldedInto = new Map<number, number>();
  for (const [from, to] of merged) foldedInto.set(to, from);
  const items: Item[] = [];
  const seen = new Set<string>();
  const toldLastRequest = new Map<string, number>();
  entries.forEach((e, i) => {
    // kn's blank lines lay out its own output; in the narration they would be empty blocks.
    if (QUIET.has(e.component) || e.message.trim() === '') return;
    const key = `${e.t}|${e.component}|${e.object}|${e.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    const data = e.data ?? {};
    if (e.component === 'autoscaler' && typeof data.minScale === 'number' && typeof data.maxScale === 'number')
      bounds.set(e.object, { minScale: data.minScale, maxScale: data.maxScale });
    const lines: string[] = [];
    const into = merged.get(i);
    if (into !== undefined) return; // its numbers go under the line that completes it
    lines.push(e.message);
    const folded = foldedInto.get(i);
    const numbers = folded === undefined ? data : (entries[folded]?.data ?? {});
    if (e.component === 'autoscaler') {
      if (data.phase === 'deactivate' || (data.phase === 'scale-to-zero' && data.replicasTo === 0)) {
        const last = lastRequest.get(`${e.t}|${e.object}|${e.message}`);
        if (last !== undefined && toldLastRequest.get(e.object) !== last) {
          toldLastRequest.set(e.object, last);
          const revision = e.object;
          items.push({
            t: e.t,
            phase: 0,
            seq: i,
            head: `» ${revision}`,
            lines: [
              `the last request to ${revision} arrived at ${formatClock(last)}, ${formatDuration(Math.round(e.t - last))} ago: the stable window now holds none`,
            ],
            concerns: (r) => r === revision,
          });
        }
      }
      if (typeof numbers.observedStable === 'number') lines.push(...deciderLines(numbers, bounds.get(e.object)));
    }
    if (e.component === 'kubelet' && data.reason === 'Pulled') {
      const pull = pullLine(data);
      if (pull !== undefined) lines.push(pull);
    }
    if (e.component === 'kubelet' && e.message === 'Pod is Ready') {
      const start = podStarts.get(e.object.replace(/^pod\//, ''));
      if (start !== undefined) lines.push(coldStartLine(start));
    }
    items.push({
      t: e.t,
      phase: 1,
      seq: i,
      head: `${e.component.padEnd(22)} ${e.object}`,
      lines,
      concerns: (revision, service) => objectConcerns(e, revision, service),
    });
  });
  return items;
}

/**
 * Autoscaler lines at one instant for one revision where one message begins another (the
 * decider's "desired 0" and the PodAutoscaler's "desired 0; marked inactive; …"): the shorter
 * is folded into the longer. Maps the folded entry's index to the index that shows it.
 */
function autoscalerMerges(entries: readonly TraceEntry[]): Map<number, number> {
  const merged = new Map<number, number>();
  for (let i = 0; i < entries.length; i++) {
    const a = entries[i];
    if (a?.component !== 'autoscaler') continue;
    for (let j = i + 1; j < entries.length; j++) {
      const b = entries[j];
      if (b === undefined || b.t !== a.t) break;
      if (b.component !== 'autoscaler' || b.object !== a.object) continue;
      if (b.message.length > a.message.length && b.message.startsWith(a.message)) {
        merged.set(i, j);
        break;
      }
      if (a.message.length > b.message.length && a.message.startsWith(b.message)) merged.set(j, i);
    }
  }
  return merged;
}

/** The story markers no component traces: the SKS mode, zero ready pods, what the activator buffered. */
function markers(result: RunResult): Item[] {
  const items: Item[] = [];
  let seq = 0;
  const marker = (t: number, phase: 0 | 2, revision: string, lines: string[]): void => {
    items.push({ t, phase, seq: seq++, head: `» ${revision}`, lines, concerns: (r) => r === revision });
  };
  for (const [revision, changes] of groupObjects(result.objects ?? [], 'ServerlessService')) {
    let mode: unknown;
    for (const c of changes) {
      const next = c.state?.mode;
      if (c.state === null || next === mode) continue;
      const ebc = latestBurstCapacity(result, revision, c.t);
      if (next === 'Proxy')
        marker(c.t, 2, revision, [
          mode === undefined
            ? 'the activator is in the request path from the start (SKS Proxy): requests wait there until a pod is ready'
            : `the activator enters the request path (SKS Proxy)${ebc === undefined ? '' : `: excess burst capacity ${ebc}`}`,
        ]);
      else if (next === 'Serve')
        marker(c.t, 2, revision, [
          `the activator leaves the request path (SKS Serve): requests go straight to the pods${ebc === undefined ? '' : `; excess burst capacity ${ebc} is not negative`}`,
        ]);
      mode = next;
    }
  }
  for (const [revision, changes] of groupObjects(result.objects ?? [], 'Pod')) {
    const readyPods = new Set<string>();
    for (const c of changes) {
      const before = readyPods.size;
      if (c.state !== null && c.state.phase === 'Ready') readyPods.add(c.name);
      else readyPods.delete(c.name);
      if (before > 0 && readyPods.size === 0)
        marker(c.t, 2, revision, ['zero ready pods: from now on a request to this revision waits in the activator until a new pod is ready']);
    }
  }
  for (const b of result.activatorBuffers ?? []) bufferMarkers(b, marker);
  return items;
}

function bufferMarkers(b: ActivatorBuffer, marker: (t: number, phase: 0 | 2, revision: string, lines: string[]) => void): void {
  const since = b.zeroSinceMs === 0 ? 'before its first pod is ready' : `with no ready pod since ${formatClock(b.zeroSinceMs)}`;
  marker(b.firstArrivalMs, 0, b.revision, [
    `the first request to ${b.revision} ${since} reaches the activator, which buffers it and tells the autoscaler at once`,
  ]);
  const others = b.requests - 1;
  marker(b.firstArrivalMs + b.firstWaitMs, 2, b.revision, [
    `the activator sends the first buffered request on after ${formatDuration(Math.round(b.firstWaitMs))} of waiting${
      others > 0 ? `; ${others} more request${others === 1 ? '' : 's'} waited for this start, the longest ${formatDuration(Math.round(b.maxWaitMs))}` : ''
    }`,
  ]);
}

/** Object changes of one kind, grouped by the revision that owns them (ServerlessServices are named after theirs). */
function groupObjects(objects: readonly ObjectChange[], kind: ObjectChange['kind']): Map<string, ObjectChange[]> {
  const out = new Map<string, ObjectChange[]>();
  for (const o of objects) {
    if (o.kind !== kind) continue;
    const revision = kind === 'ServerlessService' ? o.name : o.owner;
    let list = out.get(revision);
    if (list === undefined) {
      list = [];
      out.set(revision, list);
    }
    list.push(o);
  }
  return out;
}

/** The excess burst capacity of the revision's latest decision at or before `t`, with its arithmetic. */
function latestBurstCapacity(result: RunResult, revision: string, t: number): string | undefined {
  let found: Record<string, number | boolean | string> | undefined;
  for (const d of result.decisions ?? []) {
    if (d.t > t) break;
    if (d.revision === revision && typeof d.data.excessBurstCapacity === 'number') found = d.data;
  }
  if (found === undefined) return undefined;
  const n = (k: string): number => (typeof found?.[k] === 'number' ? found[k] : NaN);
  const ebc = n('excessBurstCapacity');
  if (!Number.isFinite(n('targetBurstCapacity')) || n('targetBurstCapacity') <= 0) return fmt(ebc);
  return `floor(${fmt(n('readyPods'))} ready × ${fmt(n('totalValue'))} − ${fmt(n('targetBurstCapacity'))} − ${fmt(n('observedPanic'))}) = ${fmt(ebc)}`;
}
