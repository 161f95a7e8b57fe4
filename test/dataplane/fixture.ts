// A bare world for data plane tests: an engine, a fake API with nothing registered,
// and helpers that write Ingress, ServerlessService and Pod objects directly.
import { Engine } from '../../src/engine/index.js';
import { ApiServer } from '../../src/k8s/api-server.js';
import { deepCopy } from '../../src/apis/meta.js';
import type { Pod } from '../../src/apis/core.js';
import { LABEL, NETWORKING_API_VERSION, type IngressRule, type ServerlessService } from '../../src/apis/serving-types.js';
import type { ActivatorStat, ActivatorStatSink } from '../../src/autoscaler/stats.js';
import { startDataplane, type AppModelSpec, type DataplaneOptions, type RequestView } from '../../src/dataplane/index.js';

export interface Ended {
  id: number;
  status: number;
  revisionKey: string;
  podName: string;
  arrivalMs: number;
  serviceStartMs: number;
  endMs: number;
  activatorWaitMs: number;
  queueWaitMs: number;
  serviceMs: number;
  viaActivator: boolean;
  coldStart: boolean;
}

export interface PodOptions {
  cc?: number;
  ready?: boolean;
  ip?: string;
  timeoutSeconds?: number;
  image?: string;
}

/**
 * `openedStats`: the stats sink also opens a handle per revision (ActivatorStatSink.open); the
 * handle records what it is sent as a stat by name would, with the sink version it was opened at
 * (`openedAt`), and `bumpStatsVersion` makes every handle stale.
 */
export function makeWorld(seed: string | number, apps: Record<string, AppModelSpec> = {}, options: DataplaneOptions = {}, openedStats = false) {
  const engine = new Engine({ seed });
  const api = new ApiServer(engine);
  const activatorStats: (ActivatorStat & { atMs: number; openedAt?: number })[] = [];
  const ended: Ended[] = [];
  let statsVersion = 0;
  const stats: ActivatorStatSink = { reportActivatorStat: (stat) => activatorStats.push({ ...stat, atMs: engine.nowMs }) };
  if (openedStats) {
    stats.version = () => statsVersion;
    stats.open = (namespace, revision) => {
      const openedAt = statsVersion;
      return {
        report: (averageConcurrency, requestCount) =>
          activatorStats.push({ namespace, revision, averageConcurrency, requestCount, atMs: engine.nowMs, openedAt }),
      };
    };
  }
  const bumpStatsVersion = (): void => {
    statsVersion++;
  };
  const dp = startDataplane({
    engine,
    api,
    stats,
    apps,
    options: {
      routePropagationMs: 0,
      ...options,
      onRequestEnd: (r: RequestView) => {
        ended.push({
          id: r.id,
          status: r.status,
          revisionKey: r.revisionKey,
          podName: r.podName,
          arrivalMs: r.arrivalMs,
          serviceStartMs: r.serviceStartMs,
          endMs: r.endMs,
          activatorWaitMs: r.activatorWaitMs,
          queueWaitMs: r.queueWaitMs,
          serviceMs: r.serviceMs,
          viaActivator: r.viaActivator,
          coldStart: r.coldStart,
        });
        options.onRequestEnd?.(r);
      },
    },
  });

  function setIngress(name: string, rules: IngressRule[]): void {
    const obj = { apiVersion: NETWORKING_API_VERSION, kind: 'Ingress', metadata: { name, namespace: 'default' }, spec: { rules } };
    if (api.get('Ingress.networking.internal.knative.dev', 'default', name) === undefined) api.create(obj);
    else api.update(obj);
  }

  function route(host: string, splits: [string, number][], visibility: 'ExternalIP' | 'ClusterLocal' = 'ExternalIP'): IngressRule {
    return { hosts: [host], visibility, splits: splits.map(([revisionName, percent]) => ({ revisionName, serviceNamespace: 'default', percent })) };
  }

  function setSks(revision: string, mode: 'Serve' | 'Proxy', numActivators?: number): void {
    const obj: ServerlessService = {
      apiVersion: NETWORKING_API_VERSION,
      kind: 'ServerlessService',
      metadata: { name: revision, namespace: 'default' },
      spec: {
        mode,
        objectRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: `${revision}-deployment` },
        ...(numActivators === undefined ? {} : { numActivators }),
      },
    };
    if (api.get('ServerlessService.networking.internal.knative.dev', 'default', revision) === undefined) api.create(obj);
    else api.update(obj);
  }

  let podCounter = 0;
  function addPod(revision: string, options: PodOptions = {}): string {
    podCounter++;
    const name = `${revision}-deployment-p${podCounter}`;
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default', labels: { [LABEL.revision]: revision } },
      spec: {
        containers: [{ name: 'user-container', image: options.image ?? `img/${revision}` }],
        containerConcurrency: options.cc ?? 0,
        timeoutSeconds: options.timeoutSeconds ?? 300,
      },
      status: {
        phase: 'Running',
        podIP: options.ip ?? `10.0.0.${podCounter}`,
        conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True' }],
      },
    };
    api.create(pod);
    return name;
  }

  function setPodReady(name: string, ready: boolean): void {
    const pod = deepCopy(api.get<Pod>('Pod', 'default', name) as Pod);
    pod.status = { ...(pod.status as NonNullable<Pod['status']>), conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] };
    api.updateStatus(pod);
  }

  function deletePod(name: string): void {
    api.delete('Pod', 'default', name, { gracePeriodSeconds: 0 });
  }

  /** Runs the engine for `ms` more virtual milliseconds. */
  function run(ms: number): void {
    engine.run({ untilMs: engine.nowMs + ms });
  }

  return { engine, api, dp, activatorStats, bumpStatsVersion, ended, setIngress, route, setSks, addPod, setPodReady, deletePod, run };
}
