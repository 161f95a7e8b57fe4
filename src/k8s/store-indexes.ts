/**
 * The API server's two indexes, which keep the pod path fast when thousands of pods come and
 * go: a label index (`type` → `key=value` → store keys) answers `list` with `matchLabels`
 * without scanning the whole type, and an owner index (owner uid → dependents) lets garbage
 * collection find a deleted owner's children without scanning every object.
 *
 * Fidelity: the informer indexers of client-go (`cache.Indexer`) stand behind the same
 * shortcut in real controllers; the answers are exactly those of a full scan.
 */
import type { KObject, LabelSelector } from '../apis/meta.js';

export class StoreIndexes {
  /** type → `label=value` → store keys of objects carrying that label. */
  private readonly labelIndex = new Map<string, Map<string, Set<string>>>();
  /** owner uid → `type` + NUL + store key of each object that lists it in ownerReferences. */
  private readonly ownerIndex = new Map<string, Set<string>>();

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
