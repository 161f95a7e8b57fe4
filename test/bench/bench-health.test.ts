// A benchmark case times only a run that did what it names (src/bench/scenarios.ts): a run whose
// requests failed is refused with what went wrong, so a broken run is never reported as fast.
import { describe, expect, it } from 'vitest';
import { loadBenchScenario, requestsHourScenario, runScenarioBench, servicesHourScenario } from '../../src/bench/scenarios.js';

const dir = 'scenarios/data/azure2019';

describe('bench cases', () => {
  it('time a healthy run', () => {
    const r = runScenarioBench('requests-1m', loadBenchScenario(requestsHourScenario().replace('duration: 1h', 'duration: 1m'), dir));
    expect(r.requests).toBeGreaterThan(5000);
    expect(r.simulatedRequestsPerSec).toBeGreaterThan(0);
  });

  it('refuse to time a run whose requests failed', () => {
    // Every request outlives the revision's 300 s timeout: all end as 504s.
    const slow = `
name: slow
seed: 1
duration: 7m
timeline:
  - {at: 0s, kn: kn service create slow --image=slow}
apps:
  slow: {serviceTime: 10m}
traffic:
  - {name: load, target: slow, pattern: constant, rate: 1, from: 30s, to: 40s}
`;
    expect(() => runScenarioBench('slow', loadBenchScenario(slow, dir))).toThrow(/bench case slow ran wrong[^]*10 of 10 requests failed \(\{"504":10\}\)/);
  });

  it('give each 100 services a node, so that every service gets its pod', () => {
    expect(servicesHourScenario(1000)).toContain('cluster: {nodes: 10}');
    expect(servicesHourScenario(10)).toContain('cluster: {nodes: 3}');
  });
});
