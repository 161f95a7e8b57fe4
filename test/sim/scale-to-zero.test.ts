/**
 * Scale to zero through the whole world with Knative's defaults (stable window 60s,
 * 2s autoscaler ticks, 30s scale-to-zero grace period, target-burst-capacity 211), and
 * the cold start that follows: what a user watching `kubectl get deploy` and the
 * latency of the next request would see.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TYPE, type Pod } from '../../src/apis/core.js';
import { LABEL, type ServerlessService } from '../../src/apis/serving-types.js';
import type { KObject } from '../../src/apis/meta.js';
import { must } from '../../src/engine/index.js';
import type { Simulation } from '../../src/sim/index.js';
import { lastRequestAt, run, scaleChanges, scenario as newScenario, valueAt } from 'knsim/testing';
import { deploymentOf, simulationOf } from './helpers.js';

/** Records arrival times of requests and every write of a Deployment's spec.replicas. */
function observe(sim: Simulation, deploymentName: string): { arrivalsMs: number[]; replicaWrites: { atMs: number; replicas: number }[] } {
  const { api, engine, dataplane } = sim.world;
  const arrivalsMs: number[] = [];
  const replicaWrites: { atMs: number; replicas: number }[] = [];
  const send = dataplane.send.bind(dataplane);
  dataplane.send = (...args: Parameters<typeof send>) => {
    arrivalsMs.push(engine.nowMs);
    return send(...args);
  };
  const update = api.update.bind(api);
  api.update = <T extends KObject>(obj: T): T => {
    const stored = update(obj);
    const spec = stored.spec as { replicas?: number } | undefined;
    if (stored.kind === 'Deployment' && stored.metadata.name === deploymentName && spec?.replicas !== undefined)
      replicaWrites.push({ atMs: engine.nowMs, replicas: spec.replicas });
    return stored;
  };
  return { arrivalsMs, replicaWrites };
}

const scenario = (config: string, traffic: string): string => `
name: zero
duration: 5m
${config}
apps:
  rainbows: {serviceTime: 50ms, startupDelay: 3s}
timeline:
  - {at: 0s, kn: kn service create sunshine --image=rainbows}
traffic:
${traffic}
`;

