// The PodAutoscaler and ServerlessService reconcilers driven through a fake API with synthetic
// stats: scale-to-zero paths, scale from zero by the activator's poke, bounds, and conditions.
import { describe, expect, it } from 'vitest';
import { getCondition } from '../../src/apis/conditions.js';
import { TYPE, type K8sService } from '../../src/apis/core.js';
import type { PodAutoscaler, ServerlessService } from '../../src/apis/serving-types.js';
import { at, makeWorld, NS, REV } from './fixture.js';

const A = 'autoscaling.knative.dev/';

function zeroTime(w: ReturnType<typeof makeWorld>): number | undefined {
  return w.replicaChanges.find((c) => c.replicas === 0)?.t;
}

describe('PodAutoscaler reconciler', () => {
  // Knative re-reconciles on its own status update, so once the PA is marked inactive with the
  // activator long in the path the fast path applies at once (the 3s re-enqueue is only a fallback).
  it('scales to zero about stable window + 0..3s after the last request when the activator was already in the path', () => {
    const w = makeWorld();
    at(w, 3000, () => w.setLoad(10));
    at(w, 40_000, () => w.setLoad(0));
    w.engine.run({ untilMs: 200_000 });
    const t = zeroTime(w);
    expect(t).toBeDefined();
    expect((t as number) - 40_000).toBeGreaterThanOrEqual(60_000);
    expect((t as number) - 40_000).toBeLessThanOrEqual(63_000);
    const pa = w.pa();
    expect(getCondition(pa.status?.conditions, 'Active')).toMatchObject({
      status: 'False',
      reason: 'NoTraffic',
      message: 'The target is not receiving traffic.',
    });
    expect(pa.status?.desiredScale).toBe(0);
    expect(pa.status?.actualScale).toBe(0);
    const phases = w.decisions;
    expect(phases).toContainEqual(expect.objectContaining({ phase: 'deactivate', want: 0, limitMs: 60_000 }));
    expect(phases).toContainEqual(expect.objectContaining({ phase: 'scale-to-zero', via: 'proxy', replicasFrom: 1, replicasTo: 0 }));
  });

  it('waits the 30s grace period in proxy mode when the activator was not in the path (TBC 0)', () => {
    const w = makeWorld({ annotations: { [A + 'target-burst-capacity']: '0' } });
    at(w, 3000, () => w.setLoad(10));
    at(w, 20_000, () => {
      expect(w.api.get<ServerlessService>(TYPE.serverlessService, NS, REV)?.spec.mode).toBe('Serve');
    });
    at(w, 40_000, () => w.setLoad(0));
    w.engine.run({ untilMs: 250_000 });
    const t = (zeroTime(w) as number) - 40_000;
    expect(t).toBeGreaterThanOrEqual(90_000);
    expect(t).toBeLessThanOrEqual(96_000);
    expect(w.api.get<ServerlessService>(TYPE.serverlessService, NS, REV)?.spec.mode).toBe('Proxy');
  });

  it('holds the last pod for scale-to-zero-pod-retention-period', () => {
    const w = makeWorld({ annotations: { [A + 'scale-to-zero-pod-retention-period']: '2m' } });
    at(w, 3000, () => w.setLoad(10));
    at(w, 40_000, () => w.setLoad(0));
    w.engine.run({ untilMs: 400_000 });
    const t = (zeroTime(w) as number) - 40_000;
    expect(t).toBeGreaterThanOrEqual(60_000 + 120_000);
    expect(t).toBeLessThanOrEqual(60_000 + 120_000 + 6000);
    expect(w.decisions).toContainEqual(expect.objectContaining({ phase: 'retention-hold', forMs: 0, limitMs: 120_000 }));
  });

  it('scales from zero at once when the activator pokes', () => {
    const w = makeWorld();
    w.engine.run({ untilMs: 120_000 });
    expect(w.replicas()).toBe(0);
    at(w, 130_500, () => w.autoscaler.reportActivatorStat({ namespace: NS, revision: REV, averageConcurrency: 1, requestCount: 1 }));
    w.engine.run({ untilMs: 130_500 });
    expect(w.replicas()).toBe(1);
    expect(w.replicaChanges.at(-1)).toEqual({ t: 130_500, replicas: 1 });
    expect(getCondition(w.pa().status?.conditions, 'Active')?.reason).toBe('Queued');
    w.engine.run({ untilMs: 135_000 });
    expect(getCondition(w.pa().status?.conditions, 'Active')?.status).toBe('True');
  });

  it('keeps deciding (no data, as of the last even second) while a revision sits at zero, and wakes on a poke', () => {
    const w = makeWorld();
    w.engine.run({ untilMs: 300_001 });
    expect(w.replicas()).toBe(0);
    // Long after the last pod went, the multiscaler skips the revision's work each second, yet
    // its latest decision reads as if made at the last decision tick.
    const idle = w.autoscaler.latestDecision(NS, REV);
    expect(idle).toMatchObject({ nowMs: 300_000, noData: true, readyPods: 0 });
    expect(idle?.explanation).toMatchObject({ nowMs: 300_000, invalidReason: 'no-data' });
    w.engine.run({ untilMs: 611_999 });
    expect(w.autoscaler.latestDecision(NS, REV)?.nowMs).toBe(610_000);
    at(w, 612_500, () => w.autoscaler.reportActivatorStat({ namespace: NS, revision: REV, averageConcurrency: 2, requestCount: 2 }));
    w.engine.run({ untilMs: 612_500 });
    expect(w.replicaChanges.at(-1)).toEqual({ t: 612_500, replicas: 1 });
    expect(w.autoscaler.latestDecision(NS, REV)).toMatchObject({ nowMs: 612_500, noData: false, observedStable: 2 });
  });

  it('keeps one pod when enable-scale-to-zero is false', () => {
    const w = makeWorld({ configAutoscaler: { 'enable-scale-to-zero': 'false' } });
    w.engine.run({ untilMs: 300_000 });
    expect(w.replicas()).toBe(1);
    expect(w.readyPods()).toBe(1);
  });

  it('never goes below min-scale and starts at initial-scale', () => {
    const w = makeWorld({ annotations: { [A + 'min-scale']: '2', [A + 'initial-scale']: '3' } });
    w.engine.run({ untilMs: 300_000 });
    expect(w.replicaChanges[0]).toMatchObject({ replicas: 1 });
    expect(w.replicaChanges.some((c) => c.replicas === 3)).toBe(true);
    expect(w.replicas()).toBe(2);
    expect(Math.min(...w.replicaChanges.slice(1).map((c) => c.replicas))).toBe(2);
  });

  it('scales up under load to ceil(load / target) and caps at max-scale', () => {
    const w = makeWorld({ annotations: { [A + 'max-scale']: '4' } });
    at(w, 3000, () => w.setLoad(350));
    w.engine.run({ untilMs: 60_000 });
    expect(w.replicas()).toBe(4);
    expect(w.autoscaler.latestDecision(NS, REV)).toMatchObject({ desiredScale: 5, inPanic: true, pa: { want: 4, maxScale: 4 } });
    // The decider entered panic with one ready pod: the panic window showed at least twice its capacity.
    expect(w.decisions).toContainEqual(
      expect.objectContaining({ panicTransition: 'enter', overPanicThreshold: true, readyPods: 1, panicWindowMs: 6000, panicThreshold: 2 }),
    );
  });

  it('gives up activation after progress-deadline + 30s with TimedOut', () => {
    const w = makeWorld({ podsNeverReady: true });
    const reasons: string[] = [];
    w.api.watch(TYPE.podAutoscaler, (e) => {
      const c = getCondition((e.object as PodAutoscaler).status?.conditions, 'Active');
      const r = `${c?.status}/${c?.reason}`;
      if (reasons.at(-1) !== r) reasons.push(r);
    });
    w.engine.run({ untilMs: 629_000 });
    expect(w.replicas()).toBe(1);
    expect(getCondition(w.pa().status?.conditions, 'Active')).toMatchObject({ status: 'Unknown', reason: 'Queued' });
    w.engine.run({ untilMs: 700_000 });
    expect(w.replicas()).toBe(0);
    expect(w.replicaChanges.at(-1)?.t).toBe(630_001);
    // As in Knative, the next reconcile (want -1, 0 ready) re-marks the inactive PA NoTraffic.
    expect(reasons).toEqual(['Unknown/Queued', 'False/TimedOut', 'False/NoTraffic']);
    expect(w.decisions).toContainEqual(expect.objectContaining({ phase: 'activation-timeout', limitMs: 630_000, replicasFrom: 1, replicasTo: 0 }));
  });

  it('sets PA conditions, scales, and the SKS private service and activator count', () => {
    const w = makeWorld();
    at(w, 3000, () => w.setLoad(10));
    w.engine.run({ untilMs: 10_000 });
    const pa = w.pa();
    for (const type of ['Active', 'ScaleTargetInitialized', 'SKSReady', 'Ready']) expect(getCondition(pa.status?.conditions, type)?.status).toBe('True');
    expect(pa.status).toMatchObject({ desiredScale: 1, actualScale: 1, serviceName: REV, metricsServiceName: `${REV}-private` });
    const sks = w.api.get<ServerlessService>(TYPE.serverlessService, NS, REV) as ServerlessService;
    // 1 pod × 100 + 211 = 311 → ceil(311 / 100) = 4 activators; EBC negative → Proxy.
    expect(sks.spec).toMatchObject({ mode: 'Proxy', numActivators: 4 });
    expect(getCondition(sks.status?.conditions, 'ActivatorEndpointsPopulated')).toMatchObject({ status: 'True', severity: 'Info' });
    expect(getCondition(sks.status?.conditions, 'EndpointsPopulated')?.status).toBe('True');
    const svc = w.api.get<K8sService>(TYPE.service, NS, `${REV}-private`);
    expect(svc?.spec.selector).toEqual({ 'serving.knative.dev/revision': REV });
  });

  it('rejects a PodAutoscaler with invalid annotations at admission', () => {
    const w = makeWorld();
    expect(() =>
      w.api.create({
        apiVersion: 'autoscaling.internal.knative.dev/v1alpha1',
        kind: 'PodAutoscaler',
        metadata: { name: 'x', namespace: NS, annotations: { [A + 'window']: '1s' } },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'x' } },
      }),
    ).toThrow('expected 6s <= 1s <= 1h0m0s: metadata.annotations.autoscaling.knative.dev/window');
  });

  it('replays identically for the same seed', () => {
    const run = () => {
      const w = makeWorld({ seed: 7 });
      at(w, 3000, () => w.setLoad(500));
      at(w, 30_000, () => w.setLoad(0));
      w.engine.run({ untilMs: 200_000 });
      return w.engine.fingerprintHex;
    };
    expect(run()).toBe(run());
  });
});
