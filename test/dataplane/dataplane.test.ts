import { describe, expect, it } from 'vitest';
import { makeWorld } from './fixture.js';
import { DRAIN_QUIET_MS, STATUS } from '../../src/dataplane/index.js';
import { must } from '../../src/engine/assert.js';
import type { Pod } from '../../src/apis/core.js';

const HOST = 'hello.default.example.com';
const slow = (ms: number) => ({ serviceTime: { distribution: 'constant' as const, valueMs: ms } });

describe('router', () => {
  it('answers 404 for an unknown host and for a cluster-local host asked from outside', () => {
    const w = makeWorld(1, { 'img/r1': slow(10) });
    w.setIngress('hello', [w.route(HOST, [['r1', 100]]), w.route('hello.default.svc.cluster.local', [['r1', 100]], 'ClusterLocal')]);
    w.setSks('r1', 'Serve');
    w.addPod('r1');
    w.run(1);
    w.dp.send('nobody.example.com');
    w.dp.send('hello.default.svc.cluster.local');
    w.dp.send('hello.default.svc.cluster.local', { fromCluster: true });
    w.dp.send(HOST);
    w.run(100);
    expect(w.ended.map((e) => e.status)).toEqual([404, 404, 200, 200]);
    expect(w.dp.measurements.unrouted.status404).toBe(2);
    expect(w.dp.measurements.revision('default', 'r1')?.succeeded).toBe(2);
  });

  it('splits 90/10 within 4 standard deviations over 20,000 requests', () => {
    const w = makeWorld('split', { 'img/v1': slow(1), 'img/v2': slow(1) });
    w.setIngress('hello', [
      w.route(HOST, [
        ['v1', 90],
        ['v2', 10],
      ]),
    ]);
    for (const rev of ['v1', 'v2']) {
      w.setSks(rev, 'Serve');
      w.addPod(rev);
    }
    w.run(1);
    const host = w.dp.hostHandle(HOST);
    for (let i = 0; i < 20_000; i++) w.engine.at(10 + i * 0.5, () => w.dp.send(host));
    w.run(20_000);
    const v2 = w.dp.measurements.revision('default', 'v2')?.arrived ?? 0;
    const sd = Math.sqrt(20_000 * 0.1 * 0.9);
    expect(Math.abs(v2 - 2000)).toBeLessThan(4 * sd);
    expect(w.dp.measurements.succeeded).toBe(20_000);
  });

  it('uses a route change only after the propagation delay', () => {
    const w = makeWorld(2, { 'img/r1': slow(5) }, { routePropagationMs: 1000 });
    w.setSks('r1', 'Serve');
    w.addPod('r1');
    w.setIngress('hello', [w.route(HOST, [['r1', 100]])]);
    w.engine.at(900, () => w.dp.send(HOST));
    w.engine.at(1100, () => w.dp.send(HOST));
    w.run(2000);
    expect(w.ended.map((e) => [e.arrivalMs, e.status])).toEqual([
      [900, 404],
      [1100, 200],
    ]);
  });
});

