import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { must } from '../../src/engine/assert.js';
import { ApiServer, Controller, writeKnativeStatus } from '../../src/k8s/index.js';
import { semanticallyEqualStatus, type KObject } from '../../src/apis/meta.js';

/** The time between consecutive reconciles. */
function gapsOf(times: readonly number[]): number[] {
  return times.slice(1).map((t, i) => t - must(times[i], 'the previous reconcile'));
}

describe('Controller', () => {
  it('never spins at one instant when a reconcile asks to be requeued at once (regression: Deployment 0→1 after scale to zero)', () => {
    const engine = new Engine({ seed: 1 });
    const times: number[] = [];
    const controller = new Controller('test', engine, () => {
      times.push(engine.nowMs);
      return times.length < 12 ? { requeueAfterMs: 0 } : undefined;
    });
    controller.enqueue('ns/a');
    const outcome = engine.run({ maxEvents: 10_000 });
    expect(outcome.reason).toBe('drained');
    expect(times).toHaveLength(12);
    // Exponential back-off from 5 ms, capped at 1 s: time moves forward on every retry.
    const gaps = gapsOf(times);
    for (const gap of gaps) expect(gap).toBeGreaterThan(0);
    expect(gaps.slice(0, 2)).toEqual([5, 10]);
    expect(gaps[10]).toBe(1000);
  });

  it('backs off when a requeue delay is a float residue too small to move the clock (regression: KPA window − activeFor)', () => {
    const engine = new Engine({ seed: 1 });
    const times: number[] = [];
    const controller = new Controller('test', engine, () => {
      times.push(engine.nowMs);
      return times.length < 4 ? { requeueAfterMs: 3e-11 } : undefined;
    });
    engine.at(302_722.894, () => controller.enqueue('ns/a'));
    expect(engine.run({ maxEvents: 1000 }).reason).toBe('drained');
    expect(times).toHaveLength(4);
    for (const gap of gapsOf(times)) expect(gap).toBeGreaterThan(0);
  });

  it('resets the back-off once a reconcile succeeds without asking for more', () => {
    const engine = new Engine({ seed: 1 });
    const times: number[] = [];
    let round = 0;
    const controller = new Controller('test', engine, () => {
      times.push(engine.nowMs);
      round++;
      return round === 1 || round === 2 || round === 4 ? { requeueRateLimited: true } : undefined;
    });
    controller.enqueue('ns/a');
    engine.run();
    engine.at(engine.nowMs + 100, () => controller.enqueue('ns/a'));
    engine.run();
    // rounds 1,2 back off 5 then 10 ms; round 3 succeeds; round 4 (re-enqueued) backs off 5 ms again.
    const start = must(times[0], 'a first reconcile');
    expect(times.map((t) => t - start)).toEqual([0, 5, 15, 115, 120]);
  });
});

describe('writeKnativeStatus', () => {
  it('skips a write that only moves condition timestamps, as knative.dev/pkg ignores VolatileTime', () => {
    const engine = new Engine({ seed: 1 });
    const api = new ApiServer(engine);
    type Status = { observedGeneration?: number; conditions?: { type: string; status: string; lastTransitionTime: number }[] };
    type Thing = KObject<object, Status>;
    const obj = api.create<Thing>({
      apiVersion: 'example.dev/v1',
      kind: 'Thing',
      metadata: { name: 'a' },
      spec: {},
    });
    const first = writeKnativeStatus<Thing, Status>(api, obj, { conditions: [{ type: 'Ready', status: 'Unknown', lastTransitionTime: 1 }] });
    expect(first.written).toBe(true);
    const again = writeKnativeStatus<Thing, Status>(api, first.object, { conditions: [{ type: 'Ready', status: 'Unknown', lastTransitionTime: 99 }] });
    expect(again.written).toBe(false);
    const changed = writeKnativeStatus<Thing, Status>(api, first.object, { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: 99 }] });
    expect(changed.written).toBe(true);
    expect(semanticallyEqualStatus({ a: [{ lastUpdateTime: 1, x: 1 }] }, { a: [{ lastUpdateTime: 2, x: 1 }] })).toBe(true);
    expect(semanticallyEqualStatus({ a: [{ x: 1 }] }, { a: [{ x: 2 }] })).toBe(false);
  });
});
