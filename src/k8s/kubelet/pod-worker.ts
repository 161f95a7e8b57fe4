/**
 * What one kubelet knows of one pod it runs: the pod worker of the real kubelet, with the
 * container runtime's view of each container (its process, restarts, last termination),
 * the probe workers of each container and the timings behind the pod's cold start.
 * Plain records; the kubelet (kubelet.ts), the prober (prober.ts) and the restart logic
 * (restarts/) move them through their steps.
 *
 * Mirrors kubernetes pkg/kubelet/pod_workers.go (one worker per pod), the runtime's
 * container states (kuberuntime) and pkg/kubelet/prober/worker.go (one worker per probe).
 */
import type { EventHandle } from '../../engine/index.js';
import { must } from '../../engine/assert.js';
import type { ContainerStateTerminated, Probe } from '../../apis/core.js';
import type { ContainerProcess, ProbeKind } from './runtime.js';

export type ContainerPhase = 'waiting' | 'running' | 'terminated';

/** What a container-level timer leads to: a restart, a back-off resync, or the end of a SIGTERM'd process. */
export type ContainerStep = 'restart' | 'backoff' | 'stop';

/** One container as the runtime sees it. */
export interface ContainerRuntime {
  readonly worker: PodWorker;
  readonly index: number;
  name: string;
  image: string;
  phase: ContainerPhase;
  waitingReason: string;
  waitingMessage?: string;
  startedAtMs?: number;
  /** The kubelet's ready verdict: running, started, and its readiness probe (if any) succeeded. */
  ready: boolean;
  /** Its startup probe passed (or it has none) while running. */
  started: boolean;
  /** Earlier runs of this container in this pod. */
  restartCount: number;
  /** How the current run ended (phase `terminated`). */
  terminated?: ContainerStateTerminated;
  /** How the previous run ended, once it has restarted or waits to. */
  lastTerminated?: ContainerStateTerminated;
  /** The running process (null when none runs). */
  process: ContainerProcess | null;
  /** SIGTERM was sent to restart it (a failed liveness or startup probe): it is on its way out. */
  stopping: boolean;
  /** Its probe workers: readiness, liveness, startup — whichever the container has. */
  probes: ProbeWorker[];
  /** A restart, a back-off resync or the end of a stop. */
  timer: EventHandle | null;
  step: ContainerStep | null;
}

/** One probe of one container: its settings and the state of its worker loop. */
export interface ProbeWorker {
  readonly c: ContainerRuntime;
  readonly kind: ProbeKind;
  readonly spec: Probe;
  readonly periodMs: number;
  readonly timeoutMs: number;
  readonly initialDelayMs: number;
  readonly successThreshold: number;
  readonly failureThreshold: number;
  /** The next tick of its period. */
  tick: EventHandle | null;
  /** A probe sent and not yet answered. */
  answer: EventHandle | null;
  answerOk: boolean;
  answerMessage: string;
  /** The last probe's outcome and how many times in a row it came. */
  lastOk: boolean | null;
  run: number;
  /** The result the kubelet acts on for the current container (readiness starts false, the others unknown). */
  result: boolean | null;
  /** A failed liveness or startup probe: no more probes until the next container. */
  onHold: boolean;
}

/** The step the worker's pending timer leads to. */
export type Step = 'sandbox' | 'start-container' | 'retry-pull' | 'stopped';

export interface PodWorker {
  key: string;
  namespace: string;
  name: string;
  uid: string;
  containers: ContainerRuntime[];
  /** The container being pulled or started next (containers start in order). */
  nextContainer: number;
  step: Step;
  timer: EventHandle | null;
  /** The grace-period deadline while terminating. */
  deadline: EventHandle | null;
  syncStartedAtMs: number;
  sandboxReadyAtMs?: number;
  containersStartedAtMs?: number;
  readyAtMs?: number;
  podIP?: string;
  /** At least one image had to be pulled (false: all were cached on the node). */
  pulled: boolean;
  pullMs: number;
  pullWaitMs: number;
  containerStartMs: number;
  appStartupMs: number;
  /** The pod's Ready condition as last written. */
  ready: boolean;
  terminating: boolean;
  finished: boolean;
}

/** The pod's container at `index`: the worker's own cursor or a pull it queued, never past the end. */
export function containerOf(w: PodWorker, index: number): ContainerRuntime {
  return must(w.containers[index], 'a pod worker container index within its containers');
}
