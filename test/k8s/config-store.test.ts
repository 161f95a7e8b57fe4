// The ConfigMap store both serving and the autoscaler read: defaults without a ConfigMap,
// a new snapshot on each valid update, and the last valid snapshot kept (and the rejection
// traced once) when an update is invalid, as Knative's config stores do.
import { describe, expect, it } from 'vitest';
import { Engine, type TraceEntry } from '../../src/engine/index.js';
import { TYPE, type ConfigMap } from '../../src/apis/core.js';
import { deepCopy } from '../../src/apis/meta.js';
import { ApiServer } from '../../src/k8s/api-server.js';
import { ConfigStore, SYSTEM_NAMESPACE } from '../../src/k8s/config-store.js';

function world(): { api: ApiServer; store: ConfigStore; trace: TraceEntry[] } {
  const engine = new Engine({ seed: 1 });
  const api = new ApiServer(engine, { watchLatencyMs: 0 });
  const trace: TraceEntry[] = [];
  engine.onTrace((e) => trace.push(e));
  return { api, store: new ConfigStore(engine, api, 'autoscaler'), trace };
}

function writeData(api: ApiServer, name: string, data: Record<string, string>): void {
  const cm = api.get<ConfigMap>(TYPE.configMap, SYSTEM_NAMESPACE, name);
  if (cm === undefined) api.create<ConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: SYSTEM_NAMESPACE }, spec: undefined, data });
  else api.update({ ...deepCopy(cm), data });
}

describe('ConfigStore', () => {
  it('gives Knative defaults when the ConfigMap does not exist', () => {
    const { store } = world();
    expect(store.autoscaler().stableWindowMs).toBe(60_000);
    expect(store.gc().maxNonActiveRevisions).toBe(1000);
    expect(store.domain().entries.map((e) => e.domain)).toEqual(['example.com']);
  });

  it('keeps the last valid configuration when an update is invalid, and says so once', () => {
    const { api, store, trace } = world();
    writeData(api, 'config-autoscaler', { 'stable-window': '30s' });
    expect(store.autoscaler().stableWindowMs).toBe(30_000);
    writeData(api, 'config-autoscaler', { 'stable-window': '2s' });
    expect(store.autoscaler().stableWindowMs).toBe(30_000);
    expect(store.autoscaler().stableWindowMs).toBe(30_000);
    expect(trace.filter((e) => e.object === 'configmap/config-autoscaler')).toHaveLength(1);
    expect(trace[0]).toMatchObject({ component: 'autoscaler', message: expect.stringContaining('stable-window') as unknown });
    writeData(api, 'config-autoscaler', { 'stable-window': '45s' });
    expect(store.autoscaler().stableWindowMs).toBe(45_000);
  });

  it('falls back to the defaults when the first ConfigMap it sees is invalid', () => {
    const { api, store } = world();
    writeData(api, 'config-gc', { 'max-non-active-revisions': 'many' });
    expect(store.gc().maxNonActiveRevisions).toBe(1000);
  });
});
