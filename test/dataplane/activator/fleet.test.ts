// The activator fleet in a live data plane: which activators front a revision, the pods each
// one takes and its capacity (Knative's throttler for CC 1, 10 and 0 with 1–5 activators), and
// requests spread over them and held to each activator's share.
import { describe, expect, it } from 'vitest';
import { makeWorld } from '../fixture.js';
import { chooseSubset } from '../../../src/dataplane/activator/subset.js';
import { REVISION_MAX_CONCURRENCY } from '../../../src/dataplane/activator/capacity.js';
import { STATUS } from '../../../src/dataplane/index.js';

const HOST = 'hello.default.example.com';
const slow = (ms: number) => ({ serviceTime: { distribution: 'constant' as const, valueMs: ms } });

/** A revision with `pods` Ready pods of containerConcurrency `cc`, in Proxy mode, fronted by `numActivators` of `fleet` activators. */
function world(fleet: number, numActivators: number, pods: number, cc: number, serviceMs = 1000) {
  const w = makeWorld(`fleet-${fleet}-${numActivators}-${pods}-${cc}`, { 'img/r1': slow(serviceMs) }, { activators: fleet });
  w.setIngress('hello', [w.route(HOST, [['r1', 100]])]);
  w.setSks('r1', 'Proxy', numActivators);
  const names: string[] = [];
  // Addresses 10.0.0.11 … sort as strings in creation order.
  for (let i = 0; i < pods; i++) names.push(w.addPod('r1', { cc, ip: `10.1.0.${11 + i}` }));
  w.run(1);
  return { ...w, names };
}

describe('activator capacity per revision (throttler.go, 5 pods)', () => {
  // Pods (by address index) each activator takes, in the activators' address order, as
  // assignSlice gives them: slices of floor(5 / N), the remainder one each to the first ones.
  const slices: Record<number, number[][]> = {
    1: [[0, 1, 2, 3, 4]],
    2: [
      [0, 1, 4],
      [2, 3],
    ],
    3: [[0, 3], [1, 4], [2]],
    4: [[0, 4], [1], [2], [3]],
    5: [[0], [1], [2], [3], [4]],
  };
  for (const cc of [1, 10]) {
    for (const n of [1, 2, 3, 4, 5]) {
      it(`CC ${cc}, ${n} activator(s): capacities ${(slices[n] ?? []).map((s) => s.length * cc).join(', ')}`, () => {
        const w = world(n, n, 5, cc);
        const views = w.dp.activatorViews('default', 'r1');
        expect(views.map((v) => [v.activatorIndex, v.numActivators])).toEqual((slices[n] ?? []).map((_, i) => [i, n]));
        expect(views.map((v) => v.capacity)).toEqual((slices[n] ?? []).map((s) => s.length * cc));
        expect(views.map((v) => v.assignedPods)).toEqual((slices[n] ?? []).map((s) => s.map((i) => w.names[i])));
      });
    }
  }
  for (const n of [1, 2, 3, 4, 5]) {
    it(`CC 0, ${n} activator(s): every activator takes every pod, its infinite breaker open`, () => {
      const w = world(n, n, 5, 0);
      for (const v of w.dp.activatorViews('default', 'r1')) {
        expect(v.capacity).toBe(REVISION_MAX_CONCURRENCY);
        expect(v.assignedPods).toEqual(w.names);
      }
    });
  }

  it('gives each of 5 activators one of 3 pods (i mod 3) with its full containerConcurrency, so pods are shared', () => {
    const w = world(5, 5, 3, 10);
    const views = w.dp.activatorViews('default', 'r1');
    expect(views.map((v) => v.assignedPods)).toEqual([0, 1, 2, 0, 1].map((i) => [w.names[i]]));
    expect(views.map((v) => v.capacity)).toEqual([10, 10, 10, 10, 10]);
  });

  it('closes every breaker when the last pod goes (capacity 0) and reopens it with the next', () => {
    const w = world(2, 2, 1, 10);
    expect(w.dp.activatorViews('default', 'r1').map((v) => v.capacity)).toEqual([10, 10]);
    w.deletePod(w.names[0] ?? '');
    w.run(1);
    expect(w.dp.activatorViews('default', 'r1').map((v) => v.capacity)).toEqual([0, 0]);
  });
});

