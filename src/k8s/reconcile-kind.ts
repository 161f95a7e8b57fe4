/**
 * The two shapes every Knative reconciler shares, written once:
 * - `reconcileKind`: the generated reconciler of knative.dev/pkg (`reconciler/`, the
 *   `ReconcileKind` wrapper): get the object, skip it while it is being deleted, hand a copy
 *   of its status with initialized conditions to the kind's own reconcile, then write the
 *   status only when it changed (condition timestamps aside) with observedGeneration set.
 * - `ensureChild`: one phase of a reconcile: create the child when it is missing, report it
 *   as not ours when another object controls it, or converge it to the desired shape.
 *
 * Fidelity: knative.dev/pkg `reconciler/reconcile_common.go` and serving's phase helpers
 * (e.g. `reconcileDeployment` in pkg/reconciler/revision/reconcile_resources.go). Finalizers
 * are not modelled: a deleted object's children go by owner-reference garbage collection.
 */
import type { Engine } from '../engine/index.js';
import { initializeConditions, type ConditionSet } from '../apis/conditions.js';
import { deepEqual, isControlledBy, splitKey, type Condition, type KObject } from '../apis/meta.js';
import type { ApiServer } from './api-server.js';
import { Controller, writeKnativeStatus, type ReconcileResult } from './controller.js';

/** A status with Knative conditions and the generation it reflects. */
export interface KnativeStatus {
  conditions?: Condition[];
  observedGeneration?: number;
}

/** One Knative kind's reconcile logic, driven by `reconcileKind`. */
export interface KindReconciler<T extends KObject<unknown, S>, S extends KnativeStatus> {
  /** The API type, e.g. `TYPE.revision`. */
  readonly type: string;
  /** The kind's condition set: every dependent starts Unknown. */
  readonly conditions: ConditionSet;
  /** Reconciles one object, filling `status` (a copy the harness writes afterwards). */
  reconcile(obj: T, status: S, nowMs: number): ReconcileResult;
  /** The object is gone: forget what was kept for it. */
  deleted?(namespace: string, name: string): void;
  /** Objects this reconciler leaves alone (e.g. another autoscaling class). */
  ignores?(obj: T): boolean;
  /** After a status write, e.g. to narrate a change of the Ready condition. */
  statusWritten?(before: T, status: S): void;
  /** After every reconcile, once the status is written (or found unchanged); `status` carries observedGeneration. */
  afterStatus?(obj: T, status: S): void;
}

/** Reconciles the object behind `key` with `r` (knative.dev/pkg's generated reconciler). */
export function reconcileKind<T extends KObject<unknown, S>, S extends KnativeStatus>(
  engine: Engine,
  api: ApiServer,
  r: KindReconciler<T, S>,
  key: string,
): ReconcileResult {
  const { namespace, name } = splitKey(key);
  const obj = api.get<T>(r.type, namespace, name);
  if (obj === undefined) {
    r.deleted?.(namespace, name);
    return;
  }
  if (obj.metadata.deletionTimestamp !== undefined || r.ignores?.(obj) === true) return;
  const nowMs = engine.nowMs;
  const status = statusCopy(obj.status);
  initializeConditions(r.conditions, (status.conditions ??= []), nowMs);
  const result = r.reconcile(obj, status, nowMs);
  // The status is handed over: written, it is the stored one (with observedGeneration set).
  if (writeKnativeStatus(api, obj, status).written) r.statusWritten?.(obj, status);
  r.afterStatus?.(obj, status);
  return result;
}

/**
 * The copy of a stored status that a reconcile fills: its first level and its list of
 * conditions are new, and everything below is shared with the stored status. That is enough,
 * because reconcilers replace fields instead of editing what they hold (a condition is
 * replaced whole by `setCondition`); the test suite freezes stored objects, so a reconciler
 * that edited a shared part would throw there. Unchanged parts keep their identity, which
 * also makes the comparison before the write cheap.
 */
function statusCopy<S extends KnativeStatus>(stored: S | undefined): S {
  const status = { ...stored } as S;
  if (status.conditions !== undefined) status.conditions = status.conditions.slice();
  return status;
}

/** What `ensureChild` found and did. */
type ChildOutcome<C> = { state: 'created' | 'updated' | 'unchanged'; child: C } | { state: 'notOwned'; child: C };

/** How a child is compared with its desired shape and brought to it. */
export interface ChildConvergence<C> {
  /** Makes `desired` comparable with what the API server stored (defaults, fields owned by others); may change it in place. */
  normalize?(desired: C, existing: C): void;
  /** True when `existing` already has the desired shape. */
  equal(existing: C, desired: C): boolean;
  /** A copy of `existing` with the desired shape applied (written with `update`). */
  converge(existing: C, desired: C): C;
}

/**
 * One phase of a reconcile for the child `existing` (as just read, or undefined):
 * creates `desired` when it is missing; when `owner` is given but does not control
 * it, reports `notOwned` and changes nothing; otherwise updates it when it differs.
 */
export function ensureChild<C extends KObject>(
  api: ApiServer,
  owner: KObject | undefined,
  existing: C | undefined,
  desired: C,
  convergence: ChildConvergence<C>,
): ChildOutcome<C> {
  if (existing === undefined) return { state: 'created', child: api.create(desired) };
  if (owner !== undefined && !isControlledBy(existing, owner)) return { state: 'notOwned', child: existing };
  convergence.normalize?.(desired, existing);
  if (convergence.equal(existing, desired)) return { state: 'unchanged', child: existing };
  return { state: 'updated', child: api.update(convergence.converge(existing, desired)) };
}

/** The parts of a child that a parent owns. */
type ChildPart = 'spec' | 'labels' | 'annotations';

/**
 * The usual convergence: the child equals its desired shape when the `compared` parts are
 * deeply equal (a missing label or annotation map counts as empty), and converging copies
 * the `written` parts (by default the compared ones) from the desired child.
 */
export function convergeParts<C extends KObject>(compared: readonly ChildPart[], written: readonly ChildPart[] = compared): ChildConvergence<C> {
  return {
    equal: (existing, desired) => compared.every((part) => deepEqual(partOf(existing, part), partOf(desired, part))),
    converge: (existing, desired) => {
      // Shallow: only the written parts are replaced, and the API server copies what it stores.
      const next = { ...existing, metadata: { ...existing.metadata } };
      for (const part of written) {
        if (part === 'spec') next.spec = desired.spec;
        else next.metadata[part] = desired.metadata[part];
      }
      return next;
    },
  };
}

function partOf(obj: KObject, part: ChildPart): unknown {
  return part === 'spec' ? obj.spec : (obj.metadata[part] ?? {});
}

/** A controller that reconciles objects of `r.type` with `r`, queued on every event of that type. */
export function startKindController<T extends KObject<unknown, S>, S extends KnativeStatus>(
  name: string,
  engine: Engine,
  api: ApiServer,
  r: KindReconciler<T, S>,
): Controller {
  const controller = new Controller(name, engine, (key) => reconcileKind(engine, api, r, key));
  controller.watchOwn(api, r.type);
  return controller;
}
