/**
 * A map keyed by (namespace, name) without building a `namespace/name` string on each
 * lookup: the hot per-second paths (scrapes, decisions, measurements) look revisions up
 * this way many times a second, and a built key is a fresh string to hash every time.
 * Iteration follows insertion order, namespace by namespace: callers that need a stable
 * order sort, as with any Map.
 *
 * Fidelity: a data structure only; nothing in Kubernetes or Knative corresponds.
 */
export class NamespacedMap<V> {
  private readonly byNamespace = new Map<string, Map<string, V>>();
  private count = 0;

  get(namespace: string, name: string): V | undefined {
    return this.byNamespace.get(namespace)?.get(name);
  }

  has(namespace: string, name: string): boolean {
    return this.byNamespace.get(namespace)?.has(name) ?? false;
  }

  set(namespace: string, name: string, value: V): void {
    let names = this.byNamespace.get(namespace);
    if (names === undefined) {
      names = new Map();
      this.byNamespace.set(namespace, names);
    }
    if (!names.has(name)) this.count++;
    names.set(name, value);
  }

  /** Removes an entry; true when there was one. */
  delete(namespace: string, name: string): boolean {
    const names = this.byNamespace.get(namespace);
    if (names === undefined || !names.delete(name)) return false;
    this.count--;
    if (names.size === 0) this.byNamespace.delete(namespace);
    return true;
  }

  get size(): number {
    return this.count;
  }

  *values(): IterableIterator<V> {
    for (const names of this.byNamespace.values()) yield* names.values();
  }
}
