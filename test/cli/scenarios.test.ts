// Every shipped scenario passes, replays the run its pin holds, and its --json output keeps the
// documented contract (src/sim/result.ts, README "JSON output"). 07 (a simulated day) is
// in azure-day.test.ts so the two files can run side by side.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { must } from '../../src/engine/index.js';
import { expandedSeries, seriesByRevision, type RunResult, type SeriesForm } from '../../src/index.js';
import { knsimAsync, pinnedFingerprint, ROOT, SHIPPED, STACK_FRAME } from './helpers.js';

interface JsonResult {
  scenario: string;
  seed: string | number;
  durationMs: number;
  fingerprint: string;
  summary: {
    requests: { total: number; succeeded: number; failed: number; inFlight: number; byStatus: Record<string, number> };
    latencyMs: Record<string, number>;
    coldStarts: number;
    podSeconds: number;
  };
  revisions: {
    name: string;
    service: string;
    requests: number;
    trafficShare: number;
    maxReadyPods: number;
    coldStarts: number;
    podStarts: number;
    podStartsFromZero: number;
    podSeconds: number;
    latencyMs: { p50: number; p99: number } | null;
  }[];
  series: Record<string, unknown>[];
  events: { t: number; component: string; object: string; message: string }[];
  expectations: { description: string; passed: boolean; expected: string; actual: string; at?: string; fromMs?: number; toMs?: number }[];
  timeline: {
    stepMs: number;
    steps: number;
    revisions: (Record<string, number[]> & { name: string })[];
    requestsByStatus: Record<string, number[]>;
    latency: { intervalMs: number; intervals: number; p50: number[]; p99: number[]; count: number[] };
  };
  objects: { t: number; kind: string; name: string; state: Record<string, unknown> | null }[];
  decisions: { t: number; revision: string; message: string; data: Record<string, unknown> }[];
  podStarts: { totalMs: number; schedulingMs: number; pullMs: number; startMs: number; readinessMs: number }[];
  revisionStats: { name: string; coldStarts: number; podStarts: number; podSeconds: number }[];
  activatorBuffers: { revision: string; firstArrivalMs: number; firstWaitMs: number; requests: number; maxWaitMs: number }[];
}

/** Steps covered by run-length encoded `[value, count, …]`. */
function runLength(runs: readonly number[]): number {
  let n = 0;
  runs.forEach((v, i) => {
    if (i % 2 === 1) n += v;
  });
  return n;
}

/** Checks that items come in time order (equal times allowed). */
function expectTimeOrder(items: readonly { t: number }[], what: string): void {
  let previousT = -Infinity;
  for (const { t } of items) {
    expect(t, what).toBeGreaterThanOrEqual(previousT);
    previousT = t;
  }
}

const TOP_LEVEL_KEYS = [
  'scenario',
  'seed',
  'durationMs',
  'fingerprint',
  'summary',
  'revisions',
  'series',
  'events',
  'expectations',
  'timeline',
  'objects',
  'decisions',
  'podStarts',
  'revisionStats',
  'activatorBuffers',
];
const REVISION_KEYS = [
  'name',
  'service',
  'requests',
  'trafficShare',
  'maxReadyPods',
  'coldStarts',
  'podStarts',
  'podStartsFromZero',
  'podSeconds',
  'latencyMs',
];
const SAMPLE_FIELDS: Record<string, 'number' | 'string' | 'boolean'> = {
  t: 'number',
  revision: 'string',
  desiredReplicas: 'number',
  readyPods: 'number',
  pods: 'number',
  inFlight: 'number',
  stableConcurrency: 'number',
  panicConcurrency: 'number',
  panic: 'boolean',
  sksMode: 'string',
  requests: 'number',
};

const FAST = SHIPPED.filter((f) => !f.includes('07-azure-trace'));

