/**
 * An index derived from every object of one type (for example "which Services select pods
 * with label k=v"), rebuilt from the API server's sorted list only when that type has been
 * written since the last build. Watch handlers that used to scan and sort a whole type on
 * every event of another type look their answer up here instead, with exactly the same
 * answers: the index always reflects the store as it is when it is read.
 *
 * Fidelity: plays the part of client-go's informer indexers (`cache.Indexer` with a custom
 * index function); knsim's store is read synchronously, so the index is never stale.
 */
import type { KObject } from '../apis/meta.js';
import type { ApiServer } from './api-server.js';

export class DerivedIndex<T extends KObject, I> {
  private version = -1;
  private index: I | undefined;

  constructor(
    private readonly api: ApiServer,
    private readonly type: string,
    private readonly build: (objects: readonly T[]) => I,
  ) {}

  /** The source type's version (ApiServer.typeVersion): the index is unchanged while it is. */
  sourceVersion(): number {
    return this.api.typeVersion(this.type);
  }

  /** The index for the store as it is now. */
  get(): I {
    const version = this.api.typeVersion(this.type);
    if (this.index === undefined || version !== this.version) {
      this.index = this.build(this.api.list<T>(this.type));
      this.version = version;
    }
    return this.index;
  }
}

/** Adds `value` to the list under `key`, creating the list. */
export function addToIndex<V>(index: Map<string, V[]>, key: string, value: V): void {
  const list = index.get(key);
  if (list === undefined) index.set(key, [value]);
  else list.push(value);
}
