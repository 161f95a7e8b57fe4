/**
 * Determinism of whole runs: same scenario and seed, same bytes; another seed, another
 * run; and random streams named per workload, so adding a workload never moves the
 * arrivals of another one.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/scenario/index.js';
import { runScenario, Simulation } from '../../src/sim/index.js';
import { scenarioOf } from './helpers.js';

const CANARY = `
name: canary
seed: 7
duration: 4m
apps:
  rainbows:v1: {serviceTime: {distribution: lognormal, median: 20ms, p99: 200ms}, errorRate: 0.02}
  rainbows:v2: {serviceTime: {distribution: exponential, mean: 40ms}}
timeline:
  - {at: 0s, kn: kn service create sunshine --image=rainbows:v1 --concurrency-limit 5}
  - {at: 1m, kn: kn service update sunshine --image=rainbows:v2}
  - {at: 2m, kn: 'kn service update sunshine --traffic sunshine-00001=70,sunshine-00002=30'}
traffic:
  - {name: users, target: sunshine, pattern: poisson, rate: 15, from: 30s, to: 3m}
  - {name: clients, target: sunshine, pattern: users, users: 3, thinkTime: {distribution: exponential, mean: 500ms}, from: 40s}
`;

describe('determinism of whole runs', () => {
  it('gives one fingerprint however many times result() is asked, equal to a fresh run', () => {
    const scenario = scenarioOf(CANARY);
    const sim = new Simulation(scenario);
    sim.runTo(scenario.durationMs);
    const fingerprints = [sim.result(), sim.result(), sim.result()].map((r) => r.fingerprint);
    expect(new Set(fingerprints).size).toBe(1);
    expect(fingerprints[0]).toBe(runScenario(scenario).fingerprint);
  });

  it('gives byte-identical results for the same scenario and seed', () => {
    const scenario = scenarioOf(CANARY);
    const first = JSON.stringify(runScenario(scenario));
    const second = JSON.stringify(runScenario(scenarioOf(CANARY)));
    expect(second).toBe(first);
    const parsed = JSON.parse(first) as ReturnType<typeof runScenario>;
    // The run did something worth comparing: both revisions served, some requests failed.
    expect(parsed.revisions.map((r) => r.name)).toEqual(['sunshine-00001', 'sunshine-00002']);
    expect(parsed.summary.requests.total).toBeGreaterThan(2000);
    expect(parsed.summary.requests.byStatus['500']).toBeGreaterThan(0);
  });

  it('gives the same result whether the run is advanced in one go or in small slices (as `get --at` does)', () => {
    const whole = runScenario(scenarioOf(CANARY));
    const sim = new Simulation(scenarioOf(CANARY));
    for (let t = 0; t < sim.scenario.durationMs; t += 7_013) sim.runTo(t);
    sim.runTo(sim.scenario.durationMs);
    expect(JSON.stringify(sim.result())).toBe(JSON.stringify(whole));
  });

  it('changes the fingerprint (and the arrivals) with another seed', () => {
    const scenario = scenarioOf(CANARY);
    const a = runScenario(scenario);
    const b = runScenario(scenario, { seed: 8 });
    expect(b.seed).toBe(8);
    expect(b.fingerprint).not.toBe(a.fingerprint);
    expect(b.summary.requests.total).not.toBe(a.summary.requests.total);
  });

  it('keeps the arrivals of one workload when another workload with another name is added', () => {
    const base = `
name: two
seed: 3
duration: 3m
apps:
  rainbows: {serviceTime: {distribution: exponential, mean: 30ms}}
timeline:
  - {at: 0s, kn: kn service create first --image=rainbows}
  - {at: 0s, kn: kn service create second --image=rainbows}
traffic:
  - {name: first-users, target: first, pattern: poisson, rate: 8, from: 30s}
`;
    const extra = `  - {name: second-users, target: second, pattern: poisson, rate: 25, from: 20s}\n`;
    const runOf = (scenario: Scenario): { perSecond: number[]; arrivalsMs: number[]; total: number } => {
      const sim = new Simulation(scenario);
      const { dataplane, engine } = sim.world;
      const arrivalsMs: number[] = [];
      const send = dataplane.send.bind(dataplane);
      dataplane.send = (...args: Parameters<typeof send>) => {
        const host = args[0];
        if ((typeof host === 'string' ? host : host.host) === 'first.default.example.com') arrivalsMs.push(engine.nowMs);
        return send(...args);
      };
      sim.runTo(scenario.durationMs);
      const tally = dataplane.measurements.revision('default', 'first-00001');
      return { perSecond: tally?.series(engine.nowMs).requests ?? [], arrivalsMs, total: dataplane.measurements.arrived };
    };
    const alone = runOf(scenarioOf(base));
    const withOther = runOf(scenarioOf(base + extra));
    expect(withOther.total).toBeGreaterThan(alone.total + 3000); // the second workload really ran
    expect(alone.perSecond.reduce((a, b) => a + b, 0)).toBeGreaterThan(1000);
    expect(withOther.perSecond).toEqual(alone.perSecond);
    expect(withOther.arrivalsMs).toEqual(alone.arrivalsMs);
  });
});
