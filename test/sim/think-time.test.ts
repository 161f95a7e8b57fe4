/**
 * Closed-loop users with every kind of think time. Regression: before the scenario, the data
 * plane and the workloads shared one Distribution, sim/run.ts translated think times itself and
 * threw "thinkTime: lognormal is not supported for users" (and the same for empirical), so a
 * scenario that `validate` accepted crashed at `run`.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/sim/index.js';
import { scenarioOf } from './helpers.js';

const usersWith = (thinkTime: string): string => `
name: think
duration: 3m
apps:
  rainbows: {serviceTime: 20ms}
timeline:
  - {at: 0s, kn: kn service create sunshine --image=rainbows --scale-min 1}
traffic:
  - {name: clients, target: sunshine, pattern: users, users: 4, thinkTime: ${thinkTime}, from: 30s}
`;

describe('closed-loop users in a whole run', () => {
  it.each([
    ['lognormal', '{distribution: lognormal, median: 200ms, p99: 2s}'],
    ['lognormal by mu and sigma', '{distribution: lognormal, mu: 5.3, sigma: 0.8}'],
    ['empirical', '{distribution: empirical, percentiles: {p0: 50ms, p50: 200ms, p99: 1s, p100: 2s}}'],
  ])('runs a users workload with a %s think time', (_kind, thinkTime) => {
    const text = usersWith(thinkTime);
    const result = runScenario(scenarioOf(text));
    // 4 users for 150 s, each cycle a think of a few hundred ms plus ~20 ms of service: hundreds of requests.
    expect(result.summary.requests.total).toBeGreaterThan(500);
    expect(result.summary.requests.byStatus['200']).toBeGreaterThan(500);
    expect(JSON.stringify(runScenario(scenarioOf(text)))).toBe(JSON.stringify(result));
  });
});
