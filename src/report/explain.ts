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
      if (data.reason === 'Pulling') p.pullStartMs = e.t;
      else if (data.reason === 'Pulled') p.pulledMs = e.t;
      else if (data.reason === 'Started') p.startedMs = e.t;
      else if (e.message === 'Pod is Ready') out.push(`    ${coldStartLine(p, e.t)}`);
    }
    if (e.component === 'autoscaler' && typeof data.observedStable === 'number') out.push(...deciderLines(data));
  }
  out.push('', 'In numbers', renderSummary(result));
  return out.join('\n');
}

function coldStartLine(p: PodTimeline, readyMs: number): string {
  const parts: string[] = [];
  const span = (from: number | undefined, to: number | undefined): string => (from === undefined || to === undefined ? '?' : formatDuration(Math.round(to - from)));
  const created = p.createdMs;
  parts.push(`scheduling ${span(created, p.scheduledMs)}`);
  if (p.pullStartMs !== undefined) parts.push(`image pull ${span(p.pullStartMs, p.pulledMs)}`);
  else parts.push('image already on the node');
  const containerFrom = p.pulledMs ?? p.scheduledMs;
  parts.push(`sandbox and container start ${span(containerFrom, p.startedMs)}`);
  parts.push(`app start and readiness probe ${span(p.startedMs, readyMs)}`);
  const total = created === undefined ? '' : `cold start ${formatDuration(Math.round(readyMs - created))} from pod creation: `;
  return `${total}${parts.join(', ')}`;
}

function deciderLines(d: Record<string, unknown>): string[] {
  const n = (key: string): number => (typeof d[key] === 'number' ? (d[key] as number) : NaN);
  const fmt = (v: number): string => String(Math.round(v * 1000) / 1000);
  const target = n('targetValue');
  const lines = [
    `    stable window (${formatDuration(n('stableWindowMs'))}): average ${fmt(n('observedStable'))} → ceil(${fmt(n('observedStable'))} / ${fmt(target)} per pod) = ${n('desiredStablePodCount')} pods`,
    `    panic window (${formatDuration(n('panicWindowMs'))}): average ${fmt(n('observedPanic'))} → ceil(${fmt(n('observedPanic'))} / ${fmt(target)}) = ${n('desiredPanicPodCount')} pods; ${d.overPanicThreshold === true ? 'at or above' : 'below'} the panic threshold for ${n('readyPodsForRates')} ready pod(s)`,
    `    rate limits with ${n('readyPods')} ready pod(s): at most ${n('maxScaleUp')} up, at least ${n('maxScaleDown')} down → desired ${n('desiredPodCount')}${d.inPanic === true ? ' (in panic: never scales down)' : ''}`,
  ];
  const ebc = n('excessBurstCapacity');
  if (!Number.isNaN(ebc)) lines.push(`    excess burst capacity ${fmt(ebc)}: ${ebc < 0 ? 'negative, so the activator stays in the request path' : 'enough spare capacity, so requests can go straight to the pods'}`);
  return lines;
}
