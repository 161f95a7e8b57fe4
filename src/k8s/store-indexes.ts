/**
 * The API server's two indexes, which keep the pod path fast when thousands of pods come and
 * go: a label index (`type` → `key=value` → store keys) answers `list` with `matchLabels`
 * without scanning the whole type, and an owner index (owner uid → dependents) lets garbage
 * collection find a deleted owner's children without scanning every object.
 *
 * Custom indexes (`CustomIndex`: objects of a type under the keys a function gives each; any
 * `StoreIndex`, such as the ReplicaSet controller's counts of its pods) are kept in step with
 * every write the same way, so a watch handler asking "which Routes name this revision" costs
 * the answer, not a rebuild over every Route after each Route write.
 *
 * Fidelity: the informer indexers of client-go (`cache.Indexer` with its IndexFuncs) stand
 * behind the same shortcut in real controllers; the answers are exactly those of a full scan.
 */
import type { KObject, LabelSelector } from '../apis/meta.js';

/** What the API server keeps in step with every write of a type: told each object's old and new version. */
export interface StoreIndex<T extends KObject> {
  apply(storeKey: string, old: T | undefined, next: T | undefined): void;
}

/** Objects of one type under the keys `keysOf` gives each, kept in step with every write. */
export class CustomIndex<T extends KObject> implements StoreIndex<T> {
  /** index key → store key → the stored object. */
  private readonly entries = new Map<string, Map<string, T>>();
  /** index key → its objects in (namespace, name) order, built on first read after a change. */
  private readonly sorted = new Map<string, readonly T[]>();

  constructor(private readonly keysOf: (obj: T) => Iterable<string>) {}

  /** The objects under `key`, in (namespace, name) order, as a sorted scan would give them (do not modify the array). */
  get(key: string): readonly T[] {
    let list = this.sorted.get(key);
    if (list === undefined) {
      const objects = this.entries.get(key);
      if (objects === undefined) return NONE as readonly T[];
      list = [...objects.values()].sort(compareObjects);
      this.sorted.set(key, list);
    }
    return list;
  }

  /**
   * Moves the object stored under `storeKey` from its old version's keys to its new one's. Under
   * a key both versions have (a pod's status write keeps its revision), the sorted list is kept:
   * a copy with the new version in the old one's place, instead of a sort on the next read.
   */
  apply(storeKey: string, old: T | undefined, next: T | undefined): void {
    const oldKeys = old === undefined ? NO_KEYS : reusable(this.keysOf(old));
    const newKeys = next === undefined ? NO_KEYS : reusable(this.keysOf(next));
    for (const key of oldKeys) {
      if (next !== undefined && includes(newKeys, key)) continue;
      const objects = this.entries.get(key);
      if (objects === undefined) continue;
      objects.delete(storeKey);
      if (objects.size === 0) this.entries.delete(key);
      this.sorted.delete(key);
    }
    for (const key of newKeys) {
      let objects = this.entries.get(key);
      if (objects === undefined) {
        objects = new Map();
        this.entries.set(key, objects);
      }
      const kept = old !== undefined && includes(oldKeys, key) ? objects.get(storeKey) : undefined;
      objects.set(storeKey, next as T);
      const list = this.sorted.get(key);
      if (list === undefined) continue;
      const at = kept === undefined ? -1 : list.indexOf(kept);
      if (at < 0) this.sorted.delete(key);
      else {
        // Same name, same place: the order holds.
        const copy = list.slice();
        copy[at] = next as T;
        this.sorted.set(key, copy);
      }
    }
  }
}

const NO_KEYS: readonly string[] = [];

/** Keys that can be read more than once (a generator cannot). */
function reusable(keys: Iterable<string>): Iterable<string> {
  return Array.isArray(keys) || keys instanceof Set ? keys : [...keys];
}

function includes(keys: Iterable<string>, key: string): boolean {
  for (const k of keys) if (k === key) return true;
  return false;
}

const NONE: readonly KObject[] = [];

