/**
 * The Deployment controller: one ReplicaSet per pod-template hash, rolled over with
 * RollingUpdate (maxSurge / maxUnavailable) or Recreate, one step per reconcile; status
 * counts, the Available and Progressing conditions with the progress deadline, and
 * cleanup of old scaled-down ReplicaSets beyond revisionHistoryLimit.
 *
 * Mirrors kubernetes pkg/controller/deployment/{deployment_controller,sync,rolling,
 * recreate,progress}.go and util/deployment_util.go. The arithmetic lives in rolling.ts.
 * Fidelity: no adoption of orphan ReplicaSets, no rollback API (reverting the template
 * does reuse the old ReplicaSet and bumps its revision, as upstream), no
 * ReplicaFailure condition; a paused Deployment only scales.
 */
import type { Engine } from '../engine/index.js';
import { TYPE, type Deployment, type DeploymentStatus, type Pod, type ReplicaSet } from '../apis/core.js';
import { deepCopy, makeControllerRef, shortHash, splitKey, stableStringify, type Condition } from '../apis/meta.js';
import type { ApiServer } from './api-server.js';
import { Controller, writeStatus, type ReconcileResult } from './controller.js';
import { computeNewReplicaSetSize, computeOldReplicaSetSizes, computeProportionalSizes, resolveFenceposts, type ReplicaSetCounts } from './rolling.js';

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';
const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';

