/**
 * The ReplicaSet controller: keeps `spec.replicas` live pods whose labels match the
 * selector and that it controls; creates pods from the template, deletes the ones
 * Kubernetes would give up first, and reports replicas / ready / available in status.
 *
 * Mirrors kubernetes pkg/controller/replicaset/replica_set.go (manageReplicas,
 * getPodsToDelete, calculateStatus) and pkg/controller/controller_utils.go
 * (ActivePodsWithRanks). Its pods are counted as they are written (replicaset-pods.ts), so a
 * sync costs the same with ten pods as with thousands. Fidelity: reads the store directly,
 * which is always consistent here, so no "expectations" are needed; no adoption of orphan pods; no
 * slow-start batches (creates stop at the first error and the key is retried); the
 * logarithmic bucketing of ready/creation times is replaced by exact comparisons.
 */
import type { Engine } from '../engine/index.js';
import { TYPE, isPodReady, type Pod, type ReplicaSet, type ReplicaSetStatus } from '../apis/core.js';
import { getCondition } from '../apis/conditions.js';
import { makeControllerRef, splitKey } from '../apis/meta.js';
import type { ApiServer } from './api-server.js';
import { Controller, writeStatus, type ReconcileResult } from './controller.js';
import { ReplicaSetPods } from './replicaset-pods.js';

/** Kubernetes' cap on pods created or deleted by one sync (`BurstReplicas`). */
const BURST_REPLICAS = 500;

/** The annotation that makes a pod cheaper (lower) or dearer to delete, as controller.kubernetes.io/pod-deletion-cost. */
const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

export function startReplicaSetController(engine: Engine, api: ApiServer): Controller {
  const owned = ReplicaSetPods.attach(api);
  const controller = new Controller('replicaset-controller', engine, (key) => reconcileReplicaSet(engine, api, owned, key));
  controller.watchOwn(api, TYPE.replicaSet);
  controller.watchControlled(api, TYPE.pod, 'ReplicaSet');
  return controller;
}

function reconcileReplicaSet(engine: Engine, api: ApiServer, owned: ReplicaSetPods, key: string): ReconcileResult {
  const { namespace, name } = splitKey(key);
  const rs = api.get<ReplicaSet>(TYPE.replicaSet, namespace, name);
  if (rs === undefined || rs.metadata.deletionTimestamp !== undefined) return;
  const uid = rs.metadata.uid;
  const selector = rs.spec.selector;
  const want = rs.spec.replicas ?? 1;
  const diff = owned.counts(uid, selector, {}).replicas - want;
  if (diff < 0) {
    const count = Math.min(-diff, BURST_REPLICAS);
    for (let i = 0; i < count; i++) {
      const pod = api.create(makePod(rs));
      engine.trace('replicaset-controller', `replicaset/${name}`, `Created pod: ${pod.metadata.name}`);
    }
  } else if (diff > 0) {
    // Only a scale-down reads the pods themselves: the ranking of who goes first.
    const count = Math.min(diff, BURST_REPLICAS);
    const victims = rankPodsForDeletion(owned.pods(uid, selector), engine.nowMs).slice(0, count);
    for (const victim of victims) {
      api.delete(TYPE.pod, namespace, victim.metadata.name);
      engine.trace('replicaset-controller', `replicaset/${name}`, `Deleted pod: ${victim.metadata.name}`);
    }
  }
  // The counts already hold the pods just created and leave out the ones just deleted (the index follows every write).
  const status = computeReplicaSetStatus(rs, owned, engine.nowMs);
  writeStatus(api, rs, status.status);
  return status.recheckAfterMs === undefined ? undefined : { requeueAfterMs: status.recheckAfterMs };
}

/** The pod a ReplicaSet creates: template labels and annotations, `generateName: <rs>-`, controlled by the RS. */
function makePod(rs: ReplicaSet): Pod {
  const template = rs.spec.template;
  const metadata: Pod['metadata'] & { generateName: string } = {
    name: '',
    generateName: `${rs.metadata.name}-`,
    namespace: rs.metadata.namespace,
    labels: { ...(template.metadata?.labels ?? {}) },
    ownerReferences: [makeControllerRef(rs)],
  };
  if (template.metadata?.annotations !== undefined) metadata.annotations = { ...template.metadata.annotations };
  // The API server copies the spec into the stored pod.
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: template.spec };
}

