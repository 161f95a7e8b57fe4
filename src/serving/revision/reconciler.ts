/**
 * The Revision reconciler: makes a revision's Deployment, PodAutoscaler and
 * ServerlessService exist and reflects their state in the revision's conditions.
 * Phases, as Knative's: Deployment (create; converge the spec except replicas, which
 * the KPA owns; propagate its status; surface pod failures), PodAutoscaler (create;
 * converge; propagate), ServerlessService (create when missing).
 * Fidelity: knative/serving pkg/reconciler/revision/{revision,reconcile_resources}.go and
 * pkg/apis/serving/v1/revision_lifecycle.go (PropagateDeploymentStatus,
 * PropagateAutoscalerStatus). When no pod is available although some are wanted, the
 * first pod's user container speaks: its last termination (a crash, a failed start-up)
 * makes ContainerHealthy False with `ExitCode<n>` and the termination message at once;
 * a waiting reason such as ImagePullBackOff surfaces only once the Deployment's progress
 * deadline is exceeded, as in Knative. Images are resolved to digests first
 * (digests.ts): one its registry lacks fails the revision with ContainerMissing. Not
 * modelled: the image cache.
 */
import type { Controller } from '../../k8s/controller.js';
import { convergeParts, ensureChild, reconcileKind, startKindController, type ChildConvergence, type KindReconciler } from '../../k8s/reconcile-kind.js';
import { defaultDeployment } from '../../k8s/core-kinds.js';
import { TYPE, type Deployment, type Pod } from '../../apis/core.js';
import { isControlledBy, type Condition } from '../../apis/meta.js';
import { getCondition, mark } from '../../apis/conditions.js';
import { COND, MESSAGE, REASON, revisionConditionSet } from '../../apis/serving-lifecycle.js';
import type { PodAutoscaler, Revision, RevisionStatus, ServerlessService } from '../../apis/serving-types.js';
import type { ServingContext } from '../shared.js';
import { makeDeployment, QUEUE_CONTAINER_NAME } from './resources/deploy.js';
import { makePodAutoscaler, makeServerlessService } from './resources/pa.js';
import { deploymentName, podAutoscalerName, serverlessServiceName } from './resources/names.js';
import { digestFailure } from './digests.js';

const set = revisionConditionSet;

export function startRevisionReconciler(ctx: ServingContext): Controller {
  const controller = startKindController('revision-controller', ctx.engine, ctx.api, revisionReconciler(ctx));
  controller.watchControlled(ctx.api, TYPE.deployment, 'Revision');
  controller.watchControlled(ctx.api, TYPE.podAutoscaler, 'Revision');
  return controller;
}

/** Desired Deployment for a revision under the current ConfigMaps. */
function desiredDeployment(ctx: ServingContext, rev: Revision): Deployment {
  const progressDeadlineSeconds = Math.floor(ctx.configs.deployment().progressDeadlineMs / 1000);
  return makeDeployment(rev, { initialScale: ctx.configs.autoscaler().initialScale, progressDeadlineSeconds });
}

/** One reconcile of the Revision behind `key` (for tests). */
export function reconcileRevision(ctx: ServingContext, key: string): void {
  reconcileKind(ctx.engine, ctx.api, revisionReconciler(ctx), key);
}

function revisionReconciler(ctx: ServingContext): KindReconciler<Revision, RevisionStatus> {
  return {
    type: TYPE.revision,
    conditions: set,
    reconcile: (rev, status, nowMs) => reconcileRevisionKind(ctx, rev, status, nowMs),
    statusWritten: (before, status) => {
      const was = getCondition(before.status?.conditions, COND.ready);
      const now = getCondition(status.conditions, COND.ready);
      if (was?.status !== now?.status || was?.reason !== now?.reason) {
        ctx.engine.trace(
          'revision-controller',
          before.metadata.name,
          `Ready=${now?.status}${now?.reason ? ` (${now.reason}${now.message ? `: ${now.message}` : ''})` : ''}`,
        );
      }
    },
  };
}

function reconcileRevisionKind(ctx: ServingContext, rev: Revision, status: RevisionStatus, nowMs: number): void {
  const { api, engine } = ctx;
  const namespace = rev.metadata.namespace ?? '';
  const name = rev.metadata.name;
  if (!reconcileDigests(ctx, rev, status, nowMs)) return;
  const deployment = reconcileDeployment(ctx, rev, status.conditions as Condition[], nowMs);
  if (deployment === undefined) return;
  const pa = reconcilePodAutoscaler(ctx, rev, deployment, status, nowMs);
  if (pa !== undefined && api.get(TYPE.serverlessService, namespace, serverlessServiceName(name)) === undefined) {
    api.create<ServerlessService>(makeServerlessService(pa));
    engine.trace('revision-controller', name, `Created ServerlessService "${serverlessServiceName(name)}"`);
  }
}