/** Condition reasons, in Kubernetes' words (deployment_util.go). */
const REASON = {
  newRSCreated: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  rsUpdated: 'ReplicaSetUpdated',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  minimumReplicasAvailable: 'MinimumReplicasAvailable',
  minimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

const COMPONENT = 'deployment-controller';

export function startDeploymentController(engine: Engine, api: ApiServer): Controller {
  const controller = new Controller(COMPONENT, engine, (key) => reconcileDeployment(engine, api, key));
  controller.watchOwn(api, TYPE.deployment);
  controller.watchControlled(api, TYPE.replicaSet, 'Deployment');
  // Recreate waits for old pods to be gone: a pod's deletion is news to its Deployment.
  api.watch<Pod>(TYPE.pod, (e) => {
    if (e.type !== 'DELETED') return;
    const rsRef = e.object.metadata.ownerReferences?.find((o) => o.controller === true && o.kind === 'ReplicaSet');
    if (rsRef === undefined) return;
    const ns = e.object.metadata.namespace ?? '';
    const rs = api.get<ReplicaSet>(TYPE.replicaSet, ns, rsRef.name);
    const dRef = rs?.metadata.ownerReferences?.find((o) => o.controller === true && o.kind === 'Deployment');
    if (dRef !== undefined) controller.enqueue(`${ns}/${dRef.name}`);
  });
  return controller;
}

/** The pod-template-hash of a template: a short stable hash of its canonical JSON. */
function computePodTemplateHash(template: Deployment['spec']['template']): string {
  // Stored objects are frozen, so a template object's hash never changes: compute it once.
  const cached = templateHashes.get(template);
  if (cached !== undefined) return cached;
  const hash = shortHash(stableStringify(template), 10);
  if (Object.isFrozen(template)) templateHashes.set(template, hash);
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

/** Per-reconcile working state: the Deployment, its ReplicaSets, and the status being built. */
interface Sync {
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

function reconcileDeployment(engine: Engine, api: ApiServer, key: string): ReconcileResult {
  const { namespace, name } = splitKey(key);
  const d = api.get<Deployment>(TYPE.deployment, namespace, name);
  if (d === undefined || d.metadata.deletionTimestamp !== undefined) return;
  const replicas = d.spec.replicas ?? 1;
  const rolling = d.spec.strategy?.type !== 'Recreate';
  const fence = rolling
    ? resolveFenceposts(d.spec.strategy?.rollingUpdate?.maxSurge ?? '25%', d.spec.strategy?.rollingUpdate?.maxUnavailable ?? '25%', replicas)
    : { maxSurge: 0, maxUnavailable: 0 };
  const uid = d.metadata.uid;
  const owned = api
    .list<ReplicaSet>(TYPE.replicaSet, { namespace, selector: d.spec.selector })
    .filter((rs) => rs.metadata.ownerReferences?.some((o) => o.controller === true && o.uid === uid));
  const hash = computePodTemplateHash(d.spec.template);
  const newRS = owned.find((rs) => rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] === hash);
  const s: Sync = {
    engine,
    api,
    d,
    replicas,
    maxSurge: fence.maxSurge,
    maxUnavailable: fence.maxUnavailable,
    newRS,
    oldRSs: owned.filter((rs) => rs !== newRS),
    conditions: deepCopy(d.status?.conditions ?? []),
  };

  if (d.spec.paused === true || isScalingEvent(s)) {
    if (s.newRS !== undefined) syncNewReplicaSetRevision(s, hash, false);
    scaleForScalingEvent(s);
    if (d.spec.paused === true) cleanupOldReplicaSets(s);
    return finish(s, false);
  }
  return rolling ? rolloutRolling(s, hash) : rolloutRecreate(s, hash);
}

/** A scaling event: some active ReplicaSet was last sized for a different desired count. */
function isScalingEvent(s: Sync): boolean {
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
function scaleForScalingEvent(s: Sync): void {
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

function rolloutRolling(s: Sync, hash: string): ReconcileResult {
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

function rolloutRecreate(s: Sync, hash: string): ReconcileResult {
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

/** Finds (and annotates) or creates the new ReplicaSet, recording NewReplicaSetCreated / FoundNewReplicaSet. */
function ensureNewReplicaSet(s: Sync, hash: string, create: boolean): void {
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
function syncNewReplicaSetRevision(s: Sync, _hash: string, markFound: boolean): void {
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
function scaleReplicaSet(s: Sync, rs: ReplicaSet, size: number): boolean {
  const from = rs.spec.replicas ?? 0;
  const desired = String(s.replicas);
  const max = String(s.replicas + s.maxSurge);
  const annotations = rs.metadata.annotations ?? {};
  if (from === size && annotations[DESIRED_REPLICAS_ANNOTATION] === desired && annotations[MAX_REPLICAS_ANNOTATION] === max) return false;
  const copy = deepCopy(rs);
  copy.spec.replicas = size;
  copy.metadata.annotations = { ...annotations, [DESIRED_REPLICAS_ANNOTATION]: desired, [MAX_REPLICAS_ANNOTATION]: max };
  const stored = s.api.update(copy);
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
function cleanupOldReplicaSets(s: Sync): void {
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

/**
 * Writes status: counts from the ReplicaSets, Available, and (when `rollout`) Progressing
 * with the progress deadline. Requeues to notice the deadline passing.
 */
function finish(s: Sync, rollout: boolean): ReconcileResult {
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

interface Counts {
  observedGeneration?: number;
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  unavailableReplicas: number;
  conditions?: Condition[];
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

/** DeploymentComplete: every desired pod is updated and available, nothing else runs, and the status is current. */
function isComplete(d: Deployment, status: DeploymentStatus | Counts | undefined, replicas: number): boolean {
  if (status === undefined) return false;
  return (
    status.updatedReplicas === replicas &&
    status.replicas === replicas &&
    status.availableReplicas === replicas &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 1)
  );
}

/** DeploymentProgressing: more updated, ready or available pods than before, or fewer old ones. */
function isProgressing(old: DeploymentStatus, next: Counts): boolean {
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
function hasTimedOut(cond: Condition | undefined, deadlineMs: number, nowMs: number): boolean {
  if (cond === undefined || cond.reason === REASON.newRSAvailable) return false;
  if (cond.reason === REASON.timedOut) return true;
  return (cond.lastUpdateTime ?? cond.lastTransitionTime ?? nowMs) + deadlineMs < nowMs;
}

/** SetDeploymentCondition: unchanged status and reason leave it as is; same status keeps lastTransitionTime. */
function setDeploymentCondition(conditions: Condition[], type: string, status: Condition['status'], reason: string, message: string, nowMs: number): void {
  const current = findCondition(conditions, type);
  if (current !== undefined && current.status === status && current.reason === reason) return;
  const since = current !== undefined && current.status === status ? current.lastTransitionTime : nowMs;
  replaceCondition(conditions, { type, status, reason, message, lastUpdateTime: nowMs, lastTransitionTime: since });
}

function replaceCondition(conditions: Condition[], next: Condition): void {
  const i = conditions.findIndex((c) => c.type === next.type);
  if (i >= 0) conditions.splice(i, 1);
  conditions.push(next);
}

function findCondition(conditions: readonly Condition[], type: string): Condition | undefined {
  return conditions.find((c) => c.type === type);
}

function countsOf(rs: ReplicaSet): ReplicaSetCounts {
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

function sumSpecReplicas(list: readonly ReplicaSet[]): number {
  let n = 0;
  for (const rs of list) n += rs.spec.replicas ?? 0;
  return n;
}

function revisionOf(rs: ReplicaSet): number {
  return Number(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? 0);
}

function maxRevision(list: readonly ReplicaSet[]): number {
  let max = 0;
  for (const rs of list) max = Math.max(max, revisionOf(rs));
  return max;
}

function newestOf(list: readonly ReplicaSet[]): ReplicaSet | undefined {
  let best: ReplicaSet | undefined;
  for (const rs of list) if (best === undefined || (rs.metadata.creationTimestamp ?? 0) >= (best.metadata.creationTimestamp ?? 0)) best = rs;
  return best;
}