/** The key of an object in the store: `namespace/name`. */
export function storeKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function splitStoreKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** The order of lists: by namespace, then name. */
export function compareObjects(a: KObject, b: KObject): number {
  const na = a.metadata.namespace ?? '';
  const nb = b.metadata.namespace ?? '';
  if (na !== nb) return na < nb ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

export class StoreIndexes {
  /** type → `label=value` → store keys of objects carrying that label. */
  private readonly labelIndex = new Map<string, Map<string, Set<string>>>();
  /** owner uid → `type` + NUL + store key of each object that lists it in ownerReferences. */
  private readonly ownerIndex = new Map<string, Set<string>>();
  /** type → its custom indexes. */
  private readonly custom = new Map<string, StoreIndex<KObject>[]>();

  /** Adds a custom index of a type, filled from the objects stored now. */
  addCustom(type: string, index: StoreIndex<KObject>, bucket: ReadonlyMap<string, KObject> | undefined): void {
    const list = this.custom.get(type);
    if (list === undefined) this.custom.set(type, [index]);
    else list.push(index);
    for (const [key, obj] of bucket ?? []) index.apply(key, undefined, obj);
  }

  /** Objects of a bucket that can match the selector: one label's index set when the selector has matchLabels, else the whole bucket. */
  candidates(type: string, bucket: Map<string, KObject>, selector: LabelSelector | Record<string, string> | undefined): Iterable<KObject> {
    if (selector === undefined) return bucket.values();
    const isStructured = 'matchLabels' in selector || 'matchExpressions' in selector;
    const matchLabels = isStructured ? (selector as LabelSelector).matchLabels : (selector as Record<string, string>);
    if (matchLabels === undefined) return bucket.values();
    const index = this.labelIndex.get(type);
    let smallest: Set<string> | undefined;
    for (const label in matchLabels) {
      const keys = index?.get(`${label}=${matchLabels[label]}`);
      if (keys === undefined) return [];
      if (smallest === undefined || keys.size < smallest.size) smallest = keys;
    }
    if (smallest === undefined) return bucket.values();
    const out: KObject[] = [];
    for (const key of smallest) {
      const obj = bucket.get(key);
      if (obj !== undefined) out.push(obj);
    }
    return out;
  }

  /** The dependents of an owner as `{ type, key }`, sorted by type, then key: the order a full scan would give. */
  dependents(ownerUid: string): { type: string; key: string }[] {
    const refs = this.ownerIndex.get(ownerUid);
    if (refs === undefined) return [];
    return [...refs].sort().map((ref) => {
      const sep = ref.indexOf('\0');
      return { type: ref.slice(0, sep), key: ref.slice(sep + 1) };
    });
  }

  /** Moves an object's entries in the label and owner indexes from its old to its new version. */
  update(type: string, key: string, old: KObject | undefined, next: KObject | undefined): void {
    const custom = this.custom.get(type);
    if (custom !== undefined) for (const index of custom) index.apply(key, old, next);
    const oldLabels = old?.metadata.labels;
    const newLabels = next?.metadata.labels;
    if (oldLabels !== newLabels) {
      let index = this.labelIndex.get(type);
      if (index === undefined) {
        index = new Map();
        this.labelIndex.set(type, index);
      }
      for (const label in oldLabels) {
        if (newLabels?.[label] === oldLabels[label]) continue;
        const entry = `${label}=${oldLabels[label]}`;
        const keys = index.get(entry);
        keys?.delete(key);
        if (keys?.size === 0) index.delete(entry);
      }
      for (const label in newLabels) {
        if (oldLabels?.[label] === newLabels[label]) continue;
        const entry = `${label}=${newLabels[label]}`;
        let keys = index.get(entry);
        if (keys === undefined) {
          keys = new Set();
          index.set(entry, keys);
        }
        keys.add(key);
      }
    }
    const oldOwners = old?.metadata.ownerReferences;
    const newOwners = next?.metadata.ownerReferences;
    if (oldOwners !== newOwners) {
      const ref = `${type}\0${key}`;
      for (const o of oldOwners ?? []) {
        if (newOwners?.some((n) => n.uid === o.uid)) continue;
        const set = this.ownerIndex.get(o.uid);
        set?.delete(ref);
        if (set?.size === 0) this.ownerIndex.delete(o.uid);
      }
      for (const o of newOwners ?? []) {
        let set = this.ownerIndex.get(o.uid);
        if (set === undefined) {
          set = new Set();
          this.ownerIndex.set(o.uid, set);
        }
        set.add(ref);
      }
    }
  }
}