/**
 * Resolves the containers' images to digests once (reconcileDigest): an image its registry
 * does not have marks ContainerHealthy False (ContainerMissing) and stops the reconcile
 * before any Deployment exists; the next reconcile tries again.
 */
function reconcileDigests(ctx: ServingContext, rev: Revision, status: RevisionStatus, nowMs: number): boolean {
  const containers = rev.spec.containers ?? [];
  if (status.containerStatuses?.length === containers.length) return true;
  const registry = ctx.registry;
  if (registry !== undefined) {
    const skip = ctx.configs.deployment().registriesSkippingTagResolving;
    for (const c of containers) {
      const why = digestFailure(c.image ?? '', registry, skip);
      if (why === undefined) continue;
      mark(set, status.conditions as Condition[], COND.containerHealthy, 'False', nowMs, REASON.containerMissing, why);
      return false;
    }
  }
  status.containerStatuses = containers.map((c) => ({ name: c.name ?? '', imageDigest: c.image }));
  return true;
}

/**
 * The revision owns its Deployment's spec and labels (and writes its annotations), except
 * replicas, which the autoscaler scales. Compared with the API server's defaults applied, as
 * Knative compares against what the server stored; otherwise defaulted fields (maxSurge 25%)
 * would look like drift forever.
 */
const CONVERGE_DEPLOYMENT: ChildConvergence<Deployment> = {
  ...convergeParts<Deployment>(['spec', 'labels'], ['spec', 'labels', 'annotations']),
  normalize: (desired, existing) => {
    defaultDeployment(desired);
    desired.spec.replicas = existing.spec.replicas;
  },
};

function reconcileDeployment(ctx: ServingContext, rev: Revision, conditions: Condition[], nowMs: number): Deployment | undefined {
  const { api, engine } = ctx;
  const name = deploymentName(rev.metadata.name);
  const existing = api.get<Deployment>(TYPE.deployment, rev.metadata.namespace ?? '', name);
  const progressDeadlineMs = ctx.configs.deployment().progressDeadlineMs;
  const outcome =
    existing !== undefined && stillConverged(existing, rev, progressDeadlineMs)
      ? { state: 'unchanged' as const, child: existing }
      : ensureChild(api, rev, existing, desiredDeployment(ctx, rev), CONVERGE_DEPLOYMENT);
  if (outcome.state === 'unchanged') recordConverged(outcome.child, rev, progressDeadlineMs);
  switch (outcome.state) {
    case 'created':
      mark(set, conditions, COND.resourcesAvailable, 'Unknown', nowMs, REASON.deploying);
      mark(set, conditions, COND.containerHealthy, 'Unknown', nowMs, REASON.deploying);
      engine.trace('revision-controller', rev.metadata.name, `Created Deployment "${name}"`);
      return undefined;
    case 'notOwned':
      mark(set, conditions, COND.resourcesAvailable, 'False', nowMs, REASON.notOwned, MESSAGE.notOwned('Deployment', name));
      return undefined;
    case 'unchanged':
    case 'updated':
      break;
  }
  const deployment = outcome.child;
  propagateDeploymentStatus(conditions, deployment, nowMs);
  if ((deployment.spec.replicas ?? 0) > 0 && (deployment.status?.availableReplicas ?? 0) === 0) surfacePodFailure(ctx, deployment, conditions, nowMs);
  if ((deployment.status?.readyReplicas ?? 0) > 0) mark(set, conditions, COND.containerHealthy, 'True', nowMs);
  return deployment;
}

/**
 * What a Deployment was last found converged with: the inputs of its desired shape (the
 * revision's spec, labels, annotations and uid, the progress deadline) and the parts of
 * the stored Deployment that were compared (every spec field but replicas, the labels, the
 * owner references). Stored objects are never mutated and writes share unchanged parts, so
 * while every one of them is the same object (or number) the comparison would find the
 * Deployment converged again: a revision reconcile (several per cold start) skips building
 * and comparing its desired Deployment.
 */
interface Converged {
  revSpec: Revision['spec'];
  revLabels: Revision['metadata']['labels'];
  revAnnotations: Revision['metadata']['annotations'];
  revUid: string | undefined;
  progressDeadlineMs: number;
  spec: Deployment['spec'];
  labels: Deployment['metadata']['labels'];
  ownerReferences: Deployment['metadata']['ownerReferences'];
}

