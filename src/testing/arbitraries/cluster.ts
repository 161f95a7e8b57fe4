/**
 * fast-check arbitraries of cluster profiles (`cluster:` of the scenario format): a node count
 * or a list of node groups, cold-start timings (image pull base and bandwidth, container start,
 * readiness probe period, jitter), API latency and route propagation. Every key is optional and
 * shrinks away; values stay within what a small real cluster shows.
 *
 * Fidelity: the scenario format's cluster keys (README.md, Keys), checked by its loader.
 */
import fc from 'fast-check';
import type { ClusterDocument } from '../document.js';

const ms = (min: number, max: number): fc.Arbitrary<string> => fc.integer({ min, max }).map((n) => `${n}ms`);

/** A cluster profile the loader accepts. */
export function clusterArb(): fc.Arbitrary<ClusterDocument> {
  const nodeGroup = fc.record(
    {
      cpu: fc.integer({ min: 1, max: 16 }),
      memory: fc.integer({ min: 2, max: 64 }).map((g) => `${g}Gi`),
      count: fc.integer({ min: 1, max: 3 }),
    },
    { requiredKeys: ['cpu', 'memory'] },
  );
  return fc.record(
    {
      nodes: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.array(nodeGroup, { minLength: 1, maxLength: 3 })),
      coldStart: fc.record(
        {
          imagePull: fc.record(
            {
              base: ms(0, 2000),
              bandwidth: fc.integer({ min: 10, max: 500 }).map((m) => `${m}Mi`),
            },
            { requiredKeys: [] },
          ),
          containerStart: ms(50, 2000),
          readinessProbePeriod: fc.integer({ min: 1, max: 10 }).map((s) => `${s}s`),
          jitter: fc.integer({ min: 0, max: 30 }).map((p) => p / 100),
        },
        { requiredKeys: [] },
      ),
      apiLatency: ms(1, 50),
      routePropagation: ms(0, 3000),
    },
    { requiredKeys: [] },
  );
}
