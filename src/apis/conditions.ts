/**
 * Conditions as a small algebra, after knative.dev/pkg `apis/condition_set.go`: a condition
 * set names a happy condition (Ready) and its dependents; the happy condition follows them.
 *
 * - `setCondition`: writes one condition; nothing changes when only the time would, and
 *   lastTransitionTime moves whenever the status, reason, message or severity changes.
 * - `mark(set, conditions, type, status, …)`: Knative's MarkTrue / MarkUnknown / MarkFalse:
 *   - True: the happy condition becomes True once every dependent is True, otherwise it takes
 *     the status, reason and message of the most recently changed unhappy dependent (False
 *     before Unknown);
 *   - Unknown: a dependent's reason and message also go to the happy condition, unless a
 *     dependent is False (then the happy condition is made False, if it is not already);
 *   - False: a dependent's reason and message also go to the happy condition, as False.
 * - Conditions outside the set (e.g. a Revision's Active) get severity Info; the set's own
 *   conditions keep Knative's default severity Error, which is omitted as Knative omits it.
 *
 * Fidelity: Knative sorts unhappy dependents by time with an unstable sort; knsim breaks
 * ties of equal virtual time by condition type, so the result is deterministic.
 */
import type { Condition, ConditionStatus } from './meta.js';

export interface ConditionSet {
  happy: string;
  dependents: readonly string[];
}

export function makeConditionSet(happy: string, dependents: readonly string[]): ConditionSet {
  return { happy, dependents: dependents.filter((d, i) => d !== happy && dependents.indexOf(d) === i) };
}

export function getCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  if (conditions === undefined) return undefined;
  const i = conditionIndex(conditions, type);
  return i < 0 ? undefined : conditions[i];
}

/** Where the condition of a type is in the list, -1 when absent (a loop: `findIndex` would build a closure per call). */
function conditionIndex(conditions: readonly Condition[], type: string): number {
  for (let i = 0; i < conditions.length; i++) if ((conditions[i] as Condition).type === type) return i;
  return -1;
}

/** The happy condition and its dependents are terminal (severity Error); anything else is Info. */
function isTerminal(set: ConditionSet, type: string): boolean {
  return type === set.happy || set.dependents.includes(type);
}

/**
 * Writes a condition into a (mutable, type-sorted) list. Returns without a change when the
 * condition is already there with the same status, reason, message and severity.
 */
export function setCondition(conditions: Condition[], next: Condition, nowMs: number): void {
  writeCondition(conditions, next.type, next.status, next.reason, next.message, next.severity, nowMs);
}

/** `setCondition` by fields: a pass that changes nothing (the commonest) allocates nothing. */
function writeCondition(
  conditions: Condition[],
  type: string,
  status: ConditionStatus,
  reason: string | undefined,
  message: string | undefined,
  severity: Condition['severity'],
  nowMs: number,
): void {
  const i = conditionIndex(conditions, type);
  const old = i >= 0 ? conditions[i] : undefined;
  if (
    old !== undefined &&
    old.status === status &&
    (old.reason ?? '') === (reason ?? '') &&
    (old.message ?? '') === (message ?? '') &&
    old.severity === severity
  )
    return;
  const cond: Condition = { type, status };
  if (reason) cond.reason = reason;
  if (message) cond.message = message;
  cond.lastTransitionTime = nowMs;
  if (severity !== undefined) cond.severity = severity;
  if (i >= 0) conditions[i] = cond;
  else {
    conditions.push(cond);
    conditions.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  }
}

/** Marks `type` True, Unknown or False with Knative's propagation to the happy condition. */
export function mark(
  set: ConditionSet,
  conditions: Condition[],
  type: string,
  status: ConditionStatus,
  nowMs: number,
  reason?: string,
  message?: string,
): void {
  if (status === 'True') markTrue(set, conditions, type, nowMs, reason, message);
  else if (status === 'Unknown') markUnknown(set, conditions, type, nowMs, reason, message);
  else markFalse(set, conditions, type, nowMs, reason, message);
}

function put(set: ConditionSet, conditions: Condition[], type: string, status: ConditionStatus, nowMs: number, reason?: string, message?: string): void {
  writeCondition(conditions, type, status, reason, message, isTerminal(set, type) ? undefined : 'Info', nowMs);
}

function markTrue(set: ConditionSet, conditions: Condition[], type: string, nowMs: number, reason?: string, message?: string): void {
  put(set, conditions, type, 'True', nowMs, reason, message);
  const unhappy = findUnhappyDependent(set, conditions);
  if (unhappy !== undefined) put(set, conditions, set.happy, unhappy.status, nowMs, unhappy.reason, unhappy.message);
  else if (type !== set.happy) put(set, conditions, set.happy, 'True', nowMs);
}

function markUnknown(set: ConditionSet, conditions: Condition[], type: string, nowMs: number, reason?: string, message?: string): void {
  put(set, conditions, type, 'Unknown', nowMs, reason, message);
  for (const dependent of set.dependents) {
    // A failed dependent trumps an unknown one: the happy condition stays (or becomes) False.
    if (getCondition(conditions, dependent)?.status === 'False') {
      if (getCondition(conditions, set.happy)?.status !== 'False') markFalse(set, conditions, set.happy, nowMs, reason, message);
      return;
    }
  }
  if (set.dependents.includes(type)) put(set, conditions, set.happy, 'Unknown', nowMs, reason, message);
}

function markFalse(set: ConditionSet, conditions: Condition[], type: string, nowMs: number, reason?: string, message?: string): void {
  put(set, conditions, type, 'False', nowMs, reason, message);
  if (set.dependents.includes(type)) put(set, conditions, set.happy, 'False', nowMs, reason, message);
}

/** The dependent to blame: the most recently changed False one, else Unknown; a missing dependent counts as Unknown. */
function findUnhappyDependent(set: ConditionSet, conditions: readonly Condition[]): Condition | undefined {
  if (set.dependents.length === 0) return undefined;
  // One pass over the type-sorted list: the newest False, else the newest Unknown; on equal
  // times the first in type order (what a stable newest-first sort would put first).
  let newestFalse: Condition | undefined;
  let newestUnknown: Condition | undefined;
  let present = 0;
  for (const c of conditions) {
    if (c.type === set.happy || !set.dependents.includes(c.type)) continue;
    present++;
    if (c.status === 'False') {
      if (newestFalse === undefined || (c.lastTransitionTime ?? 0) > (newestFalse.lastTransitionTime ?? 0)) newestFalse = c;
    } else if (c.status === 'Unknown') {
      if (newestUnknown === undefined || (c.lastTransitionTime ?? 0) > (newestUnknown.lastTransitionTime ?? 0)) newestUnknown = c;
    }
  }
  const unhappy = newestFalse ?? newestUnknown;
  if (unhappy !== undefined) return unhappy;
  if (present !== set.dependents.length) return { type: '', status: 'Unknown' };
  return undefined;
}

/** Initializes the happy condition to Unknown and every dependent to Unknown (True when Ready is True) if missing. */
export function initializeConditions(set: ConditionSet, conditions: Condition[], nowMs: number): void {
  let happy = getCondition(conditions, set.happy);
  if (happy === undefined) {
    setCondition(conditions, { type: set.happy, status: 'Unknown' }, nowMs);
    happy = getCondition(conditions, set.happy);
  }
  const status: ConditionStatus = happy?.status === 'True' ? 'True' : 'Unknown';
  for (const type of set.dependents) {
    if (getCondition(conditions, type) === undefined) setCondition(conditions, { type, status }, nowMs);
  }
}
