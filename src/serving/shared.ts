/**
 * Helpers shared by the serving reconcilers: their context (engine, API server, the
 * ConfigMap store) and small object utilities.
 */
import type { Engine } from '../engine/index.js';
import { setOwn } from '../apis/meta.js';
import type { ApiServer } from '../k8s/api-server.js';
import type { ConfigStore } from '../k8s/config-store.js';

export interface ServingContext {
  engine: Engine;
  api: ApiServer;
  /** The knative-serving ConfigMaps as the serving controller sees them. */
  configs: ConfigStore;
  /** What the image registries hold (the revision controller resolves tags to digests); absent: every image. */
  registry?: { has(image: string): boolean };
}

/** A copy of a string map without some keys. */
export function withoutKeys(map: Record<string, string> | undefined, keys: readonly string[]): Record<string, string> {
  const source = map ?? {};
  const out: Record<string, string> = {};
  const names = Object.keys(source);
  // Stored maps are mostly in order already (they were written by this function): sort only when not.
  for (let i = 1; i < names.length; i++)
    if ((names[i - 1] as string) > (names[i] as string)) {
      names.sort();
      break;
    }
  for (const k of names) {
    const v = source[k];
    if (v !== undefined && !keys.includes(k)) setOwn(out, k, v);
  }
  return out;
}

/** Sorted comma list helpers for the `serving.knative.dev/routes` annotation. */
export function listAnnotation(value: string | undefined): string[] {
  return value === undefined || value === '' ? [] : value.split(',').filter((s) => s !== '');
}
