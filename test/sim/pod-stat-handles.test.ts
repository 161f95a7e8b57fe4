/**
 * The autoscaler scrapes a one-pod revision through a handle opened once (`PodStatSource.open`)
 * instead of finding the pod by name every second. The promise that makes that exact: while the
 * source's `version()` is unchanged, a handle answers what a scrape by name answers, through
 * pods starting, crashing, scaling to zero and back, and a new revision replacing the old one.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TYPE, type Pod } from '../../src/apis/core.js';
import type { PodStatHandle } from '../../src/autoscaler/index.js';
import { must } from '../../src/engine/index.js';
import { simulationOf } from './helpers.js';

function scenario(seed: number, rate: number, crashAfter: number): string {
  return `
name: handles
seed: ${seed}
duration: 6m
apps:
  app:v1: {serviceTime: {distribution: exponential, mean: 50ms}, failure: {crash: {afterRequests: ${crashAfter}}}}
  app:v2: {serviceTime: {distribution: constant, value: 20ms}}
timeline:
  - {at: 0s, kn: kn service create svc --image=app:v1 --scale-max 3}
  - {at: 250s, kn: kn service update svc --image=app:v2}
traffic:
  - {name: a, target: svc, pattern: burst, base: ${rate}, spike: {at: 40s, count: 60}, from: 20s, to: 60s}
  - {name: b, target: svc, pattern: poisson, rate: ${rate}, from: 200s, to: 330s}
`;
}

/** A stat as plain numbers (a scrape may reuse its object). */
const copy = (s: object | undefined): string => JSON.stringify(s ?? null);

describe('pod stat handles', () => {
  it('answer as a scrape by name while the source version holds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.constantFrom(0.5, 3, 12),
        fc.constantFrom(5, 40, 100000),
        fc.array(fc.integer({ min: 100, max: 7000 }), { minLength: 20, maxLength: 60 }),
        (seed, rate, crashAfter, steps) => {
          const sim = simulationOf(scenario(seed, rate, crashAfter));
          const { api, dataplane } = sim.world;
          const source = dataplane.podStats;
          expect('open' in source).toBe(true);
          const open = (ns: string, name: string): PodStatHandle | undefined => source.open?.(ns, name);
          const version = (): number => must(source.version?.(), 'the data plane has a version');
          /** Handles opened at earlier steps, with the version they were opened at. */
          const opened = new Map<string, { handle: PodStatHandle | undefined; at: number }>();
          let served = 0;
          for (const step of steps) {
            sim.runTo(sim.world.engine.nowMs + step);
            for (const pod of api.list<Pod>(TYPE.pod)) {
              const ns = pod.metadata.namespace ?? 'default';
              const name = pod.metadata.name;
              const byName = copy(source.scrape(ns, name));
              const held = opened.get(name);
              if (held !== undefined && held.at === version()) expect(copy(held.handle?.scrape())).toBe(byName);
              const fresh = open(ns, name);
              expect(copy(fresh?.scrape())).toBe(byName);
              opened.set(name, { handle: fresh, at: version() });
              if (byName !== 'null') served++;
            }
          }
          // Not vacuous: some scrapes found a serving queue-proxy.
          expect(served).toBeGreaterThan(0);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('leave the run as it is without them', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.constantFrom(0.5, 3, 12), fc.constantFrom(5, 40, 100000), (seed, rate, crashAfter) => {
        const text = scenario(seed, rate, crashAfter);
        const opened = simulationOf(text);
        const byName = simulationOf(text);
        // Without `open`, the scraper finds every pod by name every second.
        delete (byName.world.dataplane.podStats as { open?: unknown }).open;
        for (const sim of [opened, byName]) sim.runTo(sim.scenario.durationMs);
        expect(opened.result().fingerprint).toBe(byName.result().fingerprint);
      }),
      { numRuns: 12 },
    );
  });
});