describe('scale to zero with defaults', () => {
  it('takes the Deployment to 0 replicas 60..64s after the last request, never before', () => {
    // Constant arrivals every 200 ms: the last one at 89.9s, late in its 1s metric bucket.
    const sim = simulationOf(scenario('', '  - {name: morning, target: sunshine, pattern: constant, rate: 5, from: 40s, to: 1m30s}'));
    const seen = observe(sim, 'sunshine-00001-deployment');
    sim.runTo(80_000);
    // One pod cannot cover the default burst capacity (211), so the activator stays in the path.
    expect(sim.world.api.get<ServerlessService>(TYPE.serverlessService, 'default', 'sunshine-00001')?.spec.mode).toBe('Proxy');
    sim.runTo(300_000);
    const lastMs = seen.arrivalsMs.at(-1) as number;
    expect(seen.arrivalsMs.length).toBe(250);
    expect(lastMs).toBe(89_900);
    const zero = seen.replicaWrites.find((w) => w.replicas === 0);
    expect(zero, 'the Deployment was never scaled to 0').toBeDefined();
    expect(zero?.atMs).toBeGreaterThanOrEqual(lastMs + 60_000);
    expect(zero?.atMs).toBeLessThanOrEqual(lastMs + 64_000);
    // It stays at zero: no request came back.
    expect(seen.replicaWrites.filter((w) => w.atMs > (zero?.atMs as number))).toEqual([]);
    expect(deploymentOf(sim, 'sunshine-00001')?.spec.replicas).toBe(0);
    const pods = sim.world.api.list<Pod>(TYPE.pod, { namespace: 'default', selector: { matchLabels: { [LABEL.revision]: 'sunshine-00001' } } });
    expect(pods).toEqual([]);
    expect(sim.result().summary.requests.byStatus).toEqual({ '200': seen.arrivalsMs.length });
  });

  it('reaches zero 60..65s after the second of the last request for any steady traffic, never earlier (property)', () => {
    // Built and read with knsim/testing: the builder, and the autoscaler's scale events as data.
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 1, max: 1_000_000 }),
          pattern: fc.constantFrom('poisson' as const, 'constant' as const),
          rate: fc.constantFrom(0.5, 2, 10, 40),
          fromS: fc.integer({ min: 5, max: 30 }),
          toS: fc.integer({ min: 40, max: 120 }),
          serviceMs: fc.constantFrom(5, 100, 500),
        }),
        (p) => {
          const result = run(
            newScenario('zero-property')
              .seed(p.seed)
              .duration('4m')
              .app('rainbows', { serviceTime: `${p.serviceMs}ms` })
              .kn('0s', 'kn service create sunshine --image=rainbows')
              .traffic({ name: 'users', target: 'sunshine', pattern: p.pattern, rate: p.rate, from: `${p.fromS}s`, to: `${p.toS}s` }),
          );
          const lastMs = must(lastRequestAt(result, 'sunshine-00001'), 'a request arrived');
          const zeros = scaleChanges(result, 'sunshine-00001').filter((c) => c.to === 0);
          // Knative's metric buckets are whole seconds (the activator's poke for a request is
          // recorded at its arrival, truncated), so the window forgets the last request 60s
          // after the start of its second: up to 1s less than 60s after the request itself.
          const firstZero = must(zeros[0], 'a write of 0 replicas');
          expect(firstZero.t).toBeGreaterThanOrEqual(Math.floor(lastMs / 1000) * 1000 + 60_000);
          expect(firstZero.t).toBeLessThanOrEqual(lastMs + p.serviceMs + 65_000);
          expect(valueAt(result, 'sunshine-00001', 'desiredReplicas', result.durationMs)).toBe(0);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('with target-burst-capacity "0" (SKS in Serve) waits the 30s grace period too: zero at T+90..96s', () => {
    const sim = simulationOf(
      scenario(
        'config:\n  config-autoscaler: {target-burst-capacity: "0"}',
        '  - {name: morning, target: sunshine, pattern: poisson, rate: 5, from: 40s, to: 1m30s}',
      ),
    );
    const seen = observe(sim, 'sunshine-00001-deployment');
    sim.runTo(80_000);
    // With no burst capacity to protect, the activator leaves the path once a pod is ready.
    expect(sim.world.api.get<ServerlessService>(TYPE.serverlessService, 'default', 'sunshine-00001')?.spec.mode).toBe('Serve');
    sim.runTo(300_000);
    const lastMs = seen.arrivalsMs.at(-1) as number;
    const zero = seen.replicaWrites.find((w) => w.replicas === 0);
    expect(zero, 'the Deployment was never scaled to 0').toBeDefined();
    expect(zero?.atMs).toBeGreaterThanOrEqual(lastMs + 90_000);
    expect(zero?.atMs).toBeLessThanOrEqual(lastMs + 96_000);
    expect(deploymentOf(sim, 'sunshine-00001')?.spec.replicas).toBe(0);
    expect(sim.world.api.get<ServerlessService>(TYPE.serverlessService, 'default', 'sunshine-00001')?.spec.mode).toBe('Proxy');
  });

  it('serves the first request after zero through the activator as a cold start, no faster than the pod starts', () => {
    const sim = simulationOf(
      scenario(
        '',
        [
          '  - {name: morning, target: sunshine, pattern: constant, rate: 2, from: 40s, to: 1m}',
          '  - {name: late, target: sunshine, pattern: burst, spike: {at: 3m, count: 1}}',
        ].join('\n'),
      ),
    );
    const seen = observe(sim, 'sunshine-00001-deployment');
    sim.runTo(179_000);
    expect(deploymentOf(sim, 'sunshine-00001')?.spec.replicas).toBe(0);
    const before = sim.world.dataplane.measurements.revision('default', 'sunshine-00001');
    expect(before?.coldStarts).toBe(0);
    const endedBefore = (before?.succeeded ?? 0) + (before?.failed ?? 0);

    sim.runTo(240_000);
    expect(seen.arrivalsMs.at(-1)).toBe(180_000);
    // The late request woke the revision: 0 → 1 replica right after it arrived.
    const wake = seen.replicaWrites.find((w) => w.atMs >= 180_000 && w.replicas === 1);
    expect(wake?.atMs).toBeLessThan(181_000);
    const tally = sim.world.dataplane.measurements.revision('default', 'sunshine-00001');
    expect(tally?.coldStarts).toBe(1);
    expect(tally?.succeeded).toBe(endedBefore + 1);
    expect(tally?.inFlight).toBe(0);
    const pods = sim.world.api.list<Pod>(TYPE.pod, { namespace: 'default', selector: { matchLabels: { [LABEL.revision]: 'sunshine-00001' } } });
    expect(pods).toHaveLength(1);
    const pod = must(pods[0], 'one pod');
    // The pod's start-up as the kubelet reports it: created, scheduled, the user container
    // started, then the app's 3s start-up delay before it listens (and later the Ready condition).
    const createdAt = pod.metadata.creationTimestamp as number;
    const startup = pod.status?.startup;
    const userStartedAt = pod.status?.containerStatuses?.find((c) => c.name === 'user-container')?.state.running?.startedAt as number;
    const listensAt = userStartedAt + (startup?.appStartupMs ?? 0);
    const readyAt = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True')?.lastTransitionTime as number;
    expect(createdAt).toBeGreaterThanOrEqual(180_000);
    expect(startup?.appStartupMs).toBe(3000);
    expect(listensAt - createdAt).toBeGreaterThanOrEqual(3000);
    expect(readyAt).toBeGreaterThanOrEqual(listensAt);
    // The request waited in the activator for the whole start-up (it cannot be served before
    // the app listens), then was served (50ms); no later than the pod became Ready.
    expect(tally?.activatorWaitMs.max).toBeGreaterThanOrEqual(listensAt - 180_000);
    expect(tally?.latencyMs.max).toBeGreaterThanOrEqual(listensAt - 180_000 + 50);
    expect(tally?.latencyMs.max).toBeLessThanOrEqual(readyAt - 180_000 + 50 + 100);
    const result = sim.result();
    expect(result.summary.coldStarts).toBe(1);
    expect(result.summary.latencyMs.max).toBeGreaterThanOrEqual(listensAt - createdAt);
  });
});
