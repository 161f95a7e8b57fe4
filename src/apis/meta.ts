/**
 * Kubernetes object metadata and the shape shared by every API object in knsim.
 * Field names follow Kubernetes exactly so that real manifests load unchanged.
 * Fidelity: timestamps are virtual milliseconds since the scenario start (rendered as
 * RFC 3339 by the views); `uid` and `resourceVersion` are deterministic counters.
 */

interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  /** Set by the API server: deterministic, unique per object. */
  uid?: string;
  /** Set by the API server; an update must carry the current value or it conflicts. */
  resourceVersion?: string;
  /** Set by the API server; bumped only when `spec` changes. */
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  /** Virtual time (ms) at creation, set by the API server. */
  creationTimestamp?: number;
  /** Virtual time (ms) when graceful deletion began. */
  deletionTimestamp?: number;
  /** Grace period granted at deletion, in seconds (Pods). */
  deletionGracePeriodSeconds?: number;
  finalizers?: string[];
}

/** Any API object: `apiVersion`, `kind`, `metadata`, and optionally `spec` and `status`. */
export interface KObject<Spec = unknown, Status = unknown> {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: Spec;
  status?: Status;
}

export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** A status condition as Kubernetes and Knative write them. */
export interface Condition {
  type: string;
  status: ConditionStatus;
  reason?: string;
  message?: string;
  /** Virtual time (ms) when `status` last changed. */
  lastTransitionTime?: number;
  /** Virtual time (ms) of the last update of this condition (apps/v1 Deployment conditions; the progress deadline counts from it). */
  lastUpdateTime?: number;
  /** Knative's severity: `Error` (default, omitted) or `Warning`/`Info` for non-Ready dependents. */
  severity?: string;
}

/** A label selector: equality `matchLabels` and set-based `matchExpressions`, as in apps/v1. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

/** `namespace/name`, the key controllers queue and stores index by. */
export function objectKey(obj: { metadata: { namespace?: string; name: string } }): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}

/** Splits `namespace/name`. */
export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** True when every requirement of the selector holds for the labels. An empty selector matches everything. */
export function selectorMatches(selector: LabelSelector | Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (selector === undefined) return true;
  const l = labels ?? {};
  const isStructured = 'matchLabels' in selector || 'matchExpressions' in selector;
  const matchLabels = (isStructured ? (selector as LabelSelector).matchLabels : (selector as Record<string, string>)) ?? {};
  for (const key in matchLabels) if (l[key] !== matchLabels[key]) return false;
  if (!isStructured) return true;
  for (const req of (selector as LabelSelector).matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, req.key);
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In':
        if (!has || !includesValue(values, l[req.key])) return false;
        break;
      case 'NotIn':
        if (has && includesValue(values, l[req.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

function includesValue(values: readonly string[], value: string | undefined): boolean {
  return value !== undefined && values.includes(value);
}

/** An owner reference that makes `owner` the controller of a child. */
export function makeControllerRef(owner: KObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** True when `owner` (same uid) is the object's controller. */
export function isControlledBy(obj: KObject, owner: KObject): boolean {
  return obj.metadata.ownerReferences?.some((o) => o.controller === true && o.uid === owner.metadata.uid) ?? false;
}

/**
 * JSON text with object keys sorted, so that equal objects give equal text whatever
 * order their keys were written in. Used for spec comparison and hashing.
 */
export function stableStringify(value: unknown, omitKeys?: ReadonlySet<string>): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : stableStringify(v, omitKeys))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined && !(omitKeys?.has(k) ?? false))
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k], omitKeys)}`).join(',')}}`;
}

/**
 * Deep equality of JSON-shaped values with the same rules as comparing `stableStringify`
 * output (key order ignored, undefined-valued keys absent), without building strings:
 * reconcilers compare desired and observed objects on every pass.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  return equalJson(a, b, false);
}

/**
 * Equality of two statuses ignoring condition timestamps (`lastTransitionTime`,
 * `lastUpdateTime` at any depth), as knative.dev/pkg's `apis.VolatileTime` is ignored by
 * semantic equality: a reconcile that marks a condition True and back to Unknown in one pass
 * changes nothing worth writing.
 */
export function semanticallyEqualStatus(a: unknown, b: unknown): boolean {
  return equalJson(a, b, true);
}

