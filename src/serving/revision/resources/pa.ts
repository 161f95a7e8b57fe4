/**
 * The PodAutoscaler of a revision, and the ServerlessService that fronts it.
 * Fidelity: knative/serving pkg/reconciler/revision/resources/pa.go (MakePA, reachability)
 * and pkg/reconciler/autoscaling/resources/sks.go (MakeSKS). In Knative the KPA
 * reconciler creates the SKS (owned by the PA, first in Proxy mode with 2 activators);
 * in knsim the revision reconciler creates it with exactly that shape when it is missing
 * and never changes it afterwards: the autoscaler owns its mode and activator count.
 */
import type { Deployment } from '../../../apis/core.js';
import { makeControllerRef } from '../../../apis/meta.js';
import { getCondition } from '../../../apis/conditions.js';
import {
  AUTOSCALING_API_VERSION,
  LABEL,
  NETWORKING_API_VERSION,
  type PodAutoscaler,
  type PodAutoscalerReachability,
  type Revision,
  type ServerlessService,
} from '../../../apis/serving-types.js';
import { COND } from '../../../apis/serving-lifecycle.js';
import { deploymentName, podAutoscalerName, serverlessServiceName } from './names.js';
import { makeAnnotations, makeLabels } from './meta.js';

/** Knative's KPA starts an SKS with this many activators before its decider knows better. */
const MIN_ACTIVATORS = 2;
const METRIC_ANNOTATION = 'autoscaling.knative.dev/metric';

/**
 * Reachable when routed (routing state active), Unreachable when in reserve or when the
 * revision failed with no ready pods although some are wanted; otherwise unknown ('').
 */
function reachability(rev: Revision, deployment: Deployment | undefined): PodAutoscalerReachability {
  const conds = rev.status?.conditions;
  const infraFailure = [COND.resourcesAvailable, COND.containerHealthy].some((t) => getCondition(conds, t)?.status === 'False');
  if (infraFailure && deployment !== undefined && (deployment.spec.replicas ?? 0) > 0 && (deployment.status?.readyReplicas ?? 0) === 0) return 'Unreachable';
  switch (rev.metadata.labels?.[LABEL.routingState]) {
    case 'active':
      return 'Reachable';
    case 'reserve':
      return 'Unreachable';
    default:
      return '';
  }
}

export function makePodAutoscaler(rev: Revision, deployment: Deployment | undefined): PodAutoscaler {
  return {
    apiVersion: AUTOSCALING_API_VERSION,
    kind: 'PodAutoscaler',
    metadata: {
      name: podAutoscalerName(rev.metadata.name),
      namespace: rev.metadata.namespace,
      labels: makeLabels(rev),
      annotations: makeAnnotations(rev),
      ownerReferences: [makeControllerRef(rev)],
    },
    spec: {
      containerConcurrency: rev.spec.containerConcurrency ?? 0,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: deploymentName(rev.metadata.name) },
      protocolType: 'http1',
      reachability: reachability(rev, deployment),
    },
  };
}

export function makeServerlessService(pa: PodAutoscaler): ServerlessService {
  const metric = pa.metadata.annotations?.[METRIC_ANNOTATION];
  return {
    apiVersion: NETWORKING_API_VERSION,
    kind: 'ServerlessService',
    metadata: {
      name: serverlessServiceName(pa.metadata.name),
      namespace: pa.metadata.namespace,
      labels: { ...(pa.metadata.labels ?? {}) },
      annotations: metric === undefined ? {} : { [METRIC_ANNOTATION]: metric },
      ownerReferences: [makeControllerRef(pa)],
    },
    spec: { mode: 'Proxy', objectRef: { ...pa.spec.scaleTargetRef }, protocolType: pa.spec.protocolType, numActivators: MIN_ACTIVATORS },
  };
}
