// Which pod deletions wake the Deployment controller: as upstream's deletePod, only the last pod
// of a Recreate Deployment (its rollout waits for the old pods to be gone); a RollingUpdate
// Deployment hears of its pods through its ReplicaSets' status alone.
import { describe, expect, it, vi } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { must } from '../../src/engine/assert.js';
import { TYPE, type Deployment, type Pod, type ReplicaSet } from '../../src/apis/core.js';
import { makeControllerRef } from '../../src/apis/meta.js';
import { ApiServer } from '../../src/k8s/api-server.js';
import { registerCoreKinds } from '../../src/k8s/core-kinds.js';
import { startDeploymentController } from '../../src/k8s/deployment.js';
import { deployment } from './helpers.js';

/** The Deployment controller alone (no ReplicaSet controller, no kubelet), with `count` pods made by hand for its ReplicaSet. */
function world(strategy: Deployment['spec']['strategy'], count: number) {
  const engine = new Engine({ seed: 1 });
  const api = new ApiServer(engine, { watchLatencyMs: 5 });
  registerCoreKinds(api);
  const controller = startDeploymentController(engine, api);
  api.create(deployment('web', { replicas: count, strategy }));
  engine.run({ untilMs: 1000 });
  const rs = must(api.list<ReplicaSet>(TYPE.replicaSet)[0], 'the ReplicaSet the controller created');
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const pod = api.create<Pod>({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `web-pod-${i}`, namespace: 'default', labels: { ...rs.spec.selector.matchLabels }, ownerReferences: [makeControllerRef(rs)] },
      spec: rs.spec.template.spec,
    });
    names.push(pod.metadata.name);
  }
  engine.run({ untilMs: 2000 });
  const enqueue = vi.spyOn(controller, 'enqueue');
  /** Deletes a pod (never scheduled: it goes at once) and returns the keys the controller queued for it. */
  const deletePod = (name: string): string[] => {
    enqueue.mockClear();
    api.delete(TYPE.pod, 'default', name);
    engine.run({ untilMs: engine.nowMs + 1000 });
    return enqueue.mock.calls.map(([key]) => key);
  };
  return { names, deletePod };
}

describe('Deployment controller: pod deletions', () => {
  it('a RollingUpdate Deployment is not queued by the deletion of its pods', () => {
    const w = world(undefined, 2);
    expect(w.deletePod(must(w.names[0], 'a pod'))).toEqual([]);
    expect(w.deletePod(must(w.names[1], 'a pod'))).toEqual([]);
  });

  it('a Recreate Deployment is queued when its last pod is gone, not before', () => {
    const w = world({ type: 'Recreate' }, 2);
    expect(w.deletePod(must(w.names[0], 'a pod'))).toEqual([]);
    expect(w.deletePod(must(w.names[1], 'a pod'))).toEqual(['default/web']);
  });
});
