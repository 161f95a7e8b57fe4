/**
 * One step of a Deployment's rollout per reconcile. RollingUpdate grows the new ReplicaSet
 * as far as maxSurge allows, else shrinks old ones as far as maxUnavailable allows; Recreate
 * scales every old ReplicaSet to 0, waits until their pods are gone, then scales the new one
 * up. Either cleans up old ReplicaSets once the rollout is complete.
 *
 * Mirrors kubernetes pkg/controller/deployment/rolling.go (rolloutRolling) and recreate.go
 * (rolloutRecreate, oldPodsRunning); the arithmetic lives in rolling.ts. Fidelity: as
 * upstream, one step per reconcile, the status written after every step.
 */
import { TYPE, type Pod, type ReplicaSet } from '../apis/core.js';
import type { ReconcileResult } from './controller.js';
import { finish } from './deployment-progress.js';
import { cleanupOldReplicaSets, ensureNewReplicaSet, scaleReplicaSet, type Sync } from './deployment-sync.js';
import { countsOf, isComplete, sumSpecReplicas } from './deployment-util.js';
import { computeNewReplicaSetSize, computeOldReplicaSetSizes } from './rolling.js';

export function rolloutRolling(s: Sync, hash: string): ReconcileResult {
  ensureNewReplicaSet(s, hash, true);
  const newRS = s.newRS as ReplicaSet;
  // Step 1: grow (or trim) the new ReplicaSet.
  const newSize = newRS.spec.replicas ?? 0;
  if (newSize !== s.replicas) {
    const target = newSize > s.replicas ? s.replicas : computeNewReplicaSetSize(s.replicas, s.maxSurge, newSize, sumSpecReplicas([...s.oldRSs, newRS]));
    if (scaleReplicaSet(s, newRS, target)) return finish(s, true);
  }
  // Step 2: shrink old ReplicaSets as far as availability allows.
  const sizes = computeOldReplicaSetSizes(s.replicas, s.maxUnavailable, countsOf(s.newRS as ReplicaSet), s.oldRSs.map(countsOf));
  if (sizes.size > 0) {
    for (const rs of s.oldRSs) {
      const size = sizes.get(rs.metadata.name);
      if (size !== undefined) scaleReplicaSet(s, rs, size);
    }
    return finish(s, true);
  }
  if (isComplete(s.d, s.d.status, s.replicas)) cleanupOldReplicaSets(s);
  return finish(s, true);
}

export function rolloutRecreate(s: Sync, hash: string): ReconcileResult {
  ensureNewReplicaSet(s, hash, false);
  let scaledDown = false;
  for (const rs of s.oldRSs) if ((rs.spec.replicas ?? 0) !== 0) scaledDown = scaleReplicaSet(s, rs, 0) || scaledDown;
  if (scaledDown || oldPodsRunning(s)) return finish(s, true);
  ensureNewReplicaSet(s, hash, true);
  scaleReplicaSet(s, s.newRS as ReplicaSet, s.replicas);
  if (isComplete(s.d, s.d.status, s.replicas)) cleanupOldReplicaSets(s);
  return finish(s, true);
}

/** recreate.go oldPodsRunning: old ReplicaSets still report pods, or some pod of theirs has not finished (terminating counts). */
function oldPodsRunning(s: Sync): boolean {
  if (s.oldRSs.some((rs) => (rs.status?.replicas ?? 0) > 0)) return true;
  const oldUids = new Set(s.oldRSs.map((rs) => rs.metadata.uid));
  if (oldUids.size === 0) return false;
  const pods = s.api.list<Pod>(TYPE.pod, { namespace: s.d.metadata.namespace, selector: s.d.spec.selector });
  return pods.some((p) => {
    const owner = p.metadata.ownerReferences?.find((o) => o.controller === true);
    return owner !== undefined && oldUids.has(owner.uid) && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
  });
}
