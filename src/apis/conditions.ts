/**
 * Conditions as a small algebra, after knative.dev/pkg `apis/condition_set.go`:
 * a condition set names a happy condition (Ready) and its dependents; Ready is
 * derived from the dependents and never set by hand.
 */
import type { Condition, ConditionStatus } from './meta.js';

export interface ConditionSet {
  happy: string;
  dependents: readonly string[];
}

export function makeConditionSet(happy: string, dependents: readonly string[]): ConditionSet {
  return { happy, dependents };
}

export function getCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

export function isConditionTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return getCondition(conditions, type)?.status === 'True';
}

/**
 * Sets one condition in a (mutable) list, keeping lastTransitionTime when the status
 * did not change, then recomputes the happy condition if `type` is a dependent.
 */
export function setCondition(set: ConditionSet, conditions: Condition[], type: string, status: ConditionStatus, nowMs: number, reason?: string, message?: string): void {
  putCondition(conditions, { type, status, reason, message }, nowMs);
  if (type !== set.happy && set.dependents.includes(type)) recomputeHappy(set, conditions, nowMs);
}

/** Initializes every dependent and the happy condition to Unknown if missing. */
export function initializeConditions(set: ConditionSet, conditions: Condition[], nowMs: number): void {
  for (const type of [set.happy, ...set.dependents]) {
    if (getCondition(conditions, type) === undefined) putCondition(conditions, { type, status: 'Unknown' }, nowMs);
  }
}

/** Ready = True when all dependents are True; False if any is False; else Unknown (taking the first non-True reason). */
function recomputeHappy(set: ConditionSet, conditions: Condition[], nowMs: number): void {
  let falseDep: Condition | undefined;
  let unknownDep: Condition | undefined;
  for (const type of set.dependents) {
    const c = getCondition(conditions, type);
    if (c === undefined || c.status === 'Unknown') unknownDep ??= c ?? { type, status: 'Unknown' };
    else if (c.status === 'False') falseDep ??= c;
  }
  const pick = falseDep ?? unknownDep;
  if (pick === undefined) putCondition(conditions, { type: set.happy, status: 'True' }, nowMs);
  else putCondition(conditions, { type: set.happy, status: pick.status, reason: pick.reason, message: pick.message }, nowMs);
}

function putCondition(conditions: Condition[], next: Condition, nowMs: number): void {
  const i = conditions.findIndex((c) => c.type === next.type);
  const old = i >= 0 ? conditions[i] : undefined;
  const cond: Condition = { type: next.type, status: next.status };
  if (next.reason) cond.reason = next.reason;
  if (next.message) cond.message = next.message;
  cond.lastTransitionTime = old !== undefined && old.status === next.status ? old.lastTransitionTime : nowMs;
  if (old !== undefined && old.severity) cond.severity = old.severity;
  if (i >= 0) conditions[i] = cond;
  else {
    conditions.push(cond);
    conditions.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  }
}
