/**
 * core/v1 and apps/v1 types that knsim's controllers use: Pod, Node, ConfigMap,
 * Service, Endpoints, Deployment, ReplicaSet. Only the fields the simulation reads
 * are typed; unknown fields in applied manifests are kept as they are.
 */
import type { Condition, KObject, LabelSelector } from './meta.js';

/** Type keys as the API server indexes them (`Kind` or `Kind.group`). */
export const TYPE = {
  pod: 'Pod',
  node: 'Node',
  configMap: 'ConfigMap',
  service: 'Service',
  endpoints: 'Endpoints',
  deployment: 'Deployment.apps',
  replicaSet: 'ReplicaSet.apps',
  horizontalPodAutoscaler: 'HorizontalPodAutoscaler.autoscaling',
  knService: 'Service.serving.knative.dev',
  configuration: 'Configuration.serving.knative.dev',
  revision: 'Revision.serving.knative.dev',
  route: 'Route.serving.knative.dev',
  podAutoscaler: 'PodAutoscaler.autoscaling.internal.knative.dev',
  serverlessService: 'ServerlessService.networking.internal.knative.dev',
  ingress: 'Ingress.networking.internal.knative.dev',
  domainMapping: 'DomainMapping.serving.knative.dev',
  clusterDomainClaim: 'ClusterDomainClaim.networking.internal.knative.dev',
} as const;

export interface ResourceList {
  cpu?: string;
  memory?: string;
}

export interface Probe {
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
  httpGet?: { path?: string; port?: number | string; host?: string; scheme?: string; httpHeaders?: { name: string; value: string }[] };
  tcpSocket?: { port?: number | string; host?: string };
  exec?: { command?: string[] };
  grpc?: { port?: number; service?: string };
}

export interface EnvVar {
  name: string;
  value?: string;
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

export interface Container {
  name?: string;
  image?: string;
  env?: EnvVar[];
  ports?: ContainerPort[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: ResourceList; limits?: ResourceList };
  args?: string[];
  command?: string[];
  /** Lifecycle hooks; knsim's kubelet runs the pre-stop hook its owner registers (the data plane's queue-proxy drain). */
  lifecycle?: { preStop?: { httpGet?: { path?: string; port?: number | string }; exec?: { command?: string[] } } };
}

export interface PodSpec {
  containers: Container[];
  nodeName?: string;
  /** What the kubelet does when a container exits: `Always` (the default, and what a Deployment's pods use), `OnFailure` or `Never`. */
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  terminationGracePeriodSeconds?: number;
  /** Knative: the revision's containerConcurrency, carried for the queue-proxy model. */
  containerConcurrency?: number;
  timeoutSeconds?: number;
  /** Knative: the revision's responseStartTimeoutSeconds and idleTimeoutSeconds (queue-proxy's env), absent when unset. */
  responseStartTimeoutSeconds?: number;
  idleTimeoutSeconds?: number;
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

/** How a container ended: its exit code, the runtime's reason (`Error`, `Completed`, `OOMKilled`…) and its termination message. */
export interface ContainerStateTerminated {
  exitCode: number;
  reason: string;
  message?: string;
  startedAt?: number;
  finishedAt?: number;
}

export interface ContainerStatus {
  name: string;
  image: string;
  ready: boolean;
  restartCount: number;
  started?: boolean;
  state: { waiting?: { reason: string; message?: string }; running?: { startedAt: number }; terminated?: ContainerStateTerminated };
  /** The previous instance's end, once the container has restarted or waits to (kubectl's "Last State"). */
  lastState?: { terminated?: ContainerStateTerminated };
  imageID?: string;
}

export interface PodStatus {
  phase: PodPhase;
  conditions?: Condition[];
  podIP?: string;
  hostIP?: string;
  startTime?: number;
  containerStatuses?: ContainerStatus[];
  /**
   * knsim: phases of this pod's cold start, filled by the kubelet for the explain view.
   * Times (`…At`) are virtual ms; durations end in `Ms`. `pulled` is true when at least one
   * image had to be pulled (false: all were in the node's image cache).
   */
  startup?: {
    scheduledAt?: number;
    pullMs?: number;
    pulled?: boolean;
    containerStartMs?: number;
    readyAt?: number;
    /** Kubelet saw the bound pod and began creating its sandbox. */
    syncStartedAt?: number;
    /** Pod sandbox and network ready (podIP assigned). */
    sandboxReadyAt?: number;
    /** Time waiting behind other pulls on the node (serialized image pulls). */
    pullWaitMs?: number;
    /** The last container started. */
    containersStartedAt?: number;
    /** The app's extra startup delay after its container started. */
    appStartupMs?: number;
  };
}

export type Pod = KObject<PodSpec, PodStatus>;

export interface NodeSpec {
  unschedulable?: boolean;
}

export interface NodeStatus {
  allocatable: { cpu: string; memory: string; pods?: string };
  capacity?: { cpu: string; memory: string; pods?: string };
  conditions?: Condition[];
  images?: { names: string[]; sizeBytes?: number }[];
  nodeInfo?: { kubeletVersion: string; containerRuntimeVersion?: string; osImage?: string; architecture?: string; operatingSystem?: string };
  addresses?: { type: string; address: string }[];
}

export type Node = KObject<NodeSpec, NodeStatus>;

export interface ConfigMap extends KObject<undefined, undefined> {
  data?: Record<string, string>;
}

export interface ServiceSpec {
  selector?: Record<string, string>;
  ports?: { name?: string; port: number; targetPort?: number | string }[];
  type?: string;
  clusterIP?: string;
  /** `type: ExternalName`: the DNS name the Service aliases (a Route's placeholder Services). */
  externalName?: string;
  sessionAffinity?: string;
}

export type K8sService = KObject<ServiceSpec, Record<string, never>>;

export interface EndpointAddress {
  ip: string;
  targetRef?: { kind: string; name: string; namespace?: string };
  nodeName?: string;
}

export interface Endpoints extends KObject<undefined, undefined> {
  subsets?: { addresses?: EndpointAddress[]; notReadyAddresses?: EndpointAddress[] }[];
}

export interface PodTemplateSpec {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; name?: string };
  spec: PodSpec;
}

interface DeploymentStrategy {
  type?: 'RollingUpdate' | 'Recreate';
  rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string };
}

