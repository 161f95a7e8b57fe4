/**
 * Terminal renderings of a run result: the summary, a chart of request rate and
 * ready pods per revision over time, notable events, the narrated log and the
 * expectation diff. Pure functions returning strings; the CLI prints them.
 */
import { expandedSeries, formatClock, formatDuration, must, seriesByRevision, seriesStepMs } from '../engine/index.js';
import type { ExpectationResult, InvariantResult, RunEvent, RunResult } from '../sim/result.js';

const BARS = ' ▁▂▃▄▅▆▇█';

export function renderSummary(result: RunResult): string {
  const s = result.summary;
  const r = s.requests;
  const statuses = Object.keys(r.byStatus)
    .sort()
    .map((code) => `${code}: ${r.byStatus[code]}`)
    .join(', ');
  const ended = r.succeeded + r.failed;
  const podStarts = result.revisions.reduce((n, rev) => n + rev.podStarts, 0);
  const fromZero = result.revisions.reduce((n, rev) => n + rev.podStartsFromZero, 0);
  const lines = [
    `${result.scenario}  (seed ${result.seed}, ${formatDuration(result.durationMs)} simulated, fingerprint ${result.fingerprint})`,
    ...renderAlerts(result),
    '',
    `Requests     ${r.total} total, ${r.succeeded} succeeded, ${r.failed} failed, ${r.inFlight} in flight${statuses ? `  (${statuses})` : ''}`,
    ended === 0
      ? 'Latency      no request ended'
      : `Latency      p50 ${formatLatency(s.latencyMs.p50)}  p95 ${formatLatency(s.latencyMs.p95)}  p99 ${formatLatency(s.latencyMs.p99)}  max ${formatLatency(s.latencyMs.max)}`,
    `Cold starts  ${plural(s.coldStarts, 'request')} waited for a pod to start; ${plural(podStarts, 'pod')} started, ${fromZero} of them from zero ready pods`,
    `Pod-seconds  ${s.podSeconds.toFixed(1)}`,
  ];
  if (r.timeouts !== undefined) {
    const reasons = Object.entries(r.timeouts).map(([reason, n]) => `${reason} ${n}`);
    lines.splice(3, 0, `Timeouts     ${Object.values(r.timeouts).reduce((a, b) => a + b, 0)}  (${reasons.join(', ')})`);
  }
  if (result.revisions.length > 0) {
    lines.push('');
    lines.push(
      ...table(
        ['REVISION', 'SERVICE', 'REQUESTS', 'SHARE', 'COLD STARTS', 'POD STARTS', 'FROM ZERO', 'MAX READY', 'POD-SECONDS', 'P50', 'P99'],
        result.revisions.map((rev) => [
          rev.name,
          rev.service,
          String(rev.requests),
          `${(rev.trafficShare * 100).toFixed(1)}%`,
          String(rev.coldStarts),
          String(rev.podStarts),
          String(rev.podStartsFromZero),
          String(rev.maxReadyPods),
          rev.podSeconds.toFixed(1),
          rev.latencyMs ? formatLatency(rev.latencyMs.p50) : '',
          rev.latencyMs ? formatLatency(rev.latencyMs.p99) : '',
        ]),
      ),
    );
  }
  lines.push(
    '',
    'cold starts: requests that arrived while their revision had no ready pod and waited in the activator for one to start; from zero: pods started while their revision had none ready',
  );
  return lines.join('\n');
}

/**
 * What went wrong in a run, for the summary's first lines: a run stopped before its end, requests
 * that all or mostly failed, timeline steps that failed (or did not fail as they declared).
 */
