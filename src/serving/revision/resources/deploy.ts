/**
 * The Deployment that runs a revision's pods: the user container plus the queue-proxy
 * sidecar. Fidelity: knative/serving pkg/reconciler/revision/resources/{deploy,queue}.go.
 * - replicas at creation = initial scale: the revision's `initial-scale` annotation,
 *   else config-autoscaler `initial-scale` (default 1); afterwards the KPA owns it.
 * - progressDeadlineSeconds = the `serving.knative.dev/progress-deadline` annotation, else
 *   config-deployment `progress-deadline` (600s).
 * - RollingUpdate with maxUnavailable 0 (maxSurge stays Kubernetes' 25%), revisionHistoryLimit 0.
 * - terminationGracePeriodSeconds = timeoutSeconds, so in-flight requests can drain.
 * - the queue-proxy requests cpu 25m (queue-sidecar-cpu-request default).
 * - probes: the serving container's HTTP, TCP or gRPC readiness probe moves into
 *   queue-proxy: queue-proxy's own readiness probe is the user's (period, thresholds,
 *   delays) with an httpGet of queue-proxy's port and the `K-Network-Probe: queue`
 *   header, and the user's probe, aimed at 127.0.0.1 and the user port, reaches
 *   queue-proxy as JSON in SERVING_READINESS_PROBE (queue-proxy runs it against the user
 *   container, aggressively when periodSeconds is 0). An exec readiness probe stays on
 *   the user container (queue-proxy then probes the port over TCP); liveness and startup
 *   probes stay, a liveness probe aimed at the user port.
 * knsim also copies containerConcurrency and the three timeouts into the PodSpec fields of
 * the same name: in Knative they reach the queue-proxy as env vars (CONTAINER_CONCURRENCY,
 * REVISION_TIMEOUT_SECONDS, REVISION_RESPONSE_START_TIMEOUT_SECONDS,
 * REVISION_IDLE_TIMEOUT_SECONDS; 0 when unset, where knsim leaves the last two out); here
 * the data plane's queue-proxy model reads them there.
 * Simplified: no preStop hook objects, no volume mounts, no anti-affinity, no env from
 * the downward API, no multi-container probing of sidecars.
 */
import type { Container, Deployment, PodSpec, Probe } from '../../../apis/core.js';
import { deepCopy, makeControllerRef } from '../../../apis/meta.js';
import type { Revision } from '../../../apis/serving-types.js';
import { readInitialScale, readProgressDeadlineMs } from '../../../apis/autoscaling-annotations.js';
import { DEFAULT_REVISION_TIMEOUT_SECONDS } from '../../../apis/serving-defaults.js';
import { deploymentName } from './names.js';
import { makeAnnotations, makeLabels, makeSelector } from './meta.js';

export const QUEUE_CONTAINER_NAME = 'queue-proxy';
/** The queue-proxy image, as config-deployment `queue-sidecar-image` names it in a release. */
export const QUEUE_SIDECAR_IMAGE = 'gcr.io/knative-releases/knative.dev/serving/cmd/queue';
const QUEUE_SIDECAR_CPU_REQUEST = '25m';
/** The port the user container listens on when no port is given (Knative's default). */
const DEFAULT_USER_PORT = 8080;
const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

interface DeploymentInputs {
  /** config-autoscaler initial-scale (default 1). */
  initialScale: number;
  /** config-deployment progress-deadline in seconds (default 600). */
  progressDeadlineSeconds?: number;
}

/** Replicas at creation: the annotation (already validated by the webhook) wins over the config. */
function initialReplicas(rev: Revision, configInitialScale: number): number {
  return readInitialScale(rev.metadata.annotations) ?? configInitialScale;
}

/** progressDeadlineSeconds: the revision annotation (whole seconds) or the config value. */
function progressDeadlineSeconds(rev: Revision, configSeconds: number | undefined): number {
  const ms = readProgressDeadlineMs(rev.metadata.annotations);
  if (ms !== undefined && ms > 0) return Math.floor(ms / 1000);
  return configSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS;
}

