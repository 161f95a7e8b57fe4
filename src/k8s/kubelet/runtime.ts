/**
 * What runs inside a container, as the kubelet's runtime sees it: a process that starts,
 * answers (or not) the probes the kubelet sends, may exit on its own, and is stopped by
 * the kubelet. The kubelet knows nothing of what the code in the image does; whoever
 * models that (the data plane's app models and queue-proxy) registers a ProcessFactory.
 * Without one, every container runs the default process: it listens once its image's
 * start-up time (`ClusterProfile.images[image].startupMs`) has passed and never fails.
 *
 * Fidelity: a process is a schedule of states, not code: a probe's answer and how long
 * it takes are computed when the probe is sent (a TCP connect to a port nobody listens
 * on is refused at once; a process that does not answer lets the probe time out).
 *
 * Mirrors the boundary between kubernetes pkg/kubelet/kuberuntime (StartContainer,
 * KillContainer, the container's exit seen by PLEG) and pkg/kubelet/prober (the probe
 * runners: tcp_runner.go, http_runner.go, exec_runner.go, grpc_runner.go).
 */
import type { Container, Pod, Probe } from '../../apis/core.js';

/** The three probes a container can have. */
export type ProbeKind = 'readiness' | 'liveness' | 'startup';

/** One probe's outcome, `afterMs` after it was sent (never more than its timeout). */
export interface ProbeAnswer {
  ok: boolean;
  afterMs: number;
  /** Why it failed, in the words of the kubelet's event (`HTTP probe failed with statuscode: 503`). */
  message?: string;
}

/**
 * How a container ended: exit code, the runtime's reason (`Error` for a non-zero exit,
 * `Completed` for 0, `OOMKilled`…) and its termination message.
 */
export interface ContainerExit {
  exitCode: number;
  reason: string;
  message?: string;
}

/** One run of one container's process. */
export interface ContainerProcess {
  /** How long after its start the process planned to begin answering (for the cold-start breakdown). */
  readonly startupMs: number;
  /** Runs one probe now; the answer arrives `afterMs` later, at most `timeoutMs`. */
  probe(kind: ProbeKind, probe: Probe, timeoutMs: number): ProbeAnswer;
  /**
   * The kubelet stopped the process (SIGTERM, then its exit or SIGKILL): it is gone.
   * `podTerminating` when the whole pod is going away, false when only this container
   * is restarted (a failed liveness or startup probe).
   */
  stopped(podTerminating: boolean): void;
}

/** What a ProcessFactory is told when a container starts. */
export interface ContainerStart {
  pod: Pod;
  container: Container;
  /** Earlier runs of this container in this pod (0 on the first start). */
  restartCount: number;
  /** The process exits on its own (a crash, a failed start-up): call at most once, never after `stopped`. */
  exit(e: ContainerExit): void;
}

/** Starts the process of a container. */
export type ProcessFactory = (start: ContainerStart) => ContainerProcess;

/** The exit code and reason of a container the kubelet stopped with SIGTERM (128 + 15). */
export const SIGTERM_EXIT: Readonly<ContainerExit> = Object.freeze({ exitCode: 143, reason: 'Error' });

/**
 * The default process: listens `startupMs` after it started and answers every probe
 * from then on; before that, connections are refused (TCP, HTTP and gRPC probes fail at
 * once) and an exec probe's command fails.
 */
export function defaultProcess(startupMs: number, startedAtMs: number, clock: { readonly nowMs: number }): ContainerProcess {
  const listensAtMs = startedAtMs + startupMs;
  return {
    startupMs,
    probe: (_kind, probe) => (clock.nowMs >= listensAtMs ? { ok: true, afterMs: 0 } : { ok: false, afterMs: 0, message: refusedMessage(probe) }),
    stopped: () => undefined,
  };
}

/** The kubelet's message for a probe whose connection was refused (or whose command failed). */
export function refusedMessage(probe: Probe): string {
  if (probe.exec !== undefined) return 'command failed: exit code 1';
  const port = probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port ?? '';
  if (probe.httpGet !== undefined)
    return `Get "http://${probe.httpGet.host ?? 'localhost'}:${port}${probe.httpGet.path ?? '/'}": dial tcp: connect: connection refused`;
  return `dial tcp :${port}: connect: connection refused`;
}

/** The kubelet's message for a probe that got no answer within its timeout. */
export function timeoutMessage(probe: Probe, timeoutMs: number): string {
  const seconds = `${timeoutMs / 1000}s`;
  if (probe.exec !== undefined) return `command timed out after ${seconds}`;
  if (probe.httpGet !== undefined)
    return `Get "http://${probe.httpGet.host ?? 'localhost'}:${probe.httpGet.port ?? ''}${probe.httpGet.path ?? '/'}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`;
  return `timeout: failed to connect service within ${seconds}`;
}
