/**
 * The series kept as change points or at a step: the same run, the same fingerprint; change
 * points expand to the per-second series exactly; a step's sample counts the step's requests;
 * --no-series keeps none. And the streamed JSON is byte for byte `JSON.stringify(value, null, 2)`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeJson } from '../../src/cli/stream-out.js';
import { expandedSeries, seriesByRevision } from '../../src/engine/index.js';
import { runScenario } from '../../src/sim/index.js';
import { scenarioOf } from './helpers.js';

const SCALE = `
name: series-forms
seed: 3
duration: 5m
apps:
  app: {serviceTime: {distribution: lognormal, median: 50ms, p99: 400ms}}
timeline:
  - {at: 0s, kn: kn service create s --image=app}
  - {at: 2m, kn: kn service update s --env A=1}
traffic:
  - {name: burst, target: s, pattern: poisson, rate: 30, from: 20s, to: 1m30s}
  - {name: trickle, target: s, pattern: poisson, rate: 0.2, from: 2m30s, to: 3m}
`;

describe('series forms', () => {
  const scenario = scenarioOf(SCALE);
  const perSecond = runScenario(scenario);
  const changes = runScenario(scenario, { record: { series: { changesOnly: true } } });
  const stepped = runScenario(scenario, { record: { series: { stepMs: 10_000 } } });
  const none = runScenario(scenario, { record: { series: false } });

  it('changes no event of the run', () => {
    for (const r of [changes, stepped, none]) {
      expect(r.fingerprint).toBe(perSecond.fingerprint);
      expect(r.summary).toEqual(perSecond.summary);
    }
    expect(perSecond.seriesForm).toBeUndefined();
    expect(changes.seriesForm).toEqual({ stepMs: 1000, changesOnly: true });
    expect(stepped.seriesForm).toEqual({ stepMs: 10_000, changesOnly: false });
    expect(none.seriesForm).toEqual({ stepMs: 0, changesOnly: false });
    expect(none.series).toEqual([]);
  });

  it('keeps only the samples that change, which expand to the per-second series', () => {
    expect(changes.series.length).toBeLessThan(perSecond.series.length / 2);
    const bySecond = seriesByRevision(perSecond);
    const byChange = seriesByRevision(changes);
    expect([...byChange.keys()]).toEqual([...bySecond.keys()]);
    for (const [revision, samples] of byChange) expect([...expandedSeries(changes, samples)]).toEqual(bySecond.get(revision));
  });

  it('samples every step, each counting the requests of its whole step', () => {
    const routed = perSecond.revisions.reduce((n, r) => n + r.requests, 0);
    expect(stepped.series.every((s) => s.t % 10_000 === 0)).toBe(true);
    expect(stepped.series.reduce((n, s) => n + s.requests, 0)).toBe(routed);
    for (const s of stepped.series) {
      const same = perSecond.series.find((p) => p.t === s.t && p.revision === s.revision);
      expect({ ...s, requests: 0 }).toEqual({ ...same, requests: 0 });
    }
  });
});

describe('streamed JSON', () => {
  const write = (value: unknown): string => {
    let out = '';
    writeJson({ write: (chunk) => (out += chunk) }, value);
    return out;
  };

  it('is JSON.stringify(value, null, 2), byte for byte', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        expect(write(value)).toBe(JSON.stringify(value, null, 2));
      }),
      { numRuns: 300 },
    );
  });

  it('is JSON.stringify(value, null, 2) when long arrays lie deep (written item by item)', () => {
    const long = (n: number): unknown[] => Array.from({ length: n }, (_, i) => (i % 3 === 0 ? i / 7 : i % 3 === 1 ? { k: [i, 'x'] } : [i]));
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.integer({ min: 999, max: 1003 }), (value, n) => {
        const deep = { a: { b: { c: { d: long(n), e: value }, f: [long(n)] } }, g: [[[{ h: long(n) }]]] };
        expect(write(deep)).toBe(JSON.stringify(deep, null, 2));
      }),
      { numRuns: 20 },
    );
  });

  it('leaves out undefined members and writes undefined items as null, as JSON.stringify does', () => {
    const value = { a: undefined, b: [undefined, 1, { c: undefined, d: [[], {}] }], e: 'x\ny' };
    expect(write(value)).toBe(JSON.stringify(value, null, 2));
  });
});
