/**
 * `knsim explain`: the narrated timeline for learners. Every controller's action in
 * order, and under the autoscaler's decisions the arithmetic behind them (window
 * averages, desired = ceil(observed / target), rate limits, panic, excess burst
 * capacity); under each pod that became Ready, its cold start split into phases.
 * A pure function of the traced entries; the CLI collects them.
 */
import { formatClock, formatDuration, type TraceEntry } from '../engine/index.js';
import type { RunResult } from '../sim/result.js';
import { renderSummary } from './text.js';

/** Components whose chatter is summarised rather than listed line by line. */
const QUIET = new Set(['router', 'endpoints-controller']);

interface PodTimeline {
  createdMs?: number;
  probedMs?: number;
  scheduledMs?: number;
  pullStartMs?: number;
  pulledMs?: number;
  startedMs?: number;
}

export function renderExplain(result: RunResult, entries: readonly TraceEntry[]): string {
  const out: string[] = [`How ${result.scenario} unfolds (seed ${result.seed})`, ''];
  const pods = new Map<string, PodTimeline>();
  const pod = (name: string): PodTimeline => {
    let p = pods.get(name);
    if (p === undefined) {
      p = {};
      pods.set(name, p);
    }
    return p;
  };
  for (const e of entries) {
    if (QUIET.has(e.component)) continue;
    out.push(`${formatClock(e.t)}  ${e.component.padEnd(22)} ${e.object}`);
    out.push(`    ${e.message}`);
    const data = e.data ?? {};
    if (e.component === 'replicaset-controller' && e.message.startsWith('Created pod: ')) pod(e.message.slice('Created pod: '.length)).createdMs = e.t;
    if (e.component === 'default-scheduler' && data.reason === 'Scheduled') pod(e.object.replace(/^pod\//, '')).scheduledMs = e.t;
    if (e.component === 'kubelet') {
      const p = pod(e.object.replace(/^pod\//, ''));
      if (data.reason === 'Pulling') p.pullStartMs ??= e.t;
      else if (data.reason === 'Pulled') p.pulledMs = e.t;
      else if (data.reason === 'Started') p.startedMs = e.t;
      else if (e.message === 'Pod is Ready') out.push(`    ${coldStartLine(p, e.t)}`);
    }
    if (e.component === 'activator' && e.message.startsWith('Probe')) pod(e.object.replace(/^pod\//, '')).probedMs = e.t;
    if (e.component === 'autoscaler' && typeof data.observedStable === 'number') out.push(...deciderLines(data));
  }
  out.push('', 'In numbers', renderSummary(result));
  return out.join('\n');
}

/**
 * A pod's way to Ready in phases that add up: scheduling, pod sandbox, image pulls,
 * container starts, then readiness; and when the activator could already send to it.
 */
function coldStartLine(p: PodTimeline, readyMs: number): string {
  const span = (from: number | undefined, to: number | undefined): string =>
    from === undefined || to === undefined ? '?' : formatDuration(Math.round(to - from));
  const created = p.createdMs;
  const parts = [`scheduling ${span(created, p.scheduledMs)}`];
  if (p.pullStartMs !== undefined) {
    parts.push(`pod sandbox ${span(p.scheduledMs, p.pullStartMs)}`);
    parts.push(`image pulls ${span(p.pullStartMs, p.pulledMs)}`);
    parts.push(`container starts ${span(p.pulledMs, p.startedMs)}`);
  } else {
    parts.push(`pod sandbox and container starts (images already on the node) ${span(p.scheduledMs, p.startedMs)}`);
  }
  parts.push(`readiness ${span(p.startedMs, readyMs)}`);
  const total = created === undefined ? '' : `cold start ${formatDuration(Math.round(readyMs - created))} from pod creation to Ready: `;
  const probe =
    p.probedMs !== undefined && created !== undefined && p.probedMs < readyMs
      ? `; the activator's own probe passed after ${formatDuration(Math.round(p.probedMs - created))} and it sent requests from then`
      : '';
  return `${total}${parts.join(', ')}${probe}`;
}

function pods(n: number): string {
  return `${n} pod${n === 1 ? '' : 's'}`;
}

function deciderLines(d: Record<string, unknown>): string[] {
  const n = (key: string): number => {
    const value = d[key];
    return typeof value === 'number' ? value : NaN;
  };
  const fmt = (v: number): string => String(Math.round(v * 1000) / 1000);
  const target = n('targetValue');
  const lines = [
    `    stable window (${formatDuration(n('stableWindowMs'))}): average ${fmt(n('observedStable'))} → ceil(${fmt(n('observedStable'))} / ${fmt(target)} per pod) = ${pods(n('desiredStablePodCount'))}`,
    `    panic window (${formatDuration(n('panicWindowMs'))}): average ${fmt(n('observedPanic'))} → ceil(${fmt(n('observedPanic'))} / ${fmt(target)}) = ${pods(n('desiredPanicPodCount'))}; ${d.overPanicThreshold === true ? 'at or above' : 'below'} the panic threshold of ${fmt(n('panicThreshold'))} × ${pods(n('readyPodsForRates'))}`,
    `    rate limits with ${pods(n('readyPods'))} ready: at most ${n('maxScaleUp')} up, at least ${n('maxScaleDown')} down → desired ${n('desiredPodCount')}${d.inPanic === true ? ' (in panic: never scales down)' : ''}`,
  ];
  const ebc = n('excessBurstCapacity');
  if (!Number.isNaN(ebc))
    lines.push(
      `    excess burst capacity ${fmt(ebc)}: ${ebc < 0 ? 'negative, so the activator stays in the request path' : 'enough spare capacity, so requests can go straight to the pods'}`,
    );
  return lines;
}
