/**
 * Horizontal pod autoscaling in the simulated cluster: the autoscaling/v2 kind with its
 * defaulting and validation, metrics-server, and the HPA controller.
 */
import type { Engine } from '../../engine/index.js';
import { TYPE } from '../../apis/core.js';
import { defaultHorizontalPodAutoscaler, validateHorizontalPodAutoscaler, type HorizontalPodAutoscaler } from '../../apis/autoscaling-v2.js';
import type { ApiServer } from '../api-server.js';
import { MetricsServer, type PodUsageReading, type PodUsageSource } from '../metrics-server/metrics-server.js';
import { HpaController } from './controller.js';

export { HPA_SYNC_PERIOD_MS } from './controller.js';
export {
  getResourceReplicas,
  getPlainMetricReplicas,
  groupPods,
  DEFAULT_REPLICA_CALC_OPTIONS,
  type PodMetric,
  type PodMetricsInfo,
  type ReplicaCalcOptions,
  type ReplicaCalcResult,
} from './replica-calculator.js';
export { normalizeDesiredReplicas, normalizeDesiredReplicasWithBehaviors, newHpaHistory, type HpaHistory, type Normalized } from './normalize.js';
export { METRIC_RESOLUTION_MS, type PodMetrics, type PodUsageReading, type PodUsageSource } from '../metrics-server/metrics-server.js';

export interface HorizontalPodAutoscaling {
  metricsServer: MetricsServer;
  /** Where metrics-server reads pods' CPU and memory (the data plane's containers). */
  setPodUsageSource(source: PodUsageSource | undefined): void;
}

export function startHorizontalPodAutoscaling(engine: Engine, api: ApiServer): HorizontalPodAutoscaling {
  api.registerKind<HorizontalPodAutoscaler>(TYPE.horizontalPodAutoscaler, {
    namespaced: true,
    defaulter: defaultHorizontalPodAutoscaler,
    validator: validateHorizontalPodAutoscaler,
    errorStyle: 'kubernetes',
  });
  let source: PodUsageSource | undefined;
  const metricsServer = new MetricsServer(engine, api, { read: (ns: string, name: string): PodUsageReading | undefined => source?.read(ns, name) });
  new HpaController(engine, api, metricsServer);
  return {
    metricsServer,
    setPodUsageSource: (s) => {
      source = s;
    },
  };
}
