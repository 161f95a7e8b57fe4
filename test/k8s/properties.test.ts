import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TYPE, isPodReady, type Deployment, type Pod, type ReplicaSet } from '../../src/apis/core.js';
import { deployment, editDeployment, makeWorld, podsOf, setImage, type World } from './helpers.js';

/** Every pod's controller is a live ReplicaSet (same uid), itself controlled by the live Deployment. */
function orphans(w: World): string[] {
  const out: string[] = [];
  for (const pod of w.api.list<Pod>(TYPE.pod)) {
    const ref = pod.metadata.ownerReferences?.find((o) => o.controller === true);
    const rs = ref === undefined ? undefined : w.api.get<ReplicaSet>(TYPE.replicaSet, 'default', ref.name);
    const dRef = rs?.metadata.ownerReferences?.find((o) => o.controller === true);
    const d = dRef === undefined ? undefined : w.api.get<Deployment>(TYPE.deployment, 'default', dRef.name);
    if (rs === undefined || rs.metadata.uid !== ref?.uid || d === undefined || d.metadata.uid !== dRef?.uid) out.push(pod.metadata.name);
  }
  return out;
}

describe('Kubernetes layer properties', () => {
  it('(a) after any sequence of scale changes, the cluster settles at exactly the desired Ready pods, none orphaned', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 8 }),
        fc.array(fc.record({ afterMs: fc.integer({ min: 0, max: 20_000 }), replicas: fc.integer({ min: 0, max: 8 }) }), { maxLength: 6 }),
        fc.integer(),
        (initial, steps, seed) => {
          const w = makeWorld({ jitter: 0.15 }, undefined, seed);
          w.api.create(deployment('web', { replicas: initial }));
          let last = initial;
          for (const step of steps) {
            w.engine.run({ untilMs: w.engine.nowMs + step.afterMs });
            editDeployment(w, 'web', (d) => (d.spec.replicas = step.replicas));
            last = step.replicas;
          }
          const outcome = w.engine.run({ maxEvents: 200_000 });
          expect(outcome.reason).toBe('drained');
          const pods = podsOf(w, 'web');
          expect(pods.filter(isPodReady)).toHaveLength(last);
          expect(pods).toHaveLength(last);
          expect(orphans(w)).toEqual([]);
          const d = w.api.get<Deployment>(TYPE.deployment, 'default', 'web') as Deployment;
          expect(d.status).toMatchObject({ replicas: last, readyReplicas: last, availableReplicas: last });
        },
      ),
      { numRuns: 100 },
    );
  });

  const intOrPercent = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom('0%', '10%', '25%', '50%', '100%'));

  it('(b) a rolling update never exceeds replicas + maxSurge pods, and never stays below replicas − maxUnavailable available for a second', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), intOrPercent, intOrPercent, fc.integer(), (replicas, maxSurge, maxUnavailable, seed) => {
        // Independent of the code under test: percent of replicas, surge rounded up, unavailable down.
        const scale = (v: number | string, up: boolean): number =>
          typeof v === 'number' ? v : (up ? Math.ceil : Math.floor)((parseInt(v, 10) * replicas) / 100);
        const surge = scale(maxSurge, true);
        const unavailable = surge === 0 && scale(maxUnavailable, false) === 0 ? 1 : Math.min(replicas, scale(maxUnavailable, false));
        // Both literally zero is rejected by validation.
        fc.pre(!(isZero(maxSurge) && isZero(maxUnavailable)));
        const w = makeWorld({ jitter: 0.15 }, undefined, seed);
        w.api.create(deployment('web', { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } } }));
        expect(w.engine.run({ maxEvents: 100_000 }).reason).toBe('drained');
        setImage(w, 'web', 'registry/app:2');
        // Availability below the floor may last only as long as the controllers take to see it:
        // the Deployment controller scales old ReplicaSets on their status, which still counts a pod
        // the ReplicaSet controller has just deleted (upstream computes that status from the pods
        // it listed before deleting), so one step can take one pod too many for a few milliseconds
        // of watch delivery. Kubernetes' own rollout checks (test/utils/deployment.go) poll the same
        // floor every second; here it must never stay broken for 1 s.
        let belowSinceMs: number | undefined;
        for (let i = 0; i < 100_000; i++) {
          if (w.engine.run({ maxEvents: 1 }).events === 0) break;
          const pods = podsOf(w, 'web');
          const live = pods.filter((p) => p.metadata.deletionTimestamp === undefined).length;
          const available = pods.filter(isPodReady).length;
          if (live > replicas + surge) throw new Error(`at ${w.engine.nowMs}ms: ${live} live pods (max ${replicas + surge})`);
          if (available >= replicas - unavailable) belowSinceMs = undefined;
          else {
            belowSinceMs ??= w.engine.nowMs;
            if (w.engine.nowMs - belowSinceMs >= 1000) {
              throw new Error(`from ${belowSinceMs}ms to ${w.engine.nowMs}ms: ${available} available (min ${replicas - unavailable})`);
            }
          }
        }
        const pods = podsOf(w, 'web');
        expect(pods.map((p) => p.spec.containers[0]?.image)).toEqual(Array(replicas).fill('registry/app:2'));
        expect(pods.every(isPodReady)).toBe(true);
      }),
      // The run that showed availability dipping for one watch delivery (kept as a fixed example).
      { numRuns: 100, examples: [[6, '100%', 0, 702603635]] },
    );
  });

  function scenarioFingerprint(seed: number, jitter: number): string {
    const w = makeWorld({ jitter }, undefined, seed);
    w.api.create(deployment('web', { replicas: 3 }));
    w.engine.run({ untilMs: 30_000 });
    editDeployment(w, 'web', (d) => (d.spec.replicas = 5));
    w.engine.run({ untilMs: 60_000 });
    setImage(w, 'web', 'registry/app:2');
    w.engine.run({ maxEvents: 100_000 });
    return w.engine.fingerprintHex;
  }

  it('(c) the same seed replays to the same fingerprint; with jitter, different seeds differ', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        expect(scenarioFingerprint(seed, 0.15)).toBe(scenarioFingerprint(seed, 0.15));
      }),
      { numRuns: 100 },
    );
    fc.assert(
      fc.property(fc.integer(), fc.integer(), (a, b) => {
        fc.pre(a !== b);
        expect(scenarioFingerprint(a, 0.15)).not.toBe(scenarioFingerprint(b, 0.15));
      }),
      { numRuns: 100 },
    );
  });
});

function isZero(v: number | string): boolean {
  return v === 0 || v === '0%';
}
