/**
 * The Kubernetes HorizontalPodAutoscaler controller: every 15 s per HPA (the first sync 15 s
 * after it appears), read the target's replicas, compute a count per metric with the
 * replica calculator from metrics-server's PodMetrics, take the largest, stabilize and
 * rate-limit it (normalize.ts), write the target's `spec.replicas` when it changes, and the
 * HPA's status (currentReplicas, desiredReplicas, currentMetrics, lastScaleTime, the
 * AbleToScale / ScalingActive / ScalingLimited conditions).
 *
 * - A target at 0 replicas with minReplicas > 0 is left alone (ScalingDisabled); a count
 *   outside [min, max] is brought inside without looking at metrics.
 * - `Pods` metrics (Knative's `concurrency`/`rps` for the HPA class) need a custom metrics
 *   API adapter, which the simulated cluster does not run: the HPA reports FailedGetPodsMetric
 *   as a cluster without one does, and does not scale on them.
 *
 * Fidelity: mirrors kubernetes `pkg/controller/podautoscaler/horizontal.go` (reconcileAutoscaler,
 * computeReplicasForMetrics, setStatus, the FixedItemIntervalRateLimiter resync of
 * `--horizontal-pod-autoscaler-sync-period=15s`); only Deployments are scale targets. The
 * metrics-server is started with the first HPA, so runs without one keep their events.
 */
import type { Engine } from '../../engine/index.js';
import { TYPE, parseMemoryBytes, type Deployment, type Pod } from '../../apis/core.js';
import { deepCopy, splitKey, type Condition } from '../../apis/meta.js';
import {
  defaultScaleDownRules,
  defaultScaleUpRules,
  type HorizontalPodAutoscaler,
  type HorizontalPodAutoscalerStatus,
  type MetricSpec,
  type MetricStatus,
} from '../../apis/autoscaling-v2.js';
import type { ApiServer } from '../api-server.js';
import { Controller } from '../controller.js';
import type { MetricsServer } from '../metrics-server/metrics-server.js';
import {
  normalizeDesiredReplicas,
  normalizeDesiredReplicasWithBehaviors,
  newHpaHistory,
  recordInitialRecommendation,
  storeScaleEvent,
  type HpaHistory,
} from './normalize.js';
import {
  DEFAULT_REPLICA_CALC_OPTIONS,
  getPlainMetricReplicas,
  getResourceReplicas,
  type PodMetricsInfo,
  type ReplicaCalcResult,
} from './replica-calculator.js';

/** `--horizontal-pod-autoscaler-sync-period`. */
export const HPA_SYNC_PERIOD_MS = 15_000;

interface MetricOutcome {
  replicas: number;
  status?: MetricStatus;
  error?: { reason: string; message: string };
  /** The metric's name as the ScalingActive message gives it. */
  what: string;
}

/** Sets an HPA condition as Kubernetes' setCondition does: the transition time moves only when the status changes. */
function setHpaCondition(conditions: Condition[], type: string, status: 'True' | 'False', reason: string, message: string, nowMs: number): void {
  const i = conditions.findIndex((c) => c.type === type);
  const old = conditions[i];
  const next: Condition = {
    type,
    status,
    reason,
    message,
    lastTransitionTime: old !== undefined && old.status === status ? (old.lastTransitionTime ?? nowMs) : nowMs,
  };
  if (i >= 0) conditions[i] = next;
  else conditions.push(next);
}

/** A milli-value of memory as a quantity: whole Mi when exact, else bytes. */
function formatBytes(bytes: number): string {
  const rounded = Math.round(bytes);
  return rounded % 2 ** 20 === 0 ? `${rounded / 2 ** 20}Mi` : String(rounded);
}

export class HpaController {
  private readonly history = new Map<string, HpaHistory>();
  private readonly narrated = new Map<string, string>();
  private readonly controller: Controller;

  constructor(
    private readonly engine: Engine,
    private readonly api: ApiServer,
    private readonly metrics: MetricsServer,
  ) {
    this.controller = new Controller('horizontal-pod-autoscaler', engine, (key) => this.reconcile(key));
    api.watch<HorizontalPodAutoscaler>(TYPE.horizontalPodAutoscaler, (e) => {
      const key = `${e.object.metadata.namespace ?? ''}/${e.object.metadata.name}`;
      if (e.type === 'DELETED') {
        this.history.delete(key);
        this.narrated.delete(key);
      } else {
        metrics.ensureStarted();
        this.controller.enqueueAfter(key, HPA_SYNC_PERIOD_MS);
      }
    });
  }

