/**
 * Panic mode through the whole world: a burst ten times above what the running pod can
 * take. The KPA must see it in its 6s panic window and, within one 2s tick, enter panic
 * and scale the Deployment up at once (not after the 60s stable window).
 */
import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../src/sim/index.js';
import { deploymentOf, simulationOf } from './helpers.js';

interface Tick {
  atMs: number;
  readyPods: number;
  observedPanic: number;
  targetValue: number;
  inPanic: boolean;
  desiredScale: number;
  /** The Deployment's spec.replicas 100 ms after the tick (the KPA's write and its watch delay). */
  replicasAfter: number;
}

/** Steps the simulation in 100 ms slices and records each autoscaler decision once. */
function recordTicks(sim: Simulation, fromMs: number, toMs: number): Tick[] {
  const ticks: Tick[] = [];
  const { autoscaler, engine } = sim.world;
  sim.runTo(fromMs);
  let pending: Omit<Tick, 'replicasAfter'> | undefined;
  let lastAtMs = autoscaler.latestDecision('default', 'sunshine-00001')?.nowMs;
  while (engine.nowMs < toMs) {
    sim.runTo(engine.nowMs + 100);
    const replicas = deploymentOf(sim, 'sunshine-00001')?.spec.replicas ?? 0;
    if (pending !== undefined) {
      ticks.push({ ...pending, replicasAfter: replicas });
      pending = undefined;
    }
    const d = autoscaler.latestDecision('default', 'sunshine-00001');
    if (d?.nowMs !== undefined && d.nowMs !== lastAtMs) {
      lastAtMs = d.nowMs;
      pending = {
        atMs: d.nowMs,
        readyPods: d.readyPods ?? 0,
        observedPanic: d.observedPanic ?? 0,
        targetValue: d.targetValue ?? 0,
        inPanic: d.inPanic ?? false,
        desiredScale: d.desiredScale ?? 0,
      };
    }
  }
  return ticks;
}

describe('panic through the whole world', () => {
  it('enters panic within one 2s tick of the 6s panic window showing the burst, and scales up on that tick', () => {
    // One pod takes 10 concurrent requests of ~1s: about 10 requests per second. The burst
    // brings 100 per second: ten times its capacity.
    const sim = simulationOf(`
name: panic
seed: 6
duration: 3m
apps:
  rainbows: {serviceTime: {distribution: exponential, mean: 1s}}
timeline:
  - {at: 0s, kn: kn service create sunshine --image=rainbows --concurrency-limit 10 --scale-min 1 --scale-max 30}
traffic:
  - {name: baseline, target: sunshine, pattern: poisson, rate: 3, from: 30s}
  - {name: burst, target: sunshine, pattern: poisson, rate: 100, from: 2m, to: 2m30s}
`);
    const ticks = recordTicks(sim, 100_000, 140_000);
    expect(ticks.length).toBeGreaterThanOrEqual(19); // a decision every 2s

    // Before the burst: one pod, calm.
    const before = ticks.filter((t) => t.atMs <= 120_000);
    expect(before.length).toBeGreaterThanOrEqual(9);
    for (const t of before) {
      expect(t.inPanic, `tick at ${t.atMs}`).toBe(false);
      expect(t.replicasAfter, `tick at ${t.atMs}`).toBe(1);
    }

    // The first tick whose 6s panic window shows at least twice the capacity of the ready pods
    // (Knative's panic threshold 200%): the burst starts at 2m, so it is the tick at 2m2s or 2m4s.
    const shows = ticks.find((t) => t.observedPanic / t.targetValue / t.readyPods >= 2);
    expect(shows, JSON.stringify(ticks)).toBeDefined();
    const showsAt = (shows as Tick).atMs;
    expect(showsAt).toBeGreaterThan(120_000);
    expect(showsAt).toBeLessThanOrEqual(124_000);

    // Panic within one tick of that, and the Deployment scaled up on the panic tick itself.
    const panicTick = ticks.find((t) => t.inPanic);
    expect(panicTick, JSON.stringify(ticks)).toBeDefined();
    const entered = panicTick as Tick;
    expect(entered.atMs).toBeGreaterThanOrEqual(showsAt);
    expect(entered.atMs).toBeLessThanOrEqual(showsAt + 2000);
    expect(entered.desiredScale).toBeGreaterThanOrEqual(2);
    expect(entered.replicasAfter).toBeGreaterThan(1);
    expect(entered.replicasAfter).toBe(Math.min(30, entered.desiredScale));

    // In panic it keeps scaling up (never down) while the burst lasts; the pods come up.
    const during = ticks.filter((t) => t.atMs >= entered.atMs);
    let previous: (typeof during)[number] | undefined;
    for (const tick of during) {
      if (previous !== undefined) {
        expect(tick.inPanic, `tick at ${tick.atMs}`).toBe(true);
        expect(tick.replicasAfter, `tick at ${tick.atMs}`).toBeGreaterThanOrEqual(previous.replicasAfter);
      }
      previous = tick;
    }
    expect(during.at(-1)?.replicasAfter).toBeGreaterThanOrEqual(10);
    sim.runTo(180_000);
    expect(sim.result().revisions[0]?.maxReadyPods).toBeGreaterThanOrEqual(10);
  });
});
