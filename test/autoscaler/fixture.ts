// A minimal fake cluster for autoscaler tests: a Deployment's replicas become Pods that turn
// Ready after `podStartMs`, an Endpoints object `<revision>-private` lists ready pods, and a
// synthetic PodStatSource reports a step load averaged over each 1s period (as queue-proxy does).
import { Engine } from '../../src/engine/index.js';
import { ApiServer } from '../../src/k8s/api-server.js';
import { deepCopy } from '../../src/apis/meta.js';
import { isPodReady, TYPE, type Deployment, type Endpoints, type Pod } from '../../src/apis/core.js';
import { AUTOSCALING_API_VERSION, LABEL, type PodAutoscaler } from '../../src/apis/serving-types.js';
import { startAutoscaler, type AutoscalerHandle, type PodStatSource } from '../../src/autoscaler/index.js';

export interface World {
  engine: Engine;
  api: ApiServer;
  autoscaler: AutoscalerHandle;
  /** Sets the revision-wide concurrency from now on. */
  setLoad(concurrency: number): void;
  replicas(): number;
  readyPods(): number;
  pa(): PodAutoscaler;
  /** Virtual times at which the Deployment's replicas changed, with the new value. */
  replicaChanges: { t: number; replicas: number }[];
  /** The structured data of every narrated autoscaler decision, oldest first. */
  decisions: Record<string, unknown>[];
}

export interface WorldOptions {
  annotations?: Record<string, string>;
  containerConcurrency?: number;
  podStartMs?: number;
  configAutoscaler?: Record<string, string>;
  /** Pods never become Ready (failed image pull). */
  podsNeverReady?: boolean;
  seed?: number;
}

export const NS = 'default';
export const REV = 'hello-00001';

export function makeWorld(options: WorldOptions = {}): World {
  const engine = new Engine({ seed: options.seed ?? 1 });
  const api = new ApiServer(engine, { watchLatencyMs: 0 });
  const podStartMs = options.podStartMs ?? 1000;
  // Step load history: [fromMs, concurrency] segments.
  const segments: [number, number][] = [[0, 0]];
  const loadAverage = (fromMs: number, toMs: number): number => {
    let area = 0;
    for (const [i, [segmentFromMs, concurrency]] of segments.entries()) {
      const a = Math.max(fromMs, segmentFromMs);
      const b = Math.min(toMs, segments[i + 1]?.[0] ?? Infinity);
      if (b > a) area += (b - a) * concurrency;
    }
    return area / (toMs - fromMs);
  };
  const podStats: PodStatSource = {
    scrape(namespace, podName) {
      const pod = api.get<Pod>(TYPE.pod, namespace, podName);
      if (pod === undefined || !isPodReady(pod)) return undefined;
      const ready = api.list<Pod>(TYPE.pod, { namespace, selector: { [LABEL.revision]: REV } }).filter(isPodReady).length;
      const now = engine.nowMs;
      const avg = loadAverage(now - 1000, now) / Math.max(1, ready);
      return {
        podName,
        averageConcurrency: avg,
        averageProxiedConcurrency: 0,
        requestCount: avg,
        proxiedRequestCount: 0,
        processUptimeSeconds: (now - (pod.status?.startTime ?? 0)) / 1000,
      };
    },
  };
  if (options.configAutoscaler !== undefined) {
    api.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'config-autoscaler', namespace: 'knative-serving' },
      data: options.configAutoscaler,
    } as never);
  }
  const autoscaler = startAutoscaler({ engine, api, podStats });
  const decisions: Record<string, unknown>[] = [];
  engine.onTrace((e) => {
    if (e.component === 'autoscaler' && e.data !== undefined) decisions.push(e.data);
  });
  const replicaChanges: { t: number; replicas: number }[] = [];
  let podCounter = 0;

  const syncPods = (d: Deployment): void => {
    const want = d.spec.replicas ?? 1;
    const pods = api.list<Pod>(TYPE.pod, { namespace: NS, selector: { [LABEL.revision]: REV } }).filter((p) => p.metadata.deletionTimestamp === undefined);
    for (let i = pods.length; i < want; i++) {
      const pod = api.create<Pod>({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `${REV}-deployment-${++podCounter}`, namespace: NS, labels: { [LABEL.revision]: REV } },
        spec: { containers: [{ name: 'user-container' }] },
        status: { phase: 'Pending' },
      });
      if (options.podsNeverReady) continue;
      engine.after(podStartMs, () => {
        const cur = api.get<Pod>(TYPE.pod, NS, pod.metadata.name);
        if (cur === undefined) return;
        const next = deepCopy(cur);
        next.status = {
          phase: 'Running',
          startTime: engine.nowMs,
          podIP: `10.0.0.${podCounter}`,
          conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: engine.nowMs }],
        };
        api.updateStatus(next);
      });
    }
    // Delete the newest first, as the ReplicaSet controller prefers not-ready and younger pods.
    for (const pod of pods.slice(want).reverse()) api.delete(TYPE.pod, NS, pod.metadata.name, { gracePeriodSeconds: 0 });
  };
  api.watch<Deployment>(TYPE.deployment, (e) => {
    if (e.type === 'DELETED') return;
    if (e.oldObject?.spec.replicas !== e.object.spec.replicas) replicaChanges.push({ t: engine.nowMs, replicas: e.object.spec.replicas ?? 1 });
    syncPods(e.object);
  });
  api.watch<Pod>(TYPE.pod, () => {
    const ready = api.list<Pod>(TYPE.pod, { namespace: NS, selector: { [LABEL.revision]: REV } }).filter(isPodReady);
    const name = `${REV}-private`;
    const subsets =
      ready.length === 0
        ? []
        : [{ addresses: ready.map((p) => ({ ip: p.status?.podIP ?? '', targetRef: { kind: 'Pod', name: p.metadata.name, namespace: NS } })) }];
    const cur = api.get<Endpoints>(TYPE.endpoints, NS, name);
    if (cur === undefined) api.create<Endpoints>({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: NS }, spec: undefined, subsets });
    else {
      const next = deepCopy(cur);
      next.subsets = subsets;
      api.update(next);
    }
  });

  api.create<Deployment>({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `${REV}-deployment`, namespace: NS, labels: { [LABEL.revision]: REV } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { [LABEL.revision]: REV } },
      template: { metadata: { labels: { [LABEL.revision]: REV } }, spec: { containers: [{ name: 'user-container' }] } },
    },
  });
  api.create<PodAutoscaler>({
    apiVersion: AUTOSCALING_API_VERSION,
    kind: 'PodAutoscaler',
    metadata: { name: REV, namespace: NS, labels: { [LABEL.revision]: REV }, annotations: options.annotations ?? {} },
    spec: {
      containerConcurrency: options.containerConcurrency ?? 0,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: `${REV}-deployment` },
      reachability: 'Reachable',
    },
  });

  return {
    engine,
    api,
    autoscaler,
    replicaChanges,
    decisions,
    setLoad(concurrency: number) {
      segments.push([engine.nowMs, concurrency]);
    },
    replicas: () => api.get<Deployment>(TYPE.deployment, NS, `${REV}-deployment`)?.spec.replicas ?? 1,
    readyPods: () => api.list<Pod>(TYPE.pod, { namespace: NS, selector: { [LABEL.revision]: REV } }).filter(isPodReady).length,
    pa: () => api.get<PodAutoscaler>(TYPE.podAutoscaler, NS, REV) as PodAutoscaler,
  };
}

/** Runs until `untilMs`, then calls `fn` at that time. */
export function at(world: World, tMs: number, fn: () => void): void {
  world.engine.at(tMs, fn);
}
