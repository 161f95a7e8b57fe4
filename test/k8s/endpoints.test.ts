/**
 * The endpoints controller (src/k8s/endpoints.ts) syncs a Service when a pod's change can alter
 * its Endpoints, and a sync reads the store: a sync set off by any pod's event lists what is
 * stored at that moment, including a change whose own event is still on its way. Skipping the
 * work of a sync with nothing changed must not lose that, nor an Endpoints object someone else
 * deleted.
 */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { TYPE, type Endpoints, type K8sService, type Pod } from '../../src/apis/core.js';
import { ApiServer } from '../../src/k8s/api-server.js';
import { registerCoreKinds } from '../../src/k8s/core-kinds.js';
import { startEndpointsController } from '../../src/k8s/endpoints.js';

function world(): { engine: Engine; api: ApiServer } {
  const engine = new Engine({ seed: 1 });
  const api = new ApiServer(engine, { watchLatencyMs: 5 });
  registerCoreKinds(api);
  startEndpointsController(engine, api);
  return { engine, api };
}

function runningPod(api: ApiServer, name: string, ip: string): void {
  const created = api.create<Pod>({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'web' } },
    spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'img' }] },
  });
  api.updateStatus({ ...created, status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: 'False' }] } });
}

function setStatus(api: ApiServer, name: string, edit: (s: NonNullable<Pod['status']>) => NonNullable<Pod['status']>): void {
  const pod = api.get<Pod>(TYPE.pod, 'default', name);
  if (pod?.status === undefined) throw new Error(`no pod ${name}`);
  api.updateStatus({ ...pod, status: edit(pod.status) });
}

const addresses = (api: ApiServer): { ready: string[]; notReady: string[] } => {
  const subset = api.get<Endpoints>(TYPE.endpoints, 'default', 'web')?.subsets?.[0];
  return { ready: (subset?.addresses ?? []).map((a) => a.ip), notReady: (subset?.notReadyAddresses ?? []).map((a) => a.ip) };
};

describe('the endpoints controller', () => {
  it("lists a pod that became ready as soon as any sync runs, even one set off by another pod's unrelated change", () => {
    const { engine, api } = world();
    api.create<K8sService>({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
    });
    runningPod(api, 'a', '10.0.0.1');
    runningPod(api, 'b', '10.0.0.2');
    engine.run({ untilMs: 100 });
    expect(addresses(api)).toEqual({ ready: [], notReady: ['10.0.0.1', '10.0.0.2'] });

    // b: a change no address is made of (its container restarted), delivered at 105.
    setStatus(api, 'b', (s) => ({
      ...s,
      containerStatuses: [{ name: 'c', image: 'img', ready: false, restartCount: 1, state: { running: { startedAt: 101 } } }],
    }));
    engine.run({ untilMs: 103 });
    // a: ready in the store at 103, its own event due at 108.
    setStatus(api, 'a', (s) => ({ ...s, conditions: [{ type: 'Ready', status: 'True' }] }));
    engine.run({ untilMs: 106 });
    // The sync b's event set off at 105 read the store, a's readiness included.
    expect(addresses(api)).toEqual({ ready: ['10.0.0.1'], notReady: ['10.0.0.2'] });

    // Unrelated changes alone leave the Endpoints as they are; a relabel out of the selector takes the pod out.
    setStatus(api, 'b', (s) => ({
      ...s,
      containerStatuses: [{ name: 'c', image: 'img', ready: false, restartCount: 2, state: { running: { startedAt: 150 } } }],
    }));
    engine.run({ untilMs: 200 });
    expect(addresses(api)).toEqual({ ready: ['10.0.0.1'], notReady: ['10.0.0.2'] });
    const b = api.get<Pod>(TYPE.pod, 'default', 'b');
    if (b === undefined) throw new Error('no pod b');
    api.update({ ...b, metadata: { ...b.metadata, labels: { app: 'other' } } });
    engine.run({ untilMs: 300 });
    expect(addresses(api)).toEqual({ ready: ['10.0.0.1'], notReady: [] });

    // Endpoints deleted by someone else come back with the next sync, whatever set it off.
    api.delete(TYPE.endpoints, 'default', 'web');
    setStatus(api, 'a', (s) => ({
      ...s,
      containerStatuses: [{ name: 'c', image: 'img', ready: true, restartCount: 0, state: { running: { startedAt: 301 } } }],
    }));
    engine.run({ untilMs: 400 });
    expect(addresses(api)).toEqual({ ready: ['10.0.0.1'], notReady: [] });
  });
});
