import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Tally } from '../../src/dataplane/measurements.js';
import { LatencyHistogram } from '../../src/dataplane/histogram.js';
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

describe('a tally records latencies in batches', () => {
  // A tally keeps ended requests' latencies pending and records them a batch at a time; whoever
  // reads a histogram, whenever, must find exactly what recording each request at once gives.
  const view = fc.record({
    status: fc.constantFrom(200, 200, 200, 404, 500, 503, 504),
    latency: fc.oneof(fc.constant(0), fc.double({ min: 0.001, max: 60_000, noNaN: true })),
    router: fc.constantFrom(0, 0, 1.5),
    activatorWait: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 5000, noNaN: true })),
    queueWait: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 5000, noNaN: true })),
    service: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 30_000, noNaN: true })),
    readAfter: fc.boolean(),
  });
  const summary = (h: LatencyHistogram): unknown[] => [h.count, h.sum, h.min, h.max, h.zeroCount, h.bucketCapacity, h.quantile(0.5), h.quantile(0.99)];

  it('reads as histograms recorded at once, read at any point', () => {
    fc.assert(
      fc.property(fc.array(view, { minLength: 1, maxLength: 200 }), (views) => {
        const tally = new Tally(0, false);
        const at = { latency: new LatencyHistogram(), success: new LatencyHistogram(), router: new LatencyHistogram() };
        const rest = { activatorWait: new LatencyHistogram(), queueWait: new LatencyHistogram(), service: new LatencyHistogram() };
        let t = 0;
        for (const v of views) {
          tally.arrive(t);
          t += 10;
          tally.end(
            {
              id: 0,
              status: v.status,
              revisionKey: 'default/r1',
              podName: '',
              arrivalMs: t - v.latency,
              podArrivalMs: NaN,
              serviceStartMs: NaN,
              endMs: t,
              routerMs: v.router,
              activatorWaitMs: v.activatorWait,
              queueWaitMs: v.queueWait,
              serviceMs: v.service,
              viaActivator: false,
              coldStart: false,
              timeoutReason: -1,
            },
            t,
          );
          const latency = t - (t - v.latency);
          at.latency.record(latency);
          if (v.status === 200) at.success.record(latency);
          at.router.record(v.router);
          rest.activatorWait.record(v.activatorWait);
          rest.queueWait.record(v.queueWait);
          rest.service.record(v.service);
          if (v.readAfter) {
            expect(summary(tally.latencyMs)).toEqual(summary(at.latency));
            expect(summary(tally.successLatencyMs)).toEqual(summary(at.success));
            expect(summary(tally.serviceMs)).toEqual(summary(rest.service));
          }
        }
        expect(summary(tally.latencyMs)).toEqual(summary(at.latency));
        expect(summary(tally.successLatencyMs)).toEqual(summary(at.success));
        expect(summary(tally.routerMs)).toEqual(summary(at.router));
        expect(summary(tally.activatorWaitMs)).toEqual(summary(rest.activatorWait));
        expect(summary(tally.queueWaitMs)).toEqual(summary(rest.queueWait));
        expect(summary(tally.serviceMs)).toEqual(summary(rest.service));
      }),
      { numRuns: 150 },
    );
  });
});
