/**
 * The fake Kubernetes API server: an object store with admission, optimistic
 * concurrency, graceful deletion, owner-reference garbage collection and watches
 * delivered through the engine after a configurable latency.
 *
 * Objects are keyed by type (`Kind` for the core group, `Kind.group` otherwise, as
 * kubectl names them: `Pod`, `Deployment.apps`, `Service.serving.knative.dev`),
 * namespace and name. Stored objects are deep-frozen: readers share them safely and
 * writers copy first (`deepCopy`). Lists come back sorted by (namespace, name).
 * A write shares the stored object's unchanged parts (a status write copies only the
 * metadata's first level and the status), so a spec keeps its identity across status writes.
 * Stored objects are never mutated; freezing them (`deepFreeze`) is the debugging aid that
 * proves it, on in the test suite (`setFreezeStoredObjects(true)` in its setup) and off in
 * production runs, where it would cost a walk of every written object.
 *
 * Fidelity: mirrors client-go's object tracker plus the parts of the API server that
 * controllers observe (resourceVersion conflicts, generation bumps on spec change,
 * status subresource, deletionTimestamp, background cascading deletion). It has no
 * field selectors, patches or server-side apply. As in pkg/registry/core/pod/strategy.go,
 * a Pod that was never bound to a node (or already finished) is deleted at once,
 * whatever grace period was asked for: no kubelet would ever finish it.
 *
 * A label index and an owner index (store-indexes.ts) keep lists and garbage collection
 * from scanning every object.
 */
import type { Engine } from '../engine/index.js';
import { formatFieldErrors, formatWebhookDenial, type FieldError } from '../apis/field-error.js';
import { ApiError } from './api-error.js';
import { deepCopy, deepCopySharing, deepFreeze, selectorMatches, type KObject, type LabelSelector, deepEqual } from '../apis/meta.js';
import { NamespacedMap } from '../apis/namespaced-map.js';
import { compareObjects, CustomIndex, splitStoreKey, StoreIndexes, storeKey, type StoreIndex } from './store-indexes.js';

export { compareObjects };

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent<T extends KObject = KObject> {
  type: WatchEventType;
  object: T;
  /** The object before this change (MODIFIED and DELETED). */
  oldObject?: T;
}

type WatchHandler<T extends KObject = KObject> = (event: WatchEvent<T>) => void;

export { ApiError, isApiError } from './api-error.js';

/** How one type is admitted: defaulting, then validation (with the old object on update). */
interface KindRegistration<T extends KObject = KObject> {
  namespaced?: boolean;
  /** Mutates a fresh copy before validation, like a defaulting webhook. */
  defaulter?: (obj: T, old: T | undefined) => void;
  /**
   * The defaulter fills constants only (apps/v1's), so what a stored object holds is defaulted
   * already and the defaulter never writes into it: an update may share the subtrees the caller
   * took from the stored object. A defaulter that reads config may add what the stored one lacks.
   */
  constantDefaults?: boolean;
  validator?: (obj: T, old: T | undefined) => FieldError[];
  /** `knative` formats denials as Knative's webhook does; `kubernetes` as the API server does. */
  errorStyle?: 'kubernetes' | 'knative';
}

export type Verb = 'create' | 'update' | 'updateStatus' | 'delete';

/** A fault injector: return an ApiError to fail the call, or undefined to let it through. */
type Reactor = (verb: Verb, obj: KObject) => ApiError | undefined;

interface ListOptions {
  namespace?: string;
  selector?: LabelSelector | Record<string, string>;
  /** `false` skips the sort by (namespace, name) for a caller that counts, or filters and sorts the few it keeps. Default true. */
  sorted?: boolean;
}

interface DeleteOptions {
  /** Pods only: seconds of graceful termination; 0 removes at once. Default: the pod's terminationGracePeriodSeconds or 30. */
  gracePeriodSeconds?: number;
}

interface ApiServerOptions {
  /** Delay between a write and its watch delivery. Default 0 (next event). */
  watchLatencyMs?: number;
  /** Deep-freeze every stored object, so that a reader that mutates one throws. Default: see `setFreezeStoredObjects`. */
  freeze?: boolean;
}

let freezeByDefault = false;

