import { describe, expect, it } from 'vitest';
import { makeWorld } from './fixture.js';
import { buildDataplaneBench } from './load-fixture.js';

const HOST = 'hello.default.example.com';

function busyWorld(seed: number) {
  const w = makeWorld(seed, { 'img/r1': { serviceTime: { distribution: 'exponential', meanMs: 1500 }, errorRate: 0.1 } });
  w.setIngress('hello', [w.route(HOST, [['r1', 100]])]);
  w.setSks('r1', 'Proxy');
  w.addPod('r1', { cc: 2 });
  w.addPod('r1', { cc: 2 });
  for (let i = 0; i < 60; i++) w.engine.at(i * 50, () => w.dp.send(HOST));
  return w;
}

describe('measurements', () => {
  it('keeps per-second series of arrivals, in-flight and failures per revision', () => {
    const w = makeWorld(20, { 'img/r1': { serviceTime: { distribution: 'constant', valueMs: 1500 } } });
    w.setIngress('hello', [w.route(HOST, [['r1', 100]])]);
    w.setSks('r1', 'Serve');
    w.addPod('r1');
    for (const t of [100, 200, 300, 2100, 2200]) w.engine.at(t, () => w.dp.send(HOST));
    w.engine.at(400, () => w.dp.send('nowhere'));
    w.run(5000);
    const series = w.dp.measurements.revision('default', 'r1')?.series(w.engine.nowMs);
    expect(series?.requests).toEqual([3, 0, 2, 0, 0]);
    expect(series?.inFlight).toEqual([3, 0, 2, 0, 0]);
    const total = w.dp.measurements.total();
    expect(total.series(w.engine.nowMs).failed).toEqual([1, 0, 0, 0, 0]);
    expect(total.byStatus).toEqual({ 200: 5, 404: 1 });
    expect(total.successLatencyMs.quantile(0.5)).toBe(1500);
  });

  it('gives the same outcome twice for the same seed, and a different one for another seed', () => {
    const run = (seed: number) => {
      const w = busyWorld(seed);
      w.run(200_000);
      return { ended: w.ended, fingerprint: w.engine.fingerprintHex };
    };
    const a = run(1);
    expect(run(1)).toEqual(a);
    expect(run(2).ended).not.toEqual(a.ended);
    expect(a.ended).toHaveLength(60);
  });

  it('conserves requests at every second of a busy run', () => {
    const w = busyWorld(3);
    const m = w.dp.measurements;
    for (let s = 0; s < 120; s++) {
      w.run(1000);
      expect(m.arrived).toBe(m.succeeded + m.failed + m.inFlight);
      const tally = m.revision('default', 'r1');
      if (tally !== undefined) expect(tally.arrived).toBe(tally.succeeded + tally.failed + tally.inFlight);
    }
    expect(m.inFlight).toBe(0);
  });
});

describe('buildDataplaneBench', () => {
  it('sends every request through a ready revision and lets them all end', () => {
    for (const proxy of [false, true]) {
      const bench = buildDataplaneBench({ pods: 4, requests: 5000, containerConcurrency: 10, proxy });
      const r = bench.run();
      expect(r.requests).toBe(5000);
      expect(r.succeeded + r.failed).toBe(5000);
      expect(r.succeeded).toBe(5000);
      expect(bench.dataplane.measurements.total().activatorWaitMs.count).toBe(5000);
    }
  });
});
