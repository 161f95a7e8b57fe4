/**
 * The Deployment controller: one ReplicaSet per pod-template hash, rolled over with
 * RollingUpdate (maxSurge / maxUnavailable) or Recreate, one step per reconcile. This file
 * wires the controller (its watches) and decides each reconcile's path: a paused Deployment
 * or a scaling event only scales, otherwise the strategy's rollout takes one step.
 *
 * Mirrors kubernetes pkg/controller/deployment/deployment_controller.go (the watches,
 * syncDeployment). The steps live in deployment-sync.ts (sync.go), deployment-rollout.ts
 * (rolling.go, recreate.go) and deployment-progress.ts (progress.go), the helpers in
 * deployment-util.ts (util/deployment_util.go) and the arithmetic in rolling.ts.
 * Fidelity: no adoption of orphan ReplicaSets, no rollback API (reverting the template
 * does reuse the old ReplicaSet and bumps its revision, as upstream), no ReplicaFailure
 * condition; a paused Deployment only scales. As upstream, a pod's deletion queues only a
 * Recreate Deployment left with no pod.
 */
import type { Engine } from '../engine/index.js';
import { TYPE, type Deployment, type Pod, type ReplicaSet } from '../apis/core.js';
import { splitKey } from '../apis/meta.js';
import type { ApiServer } from './api-server.js';
import { Controller, type ReconcileResult } from './controller.js';
import { finish } from './deployment-progress.js';
import { rolloutRecreate, rolloutRolling } from './deployment-rollout.js';
import {
  cleanupOldReplicaSets,
  computePodTemplateHash,
  isScalingEvent,
  scaleForScalingEvent,
  syncNewReplicaSetRevision,
  type Sync,
} from './deployment-sync.js';
import { COMPONENT, POD_TEMPLATE_HASH_LABEL } from './deployment-util.js';
import { resolveFenceposts } from './rolling.js';

export function startDeploymentController(engine: Engine, api: ApiServer): Controller {
  const controller = new Controller(COMPONENT, engine, (key) => reconcileDeployment(engine, api, key));
  controller.watchOwn(api, TYPE.deployment);
  controller.watchControlled(api, TYPE.replicaSet, 'Deployment');
  // Recreate waits for old pods to be gone: the deletion of a Recreate Deployment's last pod is
  // news to it (deletePod). Pod events are nothing to a RollingUpdate Deployment: its
  // ReplicaSets' status writes carry what it needs.
  api.watch<Pod>(TYPE.pod, (e) => {
    if (e.type !== 'DELETED') return;
    const rsRef = e.object.metadata.ownerReferences?.find((o) => o.controller === true && o.kind === 'ReplicaSet');
    if (rsRef === undefined) return;
    const ns = e.object.metadata.namespace ?? '';
    const rs = api.get<ReplicaSet>(TYPE.replicaSet, ns, rsRef.name);
    const dRef = rs?.metadata.ownerReferences?.find((o) => o.controller === true && o.kind === 'Deployment');
    if (dRef === undefined) return;
    const d = api.get<Deployment>(TYPE.deployment, ns, dRef.name);
    if (d?.spec.strategy?.type === 'Recreate' && !hasPods(api, d)) controller.enqueue(`${ns}/${dRef.name}`);
  });
  return controller;
}

/**
 * Whether any pod (terminating or finished ones too) belongs to one of the Deployment's
 * ReplicaSets: deployment_controller.go getPodMapForDeployment, counted.
 */
function hasPods(api: ApiServer, d: Deployment): boolean {
  const namespace = d.metadata.namespace;
  const owned = new Set<string>();
  for (const rs of api.list<ReplicaSet>(TYPE.replicaSet, { namespace, selector: d.spec.selector, sorted: false }))
    if (rs.metadata.ownerReferences?.some((o) => o.controller === true && o.uid === d.metadata.uid) === true) owned.add(rs.metadata.uid ?? '');
  if (owned.size === 0) return false;
  return api.list<Pod>(TYPE.pod, { namespace, selector: d.spec.selector, sorted: false }).some((pod) => {
    const owner = pod.metadata.ownerReferences?.find((o) => o.controller === true);
    return owner !== undefined && owned.has(owner.uid);
  });
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
    // Conditions are replaced whole, never edited: a new list sharing the stored ones is enough.
    conditions: (d.status?.conditions ?? []).slice(),
  };

  if (d.spec.paused === true || isScalingEvent(s)) {
    if (s.newRS !== undefined) syncNewReplicaSetRevision(s, hash, false);
    scaleForScalingEvent(s);
    if (d.spec.paused === true) cleanupOldReplicaSets(s);
    return finish(s, false);
  }
  return rolling ? rolloutRolling(s, hash) : rolloutRecreate(s, hash);
}
