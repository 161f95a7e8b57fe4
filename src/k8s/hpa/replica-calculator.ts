/**
 * The HPA's replica calculator: from per-pod metrics and the pods of the scale target,
 * the replica count that brings the metric to its target. Pure: pods, metrics and `nowMs`
 * in, a count (or the controller's error message) out.
 *
 * - Pods are grouped first (groupPods): deleted or Failed pods are ignored; Pending pods are
 *   unready; a pod without a metric is missing; for CPU only, a pod is unready while it is
 *   not Ready or, within the CPU initialization period (5 min) after its start, while its
 *   sample does not cover a full window since it became Ready — and after that period only
 *   if it has never been Ready (turned unready within 30 s of its start).
 * - The usage ratio is current / target, where a utilization is the integer percentage
 *   of the summed requests (Σ usage × 100 / Σ requests, truncated as Go's int64 division).
 *   Within the tolerance (10%) nothing changes.
 * - With missing pods, they count as 100% of their request (or the target, when above 100%)
 *   on a scale-down and 0% on a scale-up; unready pods count as 0% on a scale-up. If the recomputed ratio is within
 *   the tolerance or flips direction, the count stays.
 * Worked example (TestReplicaCalcMissingMetrics): 4 pods requesting 2 CPU each, metrics
 * for two (800m, 190m), target 100%: utilization 990 × 100 / 4000 = 24%, ratio 0.24; the
 * two missing pods count as 2000m each: 4990 × 100 / 8000 = 62%, ceil(0.62 × 4) = 3.
 *
 * Fidelity: mirrors kubernetes `pkg/controller/podautoscaler/replica_calculator.go`
 * (GetResourceReplicas, GetRawResourceReplicas, GetMetricReplicas, groupPods,
 * calculatePodRequests) and `metrics/utilization.go`. Values are milli-units as the Go code
 * keeps them. Container-level and per-direction tolerances are not modelled.
 */
import { parseCpuMillis, parseMemoryBytes, type Pod } from '../../apis/core.js';

/** One pod's sample as the metrics API returns it: the value in milli-units, its time and window. */
export interface PodMetric {
  value: number;
  timestampMs: number;
  windowMs: number;
}

export type PodMetricsInfo = Map<string, PodMetric>;

export interface ReplicaCalcOptions {
  /** Relative change ignored (`--horizontal-pod-autoscaler-tolerance`, default 0.1). */
  tolerance: number;
  /** `--horizontal-pod-autoscaler-cpu-initialization-period`, default 5 min. */
  cpuInitializationPeriodMs: number;
  /** `--horizontal-pod-autoscaler-initial-readiness-delay`, default 30 s. */
  delayOfInitialReadinessStatusMs: number;
}

export const DEFAULT_REPLICA_CALC_OPTIONS: ReplicaCalcOptions = {
  tolerance: 0.1,
  cpuInitializationPeriodMs: 5 * 60_000,
  delayOfInitialReadinessStatusMs: 30_000,
};

export type ReplicaCalcResult = { ok: true; replicas: number; utilization: number; rawValue: number } | { ok: false; error: string };

interface PodGroups {
  readyPodCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

/** groupPods: ready count, and the unready, missing and ignored pods (see the header). */
export function groupPods(pods: readonly Pod[], metrics: PodMetricsInfo, resource: string, nowMs: number, options: ReplicaCalcOptions): PodGroups {
  const groups: PodGroups = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    const name = pod.metadata.name;
    if (pod.metadata.deletionTimestamp !== undefined || pod.status?.phase === 'Failed') {
      groups.ignored.add(name);
      continue;
    }
    if (pod.status?.phase === 'Pending') {
      groups.unready.add(name);
      continue;
    }
    const metric = metrics.get(name);
    if (metric === undefined) {
      groups.missing.add(name);
      continue;
    }
    if (resource === 'cpu') {
      const condition = pod.status?.conditions?.find((c) => c.type === 'Ready');
      const startTime = pod.status?.startTime;
      let unready: boolean;
      if (condition === undefined || startTime === undefined) unready = true;
      else {
        const transition = condition.lastTransitionTime ?? Number.NEGATIVE_INFINITY;
        if (startTime + options.cpuInitializationPeriodMs > nowMs) {
          // Within the initialization period: unready, or no full window sampled since it became ready.
          unready = condition.status === 'False' || metric.timestampMs < transition + metric.windowMs;
        } else {
          // After it: only a pod that has never been ready.
          unready = condition.status === 'False' && startTime + options.delayOfInitialReadinessStatusMs > transition;
        }
      }
      if (unready) {
        groups.unready.add(name);
        continue;
      }
    }
    groups.readyPodCount++;
  }
  return groups;
}