const converged = new WeakMap<Deployment['spec']['template'], Converged>();

function stillConverged(existing: Deployment, rev: Revision, progressDeadlineMs: number): boolean {
  const c = converged.get(existing.spec.template);
  if (c === undefined) return false;
  if (
    c.revSpec !== rev.spec ||
    c.revLabels !== rev.metadata.labels ||
    c.revAnnotations !== rev.metadata.annotations ||
    c.revUid !== rev.metadata.uid ||
    c.progressDeadlineMs !== progressDeadlineMs ||
    c.labels !== existing.metadata.labels ||
    c.ownerReferences !== existing.metadata.ownerReferences
  )
    return false;
  const was = c.spec as unknown as Record<string, unknown>;
  const now = existing.spec as unknown as Record<string, unknown>;
  let keys = 0;
  for (const key in now) {
    if (key === 'replicas') continue;
    keys++;
    if (now[key] !== was[key]) return false;
  }
  for (const key in was) if (key !== 'replicas') keys--;
  return keys === 0;
}

function recordConverged(existing: Deployment, rev: Revision, progressDeadlineMs: number): void {
  converged.set(existing.spec.template, {
    revSpec: rev.spec,
    revLabels: rev.metadata.labels,
    revAnnotations: rev.metadata.annotations,
    revUid: rev.metadata.uid,
    progressDeadlineMs,
    spec: existing.spec,
    labels: existing.metadata.labels,
    ownerReferences: existing.metadata.ownerReferences,
  });
}

/**
 * Deployment conditions → ResourcesAvailable (serving.TransformDeploymentStatus):
 * Progressing False (e.g. ProgressDeadlineExceeded) or ReplicaFailure True → False with
 * its reason; Progressing True → True; otherwise Unknown `Deploying`.
 */
function propagateDeploymentStatus(conditions: Condition[], deployment: Deployment, nowMs: number): void {
  const dc = deployment.status?.conditions;
  const progressing = getCondition(dc, 'Progressing');
  const replicaFailure = getCondition(dc, 'ReplicaFailure');
  if (replicaFailure?.status === 'True') return mark(set, conditions, COND.resourcesAvailable, 'False', nowMs, replicaFailure.reason, replicaFailure.message);
  if (progressing?.status === 'False') return mark(set, conditions, COND.resourcesAvailable, 'False', nowMs, progressing.reason, progressing.message);
  if (replicaFailure?.status === 'Unknown')
    return mark(set, conditions, COND.resourcesAvailable, 'Unknown', nowMs, replicaFailure.reason, replicaFailure.message);
  if (progressing?.status === 'True') return mark(set, conditions, COND.resourcesAvailable, 'True', nowMs);
  mark(set, conditions, COND.resourcesAvailable, 'Unknown', nowMs, progressing?.reason ?? REASON.deploying, progressing?.message);
}

function hasTimedOut(deployment: Deployment): boolean {
  const p = getCondition(deployment.status?.conditions, 'Progressing');
  return p?.status === 'False' && p.reason === REASON.progressDeadlineExceeded;
}

/** When no pod is available although some are wanted, look at the first pod as Knative does. */
function surfacePodFailure(ctx: ServingContext, deployment: Deployment, conditions: Condition[], nowMs: number): void {
  const pods = ctx.api.list<Pod>(TYPE.pod, { namespace: deployment.metadata.namespace, selector: deployment.spec.selector });
  const pod = pods[0];
  if (pod === undefined) return;
  const unschedulable = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unschedulable !== undefined) mark(set, conditions, COND.resourcesAvailable, 'False', nowMs, unschedulable.reason, unschedulable.message);
  for (const cs of pod.status?.containerStatuses ?? []) {
    if (cs.name === QUEUE_CONTAINER_NAME) continue;
    // A container that has restarted (or waits to): its last termination names the failure.
    const terminated = cs.lastState?.terminated;
    if (terminated !== undefined) {
      const message = terminated.exitCode === 0 && !terminated.message ? 'container exited with no error' : (terminated.message ?? '');
      mark(set, conditions, COND.containerHealthy, 'False', nowMs, `ExitCode${terminated.exitCode}`, `Container failed with: ${message}`);
      break;
    }
    const waiting = cs.state.waiting;
    if (waiting !== undefined && hasTimedOut(deployment)) {
      mark(set, conditions, COND.resourcesAvailable, 'False', nowMs, waiting.reason, waiting.message);
      break;
    }
  }
}

