// The report's recordings only listen: every shipped scenario (but the day-long 07) keeps
// its fingerprint and numbers with them on, and what they hold is bounded and consistent.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { must } from '../../src/engine/assert.js';
import { formatDiagnostic } from '../../src/scenario/index.js';
import { loadScenarioText, runScenario } from '../../src/sim/index.js';
import { expandRuns } from '../../src/sim/runs.js';
import { latencyIntervalMs } from '../../src/sim/report-columns.js';

const ROOT = resolve(import.meta.dirname, '../..');

function load(path: string, sets: string[] = []) {
  const loaded = loadScenarioText(readFileSync(resolve(ROOT, path), 'utf8'), { file: path, sets, readFile: (p) => readFileSync(resolve(ROOT, p), 'utf8') });
  if (loaded.scenario === undefined) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  return loaded.scenario;
}

const QUICK = ['01-deploy', '02-scale-to-zero', '03-canary', '04-rollback', '05-routes-and-access', '06-panic', '08-tuning'];

describe('report recording', () => {
  it.each(QUICK)('keeps the fingerprint and the summary of %s', (name) => {
    // Without its invariants: a scenario that lists some records the report whatever `record` says.
    const scenario = { ...load(`scenarios/${name}.yaml`), invariants: [] };
    const plain = runScenario(scenario);
    const recorded = runScenario(scenario, { record: { report: true } });
    expect(recorded.fingerprint).toBe(plain.fingerprint);
    expect(recorded.summary).toEqual(plain.summary);
    expect(recorded.events).toEqual(plain.events);
    expect(plain.timeline).toBeUndefined();
    const tl = must(recorded.timeline, 'a run recorded for the report has a timeline');
    expect(tl.steps).toBe(Math.floor(recorded.durationMs / 1000));
    // Every column agrees with the per-second series, idle revisions included.
    for (const rev of tl.revisions) {
      const samples = recorded.series.filter((x) => x.revision === rev.name);
      const [first] = samples;
      const offset = first === undefined ? tl.steps : first.t / 1000 - 1;
      for (const col of ['readyPods', 'desiredReplicas', 'pods', 'stableConcurrency', 'panicConcurrency', 'requests'] as const) {
        expect(expandRuns(rev[col]).slice(offset, offset + samples.length), `${rev.name}.${col}`).toEqual(samples.map((x) => x[col]));
      }
      expect(expandRuns(rev.sksMode).slice(offset, offset + samples.length), `${rev.name}.sksMode`).toEqual(
        samples.map((x) => (x.sksMode === 'Proxy' ? 1 : x.sksMode === 'Serve' ? 2 : 0)),
      );
      expect(expandRuns(rev.panic).slice(offset, offset + samples.length), `${rev.name}.panic`).toEqual(samples.map((x) => (x.panic ? 1 : 0)));
    }
  });

  it('records columns that agree with the per-second series of 02-scale-to-zero', () => {
    const r = runScenario(load('scenarios/02-scale-to-zero.yaml'), { record: { report: true } });
    const tl = must(r.timeline, 'a run recorded for the report has a timeline');
    const rev = must(
      tl.revisions.find((x) => x.name === 'sunshine-00001'),
      'the timeline has sunshine-00001',
    );
    const samples = r.series.filter((s) => s.revision === 'sunshine-00001');
    const offset = must(samples[0], 'sunshine-00001 has samples').t / 1000 - 1;
    for (const col of ['readyPods', 'desiredReplicas', 'pods', 'stableConcurrency', 'panicConcurrency', 'requests'] as const) {
      const values = expandRuns(rev[col]);
      expect(values).toHaveLength(tl.steps);
      expect(values.slice(offset)).toEqual(samples.map((s) => s[col]));
    }
    expect(expandRuns(rev.sksMode).slice(offset)).toEqual(samples.map((s) => (s.sksMode === 'Proxy' ? 1 : s.sksMode === 'Serve' ? 2 : 0)));
    // Every ended request is counted once by status.
    const ended = Object.values(tl.requestsByStatus).reduce((sum, runs) => sum + expandRuns(runs).reduce((a, b) => a + b, 0), 0);
    expect(ended).toBeLessThanOrEqual(r.summary.requests.succeeded + r.summary.requests.failed);
    expect(ended).toBeGreaterThan(r.summary.requests.succeeded + r.summary.requests.failed - 30);
    expect(expandRuns(tl.latency.count).reduce((a, b) => a + b, 0)).toBe(ended);
    expect(rev.targetPerPod).toBe(70); // container-concurrency-target-default 100 × target utilization 70%
  });

  it('logs object changes, decisions and cold starts for the cursor', () => {
    const r = runScenario(load('scenarios/02-scale-to-zero.yaml'), { record: { report: true } });
    const objects = must(r.objects, 'a run recorded for the report has a change log');
    const pods = objects.filter((o) => o.kind === 'Pod');
    expect(pods.some((p) => p.state?.phase === 'Ready')).toBe(true);
    expect(pods.some((p) => p.state === null)).toBe(true);
    const route = objects.find((o) => o.kind === 'Route' && Array.isArray(o.state?.traffic) && (o.state.traffic as unknown[]).length > 0);
    expect(route?.state?.traffic).toEqual([{ revision: 'sunshine-00001', percent: 100, latest: true }]);
    expect(r.decisions?.some((d) => /desired 0/.test(d.message) && d.data.observedStable === 0)).toBe(true);
    const starts = must(r.podStarts, 'a run recorded for the report has its pod starts');
    expect(starts.length).toBeGreaterThanOrEqual(2);
    for (const s of starts) expect(s.schedulingMs + s.pullMs + s.startMs + s.readinessMs).toBeCloseTo(s.totalMs, 1);
    expect(starts.filter((s) => s.fromZero).length).toBeGreaterThanOrEqual(2);
    const stats = r.revisionStats?.find((s) => s.name === 'sunshine-00001');
    expect(stats?.coldStarts).toBe(r.summary.coldStarts);
    expect(stats?.podSeconds).toBeCloseTo(r.summary.podSeconds, 0);
    expect(r.expectations[0]).toMatchObject({ fromMs: 120_000, toMs: 120_000 });
  });

  it('chooses latency intervals of 1 s for minutes and 1 min for a day', () => {
    expect(latencyIntervalMs(360_000)).toBe(1000);
    expect(latencyIntervalMs(1_800_000)).toBe(2000);
    expect(latencyIntervalMs(86_400_000)).toBe(60_000);
  });
});