export interface DeploymentSpec {
  replicas?: number;
  selector: LabelSelector;
  template: PodTemplateSpec;
  strategy?: DeploymentStrategy;
  minReadySeconds?: number;
  progressDeadlineSeconds?: number;
  revisionHistoryLimit?: number;
  paused?: boolean;
}

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: Condition[];
}

export type Deployment = KObject<DeploymentSpec, DeploymentStatus>;

export interface ReplicaSetSpec {
  replicas?: number;
  selector: LabelSelector;
  template: PodTemplateSpec;
  minReadySeconds?: number;
}

export interface ReplicaSetStatus {
  observedGeneration?: number;
  replicas: number;
  readyReplicas?: number;
  availableReplicas?: number;
  fullyLabeledReplicas?: number;
  conditions?: Condition[];
}

export type ReplicaSet = KObject<ReplicaSetSpec, ReplicaSetStatus>;

/** True when the pod is Running, Ready and not terminating (what Knative counts as a ready pod). */
export function isPodReady(pod: Pod): boolean {
  if (pod.metadata.deletionTimestamp !== undefined || pod.status?.phase !== 'Running') return false;
  return pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Parses a Kubernetes CPU quantity to millicores: `500m` → 500, `2` → 2000. */
export function parseCpuMillis(quantity: string | undefined): number {
  if (quantity === undefined || quantity === '') return 0;
  if (quantity.endsWith('m')) return parseFloat(quantity.slice(0, -1));
  return parseFloat(quantity) * 1000;
}

const MEMORY_SUFFIX: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** Parses a Kubernetes memory quantity to bytes: `128Mi` → 134217728, `1G` → 1e9. */
export function parseMemoryBytes(quantity: string | undefined): number {
  if (quantity === undefined || quantity === '') return 0;
  const [, digits, suffix] = /^([0-9.]+)([A-Za-z]*)$/.exec(quantity.trim()) ?? [];
  if (digits === undefined || suffix === undefined) return NaN;
  const factor = suffix === '' ? 1 : MEMORY_SUFFIX[suffix];
  return factor === undefined ? NaN : parseFloat(digits) * factor;
}