/**
 * Whether API servers created from now on freeze the objects they store (default off). The
 * test suite turns it on, so that any code mutating a shared stored object fails there;
 * production runs leave it off (freezing every written object costs about 4% of a
 * many-service run) and rely on that proof.
 */
export function setFreezeStoredObjects(on: boolean): void {
  freezeByDefault = on;
}

/** The type key of an object: `Kind` for the core group, otherwise `Kind.group`. */
export function typeOf(obj: { apiVersion: string; kind: string }): string {
  const slash = obj.apiVersion.indexOf('/');
  return slash < 0 ? obj.kind : `${obj.kind}.${obj.apiVersion.slice(0, slash)}`;
}

const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export class ApiServer {
  private readonly objects = new Map<string, Map<string, KObject>>();
  /** The same objects by type and (namespace, name): `get` is the commonest read and builds no key this way. */
  private readonly byName = new Map<string, NamespacedMap<KObject>>();
  private readonly watchers = new Map<string, readonly WatchHandler[]>();
  private readonly kinds = new Map<string, KindRegistration>();
  /** `verb` and `type` may be `*` for any. */
  private readonly reactors: { verb: Verb | '*'; type: string; reactor: Reactor }[] = [];
  private readonly indexes = new StoreIndexes();
  /** type → a counter bumped by every write of that type (for caches derived from a whole type). */
  private readonly typeVersions = new Map<string, number>();
  private resourceVersion = 0;
  private uidCounter = 0;
  private readonly freeze: boolean;
  watchLatencyMs: number;

  constructor(
    private readonly engine: Engine,
    options: ApiServerOptions = {},
  ) {
    this.watchLatencyMs = options.watchLatencyMs ?? 0;
    this.freeze = options.freeze ?? freezeByDefault;
  }

  /** Registers defaulting and validation for a type. */
  registerKind<T extends KObject>(type: string, registration: KindRegistration<T>): void {
    this.kinds.set(type, registration as unknown as KindRegistration);
  }

  /** Injects faults on a verb and type (`*` for any), as client-go's fake reactors do. */
  addReactor(verb: Verb | '*', type: string, reactor: Reactor): void {
    this.reactors.push({ verb, type, reactor });
  }

  get<T extends KObject>(type: string, namespace: string, name: string): T | undefined {
    return this.byName.get(type)?.get(namespace, name) as T | undefined;
  }

  /**
   * A custom index of a type: its objects under the keys `keysOf` gives each (client-go's
   * `AddIndexers`), kept in step with every write. `get(key)` answers in (namespace, name) order.
   */
  addIndex<T extends KObject>(type: string, keysOf: (obj: T) => Iterable<string>): CustomIndex<T> {
    return this.addStoreIndex(type, new CustomIndex<T>(keysOf));
  }

  /** Keeps `index` in step with every write of a type from now on, filled first with what is stored. */
  addStoreIndex<T extends KObject, I extends StoreIndex<T>>(type: string, index: I): I {
    this.indexes.addCustom(type, index, this.objects.get(type));
    return index;
  }

  /** `get` by the store key `namespace/name`, for a reader that builds it once and reads the object every second. */
  getByKey<T extends KObject>(type: string, key: string): T | undefined {
    return this.objects.get(type)?.get(key) as T | undefined;
  }

  /** Objects of a type, optionally in one namespace and matching a label selector, sorted by (namespace, name). */
  list<T extends KObject>(type: string, options: ListOptions = {}): T[] {
    const bucket = this.objects.get(type);
    if (bucket === undefined) return [];
    const out: T[] = [];
    const candidates = this.indexes.candidates(type, bucket, options.selector);
    for (const obj of candidates) {
      if (options.namespace !== undefined && (obj.metadata.namespace ?? '') !== options.namespace) continue;
      if (options.selector !== undefined && !selectorMatches(options.selector, obj.metadata.labels)) continue;
      out.push(obj as T);
    }
    return out.length < 2 || options.sorted === false ? out : out.sort(compareObjects);
  }

  /** Creates an object; returns the stored (frozen) copy with uid, resourceVersion, generation and creationTimestamp set. */
  create<T extends KObject>(input: T): T {
    const type = typeOf(input);
    const obj = deepCopy(input);
    const meta = obj.metadata ?? ({} as T['metadata']);
    obj.metadata = meta;
    const generateName = (meta as { generateName?: string }).generateName;
    if (!meta.name && generateName) meta.name = this.generateName(generateName, type, meta.namespace ?? '');
    delete (meta as { generateName?: string }).generateName;
    const registration = this.kinds.get(type);
    if (registration?.namespaced !== false && meta.namespace === undefined) meta.namespace = 'default';
    this.admit(type, obj, undefined, registration);
    const key = storeKey(meta.namespace ?? '', meta.name);
    let bucket = this.objects.get(type);
    if (bucket === undefined) {
      bucket = new Map();
      this.objects.set(type, bucket);
      this.byName.set(type, new NamespacedMap());
    }
    if (bucket.has(key)) throw new ApiError('AlreadyExists', `${type} "${meta.name}" already exists`);
    this.react('create', type, obj);
    meta.uid = this.nextUid();
    meta.resourceVersion = String(++this.resourceVersion);
    meta.generation = 1;
    meta.creationTimestamp = this.engine.nowMs;
    delete meta.deletionTimestamp;
    const stored = this.freeze ? deepFreeze(obj) : obj;
    bucket.set(key, stored);
    this.byName.get(type)?.set(meta.namespace ?? '', meta.name, stored);
    this.indexes.update(type, key, undefined, stored);
    this.notify(type, { type: 'ADDED', object: stored });
    return stored;
  }

  /**
   * Replaces an object's metadata and spec (its status is kept, as with a status
   * subresource). Conflicts when `metadata.resourceVersion` is set and stale.
   * Bumps `generation` only when the spec changed. A no-op update writes nothing.
   */
  update<T extends KObject>(input: T): T {
    const type = typeOf(input);
    const old = this.mustGet<T>(type, input.metadata.namespace, input.metadata.name);
    this.checkVersion(type, input, old);
    const registration = this.kinds.get(type);
    // What the caller took unchanged from the stored object is shared where no defaulting can write
    // into it; the metadata's first level is always new (written below).
    const share = registration?.defaulter === undefined || registration.constantDefaults === true;
    const obj = share ? deepCopySharing(input, old) : deepCopy(input);
    if (obj.metadata === old.metadata) obj.metadata = { ...old.metadata };
    // Stored objects are never modified (the test suite freezes them to prove it): the status is shared.
    obj.status = old.status;
    this.carryServerFields(obj, old);
    this.admit(type, obj, old, registration);
    const specChanged = !deepEqual(obj.spec, old.spec);
    // Compare everything but status: ConfigMap `data` and Endpoints `subsets` live beside spec.
    if (!specChanged && deepEqual({ ...obj, status: undefined }, { ...old, status: undefined })) return old;
    // An unchanged spec keeps its identity, and a changed one shares its unchanged fields
    // (a Deployment scaled keeps its template, and with it its cached pod-template hash).
    if (!specChanged && old.spec !== undefined) obj.spec = old.spec;
    else if (specChanged) shareEqualFields(obj.spec, old.spec);
    shareEqualFields(obj.metadata, old.metadata);
    this.react('update', type, obj);
    obj.metadata.generation = (old.metadata.generation ?? 1) + (specChanged ? 1 : 0);
    return this.store(type, obj, old);
  }

  /** Replaces an object's status only. A no-op write is skipped (status written only when it changed). */
  updateStatus<T extends KObject>(input: T): T {
    const type = typeOf(input);
    const old = this.mustGet<T>(type, input.metadata.namespace, input.metadata.name);
    this.checkVersion(type, input, old);
    if (deepEqual(input.status, old.status)) return old;
    // Only the status and the metadata's first level (resourceVersion) change: the rest is shared.
    // The caller's status becomes the stored one without a copy: no caller edits a status it has
    // written (the test suite freezes what is stored, so one that did would throw there).
    const obj = { ...old, metadata: { ...old.metadata }, status: input.status };
    this.react('updateStatus', type, obj);
    return this.store(type, obj, old);
  }

  /**
   * Deletes an object. Pods with a grace period, and objects with finalizers, are only
   * marked with a deletionTimestamp; the kubelet (or finalizer owner) removes them later.
   * Dependents (ownerReferences to this uid) are deleted in the background afterwards.
   */
  delete(type: string, namespace: string, name: string, options: DeleteOptions = {}): void {
    const old = this.mustGet<KObject>(type, namespace, name);
    this.react('delete', type, old);
    const graceSeconds = type === 'Pod' ? podDeleteGraceSeconds(old, options.gracePeriodSeconds) : 0;
    const hasFinalizers = (old.metadata.finalizers?.length ?? 0) > 0;
    if (hasFinalizers || graceSeconds > 0) {
      if (old.metadata.deletionTimestamp !== undefined) return;
      const obj = { ...old, metadata: { ...old.metadata, deletionTimestamp: this.engine.nowMs } };
      if (type === 'Pod') obj.metadata.deletionGracePeriodSeconds = graceSeconds;
      this.store(type, obj, old);
      return;
    }
    const key = storeKey(namespace, name);
    this.objects.get(type)?.delete(key);
    this.byName.get(type)?.delete(namespace, name);
    this.indexes.update(type, key, old, undefined);
    this.resourceVersion++;
    this.notify(type, { type: 'DELETED', object: old, oldObject: old });
    const uid = old.metadata.uid;
    if (uid !== undefined) this.engine.after(this.watchLatencyMs, () => this.collectDependents(uid));
  }

  /** Removes finalizers and completes a pending deletion (what a finalizer's owner does when done). */
  removeFinalizers(type: string, namespace: string, name: string): void {
    const old = this.get(type, namespace, name);
    if (old === undefined) return;
    const obj = deepCopy(old);
    delete obj.metadata.finalizers;
    this.store(type, obj, old);
    if (obj.metadata.deletionTimestamp !== undefined) this.delete(type, namespace, name, { gracePeriodSeconds: 0 });
  }

  /** Subscribes to writes of a type. Events arrive through the engine after the watch latency. */
  watch<T extends KObject>(type: string, handler: WatchHandler<T>): () => void {
    // Copy on write: an event in flight keeps the handler list of its write.
    this.watchers.set(type, [...(this.watchers.get(type) ?? []), handler as WatchHandler]);
    return () => {
      const list = this.watchers.get(type) ?? [];
      const i = list.indexOf(handler as WatchHandler);
      if (i >= 0) this.watchers.set(type, [...list.slice(0, i), ...list.slice(i + 1)]);
    };
  }

  /**
   * A number that changes whenever an object of the type is created, written or deleted: an
   * index built from a whole type's list stays exact while this is unchanged.
   */
  typeVersion(type: string): number {
    return this.typeVersions.get(type) ?? 0;
  }

  /** Every type that currently has objects, sorted. */
  types(): string[] {
    return [...this.objects.keys()].filter((t) => (this.objects.get(t)?.size ?? 0) > 0).sort();
  }

  /** The number of stored objects of all types (for limits). */
  get objectCount(): number {
    let n = 0;
    for (const bucket of this.objects.values()) n += bucket.size;
    return n;
  }

  private mustGet<T extends KObject>(type: string, namespace: string | undefined, name: string): T {
    const registration = this.kinds.get(type);
    const ns = namespace ?? (registration?.namespaced === false ? '' : 'default');
    const obj = this.get<T>(type, ns, name);
    if (obj === undefined) throw new ApiError('NotFound', `${type} "${name}" not found`);
    return obj;
  }

  private checkVersion(type: string, input: KObject, old: KObject): void {
    const rv = input.metadata.resourceVersion;
    if (rv !== undefined && rv !== old.metadata.resourceVersion) {
      throw new ApiError(
        'Conflict',
        `Operation cannot be fulfilled on ${type} "${input.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
  }

  private carryServerFields(obj: KObject, old: KObject): void {
    obj.metadata.namespace = old.metadata.namespace;
    obj.metadata.uid = old.metadata.uid;
    obj.metadata.creationTimestamp = old.metadata.creationTimestamp;
    obj.metadata.generation = old.metadata.generation;
    obj.metadata.resourceVersion = old.metadata.resourceVersion;
    if (old.metadata.deletionTimestamp !== undefined) obj.metadata.deletionTimestamp = old.metadata.deletionTimestamp;
    else delete obj.metadata.deletionTimestamp;
  }

  private admit(type: string, obj: KObject, old: KObject | undefined, registration: KindRegistration | undefined): void {
    const name = obj.metadata?.name;
    if (!name)
      throw new ApiError('Invalid', `${type} is invalid: metadata.name: Required value: name or generateName is required`, [
        { path: 'metadata.name', message: 'Required value' },
      ]);
    if (registration === undefined) return;
    registration.defaulter?.(obj, old);
    const errors = registration.validator?.(obj, old) ?? [];
    if (errors.length === 0) return;
    const message = registration.errorStyle === 'knative' ? formatWebhookDenial(errors) : `${type} "${name}" is invalid: ${formatFieldErrors(errors)}`;
    throw new ApiError('Invalid', message, errors);
  }

  private react(verb: Verb, type: string, obj: KObject): void {
    for (const r of this.reactors) {
      if ((r.verb === '*' || r.verb === verb) && (r.type === '*' || r.type === type)) {
        const err = r.reactor(verb, obj);
        if (err !== undefined) throw err;
      }
    }
  }

  private store<T extends KObject>(type: string, obj: T, old: T): T {
    obj.metadata.resourceVersion = String(++this.resourceVersion);
    const stored = this.freeze ? deepFreeze(obj) : obj;
    const key = storeKey(obj.metadata.namespace ?? '', obj.metadata.name);
    (this.objects.get(type) as Map<string, KObject>).set(key, stored);
    this.byName.get(type)?.set(obj.metadata.namespace ?? '', obj.metadata.name, stored);
    this.indexes.update(type, key, old, stored);
    this.notify(type, { type: 'MODIFIED', object: stored, oldObject: old });
    return stored;
  }

  private notify(type: string, event: WatchEvent): void {
    this.typeVersions.set(type, (this.typeVersions.get(type) ?? 0) + 1);
    const handlers = this.watchers.get(type);
    if (handlers === undefined || handlers.length === 0) return;
    this.engine.after(this.watchLatencyMs, deliver, { handlers, event });
  }

  private collectDependents(ownerUid: string): void {
    for (const { type, key } of this.indexes.dependents(ownerUid)) {
      const { namespace, name } = splitStoreKey(key);
      const obj = this.get(type, namespace, name);
      if (obj !== undefined && obj.metadata.ownerReferences?.some((o) => o.uid === ownerUid)) this.delete(type, namespace, name);
    }
  }

  private nextUid(): string {
    const n = ++this.uidCounter;
    return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  }

  private generateName(prefix: string, type: string, namespace: string): string {
    const rng = this.engine.rng('k8s/names');
    for (;;) {
      let suffix = '';
      for (let i = 0; i < 5; i++) suffix += NAME_ALPHABET[Math.floor(rng() * NAME_ALPHABET.length)];
      const name = prefix + suffix;
      if (this.get(type, namespace, name) === undefined) return name;
    }
  }
}

/** Replaces each field of `next` that deep-equals the same field of `prev` by `prev`'s (stored, never mutated) value. */
function shareEqualFields(next: unknown, prev: unknown): void {
  if (next === null || prev === null || typeof next !== 'object' || typeof prev !== 'object' || Array.isArray(next) || Array.isArray(prev)) return;
  const n = next as Record<string, unknown>;
  const p = prev as Record<string, unknown>;
  for (const key of Object.keys(n)) {
    const value = p[key];
    if (value !== null && typeof value === 'object' && Object.prototype.hasOwnProperty.call(p, key) && deepEqual(n[key], value)) n[key] = value;
  }
}

function deliver(arg: { handlers: readonly WatchHandler[]; event: WatchEvent }): void {
  for (const handler of arg.handlers) handler(arg.event);
}

/**
 * The grace period a Pod deletion gets: the one asked for, else the pod's
 * terminationGracePeriodSeconds (default 30), but 0 for a pod that no kubelet runs
 * (never bound to a node, or already Succeeded/Failed), as pkg/registry/core/pod/strategy.go does.
 */
function podDeleteGraceSeconds(pod: KObject, requested: number | undefined): number {
  const spec = pod.spec as { terminationGracePeriodSeconds?: number; nodeName?: string } | undefined;
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (!spec?.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
  return requested ?? spec.terminationGracePeriodSeconds ?? 30;
}
