/**
 * The Deployment controller's vocabulary and its small pure helpers: the revision,
 * desired-replicas and max-replicas annotations, the condition reasons, the Available and
 * Progressing condition edits, the Complete / Progressing / TimedOut tests of a status,
 * and revision and replica arithmetic over lists of ReplicaSets.
 *
 * Mirrors kubernetes pkg/controller/deployment/util/deployment_util.go (SetDeploymentCondition,
 * DeploymentComplete, DeploymentProgressing, DeploymentTimedOut, Revision, MaxRevision,
 * GetReplicaCountForReplicaSets). Fidelity: conditions carry virtual-time ms timestamps; no
 * ReplicaFailure condition.
 */
import type { Deployment, DeploymentStatus, ReplicaSet } from '../apis/core.js';
import type { Condition } from '../apis/meta.js';
import type { ReplicaSetCounts } from './rolling.js';

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';

/** Condition reasons, in Kubernetes' words (deployment_util.go). */
export const REASON = {
  newRSCreated: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  rsUpdated: 'ReplicaSetUpdated',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  minimumReplicasAvailable: 'MinimumReplicasAvailable',
  minimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

/** The controller's name in the trace and its work queue. */
export const COMPONENT = 'deployment-controller';

/** The counts of a Deployment's status as calculateStatus sums them (before conditions). */
export interface Counts {
  observedGeneration?: number;
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  unavailableReplicas: number;
  conditions?: Condition[];
}

/** DeploymentComplete: every desired pod is updated and available, nothing else runs, and the status is current. */
export function isComplete(d: Deployment, status: DeploymentStatus | Counts | undefined, replicas: number): boolean {
  if (status === undefined) return false;
  return (
    status.updatedReplicas === replicas &&
    status.replicas === replicas &&
    status.availableReplicas === replicas &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 1)
  );
}

/** DeploymentProgressing: more updated, ready or available pods than before, or fewer old ones. */
export function isProgressing(old: DeploymentStatus, next: Counts): boolean {
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = next.replicas - next.updatedReplicas;
  return (
    next.updatedReplicas > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    next.readyReplicas > (old.readyReplicas ?? 0) ||
    next.availableReplicas > (old.availableReplicas ?? 0)
  );
}

/** DeploymentTimedOut: no progress for longer than the deadline since Progressing was last updated (strictly later). */
export function hasTimedOut(cond: Condition | undefined, deadlineMs: number, nowMs: number): boolean {
  if (cond === undefined || cond.reason === REASON.newRSAvailable) return false;
  if (cond.reason === REASON.timedOut) return true;
  return (cond.lastUpdateTime ?? cond.lastTransitionTime ?? nowMs) + deadlineMs < nowMs;
}

/** SetDeploymentCondition: unchanged status and reason leave it as is; same status keeps lastTransitionTime. */
export function setDeploymentCondition(
  conditions: Condition[],
  type: string,
  status: Condition['status'],
  reason: string,
  message: string,
  nowMs: number,
): void {
  const current = findCondition(conditions, type);
  if (current !== undefined && current.status === status && current.reason === reason) return;
  const since = current !== undefined && current.status === status ? current.lastTransitionTime : nowMs;
  replaceCondition(conditions, { type, status, reason, message, lastUpdateTime: nowMs, lastTransitionTime: since });
}

export function replaceCondition(conditions: Condition[], next: Condition): void {
  const i = conditions.findIndex((c) => c.type === next.type);
  if (i >= 0) conditions.splice(i, 1);
  conditions.push(next);
}

export function findCondition(conditions: readonly Condition[], type: string): Condition | undefined {
  return conditions.find((c) => c.type === type);
}

export function countsOf(rs: ReplicaSet): ReplicaSetCounts {
  const max = rs.metadata.annotations?.[MAX_REPLICAS_ANNOTATION];
  const counts: ReplicaSetCounts = {
    name: rs.metadata.name,
    replicas: rs.spec.replicas ?? 0,
    availableReplicas: rs.status?.availableReplicas ?? 0,
    creationMs: rs.metadata.creationTimestamp ?? 0,
  };
  if (max !== undefined) counts.maxReplicasAnnotation = Number(max);
  return counts;
}

export function sumSpecReplicas(list: readonly ReplicaSet[]): number {
  let n = 0;
  for (const rs of list) n += rs.spec.replicas ?? 0;
  return n;
}

export function revisionOf(rs: ReplicaSet): number {
  return Number(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? 0);
}

export function maxRevision(list: readonly ReplicaSet[]): number {
  let max = 0;
  for (const rs of list) max = Math.max(max, revisionOf(rs));
  return max;
}

export function newestOf(list: readonly ReplicaSet[]): ReplicaSet | undefined {
  let best: ReplicaSet | undefined;
  for (const rs of list) if (best === undefined || (rs.metadata.creationTimestamp ?? 0) >= (best.metadata.creationTimestamp ?? 0)) best = rs;
  return best;
}