/** `deepEqual`, optionally skipping the two timestamp keys (compared as constants: a Set lookup per key cost more than the rest). */
function equalJson(a: unknown, b: unknown, ignoreTimes: boolean): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  const aIsArray = Array.isArray(a);
  if (aIsArray !== Array.isArray(b)) return false;
  if (aIsArray) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!equalJson(x[i] ?? null, y[i] ?? null, ignoreTimes)) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let keysInA = 0;
  for (const key in x) {
    const v = x[key];
    if (v === undefined || (ignoreTimes && isVolatileTimeKey(key))) continue;
    keysInA++;
    if (!equalJson(v, y[key], ignoreTimes)) return false;
  }
  let keysInB = 0;
  for (const key in y) if (y[key] !== undefined && !(ignoreTimes && isVolatileTimeKey(key))) keysInB++;
  return keysInA === keysInB;
}

function isVolatileTimeKey(key: string): boolean {
  return key === 'lastTransitionTime' || key === 'lastUpdateTime';
}

/** A deep, mutable copy of a JSON-shaped value (store objects are frozen; copy before editing). */
export function deepCopy<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const list = value as unknown[];
    // push keeps the array packed (`new Array(n)` would make it holey, and slower to read).
    const copy: unknown[] = [];
    for (let i = 0; i < list.length; i++) {
      const v = list[i];
      copy.push(v === null || typeof v !== 'object' ? v : deepCopy(v));
    }
    return copy as T;
  }
  // The hottest function of a reconcile: leaves are copied inline, and `__proto__` (rare) alone
  // goes through setOwn. Stored objects are plain JSON records, so `for…in` sees only own keys.
  const from = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key in from) {
    const v = from[key];
    if (v === undefined) continue;
    if (key === '__proto__') setOwn(out, key, deepCopy(v));
    else out[key] = v === null || typeof v !== 'object' ? v : deepCopy(v);
  }
  return out as T;
}

/**
 * `deepCopy(value)`, except that a subtree that *is* (by identity) the subtree at the same path
 * of `stored` is kept, not copied: stored objects are never modified, so a writer that built
 * its object by spreading the stored one (`{ ...d, spec: { ...d.spec, replicas: 3 } }`) shares
 * what it did not change, and the copy costs the changed part only. The top level is always new.
 * Example: scaling a Deployment copies its spec's first level, not its pod template.
 */
export function deepCopySharing<T>(value: T, stored: unknown): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const list = value as unknown[];
    const before = Array.isArray(stored) ? (stored as unknown[]) : undefined;
    const copy: unknown[] = [];
    for (let i = 0; i < list.length; i++) copy.push(copyOrShare(list[i], before?.[i]));
    return copy as T;
  }
  const from = value as Record<string, unknown>;
  const before = stored !== null && typeof stored === 'object' && !Array.isArray(stored) ? (stored as Record<string, unknown>) : undefined;
  const out: Record<string, unknown> = {};
  for (const key in from) {
    const v = from[key];
    if (v === undefined) continue;
    const kept = copyOrShare(v, before !== undefined && Object.prototype.hasOwnProperty.call(before, key) ? before[key] : undefined);
    if (key === '__proto__') setOwn(out, key, kept);
    else out[key] = kept;
  }
  return out as T;
}

function copyOrShare(v: unknown, stored: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  return v === stored ? v : deepCopySharing(v, stored);
}

/** Sets `key` on a plain record even when it is `__proto__` (which plain assignment would take as the prototype). */
export function setOwn(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}

/** Freezes a JSON-shaped value in depth; the store hands out frozen objects so readers can share them. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** A 32-bit FNV-1a hash as lowercase base-36-ish text, for pod-template hashes and generated names. */
export function shortHash(text: string, length = 10): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  let h2 = 0x9747b28c;
  for (let i = text.length - 1; i >= 0; i--) h2 = Math.imul(h2 ^ text.charCodeAt(i), 0x01000193);
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  let a = h >>> 0;
  let b = h2 >>> 0;
  while (out.length < length) {
    out += alphabet[a % alphabet.length];
    a = Math.floor(a / alphabet.length);
    if (a === 0) {
      a = b;
      b = 0x12345;
    }
  }
  return out;
}
