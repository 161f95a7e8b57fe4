/**
 * The composition root: one engine, one fake API server, and every layer started on
 * them from a scenario: the Kubernetes controllers, the serving control plane, the
 * KPA, the data plane and the workloads. Only this module knows all the others.
 * The autoscaler and the data plane feed each other (scrapes one way, activator stats
 * the other), so each gets a small forwarding object instead of the other directly.
 */
import { Engine, type PlantedBug } from '../engine/index.js';
import type { ConfigMap } from '../apis/core.js';
import { setOwn } from '../apis/meta.js';
import { ApiServer } from '../k8s/api-server.js';
import { startKubernetes, type ClusterProfile, type ImageProfile } from '../k8s/index.js';
import { QUEUE_SIDECAR_IMAGE, startServing } from '../serving/index.js';
import { startAutoscaler, type AutoscalerHandle, type ActivatorStat, type PodStat, type PodStatHandle } from '../autoscaler/index.js';
import { DEFAULT_APP_MODEL, startDataplane, type AppModelSpec, type Dataplane, type RequestView } from '../dataplane/index.js';
import { clusterProfileOverrides, nodeProfilesOf, type Scenario } from '../scenario/index.js';

/** Everything a running simulation is made of. */
export interface World {
  engine: Engine;
  api: ApiServer;
  autoscaler: AutoscalerHandle;
  dataplane: Dataplane;
}

export interface WorldOptions {
  /** Overrides the scenario's seed. */
  seed?: string | number;
  /** Keep the data plane's per-second series (off for benchmarks, so memory follows live state). Default true. */
  perSecondSeries?: boolean;
  /** Called once per request as it ends (expectations, closed-loop users). */
  onRequestEnd?: (view: RequestView) => void;
  /** Test seam (src/engine/planted-bugs.ts): bugs planted on purpose to prove that checks find them. */
  plantedBugs?: readonly PlantedBug[];
}

/** Builds the world of a scenario at virtual time 0; nothing has happened yet. */
export function buildWorld(scenario: Scenario, options: WorldOptions = {}): World {
  const engine = new Engine({ seed: options.seed ?? scenario.seed });
  const api = new ApiServer(engine, { watchLatencyMs: scenario.cluster.apiLatencyMs ?? DEFAULT_API_LATENCY_MS });
  for (const cm of scenario.config) {
    api.create<ConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: cm.name, namespace: cm.namespace }, spec: undefined, data: { ...cm.data } });
  }

  const kubernetes = startKubernetes({ engine, api, profile: clusterProfileOf(scenario), nodes: nodeProfilesOf(scenario.cluster) });
  // The registry lacks the scenario's missing images: Knative's digest resolution fails for them (ContainerMissing).
  const missing = new Set(scenario.cluster.missingImages);
  startServing({ engine, api, registry: { has: (image) => !missing.has(image) } });

  // The scraper reads the data plane's queue-proxies; the activator reports to the autoscaler.
  const bridge: { dataplane?: Dataplane } = {};
  const autoscaler = startAutoscaler({
    engine,
    api,
    podStats: {
      scrape: (namespace: string, podName: string): PodStat | undefined => bridge.dataplane?.podStats.scrape(namespace, podName),
      open: (namespace: string, podName: string): PodStatHandle | undefined => bridge.dataplane?.podStats.open?.(namespace, podName),
      // -1 until the data plane is there, so that what was opened before is opened again then.
      version: (): number => bridge.dataplane?.podStats.version?.() ?? -1,
    },
    plantedBugs: options.plantedBugs ?? [],
  });
  const dataplane = startDataplane({
    engine,
    api,
    stats: {
      reportActivatorStat: (stat: ActivatorStat) => autoscaler.reportActivatorStat(stat),
      open: (namespace: string, revision: string) => autoscaler.open(namespace, revision),
      version: () => autoscaler.version(),
    },
    apps: appModelsOf(scenario),
    options: {
      routePropagationMs: scenario.cluster.routePropagationMs,
      activators: scenario.cluster.activators,
      onRequestEnd: options.onRequestEnd,
      perSecondSeries: options.perSecondSeries,
    },
  });
  bridge.dataplane = dataplane;
  // The queue-proxy drains before its pod stops; what runs in each container (start-up,
  // crashes, probe answers) comes from the same app model the data plane serves with
  // (matched by image, tag-insensitive).
  kubernetes.setPreStopHook(dataplane.preStopHook);
  kubernetes.setPodUsageSource(dataplane.podUsage);
  dataplane.setContainerTerminator((namespace, podName, container, exit) => kubernetes.kubelets.terminateContainer(namespace, podName, container, exit));
  kubernetes.setProcesses(dataplane.processes);
  return { engine, api, autoscaler, dataplane };
}

/** Estimated compressed size of the queue-proxy image. */
const QUEUE_SIDECAR_IMAGE_BYTES = 20_000_000;

/** Watch latency of the fake API server: a few ms, as informers see writes on a healthy cluster. */
const DEFAULT_API_LATENCY_MS = 5;

function clusterProfileOf(scenario: Scenario): Partial<ClusterProfile> {
  const profile = clusterProfileOverrides(scenario.cluster);
  // The queue-proxy sidecar's image: a static Go binary on a small base image. 20 MB is an
  // estimate of its compressed size (scenarios can override it under coldStart.imagePull.images).
  const images: Record<string, ImageProfile> = { [QUEUE_SIDECAR_IMAGE]: { sizeBytes: QUEUE_SIDECAR_IMAGE_BYTES } };
  for (const [image, entry] of Object.entries(profile.images ?? {})) {
    setOwn(images, image, { ...(Object.hasOwn(images, image) ? images[image] : {}), ...entry });
  }
  profile.images = images;
  return profile;
}

/** The app models of a scenario by image, as the data plane gets them. */
export function appModelsOf(scenario: Scenario): Record<string, AppModelSpec> {
  const apps: Record<string, AppModelSpec> = {};
  for (const app of scenario.apps) {
    const spec: AppModelSpec = { serviceTime: app.serviceTime ?? DEFAULT_APP_MODEL.serviceTime };
    if (app.errorRate > 0) spec.errorRate = app.errorRate;
    if (app.startupDelayMs !== undefined) spec.startupDelayMs = app.startupDelayMs;
    if (app.firstByte !== undefined) spec.firstByte = app.firstByte;
    if (app.streamIntervalMs !== undefined) spec.streamIntervalMs = app.streamIntervalMs;
    if (app.failure !== undefined) spec.failure = app.failure;
    if (app.cpuPerRequestMs !== undefined) spec.cpuPerRequestMs = app.cpuPerRequestMs;
    if (app.idleCpuMillis !== undefined) spec.idleCpuMillis = app.idleCpuMillis;
    if (app.memoryPerRequestBytes !== undefined) spec.memoryPerRequestBytes = app.memoryPerRequestBytes;
    if (app.baseMemoryBytes !== undefined) spec.baseMemoryBytes = app.baseMemoryBytes;
    setOwn(apps, app.image, spec);
  }
  return apps;
}
