/**
 * The HorizontalPodAutoscaler an HPA-class PodAutoscaler wants: same name, labels and
 * annotations, owned by the PA; max-scale 0 becomes MaxInt32, min-scale only when > 0.
 * A metric only when the PA has a `target`: `cpu` as Utilization ceil(target)%, `memory` as
 * AverageValue target Mi, anything else (`concurrency`, `rps`) as a Pods metric of that name
 * with AverageValue trunc(target); without a target the API server's default (CPU 80%)
 * applies. A `window` annotation sets both stabilization windows to it.
 * Example: `metric: cpu, target: 70, min-scale: 1, max-scale: 10` → CPU 70%, 1..10.
 *
 * Fidelity: mirrors knative/serving `pkg/reconciler/autoscaling/hpa/resources/hpa.go` (MakeHPA).
 */
import type { AutoscalerConfig } from '../../apis/config/autoscaler.js';
import { AUTOSCALING_V2, type HorizontalPodAutoscaler, type MetricSpec } from '../../apis/autoscaling-v2.js';
import { makeControllerRef } from '../../apis/meta.js';
import type { PodAutoscaler } from '../../apis/serving-types.js';
import { readMetric, readTarget, readWindowMs, resolveScaleBounds } from '../../apis/autoscaling-annotations.js';

const MAX_INT32 = 2147483647;

export function makeHpa(pa: PodAutoscaler, cfg: AutoscalerConfig): HorizontalPodAutoscaler {
  const a = pa.metadata.annotations;
  const { minScale, maxScale } = resolveScaleBounds(a, pa.spec.reachability, cfg);
  const ref = pa.spec.scaleTargetRef;
  const hpa: HorizontalPodAutoscaler = {
    apiVersion: AUTOSCALING_V2,
    kind: 'HorizontalPodAutoscaler',
    metadata: {
      name: pa.metadata.name,
      namespace: pa.metadata.namespace,
      labels: { ...(pa.metadata.labels ?? {}) },
      annotations: { ...(a ?? {}) },
      ownerReferences: [makeControllerRef(pa)],
    },
    spec: {
      scaleTargetRef: { ...(ref.apiVersion !== undefined ? { apiVersion: ref.apiVersion } : {}), kind: ref.kind, name: ref.name },
      maxReplicas: maxScale === 0 ? MAX_INT32 : maxScale,
    },
  };
  if (minScale > 0) hpa.spec.minReplicas = minScale;
  const target = readTarget(a);
  if (target !== undefined) {
    const metric = readMetric(a);
    let spec: MetricSpec;
    if (metric === 'cpu') spec = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: Math.ceil(target) } } };
    else if (metric === 'memory')
      spec = { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: `${Math.trunc(target)}Mi` } } };
    else spec = { type: 'Pods', pods: { metric: { name: metric }, target: { type: 'AverageValue', averageValue: String(Math.trunc(target)) } } };
    hpa.spec.metrics = [spec];
  }
  const windowMs = readWindowMs(a);
  if (windowMs !== undefined) {
    const seconds = Math.trunc(windowMs / 1000);
    hpa.spec.behavior = { scaleDown: { stabilizationWindowSeconds: seconds }, scaleUp: { stabilizationWindowSeconds: seconds } };
  }
  return hpa;
}
