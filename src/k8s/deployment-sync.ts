/**
 * The Deployment controller's steps on ReplicaSets: the per-reconcile working state, the
 * new ReplicaSet for the current pod template (found and re-annotated, or created), scaling
 * one ReplicaSet with its desired/max-replicas annotations, a scaling event shared between
 * the active ReplicaSets, and cleanup of old scaled-down ReplicaSets beyond
 * revisionHistoryLimit.
 *
 * Mirrors kubernetes pkg/controller/deployment/sync.go (getNewReplicaSet, scale,
 * scaleReplicaSet, cleanupDeployment, isScalingEvent), util/deployment_util.go (IsSaturated,
 * SetNewReplicaSetAnnotations) and pkg/controller/controller_utils.go (ComputeHash). The
 * arithmetic lives in rolling.ts. Fidelity: no adoption of orphan ReplicaSets; reverting the
 * template reuses the old ReplicaSet and bumps its revision, as upstream.
 */
import type { Engine } from '../engine/index.js';
import { TYPE, type Deployment, type ReplicaSet } from '../apis/core.js';
import { deepCopy, makeControllerRef, shortHash, stableStringify, type Condition } from '../apis/meta.js';
import type { ApiServer } from './api-server.js';
import { computeNewReplicaSetSize, computeProportionalSizes } from './rolling.js';
import {
  COMPONENT,
  countsOf,
  DESIRED_REPLICAS_ANNOTATION,
  findCondition,
  MAX_REPLICAS_ANNOTATION,
  maxRevision,
  newestOf,
  POD_TEMPLATE_HASH_LABEL,
  REASON,
  REVISION_ANNOTATION,
  revisionOf,
  setDeploymentCondition,
  sumSpecReplicas,
} from './deployment-util.js';

/** Per-reconcile working state: the Deployment, its ReplicaSets, and the status being built. */
export interface Sync {
  engine: Engine;
  api: ApiServer;
  d: Deployment;
  replicas: number;
  maxSurge: number;
  maxUnavailable: number;
  newRS: ReplicaSet | undefined;
  oldRSs: ReplicaSet[];
  /** Conditions carried through this reconcile (starts as the stored ones). */
  conditions: Condition[];
}

/**
 * The pod-template-hash of a stored Deployment's template: a short stable hash of its
 * canonical JSON. Stored objects are never mutated and the API server shares an unchanged
 * spec between versions, so a template object's hash is computed once per generation.
 */
export function computePodTemplateHash(template: Deployment['spec']['template']): string {
  const cached = templateHashes.get(template);
  if (cached !== undefined) return cached;
  const hash = shortHash(stableStringify(template), 10);
  templateHashes.set(template, hash);
  return hash;
}

const templateHashes = new WeakMap<object, string>();

/** The ReplicaSet a Deployment wants for its current template (pure builder). */
function makeReplicaSet(d: Deployment, hash: string, replicas: number, revision: number, maxSurge: number): ReplicaSet {
  const template = deepCopy(d.spec.template);
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash } };
  const spec: ReplicaSet['spec'] = {
    replicas,
    selector: { ...deepCopy(d.spec.selector), matchLabels: { ...(d.spec.selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash } },
    template,
  };
  if (d.spec.minReadySeconds !== undefined) spec.minReadySeconds = d.spec.minReadySeconds;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels: { ...(template.metadata.labels ?? {}) },
      annotations: {
        [REVISION_ANNOTATION]: String(revision),
        [DESIRED_REPLICAS_ANNOTATION]: String(d.spec.replicas ?? 1),
        [MAX_REPLICAS_ANNOTATION]: String((d.spec.replicas ?? 1) + maxSurge),
      },
      ownerReferences: [makeControllerRef(d)],
    },
    spec,
  };
}

/** A scaling event: some active ReplicaSet was last sized for a different desired count. */
export function isScalingEvent(s: Sync): boolean {
  for (const rs of activeReplicaSets(s)) {
    const desired = rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION];
    if (desired !== undefined && Number(desired) !== s.replicas) return true;
  }
  return false;
}

function activeReplicaSets(s: Sync): ReplicaSet[] {
  const all = s.newRS === undefined ? s.oldRSs : [...s.oldRSs, s.newRS];
  return all.filter((rs) => (rs.spec.replicas ?? 0) > 0);
}

/** sync.go `scale`: the one active RS takes the new size; or a saturated new RS means old ones go to 0; or sizes change in proportion. */
export function scaleForScalingEvent(s: Sync): void {
  const active = activeReplicaSets(s);
  if (active.length <= 1) {
    const target = active[0] ?? s.newRS ?? newestOf(s.oldRSs);
    if (target !== undefined) scaleReplicaSet(s, target, s.replicas);
    return;
  }
  if (s.newRS !== undefined && isSaturated(s, s.newRS)) {
    for (const rs of s.oldRSs) if ((rs.spec.replicas ?? 0) !== 0) scaleReplicaSet(s, rs, 0);
    return;
  }
  if (s.d.spec.strategy?.type === 'Recreate') return;
  const sizes = computeProportionalSizes(s.replicas, s.maxSurge, s.d.status?.replicas ?? 0, active.map(countsOf), s.newRS?.metadata.name);
  for (const rs of active) {
    const size = sizes.get(rs.metadata.name);
    scaleReplicaSet(s, rs, size ?? rs.spec.replicas ?? 0);
  }
}