describe('activator', () => {
  it('holds a request to a revision at zero until a pod is Ready, then serves it with the wait in its latency', () => {
    const w = makeWorld(3, { 'img/r1': slow(40) });
    w.setIngress('hello', [w.route(HOST, [['r1', 100]])]);
    w.setSks('r1', 'Proxy');
    w.run(1);
    w.engine.at(100, () => w.dp.send(HOST));
    w.engine.at(5000, () => w.addPod('r1'));
    w.run(10_000);
    expect(w.ended).toHaveLength(1);
    const e = must(w.ended[0], 'one request ended');
    expect(e.status).toBe(200);
    expect(e.coldStart).toBe(true);
    expect(e.viaActivator).toBe(true);
    // Watch latency 0: the pod is seen Ready in the same millisecond it is created.
    expect(e.activatorWaitMs).toBe(4900);
    expect(e.endMs - e.arrivalMs).toBe(4940);
    expect(w.dp.measurements.revision('default', 'r1')?.coldStarts).toBe(1);
    // The poke went out the moment the request arrived.
    expect(w.activatorStats[0]).toEqual({ namespace: 'default', revision: 'r1', averageConcurrency: 1, requestCount: 1, atMs: 100 });
  });

  it('reports time-weighted concurrency every second, taking back the poke', () => {
    const w = makeWorld(4, { 'img/r1': slow(2000) });
    w.setIngress('hello', [w.route(HOST, [['r1', 100]])]);
    w.setSks('r1', 'Proxy');
    w.addPod('r1');
    w.engine.at(500, () => w.dp.send(HOST));
    w.run(4000);
    const reports = w.activatorStats.map((s) => [s.atMs, s.averageConcurrency, s.requestCount]);
    // 0.5 s: poke. 1 s: avg 1 over 0.5 s minus the poke → 0, count 1 − 1. 2 s: 1, 0. 3 s: 0.5 (ended at 2.5 s), 0.
    // 4 s: 0 → the entry is dropped after this report, so nothing more is sent.
    expect(reports).toEqual([
      [500, 1, 1],
      [1000, 0, 0],
      [2000, 1, 0],
      [3000, 0.5, 0],
      [4000, 0, 0],
    ]);
    w.run(5000);
    expect(w.activatorStats).toHaveLength(5);
  });

  it('sends the same stats through an opened handle, and opens it again when the sink changes', () => {
    const traffic = (opened: boolean) => {
      const w = makeWorld(4, { 'img/r1': slow(700) }, {}, opened);
      w.setIngress('hello', [w.route(HOST, [['r1', 100]])]);
      w.setSks('r1', 'Proxy');
      w.addPod('r1');
      for (const t of [500, 800, 2600, 6100, 6300, 9000]) w.engine.at(t, () => w.dp.send(HOST));
      // The sink's revisions change between two requests: what was opened before is stale.
      w.engine.at(4000, () => w.bumpStatsVersion());
      w.run(12_000);
      return w.activatorStats;
    };
    const byName = traffic(false);
    const opened = traffic(true);
    expect(opened.map(({ openedAt: _, ...stat }) => stat)).toEqual(byName);
    expect(opened.map((s) => [s.atMs < 4000 ? 'before' : 'after', s.openedAt])).toEqual(opened.map((s) => (s.atMs < 4000 ? ['before', 0] : ['after', 1])));
  });

  it('keeps 10,005 requests waiting (the revision breaker admits 10,000 + MaxInt32) and times every one out with 504', () => {
    const w = makeWorld(5);
    w.setIngress('hello', [w.route(HOST, [['r1', 100]])]);
    w.setSks('r1', 'Proxy');
    w.run(1);
    const host = w.dp.hostHandle(HOST);
    for (let i = 0; i < 10_005; i++) w.dp.send(host);
    expect(w.ended).toEqual([]);
    expect(w.dp.revisionState('default', 'r1')?.activatorWaiting).toBe(10_005);
    const m = w.dp.measurements;
    expect(m.inFlight).toBe(10_005);
    w.run(300_000);
    expect(w.ended.filter((e) => e.status === STATUS.timeout && e.endMs === 300_001)).toHaveLength(10_005);
    expect(m.arrived).toBe(m.succeeded + m.failed + m.inFlight);
    expect(m.inFlight).toBe(0);
  });

  it('answers 503 beyond the revision breaker’s admission limit with containerConcurrency > 0, never with 0', () => {
    for (const cc of [1, 0]) {
      const w = makeWorld(5, {}, { activatorBreakerSlots: 3 });
      w.setIngress('hello', [w.route(HOST, [['r1', 100]])]);
      w.setSks('r1', 'Proxy');
      // A pod that never becomes Ready tells the data plane the revision's containerConcurrency.
      w.addPod('r1', { cc, ready: false });
      w.run(1);
      for (let i = 0; i < 5; i++) w.dp.send(HOST);
      expect(w.ended.map((e) => e.status)).toEqual(cc > 0 ? [503, 503] : []);
      expect(w.dp.revisionState('default', 'r1')?.activatorWaiting).toBe(cc > 0 ? 3 : 5);
    }
  });

  it('times a waiting request out with 504 at the revision timeout', () => {
    const w = makeWorld(6);
    w.setIngress('hello', [w.route(HOST, [['r1', 100]])]);
    w.setSks('r1', 'Proxy');
    // A pod that never becomes Ready tells the data plane the revision's timeout (2 s).
    w.addPod('r1', { ready: false, timeoutSeconds: 2 });
    w.engine.at(10, () => w.dp.send(HOST));
    w.run(5000);
    expect(w.ended.map((e) => [e.status, e.endMs])).toEqual([[504, 2010]]);
  });

  it('with containerConcurrency 1 picks the first free pod in address order and never gives a container two requests', () => {
    const w = makeWorld(7, { 'img/r1': { serviceTime: { distribution: 'exponential', meanMs: 50 } } });
    w.setIngress('hello', [w.route(HOST, [['r1', 100]])]);
    w.setSks('r1', 'Proxy');
    const pods = [w.addPod('r1', { cc: 1, ip: '10.0.0.9' }), w.addPod('r1', { cc: 1, ip: '10.0.0.10' }), w.addPod('r1', { cc: 1, ip: '10.0.0.11' })];
    w.run(1);
    // Sequential requests: each finds every pod free, and "10.0.0.10" sorts first as a string.
    w.engine.at(10, () => w.dp.send(HOST));
    w.engine.at(5000, () => w.dp.send(HOST));
    w.run(6000);
    expect(w.ended.map((e) => e.podName)).toEqual([pods[1], pods[1]]);
    // A burst, then a flip to Serve mode so that direct traffic meets the same breakers.
    for (let i = 0; i < 300; i++) w.engine.at(7000 + i * 10, () => w.dp.send(HOST));
    w.engine.at(8500, () => w.setSks('r1', 'Serve'));
    w.run(60_000);
    const served = w.ended.filter((e) => e.status === STATUS.ok);
    for (const pod of pods) {
      const spans = served.filter((e) => e.podName === pod).sort((a, b) => a.serviceStartMs - b.serviceStartMs);
      let previous: (typeof spans)[number] | undefined;
      for (const span of spans) {
        if (previous !== undefined) expect(span.serviceStartMs).toBeGreaterThanOrEqual(previous.endMs);
        previous = span;
      }
    }
    expect(w.dp.measurements.inFlight).toBe(0);
  });
});