describe('shipped scenarios', () => {
  it('the test list covers every scenario in scenarios/', () => {
    const onDisk = readdirSync(resolve(ROOT, 'scenarios'))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => `scenarios/${f}`)
      .sort();
    expect(onDisk).toEqual([...SHIPPED].sort());
  });

  // Every run above is checked against its pin; two runs of the same scenario print the same bytes.
  it.each(['scenarios/03-canary.yaml', 'scenarios/13-activator-fleet.yaml'])('%s replays byte for byte, as text and as --json', async (file) => {
    const [text1, text2, json1, json2] = await Promise.all([
      knsimAsync(['run', file]),
      knsimAsync(['run', file]),
      knsimAsync(['run', file, '--json', '--series-step', '1s']),
      knsimAsync(['run', file, '--json', '--series-step', '1s']),
    ]);
    expect(text1.code).toBe(0);
    expect(text2.stdout).toBe(text1.stdout);
    expect(json1.code).toBe(0);
    expect(json2.stdout).toBe(json1.stdout);
  });

  it('--seed replaces the scenario seed: another run, another fingerprint (the pins hold every scenario at a second seed)', async () => {
    const file = 'scenarios/02-scale-to-zero.yaml';
    const [own, reseeded] = await Promise.all([knsimAsync(['run', file, '--json']), knsimAsync(['run', file, '--json', '--seed', '424242'])]);
    expect([0, 1]).toContain(reseeded.code);
    const [a, b] = [JSON.parse(own.stdout) as JsonResult, JSON.parse(reseeded.stdout) as JsonResult];
    expect(b.seed).toBe(424242);
    expect(b.fingerprint).not.toBe(a.fingerprint);
  });

  describe.each(FAST)('%s', (file) => {
    const doc = parse(readFileSync(resolve(ROOT, file), 'utf8')) as { name: string; seed?: string | number; expect?: unknown[]; invariants?: unknown[] };

    it('passes, replays the pinned run, and --json keeps the contract', async () => {
      // --series-step 1s: the per-second series; the default keeps its change points only.
      const [text1, json1, changes] = await Promise.all([
        knsimAsync(['run', file]),
        knsimAsync(['run', file, '--json', '--series-step', '1s']),
        knsimAsync(['run', file, '--json']),
      ]);
      for (const r of [text1, json1, changes]) expect(r.stderr).not.toMatch(STACK_FRAME);

      // Text: exit 0, every expectation and invariant PASS.
      expect(text1.code, text1.stdout + text1.stderr).toBe(0);
      expect(text1.stdout).not.toMatch(/^FAIL /m);
      expect(text1.stdout.match(/^PASS /gm)?.length ?? 0).toBe((doc.expect?.length ?? 0) + (doc.invariants?.length ?? 0));

      // JSON: exit 0, parses, and is the run the library pinned in another process (test/pins).
      expect(json1.code, json1.stderr).toBe(0);
      const r = JSON.parse(json1.stdout) as JsonResult;
      expect(r.fingerprint).toBe(pinnedFingerprint(file));

      // A scenario with invariants has their results after the expectations.
      const keys = doc.invariants === undefined ? TOP_LEVEL_KEYS : TOP_LEVEL_KEYS.flatMap((k) => (k === 'expectations' ? [k, 'invariants'] : [k]));
      expect(Object.keys(r)).toEqual(keys);
      expect(r.scenario).toBe(doc.name);
      expect(r.seed).toBe(doc.seed ?? 1);
      expect(r.fingerprint).toMatch(/^[0-9a-f]{16}$/);
      // The text summary and the JSON describe the same run.
      expect(text1.stdout).toContain(`fingerprint ${r.fingerprint}`);

      const q = r.summary.requests;
      expect(q.total).toBeGreaterThan(0);
      expect(q.total).toBe(q.succeeded + q.failed + q.inFlight);
      expect(Object.values(q.byStatus).reduce((a, b) => a + b, 0)).toBe(q.succeeded + q.failed);

      const routed = r.revisions.reduce((a, v) => a + v.requests, 0);
      expect(routed).toBeGreaterThan(0);
      expect(routed).toBeLessThanOrEqual(q.total);
      const shareSum = r.revisions.reduce((a, v) => a + v.trafficShare, 0);
      expect(Math.abs(shareSum - 1)).toBeLessThanOrEqual(1e-6 + 1e-12);
      for (const v of r.revisions) expect(Math.abs(v.trafficShare - v.requests / routed)).toBeLessThanOrEqual(5e-7 + 1e-12);
      // Per revision: cold-start requests sum to the summary's, pod-seconds to the summary's (each rounded to ms),
      // starts from zero are some of the starts, and a revision with ended requests has its percentiles.
      for (const v of r.revisions) expect(Object.keys(v)).toEqual(REVISION_KEYS);
      expect(r.revisions.reduce((a, v) => a + v.coldStarts, 0)).toBe(r.summary.coldStarts);
      expect(Math.abs(r.revisions.reduce((a, v) => a + v.podSeconds, 0) - r.summary.podSeconds)).toBeLessThanOrEqual(0.001 * r.revisions.length);
      for (const v of r.revisions) {
        expect(v.podStartsFromZero).toBeLessThanOrEqual(v.podStarts);
        if (v.latencyMs !== null) expect(v.latencyMs.p50).toBeLessThanOrEqual(v.latencyMs.p99);
      }

      // Series: the documented fields, one sample per revision per second from its first sample to the end.
      const byRevision = new Map<string, number[]>();
      for (const s of r.series) {
        expect(Object.keys(s).sort()).toEqual(Object.keys(SAMPLE_FIELDS).sort());
        for (const [field, type] of Object.entries(SAMPLE_FIELDS)) expect(typeof s[field], `${field} in ${JSON.stringify(s)}`).toBe(type);
        expect(['Serve', 'Proxy', '']).toContain(s.sksMode);
        expect(s.readyPods as number).toBeLessThanOrEqual(s.pods as number);
        const ts = byRevision.get(s.revision as string) ?? [];
        ts.push(s.t as number);
        byRevision.set(s.revision as string, ts);
      }
      expect([...byRevision.keys()].sort()).toEqual(r.revisions.map((v) => v.name).sort());
      for (const [revision, ts] of byRevision) {
        expect(must(ts[0], 'a revision has samples') % 1000, revision).toBe(0);
        expect(ts.at(-1), revision).toBe(r.durationMs);
        let previous: number | undefined;
        for (const t of ts) {
          if (previous !== undefined) expect(t - previous, `${revision} at ${t}`).toBe(1000);
          previous = t;
        }
      }
      const seriesRequests = r.series.reduce((a, s) => a + (s.requests as number), 0);
      expect(seriesRequests).toBe(routed);

      // The default series: the change points, which expand to the per-second series exactly, and fewer samples.
      const c = JSON.parse(changes.stdout) as JsonResult & { seriesForm: SeriesForm };
      expect(c.seriesForm).toEqual({ stepMs: 1000, changesOnly: true });
      expect(Object.keys(c).filter((k) => k !== 'seriesForm')).toEqual(Object.keys(r));
      expect({ ...c, seriesForm: undefined, series: undefined }).toEqual({ ...r, series: undefined });
      expect(c.series.length).toBeLessThan(r.series.length);
      const expanded = [...seriesByRevision(c as unknown as RunResult).values()].flatMap((samples) => [...expandedSeries(c as unknown as RunResult, samples)]);
      const bySecond = (a: object, b: object): number => {
        const [x, y] = [a as { t: number; revision: string }, b as { t: number; revision: string }];
        return x.t - y.t || x.revision.localeCompare(y.revision);
      };
      expect(expanded.sort(bySecond)).toEqual([...r.series].sort(bySecond));

      // Events in time order within the run; expectations as in the file, all passed.
      let previousT = -Infinity;
      for (const e of r.events) {
        expect(e.t).toBeGreaterThanOrEqual(previousT);
        previousT = e.t;
      }
      expect(r.events.at(-1)?.t ?? 0).toBeLessThanOrEqual(r.durationMs);
      expect(r.expectations).toHaveLength(doc.expect?.length ?? 0);
      expect(r.expectations.filter((e) => !e.passed)).toEqual([]);

      // The report's recordings: columns cover every step, the change log and decisions are in
      // time order, cold starts add up, and the per-revision cold starts sum to the summary's.
      const tl = r.timeline;
      expect(tl.steps).toBe(r.durationMs / tl.stepMs);
      for (const rev of tl.revisions)
        for (const col of ['desiredReplicas', 'readyPods', 'pods', 'activatorQueue', 'stableConcurrency', 'panicConcurrency', 'panic', 'sksMode', 'requests'])
          expect(runLength(must(rev[col], `the timeline has ${rev.name}.${col}`)), `${rev.name}.${col}`).toBe(tl.steps);
      for (const runs of Object.values(tl.requestsByStatus)) expect(runLength(runs)).toBe(tl.steps);
      expect(runLength(tl.latency.count)).toBe(tl.latency.intervals);
      expectTimeOrder(r.objects, 'objects');
      expectTimeOrder(r.decisions, 'decisions');
      for (const p of r.podStarts) expect(Math.abs(p.schedulingMs + p.pullMs + p.startMs + p.readinessMs - p.totalMs)).toBeLessThan(0.05);
      expect(r.revisionStats.reduce((a, v) => a + v.coldStarts, 0)).toBe(r.summary.coldStarts);
      // revisionStats and revisions[] are one recording; every pod start is listed; the activator's buffers hold the cold-start requests that ended.
      for (const v of r.revisions) {
        const stats = r.revisionStats.find((x) => x.name === v.name);
        expect(stats, v.name).toMatchObject({ podStarts: v.podStarts, podSeconds: v.podSeconds, coldStarts: v.coldStarts });
      }
      expect(r.podStarts).toHaveLength(r.revisions.reduce((a, v) => a + v.podStarts, 0));
      expect(r.activatorBuffers.reduce((a, b) => a + b.requests, 0)).toBeLessThanOrEqual(r.summary.coldStarts);
      for (const b of r.activatorBuffers) expect(b.firstWaitMs).toBeLessThanOrEqual(b.maxWaitMs);
      for (const e of r.expectations) expect(e.fromMs ?? -1).toBeLessThanOrEqual(e.toMs ?? -2);
    });
  });
});