  private reconcile(key: string): { requeueAfterMs: number } | undefined {
    const { namespace, name } = splitKey(key);
    const hpa = this.api.get<HorizontalPodAutoscaler>(TYPE.horizontalPodAutoscaler, namespace, name);
    if (hpa === undefined) {
      this.history.delete(key);
      this.narrated.delete(key);
      return undefined;
    }
    if (hpa.metadata.deletionTimestamp !== undefined) return undefined;
    const nowMs = this.engine.nowMs;
    const status: HorizontalPodAutoscalerStatus = deepCopy(hpa.status ?? { currentReplicas: 0, desiredReplicas: 0 });
    const conditions = (status.conditions ??= []);
    const ref = hpa.spec.scaleTargetRef;
    const target = ref.kind === 'Deployment' ? this.api.get<Deployment>(TYPE.deployment, namespace, ref.name) : undefined;
    if (target === undefined) {
      setHpaCondition(
        conditions,
        'AbleToScale',
        'False',
        'FailedGetScale',
        `the HPA controller was unable to get the target's current scale: deployments.apps "${ref.name}" not found`,
        nowMs,
      );
      this.write(hpa, status);
      return { requeueAfterMs: HPA_SYNC_PERIOD_MS };
    }
    setHpaCondition(conditions, 'AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale", nowMs);
    let history = this.history.get(key);
    if (history === undefined) this.history.set(key, (history = newHpaHistory()));
    const current = target.spec.replicas ?? 1;
    recordInitialRecommendation(history, current, nowMs);
    const min = hpa.spec.minReplicas ?? 1;
    const max = hpa.spec.maxReplicas;
    let desired = 0;
    let rescale = true;
    let reason = '';
    let metricStatuses: MetricStatus[] = status.currentMetrics ?? [];
    let recommended: number | undefined;
    let utilization: number | undefined;
    let limitedBy: string | undefined;
    if (current === 0 && min !== 0) {
      rescale = false;
      setHpaCondition(conditions, 'ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero', nowMs);
    } else if (current > max) {
      reason = 'Current number of replicas above Spec.MaxReplicas';
      desired = max;
    } else if (current < min) {
      reason = 'Current number of replicas below Spec.MinReplicas';
      desired = min;
    } else {
      const pods = this.api.list<Pod>(TYPE.pod, { namespace, selector: target.spec.selector });
      const outcomes = (hpa.spec.metrics ?? []).map((m) => this.computeForMetric(m, current, pods, namespace, nowMs));
      // One status per metric, in spec order (an empty one where the metric failed), as kubectl reads them.
      metricStatuses = outcomes.map((o, i) => o.status ?? { type: hpa.spec.metrics?.[i]?.type ?? 'Resource' });
      const valid = outcomes.filter((o) => o.error === undefined);
      const firstError = outcomes.find((o) => o.error !== undefined)?.error;
      if (valid.length === 0) {
        if (firstError !== undefined) {
          setHpaCondition(
            conditions,
            'ScalingActive',
            'False',
            firstError.reason,
            `the HPA was unable to compute the replica count: ${firstError.message}`,
            nowMs,
          );
          this.narrate(key, name, `FailedComputeMetricsReplicas: ${firstError.message}`, { reason: firstError.reason });
        }
        status.currentReplicas = current;
        status.currentMetrics = metricStatuses;
        this.write(hpa, status);
        return { requeueAfterMs: HPA_SYNC_PERIOD_MS };
      }
      let best = valid[0] as MetricOutcome;
      for (const o of valid) if (o.replicas > best.replicas) best = o;
      setHpaCondition(
        conditions,
        'ScalingActive',
        'True',
        'ValidMetricFound',
        `the HPA was able to successfully calculate a replica count from ${best.what}`,
        nowMs,
      );
      desired = best.replicas;
      if (desired > current) reason = `${best.what.replace(/ \(percentage of request\)$/, '')} above target`;
      if (desired < current) reason = 'All metrics below target';
      const normalized =
        hpa.spec.behavior === undefined
          ? normalizeDesiredReplicas(history, nowMs, current, desired, min, max)
          : normalizeDesiredReplicasWithBehaviors(
              history,
              nowMs,
              current,
              desired,
              min,
              max,
              defaultScaleUpRules(hpa.spec.behavior.scaleUp),
              defaultScaleDownRules(hpa.spec.behavior.scaleDown),
            );
      for (const c of normalized.conditions) setHpaCondition(conditions, c.type, c.status, c.reason, c.message, nowMs);
      recommended = best.replicas;
      utilization = best.status?.resource?.current.averageUtilization;
      limitedBy = normalized.conditions.find((c) => c.type === 'ScalingLimited' && c.status === 'True')?.reason;
      desired = normalized.replicas;
      rescale = desired !== current;
    }
    if (rescale) {
      const next = deepCopy(target);
      next.spec.replicas = desired;
      this.api.update(next);
      setHpaCondition(conditions, 'AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desired}`, nowMs);
      this.narrate(key, name, `SuccessfulRescale: New size: ${desired}; reason: ${reason}`, {
        from: current,
        to: desired,
        ...(recommended !== undefined ? { recommended } : {}),
        ...(utilization !== undefined ? { utilization } : {}),
        ...(limitedBy !== undefined ? { limitedBy } : {}),
      });
      if (hpa.spec.behavior !== undefined)
        storeScaleEvent(history, current, desired, nowMs, defaultScaleUpRules(hpa.spec.behavior.scaleUp), defaultScaleDownRules(hpa.spec.behavior.scaleDown));
      status.lastScaleTime = nowMs;
    } else desired = current;
    status.currentReplicas = current;
    status.desiredReplicas = desired;
    status.currentMetrics = metricStatuses;
    this.write(hpa, status);
    return { requeueAfterMs: HPA_SYNC_PERIOD_MS };
  }

  /** Traces an event of the HPA (as `kubectl describe hpa` lists them), once per change of message. */
  private narrate(key: string, name: string, message: string, data: Record<string, unknown>): void {
    if (this.narrated.get(key) === message && !message.startsWith('SuccessfulRescale')) return;
    this.narrated.set(key, message);
    this.engine.trace('horizontal-pod-autoscaler', name, message, data);
  }

  private write(hpa: HorizontalPodAutoscaler, status: HorizontalPodAutoscalerStatus): void {
    status.observedGeneration = hpa.metadata.generation;
    status.conditions?.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
    this.api.updateStatus({ ...hpa, status });
  }

  /** One metric's replica count (computeReplicasForMetric), its status, or its error. */
  private computeForMetric(spec: MetricSpec, current: number, pods: readonly Pod[], namespace: string, nowMs: number): MetricOutcome {
    if (spec.type === 'Resource' && spec.resource !== undefined) {
      const resource = spec.resource.name;
      const metrics: PodMetricsInfo = new Map();
      for (const pod of pods) {
        const m = this.metrics.podMetrics(namespace, pod.metadata.name);
        if (m !== undefined)
          metrics.set(pod.metadata.name, { value: resource === 'cpu' ? m.cpuMillis : m.memoryBytes * 1000, timestampMs: m.timestampMs, windowMs: m.windowMs });
      }
      const t = spec.resource.target;
      let result: ReplicaCalcResult;
      let what: string;
      if (t.type === 'Utilization') {
        result = getResourceReplicas(current, t.averageUtilization ?? 0, resource, pods, metrics, nowMs, DEFAULT_REPLICA_CALC_OPTIONS);
        what = `${resource} resource utilization (percentage of request)`;
      } else {
        const targetMilli =
          resource === 'cpu'
            ? Math.round(parseFloat(t.averageValue ?? '0') * (t.averageValue?.endsWith('m') === true ? 1 : 1000))
            : parseMemoryBytes(t.averageValue) * 1000;
        result =
          metrics.size === 0
            ? { ok: false, error: `unable to get metrics for resource ${resource}: no metrics returned from resource metrics API` }
            : getPlainMetricReplicas(current, targetMilli, resource, pods, metrics, nowMs, DEFAULT_REPLICA_CALC_OPTIONS);
        what = `${resource} resource`;
      }
      if (!result.ok)
        return { replicas: -1, what, error: { reason: 'FailedGetResourceMetric', message: `failed to get ${resource} utilization: ${result.error}` } };
      const averageValue = resource === 'cpu' ? `${result.rawValue}m` : formatBytes(result.rawValue / 1000);
      const currentStatus = t.type === 'Utilization' ? { averageUtilization: result.utilization, averageValue } : { averageValue };
      return { replicas: result.replicas, what, status: { type: 'Resource', resource: { name: resource, current: currentStatus } } };
    }
    const metricName = spec.pods?.metric.name ?? '';
    return {
      replicas: -1,
      what: `pods metric ${metricName}`,
      error: {
        reason: 'FailedGetPodsMetric',
        message: `unable to get metric ${metricName}: unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered`,
      },
    };
  }
}