function isSaturated(s: Sync, rs: ReplicaSet): boolean {
  return (
    (rs.spec.replicas ?? 0) === s.replicas &&
    Number(rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION]) === s.replicas &&
    (rs.status?.availableReplicas ?? 0) === s.replicas
  );
}

/** Finds (and annotates) or creates the new ReplicaSet, recording NewReplicaSetCreated / FoundNewReplicaSet. */
export function ensureNewReplicaSet(s: Sync, hash: string, create: boolean): void {
  if (s.newRS !== undefined) {
    syncNewReplicaSetRevision(s, hash, true);
    return;
  }
  if (!create) return;
  const size = s.d.spec.strategy?.type === 'Recreate' ? s.replicas : computeNewReplicaSetSize(s.replicas, s.maxSurge, 0, sumSpecReplicas(s.oldRSs));
  const rs = s.api.create(makeReplicaSet(s.d, hash, size, maxRevision(s.oldRSs) + 1, s.maxSurge));
  s.newRS = rs;
  s.engine.trace(COMPONENT, `deployment/${s.d.metadata.name}`, `Scaled up replica set ${rs.metadata.name} from 0 to ${size}`, {
    replicaSet: rs.metadata.name,
    from: 0,
    to: size,
  });
  setDeploymentCondition(s.conditions, 'Progressing', 'True', REASON.newRSCreated, `Created new replica set "${rs.metadata.name}"`, s.engine.nowMs);
}

/** An existing new ReplicaSet takes the next revision if an older one is newer (a template revert), and minReadySeconds from the Deployment. */
export function syncNewReplicaSetRevision(s: Sync, _hash: string, markFound: boolean): void {
  const rs = s.newRS as ReplicaSet;
  const maxOld = maxRevision(s.oldRSs);
  const current = Number(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? 0);
  const wantMinReady = s.d.spec.minReadySeconds;
  if (current <= maxOld || rs.spec.minReadySeconds !== wantMinReady) {
    const copy = deepCopy(rs);
    copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), [REVISION_ANNOTATION]: String(current <= maxOld ? maxOld + 1 : current) };
    if (wantMinReady === undefined) delete copy.spec.minReadySeconds;
    else copy.spec.minReadySeconds = wantMinReady;
    s.newRS = s.api.update(copy);
  }
  if (markFound && findCondition(s.conditions, 'Progressing') === undefined) {
    setDeploymentCondition(s.conditions, 'Progressing', 'True', REASON.foundNewRS, `Found new replica set "${rs.metadata.name}"`, s.engine.nowMs);
  }
}

/** Sets a ReplicaSet's size and its desired/max-replicas annotations; returns true if the size changed. */
export function scaleReplicaSet(s: Sync, rs: ReplicaSet, size: number): boolean {
  const from = rs.spec.replicas ?? 0;
  const desired = String(s.replicas);
  const max = String(s.replicas + s.maxSurge);
  const annotations = rs.metadata.annotations ?? {};
  if (from === size && annotations[DESIRED_REPLICAS_ANNOTATION] === desired && annotations[MAX_REPLICAS_ANNOTATION] === max) return false;
  // The API server copies what it stores: shallow copies of the parts that change are enough.
  const stored = s.api.update({
    ...rs,
    metadata: { ...rs.metadata, annotations: { ...annotations, [DESIRED_REPLICAS_ANNOTATION]: desired, [MAX_REPLICAS_ANNOTATION]: max } },
    spec: { ...rs.spec, replicas: size },
  });
  if (s.newRS === rs) s.newRS = stored;
  else s.oldRSs = s.oldRSs.map((o) => (o === rs ? stored : o));
  if (from !== size) {
    s.engine.trace(
      COMPONENT,
      `deployment/${s.d.metadata.name}`,
      `Scaled ${size > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${size}`,
      { replicaSet: rs.metadata.name, from, to: size },
    );
  }
  return from !== size;
}

/** Deletes the oldest fully scaled-down old ReplicaSets beyond revisionHistoryLimit. */
export function cleanupOldReplicaSets(s: Sync): void {
  const limit = s.d.spec.revisionHistoryLimit ?? 10;
  const cleanable = s.oldRSs.filter(
    (rs) =>
      (rs.spec.replicas ?? 0) === 0 &&
      (rs.status?.replicas ?? 0) === 0 &&
      rs.metadata.deletionTimestamp === undefined &&
      (rs.status?.observedGeneration ?? 0) >= (rs.metadata.generation ?? 1),
  );
  const excess = cleanable.length - limit;
  if (excess <= 0) return;
  cleanable.sort((a, b) => revisionOf(a) - revisionOf(b) || (a.metadata.creationTimestamp ?? 0) - (b.metadata.creationTimestamp ?? 0));
  for (const rs of cleanable.slice(0, excess)) {
    s.api.delete(TYPE.replicaSet, rs.metadata.namespace ?? '', rs.metadata.name);
    s.oldRSs = s.oldRSs.filter((o) => o !== rs);
    s.engine.trace(COMPONENT, `deployment/${s.d.metadata.name}`, `Deleted old replica set ${rs.metadata.name} (revisionHistoryLimit ${limit})`);
  }
}