/** queue-proxy's serving port, which the kubelet's readiness probe of queue-proxy calls. */
const QUEUE_SERVING_PORT = 8012;
/** The header that makes queue-proxy answer a probe by probing the user container (knative/networking ProbeKey, value queue.Name). */
const PROBE_HEADER = { name: 'K-Network-Probe', value: 'queue' };

/** The serving container's port: its first containerPort, else Knative's default 8080. */
function userPort(rev: Revision): number {
  const containers = rev.spec.containers ?? [];
  const serving = containers.find((c) => (c.ports?.length ?? 0) > 0) ?? containers[0];
  return serving?.ports?.[0]?.containerPort || DEFAULT_USER_PORT;
}

/**
 * The user's readiness probe as queue-proxy runs it (applyReadinessProbeDefaults): aimed
 * at 127.0.0.1 and the probe's own port or the user port; an exec probe becomes TCP;
 * with a period, a timeout of at least 1 s.
 */
function userProbeForQueueProxy(p: Probe, port: number): Probe {
  const out: Probe = deepCopy(p);
  const own = (v: number | string | undefined): number => (typeof v === 'number' && v !== 0 ? v : port);
  if (out.httpGet !== undefined) out.httpGet = { ...out.httpGet, host: '127.0.0.1', port: own(out.httpGet.port), scheme: out.httpGet.scheme ?? 'HTTP' };
  else if (out.tcpSocket !== undefined) out.tcpSocket = { host: '127.0.0.1', port: own(out.tcpSocket.port) };
  else if (out.grpc !== undefined) out.grpc = { ...out.grpc, port: own(out.grpc.port) };
  else if (out.exec !== undefined) {
    delete out.exec;
    out.tcpSocket = { host: '127.0.0.1', port };
  }
  if ((out.periodSeconds ?? 0) > 0 && (out.timeoutSeconds ?? 0) < 1) out.timeoutSeconds = 1;
  return out;
}

function makeUserContainer(rev: Revision, container: Container, serving: boolean): Container {
  const out: Container = deepCopy(container);
  // HTTP, TCP and gRPC readiness probes are run by queue-proxy, not the kubelet.
  const r = out.readinessProbe;
  if (r !== undefined && (r.httpGet !== undefined || r.tcpSocket !== undefined || r.grpc !== undefined)) delete out.readinessProbe;
  if (!serving) return out;
  const port = container.ports?.[0]?.containerPort ?? DEFAULT_USER_PORT;
  const live = out.livenessProbe;
  if (live?.httpGet !== undefined && typeof live.httpGet.port !== 'number') live.httpGet.port = port;
  if (live?.tcpSocket !== undefined && typeof live.tcpSocket.port !== 'number') live.tcpSocket.port = port;
  const env = (container.env ?? []).filter((e) => !['PORT', 'K_REVISION', 'K_CONFIGURATION', 'K_SERVICE'].includes(e.name));
  env.push(
    { name: 'PORT', value: String(port) },
    { name: 'K_REVISION', value: rev.metadata.name },
    { name: 'K_CONFIGURATION', value: rev.metadata.labels?.['serving.knative.dev/configuration'] ?? '' },
    { name: 'K_SERVICE', value: rev.metadata.labels?.['serving.knative.dev/service'] ?? '' },
  );
  out.env = env;
  out.ports = [{ name: container.ports?.[0]?.name ?? 'user-port', containerPort: port, protocol: 'TCP' }];
  return out;
}