export function renderAlerts(result: RunResult): string[] {
  const out: string[] = [];
  if (result.stopReason !== undefined) {
    const planned = result.plannedDurationMs === undefined ? '' : ` of ${formatDuration(result.plannedDurationMs)}`;
    out.push(
      `STOPPED EARLY  at ${formatDuration(result.durationMs)}${planned}: ${result.stopReason === 'event-limit' ? 'the event limit was reached' : result.stopReason}; every figure below covers only that part`,
    );
  }
  const r = result.summary.requests;
  const ended = r.succeeded + r.failed;
  if (ended > 0 && r.failed * 2 > ended) {
    const statuses = Object.entries(r.byStatus)
      .filter(([code]) => !code.startsWith('2'))
      .sort((a, b) => b[1] - a[1])
      .map(([code, n]) => `${code}: ${n}`)
      .join(', ');
    out.push(`${r.succeeded === 0 ? 'ALL REQUESTS FAILED' : 'MOST REQUESTS FAILED'}  ${r.failed} of ${ended} ended requests failed (${statuses})`);
  }
  for (const step of result.steps ?? []) {
    if (step.passed) continue;
    const what =
      step.expectError === undefined
        ? `failed: ${step.error ?? ''}`
        : step.error === null
          ? `expected to fail with "${step.expectError}", but it succeeded`
          : `expected to fail with "${step.expectError}", but failed with: ${step.error}`;
    out.push(`FAILED STEP  ${formatClock(step.t)} ${step.step}  ${what}  [${step.at}]`);
  }
  return out;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Latency as ms below 1 s, else seconds: `12.3ms`, `2.41s`. */
export function formatLatency(ms: number): string {
  if (ms < 10) return `${ms.toFixed(2)}ms`;
  if (ms < 1000) return `${ms.toFixed(ms < 100 ? 1 : 0)}ms`;
  return `${(ms / 1000).toFixed(2)}s`;
}

/**
 * A chart per revision: request rate and ready pods over the run, one column per
 * time slice (the slice's maximum), with the scale on the right.
 */
export function renderChart(result: RunResult, width = 64): string {
  const byRevision = seriesByRevision(result);
  if (byRevision.size === 0) return '(no revisions)';
  const columns = Math.max(8, Math.min(width, Math.ceil(result.durationMs / 1000)));
  const sliceMs = result.durationMs / columns;
  const stepSeconds = Math.max(1, seriesStepMs(result) / 1000);
  const lines: string[] = [];
  for (const [revision, samples] of byRevision) {
    const slices = Array.from({ length: columns }, () => ({ requestSum: 0, sampleCount: 0, readyMax: 0 }));
    for (const s of expandedSeries(result, samples)) {
      const col = Math.min(columns - 1, Math.max(0, Math.floor((s.t - 1) / sliceMs)));
      const slice = must(slices[col], 'a column clamped to [0, columns)');
      slice.requestSum += s.requests;
      slice.sampleCount++;
      slice.readyMax = Math.max(slice.readyMax, s.readyPods);
    }
    const rate = slices.map((slice) => (slice.sampleCount > 0 ? slice.requestSum / slice.sampleCount : slice.requestSum) / stepSeconds);
    const ready = slices.map((slice) => slice.readyMax);
    lines.push(revision);
    lines.push(`  requests/s  ${spark(rate)} max ${round1(Math.max(...rate))}`);
    lines.push(`  ready pods  ${spark(ready)} max ${Math.max(...ready)}`);
  }
  lines.push(`              ${axis(result.durationMs, columns)}`);
  return lines.join('\n');
}

function spark(values: number[]): string {
  const max = Math.max(...values);
  if (max <= 0) return '·'.repeat(values.length);
  return values.map((v) => (v <= 0 ? '·' : BARS[Math.max(1, Math.round((v / max) * (BARS.length - 1)))])).join('');
}

function axis(durationMs: number, columns: number): string {
  const start = '0s';
  const end = formatDuration(durationMs);
  const mid = formatDuration(Math.round(durationMs / 2000) * 1000);
  const gap1 = Math.max(1, Math.floor(columns / 2) - start.length - Math.floor(mid.length / 2));
  const gap2 = Math.max(1, columns - start.length - gap1 - mid.length - end.length);
  return start + ' '.repeat(gap1) + mid + ' '.repeat(gap2) + end;
}

/** One line per event: `00:01:02.000 autoscaler  sunshine-00001  message`. */
export function renderLog(events: readonly RunEvent[]): string {
  const componentWidth = Math.max(10, ...events.map((e) => e.component.length));
  const objectWidth = Math.min(40, Math.max(14, ...events.map((e) => e.object.length)));
  return events.map((e) => `${formatClock(e.t)} ${e.component.padEnd(componentWidth)}  ${e.object.padEnd(objectWidth)}  ${e.message}`).join('\n');
}

/** Expectations as a checklist, with expected vs actual for failures. */
export function renderExpectations(expectations: readonly ExpectationResult[]): string {
  return expectations
    .map((e) => {
      const mark = e.passed ? 'PASS' : 'FAIL';
      const head = `${mark}  ${e.description}`;
      if (e.passed) return `${head}  (${e.actual})`;
      return `${head}${e.at ? `  [${e.at}]` : ''}\n        expected: ${e.expected}\n        actual:   ${e.actual}`;
    })
    .join('\n');
}

/** The scenario's invariants: `PASS  name  (what it promises)`, or FAIL with each violation indented. */
export function renderInvariants(invariants: readonly InvariantResult[]): string {
  return invariants
    .map((i) => {
      if (i.passed) return `PASS  ${i.name}  (${i.message})`;
      return `FAIL  ${i.name}${i.at ? `  [${i.at}]` : ''}\n${i.message
        .split('\n')
        .map((line) => `        ${line}`)
        .join('\n')}`;
    })
    .join('\n');
}

/** Columns separated by three spaces, like kubectl. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  // A row with more cells than the header: its extra cells are not padded.
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('   ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
