// Properties of the decider, the bounds, and the reconciler's scale-to-zero timing (fast-check).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeScale, createAutoscaler, type DeciderSpec, type ScaleExplanation } from '../../src/autoscaler/index.js';
import { copyExplanation } from '../../src/autoscaler/decider.js';
import { defaultAutoscalerConfig } from '../../src/apis/config/autoscaler.js';
import { defaultDeploymentConfig } from '../../src/apis/config/deployment.js';
import type { PodAutoscaler, ServerlessService } from '../../src/apis/serving-types.js';
import { must } from '../../src/engine/assert.js';
import { at, makeWorld } from './fixture.js';

const RUNS = 200;
const A = 'autoscaling.knative.dev/';

const specArb: fc.Arbitrary<DeciderSpec> = fc.record({
  scalingMetric: fc.constantFrom('concurrency' as const, 'rps' as const),
  targetValue: fc.double({ min: 0.5, max: 200, noNaN: true }),
  totalValue: fc.double({ min: 1, max: 300, noNaN: true }),
  targetBurstCapacity: fc.constantFrom(-1, 0, 211),
  panicThreshold: fc.double({ min: 1.1, max: 10, noNaN: true }),
  maxScaleUpRate: fc.double({ min: 1.01, max: 1000, noNaN: true }),
  maxScaleDownRate: fc.double({ min: 1.01, max: 10, noNaN: true }),
  stableWindowMs: fc.integer({ min: 6, max: 120 }).map((s) => s * 1000),
  scaleDownDelayMs: fc.constant(0),
  reachable: fc.boolean(),
  activationScale: fc.constant(0),
  activatorCapacity: fc.constant(100),
});
const stepArb = fc.record({
  ready: fc.integer({ min: 0, max: 500 }),
  stable: fc.double({ min: 0, max: 5000, noNaN: true }),
  panic: fc.double({ min: 0, max: 5000, noNaN: true }),
  dtMs: fc.integer({ min: 0, max: 30 }).map((x) => x * 2000),
});