function makeQueueContainer(rev: Revision): Container {
  const containers = rev.spec.containers ?? [];
  const user = containers.find((c) => (c.ports?.length ?? 0) > 0) ?? containers[0];
  const userProbe = user?.readinessProbe;
  const env = [
    { name: 'SERVING_REVISION', value: rev.metadata.name },
    { name: 'CONTAINER_CONCURRENCY', value: String(rev.spec.containerConcurrency ?? 0) },
    { name: 'REVISION_TIMEOUT_SECONDS', value: String(rev.spec.timeoutSeconds ?? DEFAULT_REVISION_TIMEOUT_SECONDS) },
    // Knative always writes these two (0 when unset); knsim only when set, so the pod template (and its hash) stays as it was for revisions without them.
    ...(rev.spec.responseStartTimeoutSeconds !== undefined
      ? [{ name: 'REVISION_RESPONSE_START_TIMEOUT_SECONDS', value: String(rev.spec.responseStartTimeoutSeconds) }]
      : []),
    ...(rev.spec.idleTimeoutSeconds !== undefined ? [{ name: 'REVISION_IDLE_TIMEOUT_SECONDS', value: String(rev.spec.idleTimeoutSeconds) }] : []),
    { name: 'USER_PORT', value: String(userPort(rev)) },
  ];
  const queue: Container = {
    name: QUEUE_CONTAINER_NAME,
    image: QUEUE_SIDECAR_IMAGE,
    ports: [
      { name: 'http-queueadm', containerPort: 8022, protocol: 'TCP' },
      { name: 'http-autometric', containerPort: 9090, protocol: 'TCP' },
      { name: 'http-usermetric', containerPort: 9091, protocol: 'TCP' },
      { name: 'queue-port', containerPort: 8012, protocol: 'TCP' },
    ],
    env,
    resources: { requests: { cpu: QUEUE_SIDECAR_CPU_REQUEST } },
  };
  if (userProbe !== undefined) {
    // queue-proxy's probe is the user's timing with queue-proxy's own handler.
    const qp: Probe = deepCopy(userProbe);
    delete qp.tcpSocket;
    delete qp.exec;
    delete qp.grpc;
    qp.httpGet = { port: QUEUE_SERVING_PORT, httpHeaders: [{ ...PROBE_HEADER }] };
    queue.readinessProbe = qp;
    env.push({ name: 'SERVING_READINESS_PROBE', value: JSON.stringify(userProbeForQueueProxy(userProbe, userPort(rev))) });
  }
  return queue;
}

function makePodSpec(rev: Revision): PodSpec {
  const containers = rev.spec.containers ?? [];
  const servingIndex = Math.max(
    0,
    containers.findIndex((c) => (c.ports?.length ?? 0) > 0),
  );
  const timeoutSeconds = rev.spec.timeoutSeconds ?? DEFAULT_REVISION_TIMEOUT_SECONDS;
  const spec: PodSpec = {
    containers: [...containers.map((c, i) => makeUserContainer(rev, c, i === servingIndex)), makeQueueContainer(rev)],
    terminationGracePeriodSeconds: timeoutSeconds,
    containerConcurrency: rev.spec.containerConcurrency ?? 0,
    timeoutSeconds,
  };
  if (rev.spec.responseStartTimeoutSeconds !== undefined) spec.responseStartTimeoutSeconds = rev.spec.responseStartTimeoutSeconds;
  if (rev.spec.idleTimeoutSeconds !== undefined) spec.idleTimeoutSeconds = rev.spec.idleTimeoutSeconds;
  return spec;
}

/** The desired Deployment of a revision. */
export function makeDeployment(rev: Revision, inputs: DeploymentInputs): Deployment {
  const labels = makeLabels(rev);
  const annotations = makeAnnotations(rev);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: deploymentName(rev.metadata.name),
      namespace: rev.metadata.namespace,
      labels,
      annotations,
      ownerReferences: [makeControllerRef(rev)],
    },
    spec: {
      replicas: initialReplicas(rev, inputs.initialScale),
      selector: makeSelector(rev),
      progressDeadlineSeconds: progressDeadlineSeconds(rev, inputs.progressDeadlineSeconds),
      revisionHistoryLimit: 0,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } },
      template: { metadata: { labels, annotations }, spec: makePodSpec(rev) },
    },
  };
}
