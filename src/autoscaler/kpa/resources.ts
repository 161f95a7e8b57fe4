/**
 * Pure builders of what the PodAutoscaler reconciler wants: the decider spec, the metric
 * windows, the ServerlessService, and the activator subset size.
 *
 * Fidelity: mirrors knative/serving `pkg/reconciler/autoscaling/kpa/resources/decider.go`
 * (MakeDecider), `pkg/reconciler/autoscaling/resources/{metric,sks}.go` (MakeMetric, MakeSKS)
 * and `computeNumActivators` in `kpa.go`.
 */
import type { AutoscalerConfig } from '../../apis/config/autoscaler.js';
import { makeControllerRef } from '../../apis/meta.js';
import { NETWORKING_API_VERSION, type PodAutoscaler, type ServerlessService, type ServerlessServiceMode } from '../../apis/serving-types.js';
import {
  AUTOSCALING_ANNOTATION,
  readActivationScale,
  readMetricAggregationAlgorithm,
  readPanicThresholdPercentage,
  readScaleDownDelayMs,
  resolvePanicWindowMs,
  resolveStableWindowMs,
  resolveTargetBurstCapacity,
  resolveTargets,
} from '../../apis/autoscaling-annotations.js';
import type { DeciderSpec } from '../decider.js';
import type { MetricSpec } from '../metrics/collector.js';

/** At least this many activators front a revision (`minActivators`). */
export const MIN_ACTIVATORS = 2;

/** The decider spec for a PA under a config (Knative's MakeDecider). */
export function makeDeciderSpec(pa: PodAutoscaler, cfg: AutoscalerConfig): DeciderSpec {
  const a = pa.metadata.annotations;
  const { metric, target, total } = resolveTargets({ annotations: a, containerConcurrency: pa.spec.containerConcurrency }, cfg);
  return {
    scalingMetric: metric === 'rps' ? 'rps' : 'concurrency',
    targetValue: target,
    totalValue: total,
    targetBurstCapacity: resolveTargetBurstCapacity(a, cfg),
    panicThreshold: (readPanicThresholdPercentage(a) ?? cfg.panicThresholdPercentage) / 100,
    maxScaleUpRate: cfg.maxScaleUpRate,
    maxScaleDownRate: cfg.maxScaleDownRate,
    stableWindowMs: resolveStableWindowMs(a, cfg),
    scaleDownDelayMs: readScaleDownDelayMs(a) ?? cfg.scaleDownDelayMs,
    reachable: pa.spec.reachability !== 'Unreachable',
    activationScale: readActivationScale(a) ?? 0,
    activatorCapacity: cfg.activatorCapacity,
  };
}

/** The metric windows for a PA (Knative's MakeMetric); no scraping when TBC = -1. */
export function makeMetricSpec(pa: PodAutoscaler, cfg: AutoscalerConfig): MetricSpec {
  const a = pa.metadata.annotations;
  return {
    stableWindowMs: resolveStableWindowMs(a, cfg),
    panicWindowMs: resolvePanicWindowMs(a, cfg),
    scrape: resolveTargetBurstCapacity(a, cfg) !== -1,
    aggregation: readMetricAggregationAlgorithm(a),
  };
}

/**
 * Activators to put in the path: 2 when TBC = 0, else max(2, ceil((ready × total + max(TBC, 0)) / activatorCapacity)).
 * Examples (total 100, TBC 200, capacity 100): 0 pods → 2, 1 pod → 3, 15 pods → 17; TBC -1 with 5 pods → 5.
 */
export function computeNumActivators(readyPods: number, spec: DeciderSpec): number {
  if (spec.targetBurstCapacity === 0) return MIN_ACTIVATORS;
  let capacityToCover = readyPods * spec.totalValue;
  if (spec.targetBurstCapacity > 0) capacityToCover += spec.targetBurstCapacity;
  return Math.max(MIN_ACTIVATORS, Math.ceil(capacityToCover / spec.activatorCapacity));
}

/** The ServerlessService of a PA (same name, owned by the PA, only the metric annotation copied). */
export function makeSks(pa: PodAutoscaler, mode: ServerlessServiceMode, numActivators: number): ServerlessService {
  const annotations: Record<string, string> = {};
  const metric = pa.metadata.annotations?.[AUTOSCALING_ANNOTATION.metric];
  if (metric !== undefined) annotations[AUTOSCALING_ANNOTATION.metric] = metric;
  return {
    apiVersion: NETWORKING_API_VERSION,
    kind: 'ServerlessService',
    metadata: {
      name: pa.metadata.name,
      namespace: pa.metadata.namespace,
      labels: { ...(pa.metadata.labels ?? {}) },
      annotations,
      ownerReferences: [makeControllerRef(pa)],
    },
    spec: {
      mode,
      objectRef: { ...pa.spec.scaleTargetRef },
      ...(pa.spec.protocolType !== undefined ? { protocolType: pa.spec.protocolType } : {}),
      numActivators,
    },
  };
}
