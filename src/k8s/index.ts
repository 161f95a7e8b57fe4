/**
 * The Kubernetes layer: the fake API server, admission for the core kinds, and the
 * controllers that turn a Deployment into Ready pods (deployment → replicaset →
 * scheduler → kubelet → endpoints). `startKubernetes` wires them on one engine and API.
 */
import type { Engine } from '../engine/index.js';
import type { Node } from '../apis/core.js';
import type { ApiServer } from './api-server.js';
import { registerCoreKinds } from './core-kinds.js';
import { startHorizontalPodAutoscaling, type PodUsageSource } from './hpa/index.js';
import { startDeploymentController } from './deployment.js';
import { startEndpointsController } from './endpoints.js';
import { startKubelets, type KubeletHandle, type PreStopHook, type ProcessFactory } from './kubelet/index.js';
import { checkNodeProfiles, DEFAULT_MAX_PODS, DEFAULT_NODES, resolveClusterProfile, type ClusterProfile, type NodeProfile } from './profile.js';
import { startReplicaSetController } from './replicaset.js';
import { startScheduler, type SchedulerHandle } from './scheduler.js';

export * from './api-server.js';
export * from './controller.js';
export { POD_TEMPLATE_HASH_LABEL } from './deployment-util.js';
export type { ContainerExit, ContainerProcess, ContainerStart, KubeletHandle, PreStopHook, ProbeAnswer, ProbeKind, ProcessFactory } from './kubelet/index.js';
export { CRASH_BACKOFF_INITIAL_MS, CRASH_BACKOFF_MAX_MS, ContainerBackOff, defaultProcess, refusedMessage, timeoutMessage } from './kubelet/index.js';
export * from './profile.js';
export * from './rolling.js';
export {
  HPA_SYNC_PERIOD_MS,
  METRIC_RESOLUTION_MS,
  getResourceReplicas,
  getPlainMetricReplicas,
  normalizeDesiredReplicas,
  normalizeDesiredReplicasWithBehaviors,
  newHpaHistory,
  DEFAULT_REPLICA_CALC_OPTIONS,
  type HpaHistory,
  type Normalized,
  type PodMetric,
  type PodMetricsInfo,
  type ReplicaCalcOptions,
  type ReplicaCalcResult,
  type PodMetrics,
  type PodUsageReading,
  type PodUsageSource,
} from './hpa/index.js';
export type { SchedulerHandle } from './scheduler.js';
export {
  CORE_PRINTERS,
  findPrinter,
  kubectlList,
  objectsFor,
  printTable,
  renderJson,
  renderTable,
  renderYaml,
  resolveKind,
  toWire,
  type KindPrinter,
  type KubectlOutput,
  type PrinterColumn,
  type TableOptions,
} from './view.js';
export { KN_DESCRIBE, KN_TABLE, KUBECTL_TABLE, TabWriter, tabulate, type TabWriterOptions } from './tabwriter.js';

interface KubernetesOptions {
  engine: Engine;
  api: ApiServer;
  /** Overrides of the default cluster profile (or a full profile). */
  profile?: Partial<ClusterProfile>;
  /** Nodes to create; default three of 4 CPU / 16 GiB. */
  nodes?: readonly NodeProfile[];
}

export interface Kubernetes {
  /** The resolved profile in use. */
  profile: ClusterProfile;
  /** Registers the data plane's pre-stop hook (queue-proxy drain): call `done` when the pod may stop. */
  setPreStopHook(hook: PreStopHook | undefined): void;
  /** Registers what runs inside containers (the data plane's app models and queue-proxy); undefined: the default process. */
  setProcesses(factory: ProcessFactory | undefined): void;
  /** Adds a node to the running cluster (its kubelet starts; pending pods are retried). */
  addNode(node: NodeProfile): Node;
  scheduler: SchedulerHandle;
  kubelets: KubeletHandle;
  /** Where metrics-server reads pods' CPU and memory (the data plane's containers). */
  setPodUsageSource(source: PodUsageSource | undefined): void;
}

/** Registers the core kinds, creates the nodes and starts every Kubernetes controller. */
export function startKubernetes(options: KubernetesOptions): Kubernetes {
  const { engine, api } = options;
  const profile = resolveClusterProfile(options.profile);
  const nodes = options.nodes ?? DEFAULT_NODES;
  checkNodeProfiles(nodes);
  registerCoreKinds(api);
  let nodeCount = 0;
  const addNode = (n: NodeProfile): Node => api.create(makeNode(n, nodeCount++, profile, engine.nowMs));
  for (const n of nodes) addNode(n);
  const scheduler = startScheduler(engine, api, profile);
  const kubelets = startKubelets(engine, api, profile);
  startReplicaSetController(engine, api);
  startDeploymentController(engine, api);
  startEndpointsController(engine, api);
  const hpa = startHorizontalPodAutoscaling(engine, api);
  return {
    profile,
    setPreStopHook: (hook) => kubelets.setPreStopHook(hook),
    setProcesses: (factory) => kubelets.setProcesses(factory),
    addNode: (n) => {
      checkNodeProfiles([n]);
      return addNode(n);
    },
    scheduler,
    kubelets,
    setPodUsageSource: (source) => hpa.setPodUsageSource(source),
  };
}

/** A Ready node object for a node profile; `index` picks its host IP (192.168.0.<10 + index>). */
function makeNode(n: NodeProfile, index: number, profile: ClusterProfile, nowMs: number): Node {
  const pods = String(n.pods ?? DEFAULT_MAX_PODS);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: n.name,
      labels: { 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': n.name, 'kubernetes.io/os': 'linux', ...(n.labels ?? {}) },
    },
    spec: {},
    status: {
      capacity: { cpu: n.cpu, memory: n.memory, pods },
      allocatable: { cpu: n.cpu, memory: n.memory, pods },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastTransitionTime: nowMs }],
      addresses: [
        { type: 'InternalIP', address: `192.168.0.${10 + index}` },
        { type: 'Hostname', address: n.name },
      ],
      nodeInfo: {
        kubeletVersion: profile.kubernetesVersion,
        containerRuntimeVersion: 'containerd://1.7.27',
        osImage: 'Ubuntu 24.04.2 LTS',
        architecture: 'amd64',
        operatingSystem: 'linux',
      },
    },
  };
}
