/**
 * Helpers shared by the serving reconcilers: their context (engine, API server, the
 * ConfigMap store), Knative-style condition marking, and small object utilities.
 */
import type { Engine } from '../engine/index.js';
import type { Condition, ConditionStatus } from '../apis/meta.js';
import { setCondition, type ConditionSet } from '../apis/conditions.js';
import type { ApiServer } from '../k8s/api-server.js';
import type { ConfigStore } from '../k8s/config-store.js';

export interface ServingContext {
  engine: Engine;
  api: ApiServer;
  /** The knative-serving ConfigMaps as the serving controller sees them. */
  configs: ConfigStore;
}

/**
 * Marks a dependent condition the way knative.dev/pkg's condition manager does: a
 * dependent marked Unknown or False also stamps its reason and message on Ready
 * (unless another dependent is already False), so the most recent cause is what
 * `kn` prints. Marking True recomputes Ready from all dependents.
 */
export function mark(set: ConditionSet, conditions: Condition[], type: string, status: ConditionStatus, nowMs: number, reason?: string, message?: string): void {
  setCondition(set, conditions, type, status, nowMs, reason, message);
  if (status === 'True' || !set.dependents.includes(type)) return;
  const otherFalse = set.dependents.some((d) => d !== type && conditions.find((c) => c.type === d)?.status === 'False');
  if (status === 'Unknown' && otherFalse) return;
  setCondition(set, conditions, set.happy, status, nowMs, reason, message);
}

/** A copy of a string map without some keys. */
export function withoutKeys(map: Record<string, string> | undefined, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(map ?? {}).sort()) if (!keys.includes(k)) out[k] = (map as Record<string, string>)[k];
  return out;
}

/** Sorted comma list helpers for the `serving.knative.dev/routes` annotation. */
export function listAnnotation(value: string | undefined): string[] {
  return value === undefined || value === '' ? [] : value.split(',').filter((s) => s !== '');
}