/** Milli-value of one container's request: CPU millicores, memory bytes × 1000 (Quantity.MilliValue). */
function requestMilli(quantity: string, resource: string): number {
  return resource === 'cpu' ? Math.round(parseCpuMillis(quantity)) : Math.round(parseMemoryBytes(quantity) * 1000);
}

/** calculatePodRequests: each pod's summed container requests, or the error for the first container without one. */
export function calculatePodRequests(pods: readonly Pod[], resource: 'cpu' | 'memory'): Map<string, number> | string {
  const out = new Map<string, number>();
  for (const pod of pods) {
    let sum = 0;
    for (const c of pod.spec.containers ?? []) {
      const q = c.resources?.requests?.[resource];
      if (q === undefined) return `missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name}`;
      sum += requestMilli(q, resource);
    }
    out.set(pod.metadata.name, sum);
  }
  return out;
}

/** GetResourceUtilizationRatio: the ratio, the integer utilization and the raw average of pods with both a metric and a request. */
function resourceUtilizationRatio(
  metrics: PodMetricsInfo,
  requests: Map<string, number>,
  targetUtilization: number,
): { ratio: number; utilization: number; raw: number } | string {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let n = 0;
  for (const [name, m] of metrics) {
    const request = requests.get(name);
    if (request === undefined) continue;
    metricsTotal += m.value;
    requestsTotal += request;
    n++;
  }
  if (requestsTotal === 0) return 'no metrics returned matched known pods';
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return { ratio: utilization / targetUtilization, utilization, raw: Math.trunc(metricsTotal / n) };
}

/** GetMetricUsageRatio: the average (truncated) over the pods with a metric, and its ratio to the target. */
function metricUsageRatio(metrics: PodMetricsInfo, target: number): { ratio: number; usage: number } {
  let total = 0;
  for (const m of metrics.values()) total += m.value;
  const usage = Math.trunc(total / metrics.size);
  return { ratio: usage / target, usage };
}

const within = (ratio: number, tolerance: number): boolean => Math.abs(1 - ratio) <= tolerance;

