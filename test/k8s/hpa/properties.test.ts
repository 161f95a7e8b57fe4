// Properties of the HPA's arithmetic that a user relies on when reading `kubectl get hpa`:
// with every pod ready and sampled, the calculator keeps the count inside the tolerance and
// otherwise asks for ceil(ratio × pods), in the direction of the ratio; the normalized count
// always lies within [min, max]; and the recommendation history never outgrows its windows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../src/apis/core.js';
import { getResourceReplicas, type PodMetricsInfo } from '../../../src/k8s/hpa/replica-calculator.js';
import { newHpaHistory, normalizeDesiredReplicas, normalizeDesiredReplicasWithBehaviors } from '../../../src/k8s/hpa/normalize.js';
import { defaultScaleDownRules, defaultScaleUpRules } from '../../../src/apis/autoscaling-v2.js';

const NOW = 3_600_000;

function readyPods(requests: number[]): Pod[] {
  return requests.map((milli, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p-${i}` },
    spec: { containers: [{ name: 'c', resources: { requests: { cpu: `${milli}m` } } }] },
    status: { phase: 'Running', startTime: 0, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: 0 }] },
  }));
}

describe('HPA properties', () => {
  it('with every pod ready and sampled: tolerance keeps the count, else ceil(ratio × pods)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 10, max: 4000 }), fc.integer({ min: 0, max: 8000 })), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 300 }),
        (pods, target) => {
          const metrics: PodMetricsInfo = new Map(pods.map(([, used], i) => [`p-${i}`, { value: used, timestampMs: NOW - 1000, windowMs: 15_000 }]));
          const out = getResourceReplicas(pods.length, target, 'cpu', readyPods(pods.map(([req]) => req)), metrics, NOW);
          expect(out.ok).toBe(true);
          if (!out.ok) return;
          const requested = pods.reduce((s, [req]) => s + req, 0);
          const used = pods.reduce((s, [, u]) => s + u, 0);
          const utilization = Math.trunc((used * 100) / requested);
          expect(out.utilization).toBe(utilization);
          const ratio = utilization / target;
          expect(out.replicas).toBe(Math.abs(1 - ratio) <= 0.1 ? pods.length : Math.ceil(ratio * pods.length));
        },
      ),
    );
  });

  it('a normalized count stays within [min, max] and the history stays bounded', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 5, max: 50 }),
        fc.boolean(),
        fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 120 }),
        (min, max, withBehavior, desires) => {
          const h = newHpaHistory();
          let current = min;
          desires.forEach((desired, i) => {
            const nowMs = i * 15_000;
            const n = withBehavior
              ? normalizeDesiredReplicasWithBehaviors(h, nowMs, current, desired, min, max, defaultScaleUpRules(undefined), defaultScaleDownRules(undefined))
              : normalizeDesiredReplicas(h, nowMs, current, desired, min, max);
            expect(n.replicas).toBeGreaterThanOrEqual(Math.min(min, current));
            expect(n.replicas).toBeLessThanOrEqual(Math.max(max, current));
            current = n.replicas;
          });
          // One sample per 15 s sync within the 5-minute window, plus the slot being reused.
          expect(h.recommendations.length).toBeLessThanOrEqual(300 / 15 + 2);
        },
      ),
    );
  });
});