describe('queue-proxy', () => {
  it('refuses with 503 beyond containerConcurrency + 10 × containerConcurrency', () => {
    const w = makeWorld(8, { 'img/r1': slow(1000) });
    w.setIngress('hello', [w.route(HOST, [['r1', 100]])]);
    w.setSks('r1', 'Serve');
    w.addPod('r1', { cc: 2 });
    w.run(1);
    for (let i = 0; i < 30; i++) w.dp.send(HOST);
    expect(w.ended.map((e) => e.status)).toEqual(Array(8).fill(503));
    w.run(20_000);
    const tally = w.dp.measurements.revision('default', 'r1');
    expect(tally?.succeeded).toBe(22);
    expect(tally?.status503).toBe(8);
    // The last queued request waited 10 s (5 rounds of 2) before its 1 s of service.
    expect(tally?.latencyMs.max).toBe(11_000);
  });

  it('answers 504 when service runs past timeoutSeconds', () => {
    const w = makeWorld(9, { 'img/r1': slow(5000) });
    w.setIngress('hello', [w.route(HOST, [['r1', 100]])]);
    w.setSks('r1', 'Serve');
    w.addPod('r1', { timeoutSeconds: 1 });
    w.engine.at(10, () => w.dp.send(HOST));
    w.run(10_000);
    expect(w.ended.map((e) => [e.status, e.endMs, e.serviceMs])).toEqual([[504, 1010, 1000]]);
  });

  it('publishes time-weighted concurrency and counts per second, with proxied requests apart', () => {
    const w = makeWorld(10, { 'img/r1': slow(500) });
    w.setIngress('hello', [w.route(HOST, [['r1', 100]])]);
    w.setSks('r1', 'Proxy');
    const pod = w.addPod('r1');
    w.engine.at(100, () => w.dp.send(HOST));
    w.engine.at(300, () => w.dp.send(HOST));
    w.run(1200);
    // Queue-proxy started at t=0; period [0, 1 s): 0.5 s + 0.5 s of one request each.
    expect(w.dp.podStats.scrape('default', pod)).toEqual({
      podName: pod,
      averageConcurrency: 1,
      averageProxiedConcurrency: 1,
      requestCount: 2,
      proxiedRequestCount: 2,
      processUptimeSeconds: 1.2,
    });
    w.setSks('r1', 'Serve');
    w.engine.at(2250, () => w.dp.send(HOST));
    w.run(2000);
    // Period [2 s, 3 s): one direct request for 500 ms.
    expect(w.dp.podStats.scrape('default', pod)).toMatchObject({
      averageConcurrency: 0.5,
      averageProxiedConcurrency: 0,
      requestCount: 1,
      proxiedRequestCount: 0,
    });
    expect(w.dp.podStats.scrape('default', 'nope')).toBeUndefined();
  });

  it('reports the in-flight level with no arrivals after idle periods, counting queued requests', () => {
    const w = makeWorld(11, { 'img/r1': slow(60_000) });
    w.setIngress('hello', [w.route(HOST, [['r1', 100]])]);
    w.setSks('r1', 'Serve');
    const pod = w.addPod('r1', { cc: 1 });
    w.engine.at(2250, () => w.dp.send(HOST));
    w.engine.at(2250, () => w.dp.send(HOST));
    w.run(7100);
    // One serving and one queued: queue-proxy counts both as concurrency.
    expect(w.dp.podStats.scrape('default', pod)).toMatchObject({ averageConcurrency: 2, requestCount: 0, processUptimeSeconds: 7.1 });
  });

  it('drains on the pre-stop hook: no new requests, in-flight ones finish, done after the quiet period', () => {
    const w = makeWorld(12, { 'img/r1': slow(10_000) });
    w.setIngress('hello', [w.route(HOST, [['r1', 100]])]);
    w.setSks('r1', 'Serve');
    const a = w.addPod('r1', { ip: '10.0.0.1' });
    const b = w.addPod('r1', { ip: '10.0.0.2' });
    w.run(1);
    for (let i = 0; i < 20; i++) w.dp.send(HOST);
    let doneAtMs = -1;
    w.dp.preStopHook(w.api.get<Pod>('Pod', 'default', a) as Pod, () => (doneAtMs = w.engine.nowMs));
    for (let i = 0; i < 20; i++) w.engine.at(100 + i, () => w.dp.send(HOST));
    w.run(60_000);
    const onA = w.ended.filter((e) => e.podName === a);
    expect(onA.length).toBeGreaterThan(0);
    expect(onA.every((e) => e.arrivalMs === 1 && e.status === 200)).toBe(true);
    expect(w.ended.filter((e) => e.arrivalMs >= 100).every((e) => e.podName === b)).toBe(true);
    expect(doneAtMs).toBe(1 + DRAIN_QUIET_MS);
  });

  it('waits for in-flight requests beyond the quiet period before finishing the drain', () => {
    const w = makeWorld(13, { 'img/r1': slow(45_000) });
    w.setIngress('hello', [w.route(HOST, [['r1', 100]])]);
    w.setSks('r1', 'Serve');
    const a = w.addPod('r1');
    w.run(1);
    w.dp.send(HOST);
    let doneAtMs = -1;
    w.dp.preStopHook(w.api.get<Pod>('Pod', 'default', a) as Pod, () => (doneAtMs = w.engine.nowMs));
    w.run(100_000);
    expect(doneAtMs).toBe(45_001);
  });

  it('fails with 503 what is inside a pod that disappears', () => {
    const w = makeWorld(14, { 'img/r1': slow(10_000) });
    w.setIngress('hello', [w.route(HOST, [['r1', 100]])]);
    w.setSks('r1', 'Serve');
    const a = w.addPod('r1', { cc: 1 });
    w.run(1);
    for (let i = 0; i < 3; i++) w.dp.send(HOST);
    w.engine.at(500, () => w.deletePod(a));
    w.run(1000);
    expect(w.ended.map((e) => [e.status, e.endMs])).toEqual([
      [503, 500],
      [503, 500],
      [503, 500],
    ]);
  });
});