/**
 * The revision owns its PodAutoscaler's spec and its autoscaling.knative.dev/* annotations,
 * except the class and metric a PA defaulter may have filled in.
 */
const CONVERGE_PA: ChildConvergence<PodAutoscaler> = {
  ...convergeParts<PodAutoscaler>(['spec', 'annotations']),
  normalize: (desired, existing) => {
    const want = (desired.metadata.annotations ??= {});
    for (const k of ['autoscaling.knative.dev/class', 'autoscaling.knative.dev/metric']) {
      const have = existing.metadata.annotations?.[k];
      if (want[k] === undefined && have !== undefined) want[k] = have;
    }
  },
};

function reconcilePodAutoscaler(ctx: ServingContext, rev: Revision, deployment: Deployment, status: RevisionStatus, nowMs: number): PodAutoscaler | undefined {
  const { api, engine } = ctx;
  const name = podAutoscalerName(rev.metadata.name);
  const conditions = status.conditions as Condition[];
  let pa = api.get<PodAutoscaler>(TYPE.podAutoscaler, rev.metadata.namespace ?? '', name);
  if (pa === undefined) {
    pa = api.create(makePodAutoscaler({ ...rev, status }, deployment));
    engine.trace('revision-controller', rev.metadata.name, `Created PodAutoscaler "${name}"`);
  } else if (!isControlledBy(pa, rev)) {
    mark(set, conditions, COND.resourcesAvailable, 'False', nowMs, REASON.notOwned, MESSAGE.notOwned('PodAutoscaler', name));
    return undefined;
  }
  propagateAutoscalerStatus(status, pa, nowMs);
  // Reachability follows the status just propagated, so the desired PA is made after it.
  return ensureChild(api, rev, pa, makePodAutoscaler({ ...rev, status }, deployment), CONVERGE_PA).child;
}

/**
 * PA status → revision (PropagateAutoscalerStatus): ScaleTargetInitialized makes the
 * resources available and the container healthy; the PA's Ready condition becomes the
 * revision's Active (NoTraffic when scaled to zero); a PA that failed before the target
 * was ever initialized means the progress deadline passed ("Initial scale was never achieved").
 */
function propagateAutoscalerStatus(status: RevisionStatus, pa: PodAutoscaler, nowMs: number): void {
  const conditions = status.conditions as Condition[];
  const ps = pa.status ?? {};
  const resUnavailable =
    getCondition(conditions, COND.resourcesAvailable)?.status === 'False' || getCondition(conditions, COND.containerHealthy)?.status === 'False';
  // Unset as undefined, not deleted: a delete turns the status into a slow dictionary object for
  // the rest of its life (and the copy every later reconcile spreads from it); no output reads key order.
  status.actualReplicas = ps.actualScale !== undefined && ps.actualScale >= 0 ? ps.actualScale : undefined;
  status.desiredReplicas = ps.desiredScale !== undefined && ps.desiredScale >= 0 ? ps.desiredScale : undefined;
  const cond = getCondition(ps.conditions, COND.ready) ?? getCondition(ps.conditions, COND.active);
  if (cond === undefined) {
    mark(set, conditions, COND.active, 'Unknown', nowMs, REASON.deploying);
    if (!resUnavailable) mark(set, conditions, COND.resourcesAvailable, 'Unknown', nowMs, REASON.deploying);
    return;
  }
  const initialized = getCondition(ps.conditions, COND.scaleTargetInitialized)?.status === 'True';
  if (initialized && !resUnavailable) {
    mark(set, conditions, COND.resourcesAvailable, 'True', nowMs);
    mark(set, conditions, COND.containerHealthy, 'True', nowMs);
  }
  if (getCondition(conditions, COND.resourcesAvailable)?.status === 'True' && (!ps.serviceName || !initialized)) {
    mark(set, conditions, COND.resourcesAvailable, 'Unknown', nowMs, REASON.deploying);
  }
  switch (cond.status) {
    case 'Unknown':
      mark(set, conditions, COND.active, 'Unknown', nowMs, cond.reason, cond.message);
      break;
    case 'False':
      if (!initialized && !resUnavailable && ps.serviceName)
        mark(set, conditions, COND.resourcesAvailable, 'False', nowMs, REASON.progressDeadlineExceeded, MESSAGE.initialScaleNeverAchieved);
      mark(set, conditions, COND.active, 'False', nowMs, cond.reason, cond.message);
      break;
    case 'True':
      mark(set, conditions, COND.active, 'True', nowMs);
      break;
  }
}