describe('decider properties', () => {
  it('one decision never scales up beyond ceil(maxScaleUpRate × max(1, ready)) except to hold a panic maximum', () => {
    fc.assert(
      fc.property(specArb, fc.array(stepArb, { minLength: 1, maxLength: 30 }), (spec, steps) => {
        const a = createAutoscaler(spec, { nowMs: 0, readyPods: must(steps[0], 'fc.array of minLength ≥ 1').ready });
        let now = 0;
        for (const s of steps) {
          now += s.dtMs;
          const before = a.state.maxPanicPods;
          const r = a.scale({ nowMs: now, readyPods: s.ready, metrics: { stable: s.stable, panic: s.panic } });
          expect(r.desiredPodCount).toBeLessThanOrEqual(Math.max(Math.ceil(spec.maxScaleUpRate * Math.max(1, s.ready)), before));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('deciding into one reused explanation gives, step by step, what fresh decisions give, to the JSON key order', () => {
    // The ticker reuses one explanation per revision; the trace and views see copies of it.
    const withDelay = specArb.chain((spec) => fc.constantFrom(0, 4000, 30_000).map((scaleDownDelayMs) => ({ ...spec, scaleDownDelayMs })));
    const maybeInvalid = fc.record({ step: stepArb, noData: fc.boolean(), podCountFailed: fc.boolean(), flipReachable: fc.boolean() });
    fc.assert(
      fc.property(withDelay, fc.array(maybeInvalid, { minLength: 1, maxLength: 30 }), (spec, steps) => {
        const first = must(steps[0], 'fc.array of minLength ≥ 1').step.ready;
        const fresh = createAutoscaler(spec, { nowMs: 0, readyPods: first });
        const reused = createAutoscaler(spec, { nowMs: 0, readyPods: first });
        const why = {} as ScaleExplanation;
        let now = 0;
        for (const { step, noData, podCountFailed, flipReachable } of steps) {
          now += step.dtMs;
          if (flipReachable) {
            // An unreachable revision has no delay window: delayedTo comes and goes.
            const next = { ...fresh.spec, reachable: !fresh.spec.reachable };
            fresh.update(next);
            reused.update(next);
          }
          const input = { nowMs: now, readyPods: podCountFailed ? null : step.ready, metrics: noData ? null : { stable: step.stable, panic: step.panic } };
          const expected = fresh.scaleExplained(input);
          const result = reused.scaleInto(input, why);
          expect({ ...result }).toEqual(expected.result);
          expect(JSON.stringify(copyExplanation(why))).toBe(JSON.stringify(expected.explanation));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('never decreases while in panic', () => {
    fc.assert(
      fc.property(specArb, fc.array(stepArb, { minLength: 2, maxLength: 30 }), (spec, steps) => {
        const a = createAutoscaler(spec, { nowMs: 0, readyPods: must(steps[0], 'fc.array of minLength ≥ 1').ready });
        let now = 0;
        let prev: { desired: number; inPanic: boolean } | undefined;
        for (const s of steps) {
          now += s.dtMs;
          const { result, explanation } = a.scaleExplained({ nowMs: now, readyPods: s.ready, metrics: { stable: s.stable, panic: s.panic } });
          if (prev?.inPanic && explanation.inPanic) expect(result.desiredPodCount).toBeGreaterThanOrEqual(prev.desired);
          prev = { desired: result.desiredPodCount, inPanic: explanation.inPanic };
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('constant load L with per-pod target T settles at ceil(L / T) when pods follow the decision', () => {
    fc.assert(
      fc.property(specArb, fc.double({ min: 0.1, max: 3000, noNaN: true }), fc.integer({ min: 0, max: 20 }), (spec, load, startReady) => {
        const a = createAutoscaler(spec, { nowMs: 0, readyPods: startReady });
        let ready = startReady;
        let desired = -1;
        // Enough 2s ticks to grow by the rate limit and to leave panic (one stable window after the last burst).
        for (let t = 2000; t <= 2 * spec.stableWindowMs + 2_000_000; t += 2000) {
          desired = a.scale({ nowMs: t, readyPods: ready, metrics: { stable: load, panic: load } }).desiredPodCount;
          ready = desired;
        }
        expect(desired).toBe(Math.ceil(load / spec.targetValue));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('bounds property', () => {
  it('an applied scale stays within [min-scale, max-scale] (max 0 = unbounded)', () => {
    const cfg = defaultAutoscalerConfig();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: -1, max: 50 }),
        fc.constantFrom('True', 'False', 'Unknown'),
        fc.integer({ min: 0, max: 2_000_000 }),
        fc.boolean(),
        (min, maxRaw, desired, active, sinceMs, initialized) => {
          const max = maxRaw === 0 ? 0 : Math.max(min, maxRaw);
          const now = 3_000_000;
          const pa = {
            apiVersion: 'autoscaling.internal.knative.dev/v1alpha1',
            kind: 'PodAutoscaler',
            metadata: { name: 'r', namespace: 'ns', annotations: { [A + 'min-scale']: String(min), [A + 'max-scale']: String(max) } },
            spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'r-deployment' }, reachability: 'Reachable' },
            status: {
              conditions: [
                { type: 'Active', status: active, lastTransitionTime: now - sinceMs },
                { type: 'ScaleTargetInitialized', status: initialized ? 'True' : 'Unknown' },
              ],
            },
          } as PodAutoscaler;
          const sks = {
            apiVersion: 'networking.internal.knative.dev/v1alpha1',
            kind: 'ServerlessService',
            metadata: { name: 'r' },
            spec: { mode: 'Proxy', objectRef: pa.spec.scaleTargetRef },
            status: { conditions: [{ type: 'ActivatorEndpointsPopulated', status: 'True', lastTransitionTime: 0 }] },
          } as ServerlessService;
          const o = computeScale({ nowMs: now, pa, sks, desiredScale: desired, autoscalerConfig: cfg, deploymentConfig: defaultDeploymentConfig() });
          if (o.apply && !(o.phase === 'activation-timeout')) {
            expect(o.want).toBeGreaterThanOrEqual(min);
            if (max !== 0) expect(o.want).toBeLessThanOrEqual(max);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('scale-to-zero timing property (reconciler with synthetic stats)', () => {
  const scenario = fc.record({
    endS: fc.integer({ min: 5, max: 60 }),
    load: fc.integer({ min: 1, max: 60 }),
    windowS: fc.integer({ min: 6, max: 90 }),
    graceS: fc.integer({ min: 6, max: 45 }),
    seed: fc.integer(),
  });

  it('activator already in the path: replicas reach 0 at stable window + 0..3s after the last request, never earlier', () => {
    fc.assert(
      fc.property(scenario, ({ endS, load, windowS, graceS, seed }) => {
        const w = makeWorld({ seed, annotations: { [A + 'window']: `${windowS}s` }, configAutoscaler: { 'scale-to-zero-grace-period': `${graceS}s` } });
        at(w, 3000, () => w.setLoad(load));
        const endMs = 3000 + endS * 1000;
        at(w, endMs, () => w.setLoad(0));
        w.engine.run({ untilMs: endMs + (windowS + graceS + 20) * 1000 });
        const zero = w.replicaChanges.find((c) => c.replicas === 0);
        expect(zero).toBeDefined();
        const after = (zero as { t: number }).t - endMs;
        expect(after).toBeGreaterThanOrEqual(windowS * 1000);
        // The fast path also needs the activator in the path for the grace period; here it has
        // been since the SKS was created at t≈0, which matters only for a short run and window.
        expect((zero as { t: number }).t).toBeGreaterThanOrEqual(graceS * 1000);
        expect((zero as { t: number }).t).toBeLessThanOrEqual(Math.max(endMs + windowS * 1000 + 3000, graceS * 1000 + 1000));
      }),
      { numRuns: RUNS },
    );
  }, 60_000);

  it('activator not in the path (TBC 0): replicas reach 0 at stable window + grace + 0..6s, never earlier', () => {
    fc.assert(
      fc.property(scenario, ({ endS, load, windowS, graceS, seed }) => {
        const w = makeWorld({
          seed,
          annotations: { [A + 'window']: `${windowS}s`, [A + 'target-burst-capacity']: '0' },
          configAutoscaler: { 'scale-to-zero-grace-period': `${graceS}s` },
        });
        at(w, 3000, () => w.setLoad(load));
        const endMs = 3000 + endS * 1000;
        at(w, endMs, () => w.setLoad(0));
        w.engine.run({ untilMs: endMs + (windowS + graceS + 20) * 1000 });
        const zero = w.replicaChanges.find((c) => c.replicas === 0);
        expect(zero).toBeDefined();
        const after = (zero as { t: number }).t - endMs;
        expect(after).toBeGreaterThanOrEqual((windowS + graceS) * 1000);
        expect(after).toBeLessThanOrEqual((windowS + graceS + 6) * 1000);
      }),
      { numRuns: RUNS },
    );
  }, 60_000);
});
