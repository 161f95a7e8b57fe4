/**
 * A Deployment's status at the end of a reconcile: the counts summed from its ReplicaSets,
 * the Available condition, and (during a rollout) the Progressing condition with the
 * progress deadline, re-queued to notice the deadline passing.
 *
 * Mirrors kubernetes pkg/controller/deployment/progress.go (syncRolloutStatus,
 * requeueStuckDeployment) and sync.go (syncDeploymentStatus, calculateStatus). Fidelity: no
 * ReplicaFailure condition.
 */
import type { DeploymentStatus, ReplicaSet } from '../apis/core.js';
import { writeStatus, type ReconcileResult } from './controller.js';
import type { Sync } from './deployment-sync.js';
import {
  COMPONENT,
  findCondition,
  hasTimedOut,
  isComplete,
  isProgressing,
  REASON,
  replaceCondition,
  setDeploymentCondition,
  type Counts,
} from './deployment-util.js';

/**
 * Writes status: counts from the ReplicaSets, Available, and (when `rollout`) Progressing
 * with the progress deadline. Requeues to notice the deadline passing.
 */
export function finish(s: Sync, rollout: boolean): ReconcileResult {
  const { d, engine } = s;
  const nowMs = engine.nowMs;
  const all = s.newRS === undefined ? s.oldRSs : [...s.oldRSs, s.newRS];
  const status = computeDeploymentCounts(all, s.newRS, s.replicas);
  status.observedGeneration = d.metadata.generation;
  const conditions = s.conditions;
  if (status.availableReplicas >= s.replicas - s.maxUnavailable) {
    setDeploymentCondition(conditions, 'Available', 'True', REASON.minimumReplicasAvailable, 'Deployment has minimum availability.', nowMs);
  } else {
    setDeploymentCondition(conditions, 'Available', 'False', REASON.minimumReplicasUnavailable, 'Deployment does not have minimum availability.', nowMs);
  }
  const deadlineMs = (d.spec.progressDeadlineSeconds ?? 600) * 1000;
  const subject = s.newRS === undefined ? `Deployment "${d.metadata.name}"` : `ReplicaSet "${s.newRS.metadata.name}"`;
  if (rollout) {
    const current = findCondition(conditions, 'Progressing');
    const alreadyComplete = status.replicas === status.updatedReplicas && current?.reason === REASON.newRSAvailable;
    if (!alreadyComplete) {
      if (isComplete(d, status, s.replicas)) {
        setDeploymentCondition(conditions, 'Progressing', 'True', REASON.newRSAvailable, `${subject} has successfully progressed.`, nowMs);
      } else if (isProgressing(d.status ?? {}, status)) {
        // Progress resets the deadline: lastUpdateTime moves to now, lastTransitionTime stays if it was already True.
        const keepSince = current?.status === 'True' ? current.lastTransitionTime : nowMs;
        replaceCondition(conditions, {
          type: 'Progressing',
          status: 'True',
          reason: REASON.rsUpdated,
          message: `${subject} is progressing.`,
          lastUpdateTime: nowMs,
          lastTransitionTime: keepSince,
        });
      } else if (hasTimedOut(current, deadlineMs, nowMs)) {
        setDeploymentCondition(conditions, 'Progressing', 'False', REASON.timedOut, `${subject} has timed out progressing.`, nowMs);
        engine.trace(COMPONENT, `deployment/${d.metadata.name}`, `${subject} has timed out progressing.`);
      }
    }
  }
  status.conditions = conditions;
  writeStatus(s.api, d, status as DeploymentStatus);

  // requeueStuckDeployment: look again just after the deadline of a rollout still in progress.
  const progressing = findCondition(conditions, 'Progressing');
  if (!rollout || progressing === undefined || progressing.reason === REASON.timedOut || isComplete(d, status, s.replicas)) return;
  const afterMs = (progressing.lastUpdateTime ?? nowMs) + deadlineMs - nowMs;
  // Within a second of the deadline, Kubernetes re-queues rate-limited (enqueueRateLimited) rather than at once.
  return afterMs < 1000 ? { requeueRateLimited: true } : { requeueAfterMs: afterMs + 1000 };
}

/**
 * calculateStatus: replicas / ready / available summed from ReplicaSet statuses, updated = the new RS's pods,
 * unavailable = spec total − available (never below 0). Example: new RS 2 pods (1 available) and old RS 3
 * (3 available), spec total 5 → replicas 5, updated 2, available 4, unavailable 1.
 */
function computeDeploymentCounts(all: readonly ReplicaSet[], newRS: ReplicaSet | undefined, _replicas: number): Counts {
  let replicas = 0;
  let ready = 0;
  let available = 0;
  let specTotal = 0;
  for (const rs of all) {
    replicas += rs.status?.replicas ?? 0;
    ready += rs.status?.readyReplicas ?? 0;
    available += rs.status?.availableReplicas ?? 0;
    specTotal += rs.spec.replicas ?? 0;
  }
  return {
    replicas,
    updatedReplicas: newRS?.status?.replicas ?? 0,
    readyReplicas: ready,
    availableReplicas: available,
    unavailableReplicas: Math.max(0, specTotal - available),
  };
}