/**
 * Status from the active pods: replicas, fully labeled, ready, and available
 * (ready for at least minReadySeconds). When a ready pod will become available later,
 * `recheckAfterMs` says when to look again.
 */
function computeReplicaSetStatus(rs: ReplicaSet, owned: ReplicaSetPods, nowMs: number): { status: ReplicaSetStatus; recheckAfterMs?: number } {
  const minReadyMs = (rs.spec.minReadySeconds ?? 0) * 1000;
  const counts = owned.counts(rs.metadata.uid, rs.spec.selector, rs.spec.template.metadata?.labels ?? {});
  let available = counts.ready;
  let recheckAfterMs: number | undefined;
  if (minReadyMs > 0) {
    // Available depends on how long each pod has been ready: read them.
    available = 0;
    for (const pod of owned.pods(rs.metadata.uid, rs.spec.selector)) {
      if (!isPodReady(pod)) continue;
      const readySince = getCondition(pod.status?.conditions, 'Ready')?.lastTransitionTime ?? 0;
      if (readySince + minReadyMs <= nowMs) available++;
      else recheckAfterMs = Math.min(recheckAfterMs ?? Infinity, readySince + minReadyMs - nowMs);
    }
  }
  const status: ReplicaSetStatus = {
    replicas: counts.replicas,
    fullyLabeledReplicas: counts.fullyLabeled,
    readyReplicas: counts.ready,
    availableReplicas: available,
  };
  if (rs.status?.conditions !== undefined) status.conditions = rs.status.conditions;
  return recheckAfterMs === undefined ? { status } : { status, recheckAfterMs };
}

/**
 * Pods in the order Kubernetes deletes them when scaling down (ActivePodsWithRanks.Less):
 * 1. not yet on a node before on a node;
 * 2. Pending before Unknown before Running;
 * 3. not ready before ready;
 * 4. lower pod-deletion-cost before higher;
 * 5. more sibling pods on the same node before fewer (spreads what remains);
 * 6. ready for less time before longer;
 * 7. more restarts before fewer;
 * 8. newer before older; then by name for a total order.
 */
export function rankPodsForDeletion(pods: readonly Pod[], nowMs: number): Pod[] {
  const perNode = new Map<string, number>();
  for (const p of pods) {
    const node = p.spec.nodeName;
    if (node) perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  const keyed = pods.map((pod) => {
    const node = pod.spec.nodeName;
    const ready = isPodReady(pod);
    const readySince = ready ? (getCondition(pod.status?.conditions, 'Ready')?.lastTransitionTime ?? 0) : 0;
    const cost = Number(pod.metadata.annotations?.[POD_DELETION_COST] ?? 0);
    return {
      pod,
      assigned: node ? 1 : 0,
      phase: PHASE_RANK[pod.status?.phase ?? 'Pending'] ?? 0,
      ready: ready ? 1 : 0,
      cost: Number.isFinite(cost) ? cost : 0,
      siblings: node ? (perNode.get(node) ?? 0) : 0,
      readyForMs: ready ? nowMs - readySince : 0,
      restarts: (pod.status?.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0),
      created: pod.metadata.creationTimestamp ?? 0,
    };
  });
  keyed.sort(
    (a, b) =>
      a.assigned - b.assigned ||
      a.phase - b.phase ||
      a.ready - b.ready ||
      a.cost - b.cost ||
      b.siblings - a.siblings ||
      a.readyForMs - b.readyForMs ||
      b.restarts - a.restarts ||
      b.created - a.created ||
      (a.pod.metadata.name < b.pod.metadata.name ? -1 : a.pod.metadata.name > b.pod.metadata.name ? 1 : 0),
  );
  return keyed.map((k) => k.pod);
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