/** GetResourceReplicas: a Utilization target (percent of the request) on cpu or memory. */
export function getResourceReplicas(
  currentReplicas: number,
  targetUtilization: number,
  resource: 'cpu' | 'memory',
  pods: readonly Pod[],
  podMetrics: PodMetricsInfo,
  nowMs: number,
  options: ReplicaCalcOptions = DEFAULT_REPLICA_CALC_OPTIONS,
): ReplicaCalcResult {
  if (podMetrics.size === 0) return { ok: false, error: `unable to get metrics for resource ${resource}: no metrics returned from resource metrics API` };
  if (pods.length === 0) return { ok: false, error: 'no pods returned by selector while calculating replica count' };
  const metrics: PodMetricsInfo = new Map(podMetrics);
  const g = groupPods(pods, metrics, resource, nowMs, options);
  for (const name of g.ignored) metrics.delete(name);
  for (const name of g.unready) metrics.delete(name);
  const requests = calculatePodRequests(pods, resource);
  if (typeof requests === 'string') return { ok: false, error: requests };
  if (metrics.size === 0) return { ok: false, error: 'did not receive metrics for any ready pods' };
  const first = resourceUtilizationRatio(metrics, requests, targetUtilization);
  if (typeof first === 'string') return { ok: false, error: first };
  const { ratio, utilization, raw } = first;
  const keep = { ok: true as const, replicas: currentReplicas, utilization, rawValue: raw };

  const rebalanceUnready = g.unready.size > 0 && ratio > 1;
  if (!rebalanceUnready && g.missing.size === 0) {
    if (within(ratio, options.tolerance)) return keep;
    return { ...keep, replicas: Math.ceil(ratio * g.readyPodCount) };
  }
  if (g.missing.size > 0) {
    for (const name of g.missing) {
      // A scale-down counts a missing pod at 100% of its request, or at the target when it is above 100%.
      if (ratio < 1)
        metrics.set(name, { value: Math.trunc(((requests.get(name) ?? 0) * Math.max(100, targetUtilization)) / 100), timestampMs: 0, windowMs: 0 });
      else if (ratio > 1) metrics.set(name, { value: 0, timestampMs: 0, windowMs: 0 });
    }
  }
  if (rebalanceUnready) for (const name of g.unready) metrics.set(name, { value: 0, timestampMs: 0, windowMs: 0 });

  const second = resourceUtilizationRatio(metrics, requests, targetUtilization);
  if (typeof second === 'string') return { ok: false, error: second };
  const newRatio = second.ratio;
  if (within(newRatio, options.tolerance) || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) return keep;
  const replicas = Math.ceil(newRatio * metrics.size);
  if ((newRatio < 1 && replicas > currentReplicas) || (newRatio > 1 && replicas < currentReplicas)) return keep;
  return { ...keep, replicas };
}

/**
 * calcPlainMetricReplicas (GetRawResourceReplicas for an AverageValue resource target, and
 * GetMetricReplicas for a Pods metric): the same grouping and rebalancing on a plain
 * per-pod average, missing pods counting as the target on a scale-down.
 */
export function getPlainMetricReplicas(
  currentReplicas: number,
  targetValue: number,
  resource: string,
  pods: readonly Pod[],
  podMetrics: PodMetricsInfo,
  nowMs: number,
  options: ReplicaCalcOptions = DEFAULT_REPLICA_CALC_OPTIONS,
): ReplicaCalcResult {
  if (pods.length === 0) return { ok: false, error: 'no pods returned by selector while calculating replica count' };
  const metrics: PodMetricsInfo = new Map(podMetrics);
  const g = groupPods(pods, metrics, resource, nowMs, options);
  for (const name of g.ignored) metrics.delete(name);
  for (const name of g.unready) metrics.delete(name);
  if (metrics.size === 0) return { ok: false, error: 'did not receive metrics for any ready pods' };
  const { ratio, usage } = metricUsageRatio(metrics, targetValue);
  const keep = { ok: true as const, replicas: currentReplicas, utilization: usage, rawValue: usage };
  const rebalanceUnready = g.unready.size > 0 && ratio > 1;
  if (!rebalanceUnready && g.missing.size === 0) {
    if (within(ratio, options.tolerance)) return keep;
    return { ...keep, replicas: Math.ceil(ratio * g.readyPodCount) };
  }
  for (const name of g.missing) {
    if (ratio < 1) metrics.set(name, { value: targetValue, timestampMs: 0, windowMs: 0 });
    else if (ratio > 1) metrics.set(name, { value: 0, timestampMs: 0, windowMs: 0 });
  }
  if (rebalanceUnready) for (const name of g.unready) metrics.set(name, { value: 0, timestampMs: 0, windowMs: 0 });
  const newRatio = metricUsageRatio(metrics, targetValue).ratio;
  if (within(newRatio, options.tolerance) || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) return keep;
  const replicas = Math.ceil(newRatio * metrics.size);
  if ((newRatio < 1 && replicas > currentReplicas) || (newRatio > 1 && replicas < currentReplicas)) return keep;
  return { ...keep, replicas };
}