describe('the activators that front a revision', () => {
  it('are the SKS’s numActivators of the fleet, chosen by consistent subsetting with the SKS name, each knowing its index', () => {
    const w = world(20, 3, 0, 1);
    const addresses = Array.from({ length: 20 }, (_, i) => `10.0.0.${i + 1}`);
    const chosen = chooseSubset(addresses, 3, 'r1');
    const views = w.dp.activatorViews('default', 'r1');
    expect(views.map((v) => `10.0.0.${v.activator.replace('activator-', '')}`)).toEqual(chosen);
    expect(views.map((v) => [v.activatorIndex, v.numActivators])).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
    ]);
    // A change of the subset is narrated once, with the names; asking for the same number again changes nothing.
    const traced: unknown[] = [];
    w.engine.onTrace((e) => e.component === 'activator' && e.object === 'r1' && traced.push(e.data));
    w.setSks('r1', 'Proxy', 5);
    w.run(1);
    w.setSks('r1', 'Serve', 5);
    w.run(1);
    const five = w.dp.activatorViews('default', 'r1').map((v) => v.activator);
    expect(five).toHaveLength(5);
    for (const name of views.map((v) => v.activator)) expect(five).toContain(name);
    expect(traced).toEqual([{ numActivators: 5, activators: five }]);
  });

  it('are every activator, index unknown, before the revision has an SKS', () => {
    const w = makeWorld(1, {}, { activators: 4 });
    w.setIngress('hello', [w.route(HOST, [['r1', 100]])]);
    w.run(1);
    expect(w.dp.activatorViews('default', 'r1').map((v) => [v.activator, v.activatorIndex, v.numActivators])).toEqual([
      ['activator-1', -1, 0],
      ['activator-2', -1, 0],
      ['activator-3', -1, 0],
      ['activator-4', -1, 0],
    ]);
  });

  it('share a burst at zero about evenly, each poking the autoscaler once, and only the chosen ones get requests', () => {
    const w = world(20, 3, 0, 1);
    const host = w.dp.hostHandle(HOST);
    for (let i = 0; i < 3000; i++) w.dp.send(host);
    const views = w.dp.activatorViews('default', 'r1');
    expect(views.reduce((n, v) => n + v.waiting, 0)).toBe(3000);
    for (const v of views) expect(Math.abs(v.waiting - 1000)).toBeLessThan(4 * Math.sqrt(3000 * (1 / 3) * (2 / 3)));
    expect(w.dp.revisionState('default', 'r1')?.activatorWaiting).toBe(3000);
    expect(w.activatorStats.filter((s) => s.averageConcurrency === 1 && s.requestCount === 1)).toHaveLength(3);
  });

  it('hold what each activator sends to its own pods’ share: with 2 of them and 5 pods of CC 1, 3 + 2 requests run at once', () => {
    const w = world(2, 2, 5, 1, 1000);
    const host = w.dp.hostHandle(HOST);
    for (let i = 0; i < 200; i++) w.dp.send(host);
    const views = w.dp.activatorViews('default', 'r1');
    expect(views.map((v) => v.inFlight)).toEqual([3, 2]);
    // No pod ever holds two requests: each belongs to one activator, which sends it one at a time.
    w.run(200_000);
    expect(w.ended.filter((e) => e.status === STATUS.ok)).toHaveLength(200);
    expect(w.ended.every((e) => e.queueWaitMs === 0)).toBe(true);
  });

  it('over-commit a pod they share: each of 12 activators owns the one pod with CC 1, so queue-proxy (1 + 10 queued) refuses the 12th', () => {
    const w = world(12, 12, 1, 1, 1000);
    const host = w.dp.hostHandle(HOST);
    // Enough requests that every activator has one (the router draws uniformly).
    for (let i = 0; i < 120; i++) w.dp.send(host);
    const inFlight = w.dp.activatorViews('default', 'r1').map((v) => v.inFlight);
    // Activators whose first request was refused dispatched the next ones at once and had them refused too.
    const refused = w.ended.filter((e) => e.status === STATUS.unavailable);
    expect(inFlight.filter((n) => n === 1).length + (refused.length > 0 ? 1 : 0)).toBe(12);
    expect(refused.length).toBeGreaterThan(0);
    // One in service, ten in queue-proxy's queue.
    expect(inFlight.reduce((a, b) => a + b, 0)).toBe(11);
  });
});