describe('app model', () => {
  it('makes a failing canary fail at its error rate, and setAppModel changes an image from now on', () => {
    const w = makeWorld(15, { 'img/v1': slow(5), 'img/v2': { ...slow(5), errorRate: 0.5 } });
    w.setIngress('hello', [
      w.route(HOST, [
        ['v1', 50],
        ['v2', 50],
      ]),
    ]);
    for (const rev of ['v1', 'v2']) {
      w.setSks(rev, 'Serve');
      w.addPod(rev);
    }
    w.run(1);
    for (let i = 0; i < 4000; i++) w.engine.at(10 + i, () => w.dp.send(HOST));
    w.run(5000);
    const v1 = w.dp.measurements.revision('default', 'v1');
    const v2 = w.dp.measurements.revision('default', 'v2');
    expect(v1?.status500).toBe(0);
    const rate = (v2?.status500 ?? 0) / (v2?.arrived ?? 1);
    expect(rate).toBeGreaterThan(0.45);
    expect(rate).toBeLessThan(0.55);
    w.dp.setAppModel('img/v1', slow(300));
    w.dp.send(HOST);
    w.dp.send(HOST);
    w.dp.send(HOST);
    w.run(1000);
    expect(w.dp.measurements.revision('default', 'v1')?.serviceMs.max).toBe(300);
  });

  it("serves a request that brings its own service time (a trace function's) for that long, and keeps the rest of the app model", () => {
    const w = makeWorld(16, { 'img/r1': { ...slow(5), errorRate: 0.5, firstByte: { distribution: 'constant', valueMs: 40 } } });
    w.setIngress('hello', [w.route(HOST, [['r1', 100]])]);
    w.setSks('r1', 'Serve');
    w.addPod('r1', { timeoutSeconds: 1 });
    w.run(1);
    const host = w.dp.hostHandle(HOST);
    for (let i = 0; i < 400; i++) w.engine.at(10 + i * 10, () => w.dp.send(host, undefined, i % 2 === 0 ? 250 : NaN));
    // Its own 5 s outlasts timeoutSeconds: the request's timer still ends it (the response had started at 40 ms, so its status stays).
    w.engine.at(5000, () => w.dp.send(host, undefined, 5000));
    w.run(10_000);
    const own = w.ended.filter((e) => e.arrivalMs < 4010 && (e.arrivalMs - 10) % 20 === 0);
    const drawn = w.ended.filter((e) => e.arrivalMs < 4010 && (e.arrivalMs - 10) % 20 !== 0);
    expect(own).toHaveLength(200);
    expect(own.every((e) => e.serviceMs === 250)).toBe(true);
    expect(drawn.every((e) => e.serviceMs === 5)).toBe(true);
    // The image's error rate applies to both.
    for (const group of [own, drawn]) {
      const failed = group.filter((e) => e.status === 500).length / group.length;
      expect(failed).toBeGreaterThan(0.35);
      expect(failed).toBeLessThan(0.65);
    }
    const long = must(
      w.ended.find((e) => e.arrivalMs === 5000),
      'the long request ended',
    );
    expect([long.endMs, long.serviceMs]).toEqual([6000, 1000]);
    expect(long.status).not.toBe(504);
  });
});
