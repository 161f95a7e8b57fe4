/**
 * A small stand-in for Kubernetes and the autoscaler in serving tests: Deployments
 * become available `startupMs` after they are written (unless their image is listed
 * in `badImages`, which never pulls: after the progress deadline the Deployment reports
 * ProgressDeadlineExceeded and its pod waits in ImagePullBackOff), and PodAutoscalers of
 * available Deployments report ScaleTargetInitialized, Active and Ready.
 */
import { Engine } from '../../src/engine/index.js';
import { ApiServer } from '../../src/k8s/api-server.js';
import { TYPE, type Deployment, type Pod } from '../../src/apis/core.js';
import { deepCopy, makeControllerRef } from '../../src/apis/meta.js';
import type { KnService, PodAutoscaler } from '../../src/apis/serving-types.js';
import { startServing } from '../../src/serving/index.js';
import { followKn, parseKn, runKn } from '../../src/kn/index.js';

export interface World {
  engine: Engine;
  api: ApiServer;
  badImages: Set<string>;
  /** Runs a kn command line to completion (waiting in virtual time) and returns its output. */
  kn(line: string): { ok: boolean; output: string };
  settle(ms?: number): void;
  service(name: string): KnService;
}

export function makeWorld(options: { startupMs?: number; watchLatencyMs?: number } = {}): World {
  const engine = new Engine({ seed: 1 });
  const api = new ApiServer(engine, { watchLatencyMs: options.watchLatencyMs ?? 5 });
  const startupMs = options.startupMs ?? 2000;
  const badImages = new Set<string>();
  startServing({ engine, api });

  const isBad = (d: Deployment): boolean => d.spec.template.spec.containers.some((c) => badImages.has(c.image ?? ''));
  api.watch<Deployment>(TYPE.deployment, (e) => {
    if (e.type === 'DELETED') return;
    const name = e.object.metadata.name;
    const ns = e.object.metadata.namespace ?? 'default';
    const bad = isBad(e.object);
    engine.after(bad ? (e.object.spec.progressDeadlineSeconds ?? 600) * 1000 : startupMs, () => {
      const d = api.get<Deployment>(TYPE.deployment, ns, name);
      if (d === undefined) return;
      const replicas = d.spec.replicas ?? 0;
      const status = bad
        ? {
            replicas,
            readyReplicas: 0,
            availableReplicas: 0,
            conditions: [
              { type: 'Progressing', status: 'False' as const, reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${name}" has timed out progressing.` },
            ],
          }
        : {
            replicas,
            readyReplicas: replicas,
            availableReplicas: replicas,
            conditions: [{ type: 'Progressing', status: 'True' as const, reason: 'NewReplicaSetAvailable' }],
          };
      if (bad && api.list(TYPE.pod, { namespace: ns, selector: d.spec.selector }).length === 0) {
        const pod: Pod = {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `${name}-abcde`, namespace: ns, labels: d.spec.template.metadata?.labels, ownerReferences: [makeControllerRef(d)] },
          spec: deepCopy(d.spec.template.spec),
          status: {
            phase: 'Pending',
            containerStatuses: [
              {
                name: 'user-container',
                image: d.spec.template.spec.containers[0]?.image ?? '',
                ready: false,
                restartCount: 0,
                state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } },
              },
            ],
          },
        };
        api.create(pod);
      }
      api.updateStatus({ ...d, status });
    });
  });
  api.watch<PodAutoscaler>(TYPE.podAutoscaler, (e) => {
    if (e.type === 'DELETED') return;
    const pa = e.object;
    const d = api.get<Deployment>(TYPE.deployment, pa.metadata.namespace ?? '', pa.spec.scaleTargetRef.name);
    if (d === undefined || (d.status?.availableReplicas ?? 0) === 0) return;
    const t = engine.nowMs;
    const status = {
      serviceName: `${pa.metadata.name}-private`,
      desiredScale: d.spec.replicas,
      actualScale: d.status?.readyReplicas,
      conditions: ['Active', 'Ready', 'SKSReady', 'ScaleTargetInitialized'].map((type) => ({ type, status: 'True' as const, lastTransitionTime: t })),
    };
    if (JSON.stringify(pa.status?.conditions?.map((c) => c.type)) !== JSON.stringify(status.conditions.map((c) => c.type))) api.updateStatus({ ...pa, status });
  });
  // Deployment status changes also refresh the PA (the KPA watches its scale target).
  api.watch<Deployment>(TYPE.deployment, (e) => {
    if (e.type === 'DELETED') return;
    const pa = api.get<PodAutoscaler>(TYPE.podAutoscaler, e.object.metadata.namespace ?? '', e.object.metadata.name.replace(/-deployment$/, ''));
    if (pa !== undefined && (e.object.status?.availableReplicas ?? 0) > 0 && pa.status?.conditions === undefined) {
      const t = engine.nowMs;
      api.updateStatus({
        ...pa,
        status: {
          serviceName: `${pa.metadata.name}-private`,
          desiredScale: e.object.spec.replicas,
          actualScale: e.object.status?.readyReplicas,
          conditions: ['Active', 'Ready', 'SKSReady', 'ScaleTargetInitialized'].map((type) => ({ type, status: 'True' as const, lastTransitionTime: t })),
        },
      });
    }
  });

  const world: World = {
    engine,
    api,
    badImages,
    kn(line) {
      const parsed = parseKn(line);
      if (!parsed.ok) return { ok: false, output: `Error: ${parsed.error}` };
      const exec = runKn({ engine, api }, parsed.command);
      let result: { ok: boolean; output: string } | undefined;
      followKn({ engine, api }, exec, (r) => (result = r));
      while (result === undefined) {
        const outcome = engine.run({ untilMs: engine.nowMs + 1000, maxEvents: 1_000_000 });
        if (outcome.reason === 'event-limit') throw new Error('kn wait did not settle');
      }
      return result;
    },
    settle(ms = 5000) {
      engine.run({ untilMs: engine.nowMs + ms, maxEvents: 1_000_000 });
    },
    service(name) {
      return api.get<KnService>(TYPE.knService, 'default', name) as KnService;
    },
  };
  return world;
}
