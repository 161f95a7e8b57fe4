import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeWorld } from './fixture.js';
import type { AppModelSpec } from '../../src/dataplane/index.js';
import { lognormalFromMedianP99, must, type Distribution } from '../../src/engine/index.js';
import type { Pod } from '../../src/apis/core.js';

/** The Azure duration percentiles' shape: p0 1ms, p1 2ms, p25 20ms, p50 60ms, p75 200ms, p99 1.5s, p100 4s. */
const EMPIRICAL: Distribution = {
  distribution: 'empirical',
  points: [
    { p: 0, valueMs: 1 },
    { p: 1, valueMs: 2 },
    { p: 25, valueMs: 20 },
    { p: 50, valueMs: 60 },
    { p: 75, valueMs: 200 },
    { p: 99, valueMs: 1500 },
    { p: 100, valueMs: 4000 },
  ],
};

const HOSTS = ['a.default.example.com', 'a.default.svc.cluster.local', 'unknown.example.com'] as const;

const appArb: fc.Arbitrary<AppModelSpec> = fc.record({
  serviceTime: fc.oneof(
    fc.record({ distribution: fc.constant('constant' as const), valueMs: fc.integer({ min: 0, max: 3000 }) }),
    fc.record({ distribution: fc.constant('exponential' as const), meanMs: fc.integer({ min: 1, max: 2000 }) }),
    fc.record({ distribution: fc.constant('uniform' as const), minMs: fc.constant(10), maxMs: fc.integer({ min: 10, max: 4000 }) }),
    fc.integer({ min: 50, max: 5000 }).map((p99Ms) => lognormalFromMedianP99(50, p99Ms)),
    fc.constant(EMPIRICAL),
  ),
  errorRate: fc.constantFrom(0, 0.2),
});

const podArb = fc.record({
  readyAtMs: fc.option(fc.integer({ min: 0, max: 6000 }), { nil: undefined }),
  stopAtMs: fc.option(fc.integer({ min: 0, max: 7000 }), { nil: undefined }),
  goneAfterMs: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: undefined }),
});

const scenarioArb = fc.record({
  seed: fc.integer(),
  cc: fc.constantFrom(0, 1, 2, 5),
  timeoutSeconds: fc.constantFrom(1, 3, 300),
  breakerSlots: fc.constantFrom(3, 10_000),
  activators: fc.integer({ min: 1, max: 4 }),
  numActivators: fc.constantFrom(0, 1, 2, 3),
  app: appArb,
  pods: fc.array(podArb, { maxLength: 4 }),
  modeFlipsMs: fc.array(fc.integer({ min: 0, max: 7000 }), { maxLength: 4 }),
  arrivals: fc.array(fc.record({ atMs: fc.integer({ min: 0, max: 7000 }), host: fc.integer({ min: 0, max: 2 }), fromCluster: fc.boolean() }), {
    maxLength: 120,
  }),
});

describe('dataplane conservation', () => {
  it('ends every request exactly once, or keeps it in flight, and ends all of them once capacity exists', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const w = makeWorld(s.seed, { 'img/r1': s.app }, { activatorBreakerSlots: s.breakerSlots, activators: s.activators });
        w.setIngress('a', [w.route(HOSTS[0], [['r1', 100]]), w.route(HOSTS[1], [['r1', 100]], 'ClusterLocal')]);
        w.setSks('r1', 'Proxy', s.numActivators);
        let proxy = true;
        let flips = 0;
        for (const t of s.modeFlipsMs)
          w.engine.at(t, () => {
            proxy = !proxy;
            // Each flip also changes how many activators front the revision, so pods are re-sliced mid-flight.
            w.setSks('r1', proxy ? 'Proxy' : 'Serve', (s.numActivators + ++flips) % 4);
          });
        for (const p of s.pods) {
          const name = w.addPod('r1', { cc: s.cc, ready: false, timeoutSeconds: s.timeoutSeconds });
          if (p.readyAtMs !== undefined) w.engine.at(p.readyAtMs, () => w.api.get('Pod', 'default', name) && w.setPodReady(name, true));
          if (p.stopAtMs !== undefined) {
            w.engine.at(p.stopAtMs, () => {
              const pod = w.api.get<Pod>('Pod', 'default', name);
              if (pod === undefined) return;
              w.dp.preStopHook(pod, () => undefined);
              if (p.goneAfterMs !== undefined) w.engine.after(p.goneAfterMs, () => w.api.get('Pod', 'default', name) && w.deletePod(name));
            });
          }
        }
        const sent: number[] = [];
        for (const a of s.arrivals)
          w.engine.at(a.atMs, () => sent.push(w.dp.send(must(HOSTS[a.host], 'the arbitrary picks one of HOSTS'), { fromCluster: a.fromCluster })));
        w.run(8000);

        const m = w.dp.measurements;
        const ids = new Set(w.ended.map((e) => e.id));
        expect(ids.size).toBe(w.ended.length);
        for (const id of ids) expect(sent).toContain(id);
        expect(sent.length).toBe(s.arrivals.length);
        expect(m.arrived).toBe(sent.length);
        expect(m.arrived).toBe(m.succeeded + m.failed + m.inFlight);
        expect(w.ended.length).toBe(m.succeeded + m.failed);
        const total = m.total();
        expect(total.arrived).toBe(m.arrived - m.inFlight + total.inFlight);
        for (const e of w.ended) {
          expect([200, 404, 500, 503, 504]).toContain(e.status);
          expect(e.activatorWaitMs).toBeGreaterThanOrEqual(0);
          expect(e.queueWaitMs).toBeGreaterThanOrEqual(0);
          expect(e.serviceMs).toBeGreaterThanOrEqual(0);
          expect(e.endMs).toBeGreaterThanOrEqual(e.arrivalMs);
        }
        // No container ever holds more than containerConcurrency requests.
        if (s.cc > 0) {
          const byPod = new Map<string, [number, number][]>();
          for (const e of w.ended)
            if (e.podName !== '' && e.serviceStartMs === e.serviceStartMs) byPod.set(e.podName, [...(byPod.get(e.podName) ?? []), [e.serviceStartMs, e.endMs]]);
          for (const spans of byPod.values()) {
            const edges = spans.flatMap(([a, b]) => [[a, 1] as const, [b, -1] as const]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
            let level = 0;
            for (const [, d] of edges) {
              level += d;
              expect(level).toBeLessThanOrEqual(s.cc);
            }
          }
        }
        // Give the revision a healthy pod in Serve mode: everything still in flight ends within the timeout.
        w.addPod('r1', { cc: s.cc, timeoutSeconds: s.timeoutSeconds });
        w.run(400_000);
        expect(m.inFlight).toBe(0);
        expect(w.ended.length).toBe(sent.length);
        expect(m.arrived).toBe(m.succeeded + m.failed);
      }),
      { numRuns: 200 },
    );
  });
});
