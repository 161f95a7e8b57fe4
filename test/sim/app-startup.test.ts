import { describe, expect, it } from 'vitest';
import { TYPE, type Pod } from '../../src/apis/core.js';
import { simulationOf } from './helpers.js';

describe('app start-up delay', () => {
  it('delays readiness for the image the app model matches, whatever its tag (regression: tagged images got no delay)', () => {
    const sim = simulationOf(`
name: startup
duration: 2m
apps:
  hello:
    serviceTime: 10ms
    startupDelay: 7s
timeline:
  - {at: 0s, kn: kn service create hello --image=hello:v2}
`);
    sim.runTo(45_000); // ready, and not yet scaled to zero (no traffic: the stable window empties after 60s)
    const pods = sim.world.api.list<Pod>(TYPE.pod);
    expect(pods).toHaveLength(1);
    const startup = pods[0]?.status?.startup;
    expect(startup?.appStartupMs).toBe(7000);
    // Ready no earlier than the user container's start plus the app's own start-up.
    const user = pods[0]?.status?.containerStatuses?.find((c) => c.name === 'user-container');
    const userStartedAt = user?.state.running?.startedAt ?? Infinity;
    expect(startup?.readyAt ?? 0).toBeGreaterThanOrEqual(userStartedAt + 7000);
  });
});
