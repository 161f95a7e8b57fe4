/**
 * What one kubelet knows of one pod it runs: the pod worker of the real kubelet, with the
 * container runtime's view of each container and the timings behind the pod's cold start.
 * Plain records; the kubelet (kubelet.ts) moves them through their steps.
 *
 * Mirrors kubernetes pkg/kubelet/pod_workers.go (one worker per pod) and the runtime's
 * container states (kuberuntime).
 */
import type { EventHandle } from '../../engine/index.js';
import { must } from '../../engine/assert.js';

export type ContainerPhase = 'waiting' | 'running' | 'terminated';

/** One container as the runtime sees it. */
export interface ContainerRuntime {
  name: string;
  image: string;
  phase: ContainerPhase;
  waitingReason: string;
  waitingMessage?: string;
  startedAtMs?: number;
  ready: boolean;
  /** Virtual time when its readiness probe first succeeds (set once all containers started). */
  readyAtMs?: number;
  probe?: { initialDelayMs: number; periodMs: number; successThreshold: number };
}

/** The step the worker's pending timer leads to. */
export type Step = 'sandbox' | 'start-container' | 'readiness' | 'retry-pull' | 'stopped';

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
  appReadyAtMs: number;
  appStartupMs: number;
  terminating: boolean;
  finished: boolean;
}

/** The pod's container at `index`: the worker's own cursor or a pull it queued, never past the end. */
export function containerOf(w: PodWorker, index: number): ContainerRuntime {
  return must(w.containers[index], 'a pod worker container index within its containers');
}
