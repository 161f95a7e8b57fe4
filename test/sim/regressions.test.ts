/**
 * Regression tests of two hot loops found by running the whole world (fixed in 201f030):
 * (a) a reconcile that flipped a condition and back rewrote the Revision status on every
 *     watch event (every 5 ms of virtual time while a pod started), because condition
 *     timestamps made equal statuses look different;
 * (b) a Deployment re-queued itself with delay 0 near its progress deadline, so a
 *     Deployment scaled 0→1 long after its last rollout spun at one instant forever.
 * Both show to a user as a run that never finishes (or an API server busy for nothing).
 */
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../src/apis/meta.js';
import { must } from '../../src/engine/index.js';
import type { Simulation } from '../../src/sim/index.js';
import { deploymentOf, simulationOf } from './helpers.js';

/** Counts calls of `api.update` and `api.updateStatus` per simulated minute, by kind. */
function countWrites(sim: Simulation): { perMinute: number[]; byKind: Map<string, number> } {
  const { api, engine } = sim.world;
  const perMinute: number[] = [];
  const byKind = new Map<string, number>();
  const count = (obj: KObject): void => {
    const minute = Math.floor(engine.nowMs / 60_000);
    while (perMinute.length <= minute) perMinute.push(0);
    perMinute[minute] = must(perMinute[minute], 'padded to this minute above') + 1;
    byKind.set(obj.kind, (byKind.get(obj.kind) ?? 0) + 1);
  };
  const update = api.update.bind(api);
  const updateStatus = api.updateStatus.bind(api);
  api.update = <T extends KObject>(obj: T): T => {
    count(obj);
    return update(obj);
  };
  api.updateStatus = <T extends KObject>(obj: T): T => {
    count(obj);
    return updateStatus(obj);
  };
  return { perMinute, byKind };
}

describe('regressions', () => {
  it('(a) deploying takes a few hundred API writes, and a settled world fewer than 20 per simulated minute', () => {
    // Two services: one scales to zero, one keeps a pod (min-scale 1) that is scraped every second.
    const sim = simulationOf(`
name: settled
duration: 6m
apps:
  rainbows: {serviceTime: 20ms, startupDelay: 2s}
timeline:
  - {at: 0s, kn: kn service create sunshine --image=rainbows}
  - {at: 0s, kn: kn service create keeper --image=rainbows --scale-min 1}
`);
    const writes = countWrites(sim);
    sim.runTo(120_000);
    // While the pods start (~20s) the reconcilers write each change once: dozens of writes.
    // With the bug, the Revision status was rewritten on every watch event: ~16,000 writes.
    // A minute with no write at all has no entry: it counts 0.
    const deployWrites = (writes.perMinute[0] ?? 0) + (writes.perMinute[1] ?? 0);
    expect(deployWrites, JSON.stringify([...writes.byKind])).toBeLessThan(300);
    sim.runTo(360_000);
    expect(deploymentOf(sim, 'sunshine-00001')?.spec.replicas).toBe(0);
    expect(deploymentOf(sim, 'keeper-00001')?.spec.replicas).toBe(1);
    for (const minute of [2, 3, 4, 5]) expect(writes.perMinute[minute] ?? 0, `minute ${minute}: ${JSON.stringify([...writes.byKind])}`).toBeLessThan(20);
    expect(sim.stopReason).toBe('completed');
  });

  // Kubernetes' Deployment controller re-checks a rollout just after its progress deadline
  // (10m by default, Knative's config-deployment progress-deadline). A scale-up more than a
  // deadline after the last rollout finds the deadline already passed.
  const tuningShape = (config: string, quietTo: string, duration: string): string => `
name: tuning-shape
seed: 8
duration: ${duration}
${config}
apps:
  rainbows: {serviceTime: {distribution: lognormal, median: 50ms, p99: 500ms}}
timeline:
  - {at: 0s, kn: kn service create baseline --image=rainbows}
traffic:
  - {name: morning, target: baseline, pattern: poisson, rate: 8, from: 1m, to: 3m}
  - {name: evening, target: baseline, pattern: poisson, rate: 8, from: ${quietTo}, to: ${duration}}
`;

  it.each([
    ['the default 10m progress deadline, waking at 12m', tuningShape('', '12m', '14m'), 720_000],
    ['a 2m progress deadline, waking after 4m of silence', tuningShape('config:\n  config-deployment: {progress-deadline: 2m}', '7m', '9m'), 420_000],
  ])('(b) a Deployment scaled 0→1 long after its last rollout does not spin at one instant (%s)', (_name, text, wakeMs) => {
    const sim = simulationOf(text, { maxEvents: 2_000_000 });
    sim.runTo(wakeMs - 1000);
    // Minutes of silence: at zero before the evening traffic.
    expect(deploymentOf(sim, 'baseline-00001')?.spec.replicas).toBe(0);
    sim.runTo(sim.scenario.durationMs);
    expect(sim.stopReason).toBe('completed');
    expect(sim.world.engine.nowMs).toBe(sim.scenario.durationMs);
    // ~2000 requests through a handful of controllers take tens of thousands of events, not millions.
    expect(sim.world.engine.eventCount).toBeLessThan(200_000);
    const result = sim.result();
    expect(result.summary.coldStarts).toBeGreaterThanOrEqual(1);
    expect(result.summary.requests.total).toBeGreaterThan(1500);
    // The evening traffic runs to the end: every request that ended succeeded.
    expect(result.summary.requests.failed).toBe(0);
    expect(result.summary.requests.succeeded).toBeGreaterThan(result.summary.requests.total - 10);
    expect(deploymentOf(sim, 'baseline-00001')?.spec.replicas).toBeGreaterThanOrEqual(1);
  });

  it('(c) an expectation window reaching far past the end (to: 2562047h) samples only the run, not a second of it all', () => {
    // Found by the fuzzing swarm (FUZZ_SEED=2029413574): a sample was scheduled for every second
    // of the window at the start, some 9 × 10^12 engine events, and the run died out of memory.
    const sim = simulationOf(`
name: far-window
duration: 2m
apps:
  rainbows: {serviceTime: 20ms}
timeline:
  - {at: 0s, kn: kn service create sunshine --image=rainbows}
expect:
  - {over: {from: 10s, to: 2562047h}, revision: sunshine-00001, readyPods: {min: 0}}
`);
    sim.runTo(120_000);
    const result = sim.result();
    expect(result.durationMs).toBe(120_000);
    expect(result.expectations).toHaveLength(1);
  });
});
