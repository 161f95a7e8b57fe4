import { describe, expect, it } from 'vitest';
import { TYPE, type Deployment, type Endpoints, type K8sService, type Pod, type ReplicaSet } from '../../src/apis/core.js';
import { getCondition } from '../../src/apis/conditions.js';
import { deepCopy } from '../../src/apis/meta.js';
import { POD_TEMPLATE_HASH_LABEL } from '../../src/k8s/index.js';
import { must } from '../../src/engine/assert.js';
import { deployment, editDeployment, makeWorld, podsOf, readyPods, setImage } from './helpers.js';

const get = <T>(w: ReturnType<typeof makeWorld>, type: string, name: string): T => w.api.get(type, 'default', name) as T;

describe('Deployment and ReplicaSet controllers', () => {
  it('creates one ReplicaSet named after the pod-template hash, and its pods, and reports the Deployment complete', () => {
    const w = makeWorld();
    w.api.create(deployment('web', { replicas: 3 }));
    w.engine.run({ untilMs: 60_000 });
    const rs = must(w.api.list<ReplicaSet>(TYPE.replicaSet)[0], 'a ReplicaSet');
    const hash = must(rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL], 'the pod-template-hash label');
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.spec.selector.matchLabels).toEqual({ app: 'web', [POD_TEMPLATE_HASH_LABEL]: hash });
    const pods = podsOf(w, 'web');
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.metadata.name.startsWith(`${rs.metadata.name}-`)).toBe(true);
      expect(p.metadata.ownerReferences).toEqual([
        expect.objectContaining({ kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid, controller: true }),
      ]);
    }
    const d = get<Deployment>(w, TYPE.deployment, 'web');
    expect(d.status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3, updatedReplicas: 3, unavailableReplicas: 0, observedGeneration: 1 });
    expect(getCondition(d.status?.conditions, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    expect(getCondition(d.status?.conditions, 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      message: `ReplicaSet "${rs.metadata.name}" has successfully progressed.`,
    });
    expect(rs.status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3 });
  });

  it('scales down by deleting the pod that became ready last', () => {
    const w = makeWorld({ jitter: 0 }, [{ name: 'n1', cpu: '4', memory: '16Gi' }]);
    w.api.create(deployment('web', { replicas: 3 }));
    w.engine.run({ untilMs: 60_000 });
    const newest = must([...readyPods(w, 'web')].sort((a, b) => (b.status?.startup?.readyAt ?? 0) - (a.status?.startup?.readyAt ?? 0))[0], 'a ready pod');
    editDeployment(w, 'web', (d) => (d.spec.replicas = 2));
    w.engine.run({ untilMs: 120_000 });
    const names = podsOf(w, 'web').map((p) => p.metadata.name);
    expect(names).toHaveLength(2);
    expect(names).not.toContain(newest.metadata.name);
  });

  it('rolls out a new template one surge step at a time, never below replicas − maxUnavailable available', () => {
    const w = makeWorld();
    w.api.create(deployment('web', { replicas: 4, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }));
    w.engine.run({ untilMs: 60_000 });
    setImage(w, 'web', 'registry/app:2');
    let maxPods = 0;
    let minReady = Infinity;
    w.api.watch(TYPE.pod, () => {
      const live = podsOf(w, 'web').filter((p) => p.metadata.deletionTimestamp === undefined);
      maxPods = Math.max(maxPods, live.length);
      minReady = Math.min(minReady, readyPods(w, 'web').length);
    });
    w.engine.run({ untilMs: 400_000 });
    expect(maxPods).toBe(5);
    expect(minReady).toBe(4);
    const pods = podsOf(w, 'web');
    expect(pods.map((p) => p.spec.containers[0]?.image)).toEqual(Array(4).fill('registry/app:2'));
    const rses = w.api.list<ReplicaSet>(TYPE.replicaSet);
    expect(rses.map((r) => r.spec.replicas).sort()).toEqual([0, 4]);
    const d = get<Deployment>(w, TYPE.deployment, 'web');
    expect(d.metadata.generation).toBe(2);
    expect(getCondition(d.status?.conditions, 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
  });

  it('Recreate stops every old pod before the new ReplicaSet gets any', () => {
    const w = makeWorld();
    w.api.create(deployment('web', { replicas: 2, strategy: { type: 'Recreate' } }));
    w.engine.run({ untilMs: 60_000 });
    setImage(w, 'web', 'registry/app:2');
    let overlap = false;
    w.api.watch<Pod>(TYPE.pod, () => {
      const images = new Set(podsOf(w, 'web').map((p) => p.spec.containers[0]?.image));
      if (images.size > 1) overlap = true;
    });
    w.engine.run({ untilMs: 200_000 });
    expect(overlap).toBe(false);
    expect(readyPods(w, 'web').map((p) => p.spec.containers[0]?.image)).toEqual(['registry/app:2', 'registry/app:2']);
  });

  it('marks Progressing=False ProgressDeadlineExceeded when a rollout makes no progress in time', () => {
    const w = makeWorld({ jitter: 0, missingImages: ['registry/missing:1'] });
    w.api.create(deployment('web', { replicas: 1, image: 'registry/missing:1', progressDeadlineSeconds: 30 }));
    w.engine.run({ untilMs: 29_000 });
    const early = get<Deployment>(w, TYPE.deployment, 'web');
    expect(getCondition(early.status?.conditions, 'Progressing')?.status).toBe('True');
    w.engine.run({ untilMs: 40_000 });
    const d = get<Deployment>(w, TYPE.deployment, 'web');
    const rs = must(w.api.list<ReplicaSet>(TYPE.replicaSet)[0], 'a ReplicaSet');
    expect(getCondition(d.status?.conditions, 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: `ReplicaSet "${rs.metadata.name}" has timed out progressing.`,
    });
    expect(getCondition(d.status?.conditions, 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable' });
  });

  it('keeps at most revisionHistoryLimit old scaled-down ReplicaSets', () => {
    const w = makeWorld();
    w.api.create(deployment('web', { replicas: 1, revisionHistoryLimit: 1 }));
    for (let v = 2; v <= 4; v++) {
      w.engine.run({ untilMs: w.engine.nowMs + 60_000 });
      setImage(w, 'web', `registry/app:${v}`);
    }
    w.engine.run({ untilMs: w.engine.nowMs + 120_000 });
    const rses = w.api.list<ReplicaSet>(TYPE.replicaSet);
    expect(rses).toHaveLength(2);
    const images = rses.map((r) => `${r.spec.template.spec.containers[0]?.image}=${r.spec.replicas}`).sort();
    expect(images).toEqual(['registry/app:3=0', 'registry/app:4=1']);
  });

  it('reuses the old ReplicaSet when the template is reverted, with the next revision number', () => {
    const w = makeWorld();
    w.api.create(deployment('web', { replicas: 1 }));
    w.engine.run({ untilMs: 60_000 });
    setImage(w, 'web', 'registry/app:2');
    w.engine.run({ untilMs: 120_000 });
    setImage(w, 'web', 'registry/app:1');
    w.engine.run({ untilMs: 180_000 });
    const rses = w.api.list<ReplicaSet>(TYPE.replicaSet);
    expect(rses).toHaveLength(2);
    const active = rses.find((r) => r.spec.replicas === 1);
    expect(active?.spec.template.spec.containers[0]?.image).toBe('registry/app:1');
    expect(active?.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
  });
});

describe('scheduler', () => {
  it('leaves a pod Pending as Unschedulable with the scheduler message, and binds it when a node is added', () => {
    const w = makeWorld({ jitter: 0 }, [
      { name: 'n1', cpu: '1', memory: '4Gi' },
      { name: 'n2', cpu: '1', memory: '4Gi' },
      { name: 'n3', cpu: '1', memory: '4Gi' },
    ]);
    w.api.create(deployment('big', { replicas: 1, cpu: '2' }));
    w.engine.run({ untilMs: 30_000 });
    const pod = must(podsOf(w, 'big')[0], 'a pod');
    expect(pod.status?.phase).toBe('Pending');
    expect(getCondition(pod.status?.conditions, 'PodScheduled')).toMatchObject({
      status: 'False',
      reason: 'Unschedulable',
      message: '0/3 nodes are available: 3 Insufficient cpu.',
    });
    w.k8s.addNode({ name: 'n4', cpu: '4', memory: '16Gi' });
    w.engine.run({ untilMs: 60_000 });
    const bound = must(podsOf(w, 'big')[0], 'a pod');
    expect(bound.spec.nodeName).toBe('n4');
    expect(getCondition(bound.status?.conditions, 'Ready')?.status).toBe('True');
  });

  it('retries a pending pod when a deleted pod frees capacity', () => {
    const w = makeWorld({ jitter: 0 }, [{ name: 'n1', cpu: '1', memory: '4Gi' }]);
    w.api.create(deployment('a', { replicas: 1, cpu: '800m' }));
    w.engine.run({ untilMs: 30_000 });
    w.api.create(deployment('b', { replicas: 1, cpu: '800m' }));
    w.engine.run({ untilMs: 60_000 });
    expect(podsOf(w, 'b')).toHaveLength(1);
    expect(podsOf(w, 'b')[0]?.spec.nodeName).toBeUndefined();
    editDeployment(w, 'a', (d) => (d.spec.replicas = 0));
    w.engine.run({ untilMs: 120_000 });
    expect(readyPods(w, 'b')).toHaveLength(1);
  });

  it('spreads pods without requests over nodes', () => {
    const w = makeWorld();
    w.api.create(deployment('web', { replicas: 6 }));
    w.engine.run({ untilMs: 60_000 });
    const perNode = new Map<string, number>();
    for (const p of podsOf(w, 'web')) perNode.set(p.spec.nodeName as string, (perNode.get(p.spec.nodeName as string) ?? 0) + 1);
    expect([...perNode.values()]).toEqual([2, 2, 2]);
  });
});

describe('kubelet', () => {
  it('pulls an image once per node: the second pod on that node finds it cached', () => {
    const w = makeWorld({ jitter: 0 }, [{ name: 'n1', cpu: '4', memory: '16Gi' }]);
    w.api.create(deployment('web', { replicas: 1 }));
    w.engine.run({ untilMs: 60_000 });
    editDeployment(w, 'web', (d) => (d.spec.replicas = 2));
    w.engine.run({ untilMs: 120_000 });
    const byAge = [...podsOf(w, 'web')].sort((a, b) => (a.metadata.creationTimestamp ?? 0) - (b.metadata.creationTimestamp ?? 0));
    const first = must(byAge[0], 'a first pod');
    const second = must(byAge[1], 'a second pod');
    expect(first.status?.startup).toMatchObject({ pulled: true, pullMs: 10_882 });
    expect(second.status?.startup).toMatchObject({ pulled: false, pullMs: 0 });
    const firstStartupMs = (first.status?.startup?.readyAt ?? 0) - (first.metadata.creationTimestamp ?? 0);
    const secondStartupMs = (second.status?.startup?.readyAt ?? 0) - (second.metadata.creationTimestamp ?? 0);
    // Image present: within the 1–5 s a real cluster takes; pulled: 10.9 s more.
    expect(secondStartupMs).toBeGreaterThan(1000);
    expect(secondStartupMs).toBeLessThan(5000);
    expect(firstStartupMs - secondStartupMs).toBe(10_882);
    expect(w.k8s.kubelets.imagesOn('n1')).toEqual(['registry/app:1']);
  });

  it('becomes Ready at the first readiness probe after the container started and the app finished starting', () => {
    const w = makeWorld({ jitter: 0, preloadedImages: ['registry/app:1'], images: { 'registry/app:1': { startupMs: 3000 } } }, [
      { name: 'n1', cpu: '4', memory: '16Gi' },
    ]);
    w.api.create(deployment('web', { replicas: 1, probe: { initialDelaySeconds: 1, periodSeconds: 2 } }));
    w.engine.run({ untilMs: 60_000 });
    const pod = must(podsOf(w, 'web')[0], 'a pod');
    const s = must(pod.status?.startup, 'startup timings');
    // Admitted at syncStartedAt; container up after sandbox 1200 + start 600; app up 3000 ms later.
    expect(s.containersStartedAt).toBe((s.syncStartedAt as number) + 1800);
    const appUp = (s.containersStartedAt as number) + 3000;
    const grid = (t: number) => (s.syncStartedAt as number) + Math.ceil((t - (s.syncStartedAt as number)) / 2000) * 2000;
    expect(s.readyAt).toBe(grid(appUp));
    expect(s.readyAt).toBe((s.syncStartedAt as number) + 6000);
    expect(getCondition(pod.status?.conditions, 'ContainersReady')?.status).toBe('True');
    expect(pod.status?.phase).toBe('Running');
    expect(pod.status?.podIP).toBe('10.1.0.2');
  });

  it('reports ErrImagePull then ImagePullBackOff with doubling back-off for a missing image, and never Ready', () => {
    const w = makeWorld({ jitter: 0, missingImages: ['registry/nope:1'] }, [{ name: 'n1', cpu: '4', memory: '16Gi' }]);
    const seen: { t: number; reason: string }[] = [];
    w.api.watch<Pod>(TYPE.pod, (e) => {
      const reason = e.object.status?.containerStatuses?.[0]?.state.waiting?.reason;
      if (reason !== undefined && seen[seen.length - 1]?.reason !== reason) seen.push({ t: w.engine.nowMs, reason });
    });
    const pullFailures: number[] = [];
    w.engine.onTrace((e) => {
      if (e.component === 'kubelet' && e.data?.reason === 'Failed') pullFailures.push(e.t);
    });
    w.api.create(deployment('web', { replicas: 1, image: 'registry/nope:1' }));
    w.engine.run({ untilMs: 120_000 });
    expect(seen.map((s) => s.reason).slice(0, 5)).toEqual(['ContainerCreating', 'ErrImagePull', 'ImagePullBackOff', 'ErrImagePull', 'ImagePullBackOff']);
    // The pod worker resyncs every 10 s; a pull is retried once the image back-off (10 s, 20 s, 40 s…)
    // has passed since the last failure, and a failing pull takes pullBaseMs (1 s) to fail.
    const gaps = pullFailures.slice(1, 4).map((t, i) => t - must(pullFailures[i], 'an earlier failure'));
    expect(gaps).toEqual([11_000, 21_000, 41_000]);
    expect(readyPods(w, 'web')).toHaveLength(0);
  });

  it('on deletion turns Ready=False at once, waits for the pre-stop hook, then deletes the pod', () => {
    const w = makeWorld({ jitter: 0 }, [{ name: 'n1', cpu: '4', memory: '16Gi' }]);
    const hooked: string[] = [];
    w.k8s.setPreStopHook((pod, done) => {
      hooked.push(pod.metadata.name);
      w.engine.after(5_000, done);
    });
    w.api.create(deployment('web', { replicas: 1, grace: 30 }));
    w.engine.run({ untilMs: 60_000 });
    const pod = must(podsOf(w, 'web')[0], 'a pod');
    w.api.delete(TYPE.pod, 'default', pod.metadata.name);
    w.engine.run({ untilMs: 60_100 });
    const terminating = w.api.get<Pod>(TYPE.pod, 'default', pod.metadata.name) as Pod;
    expect(getCondition(terminating.status?.conditions, 'Ready')?.status).toBe('False');
    expect(hooked).toEqual([pod.metadata.name]);
    w.engine.run({ untilMs: 65_000 });
    expect(w.api.get(TYPE.pod, 'default', pod.metadata.name)).toBeDefined();
    w.engine.run({ untilMs: 65_400 });
    expect(w.api.get(TYPE.pod, 'default', pod.metadata.name)).toBeUndefined();
  });

  it('kills the pod at the end of the grace period when the hook never finishes', () => {
    const w = makeWorld({ jitter: 0 }, [{ name: 'n1', cpu: '4', memory: '16Gi' }]);
    w.k8s.setPreStopHook(() => undefined);
    w.api.create(deployment('web', { replicas: 1, grace: 10 }));
    w.engine.run({ untilMs: 60_000 });
    const pod = must(podsOf(w, 'web')[0], 'a pod');
    w.api.delete(TYPE.pod, 'default', pod.metadata.name);
    w.engine.run({ untilMs: 69_900 });
    expect(w.api.get(TYPE.pod, 'default', pod.metadata.name)).toBeDefined();
    w.engine.run({ untilMs: 70_001 });
    expect(w.api.get(TYPE.pod, 'default', pod.metadata.name)).toBeUndefined();
  });

  it('uses a per-image measured pull time instead of the size formula when the profile gives one', () => {
    const w = makeWorld({ jitter: 0, images: { 'registry/app:1': { pullMs: 42_000 } } }, [{ name: 'n1', cpu: '4', memory: '16Gi' }]);
    w.api.create(deployment('web', { replicas: 1 }));
    w.engine.run({ untilMs: 90_000 });
    expect(podsOf(w, 'web')[0]?.status?.startup).toMatchObject({ pulled: true, pullMs: 42_000 });
  });

  it('serializes image pulls per node: a second image waits for the first', () => {
    const w = makeWorld({ jitter: 0 }, [{ name: 'n1', cpu: '4', memory: '16Gi' }]);
    w.api.create(deployment('a', { replicas: 1, image: 'registry/a:1' }));
    w.api.create(deployment('b', { replicas: 1, image: 'registry/b:1' }));
    w.engine.run({ untilMs: 60_000 });
    const waits = [...podsOf(w, 'a'), ...podsOf(w, 'b')].map((p) => p.status?.startup?.pullWaitMs).sort((x, y) => (x ?? 0) - (y ?? 0));
    expect(waits[0]).toBe(0);
    expect(waits[1]).toBeGreaterThan(10_000);
  });
});

describe('endpoints controller', () => {
  it('lists ready pod IPs as addresses and the others as notReadyAddresses, sorted by IP', () => {
    const w = makeWorld({ jitter: 0, missingImages: ['registry/nope:1'] });
    w.api.create<K8sService>({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { tier: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    const good = deployment('good', { replicas: 2 });
    good.spec.template.metadata!.labels!.tier = 'web';
    const bad = deployment('bad', { replicas: 1, image: 'registry/nope:1' });
    bad.spec.template.metadata!.labels!.tier = 'web';
    w.api.create(good);
    w.api.create(bad);
    w.engine.run({ untilMs: 60_000 });
    const ep = w.api.get<Endpoints>(TYPE.endpoints, 'default', 'web') as Endpoints;
    const subset = ep.subsets?.[0] as NonNullable<Endpoints['subsets']>[number] & { ports?: unknown };
    const readyIps = readyPods(w, 'good')
      .map((p) => p.status?.podIP as string)
      .sort();
    expect(subset.addresses?.map((a) => a.ip)).toEqual(readyIps);
    expect(subset.notReadyAddresses?.map((a) => a.ip)).toEqual(podsOf(w, 'bad').map((p) => p.status?.podIP));
    expect(subset.ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
    // A terminating pod leaves the endpoints at once.
    const victim = must(readyPods(w, 'good')[0], 'a ready pod');
    w.api.delete(TYPE.pod, 'default', victim.metadata.name);
    w.engine.run({ untilMs: 60_050 });
    const after = w.api.get<Endpoints>(TYPE.endpoints, 'default', 'web') as Endpoints;
    expect(after.subsets?.[0]?.addresses?.map((a) => a.ip)).not.toContain(victim.status?.podIP);
  });

  it('leaves Endpoints of selector-less Services alone', () => {
    const w = makeWorld();
    w.api.create<K8sService>({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'manual', namespace: 'default' }, spec: { ports: [{ port: 80 }] } });
    w.api.create<Endpoints>({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'manual', namespace: 'default' },
      spec: undefined,
      subsets: [{ addresses: [{ ip: '10.9.9.9' }] }],
    });
    w.api.create(deployment('web', { replicas: 1 }));
    w.engine.run({ untilMs: 30_000 });
    expect(deepCopy(w.api.get<Endpoints>(TYPE.endpoints, 'default', 'manual')?.subsets)).toEqual([{ addresses: [{ ip: '10.9.9.9' }] }]);
  });
});
