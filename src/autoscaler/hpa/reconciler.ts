/**
 * The PodAutoscaler reconciler of the HPA class: Knative hands autoscaling to Kubernetes.
 * It keeps an autoscaling/v2 HorizontalPodAutoscaler in the shape MakeHPA gives, keeps the
 * ServerlessService in Serve mode with numActivators 0 (every activator; the activator
 * never enters the path: no scale to zero), and mirrors the HPA's numbers into the PA
 * status: DesiredScale = desiredReplicas, ActualScale = currentReplicas. The PA is always
 * Active; ScaleTargetInitialized once the HPA's current replicas reach max(min-scale,
 * initial scale); SKSReady follows the SKS.
 *
 * Fidelity: mirrors knative/serving `pkg/reconciler/autoscaling/hpa/hpa.go` (ReconcileKind,
 * activeThreshold) and `pkg/reconciler/autoscaling/reconciler.go` (ReconcileSKS). The spec
 * comparison is against the stored (defaulted) HPA, so an update is sent whenever the
 * defaults differ from MakeHPA's shape; the API server finds it unchanged and writes nothing,
 * as Kubernetes does.
 */
import type { Engine } from '../../engine/index.js';
import { getCondition, mark } from '../../apis/conditions.js';
import { TYPE } from '../../apis/core.js';
import { deepCopy, deepEqual, isControlledBy, type Condition } from '../../apis/meta.js';
import type { HorizontalPodAutoscaler } from '../../apis/autoscaling-v2.js';
import type { PodAutoscaler, PodAutoscalerStatus, ServerlessService } from '../../apis/serving-types.js';
import { resolveInitialScale, resolveScaleBounds } from '../../apis/autoscaling-annotations.js';
import type { ApiServer } from '../../k8s/api-server.js';
import type { ReconcileResult } from '../../k8s/controller.js';
import type { ConfigStore } from '../../k8s/config-store.js';
import { makeSks } from '../kpa/resources.js';
import { PA_CONDITIONS } from '../kpa/reconciler.js';
import { makeHpa } from './resources.js';

export class HpaClassReconciler {
  private readonly narrated = new Map<string, string>();

  constructor(private readonly deps: { engine: Engine; api: ApiServer; configs: ConfigStore }) {}

  deleted(namespace: string, name: string): void {
    this.narrated.delete(`${namespace}/${name}`);
  }

  reconcile(pa: PodAutoscaler, status: PodAutoscalerStatus, now: number): ReconcileResult {
    const { api, configs } = this.deps;
    const namespace = pa.metadata.namespace ?? '';
    const conditions = status.conditions as Condition[];
    const cfg = configs.autoscaler();
    const desired = makeHpa(pa, cfg);
    let hpa = api.get<HorizontalPodAutoscaler>(TYPE.horizontalPodAutoscaler, namespace, desired.metadata.name);
    if (hpa === undefined) {
      hpa = api.create(desired);
      this.deps.engine.trace('autoscaler', pa.metadata.name, `created HorizontalPodAutoscaler ${desired.metadata.name}`, {
        minReplicas: desired.spec.minReplicas ?? null,
        maxReplicas: desired.spec.maxReplicas,
      });
    } else if (!isControlledBy(hpa, pa)) {
      mark(
        PA_CONDITIONS,
        conditions,
        'Active',
        'False',
        now,
        'NotOwned',
        `There is an existing HorizontalPodAutoscaler "${desired.metadata.name}" that we do not own.`,
      );
      return;
    } else if (!deepEqual(desired.spec, hpa.spec)) {
      const next = deepCopy(hpa);
      next.spec = desired.spec;
      next.metadata.labels = desired.metadata.labels;
      next.metadata.annotations = desired.metadata.annotations;
      hpa = api.update(next);
    }

    // numActivators 0: every activator (never in the path in Serve mode).
    const sks = this.reconcileSks(pa, conditions, now);
    if (sks === undefined) return;
    status.metricsServiceName = sks.status?.privateServiceName;
    status.serviceName = sks.status?.serviceName;
    if (getCondition(sks.status?.conditions, 'Ready')?.status !== 'True') {
      mark(PA_CONDITIONS, conditions, 'SKSReady', 'Unknown', now, 'NotReady', 'SKS Services are not ready yet');
    } else {
      mark(PA_CONDITIONS, conditions, 'SKSReady', 'True', now);
      if (getCondition(conditions, 'ScaleTargetInitialized')?.status !== 'True') {
        const { minScale } = resolveScaleBounds(pa.metadata.annotations, pa.spec.reachability, cfg);
        const threshold = Math.max(minScale, resolveInitialScale(pa.metadata.annotations, cfg));
        if ((hpa.status?.currentReplicas ?? 0) >= threshold) mark(PA_CONDITIONS, conditions, 'ScaleTargetInitialized', 'True', now);
      }
    }
    // An HPA-class PA is always active.
    mark(PA_CONDITIONS, conditions, 'Active', 'True', now);
    status.desiredScale = hpa.status?.desiredReplicas ?? 0;
    status.actualScale = hpa.status?.currentReplicas ?? 0;
    return undefined;
  }

  private reconcileSks(pa: PodAutoscaler, conditions: Condition[], now: number): ServerlessService | undefined {
    const api = this.deps.api;
    const namespace = pa.metadata.namespace ?? '';
    const sks = api.get<ServerlessService>(TYPE.serverlessService, namespace, pa.metadata.name);
    if (sks === undefined) return api.create(makeSks(pa, 'Serve', 0));
    if (!isControlledBy(sks, pa)) {
      mark(PA_CONDITIONS, conditions, 'Active', 'False', now, 'NotOwned', `There is an existing ServerlessService "${pa.metadata.name}" that we do not own.`);
      return undefined;
    }
    const want = { ...sks.spec, mode: 'Serve' as const, numActivators: 0, objectRef: { ...pa.spec.scaleTargetRef } };
    if (deepEqual(want, sks.spec)) return sks;
    const next = deepCopy(sks);
    next.spec = want;
    return api.update(next);
  }
}
