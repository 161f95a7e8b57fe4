/**
 * The pod status a kubelet writes for what its pod worker knows: phase, the Ready and
 * ContainersReady conditions (keeping each condition's transition time while its status
 * holds, and the scheduler's PodScheduled), container statuses, and knsim's `startup`
 * record of the cold start's phases for the explain view and the report.
 *
 * Mirrors kubernetes pkg/kubelet/status/status_manager.go and kubelet_pods.go
 * (generateAPIPodStatus).
 */
import type { ContainerStatus, PodStatus } from '../../apis/core.js';
import type { Condition } from '../../apis/meta.js';
import type { PodWorker } from './pod-worker.js';

/** Pod status from the worker's state. */
export function buildPodStatus(w: PodWorker, previous: PodStatus | undefined, hostIP: string, nowMs: number): PodStatus {
  const allStarted = w.containersStartedAtMs !== undefined;
  const allReady = !w.terminating && w.containers.every((c) => c.ready);
  const conditions: Condition[] = [];
  const put = (type: string, ok: boolean, reason?: string): void => {
    const old = previous?.conditions?.find((c) => c.type === type);
    const status = ok ? 'True' : 'False';
    const cond: Condition = { type, status, lastTransitionTime: old !== undefined && old.status === status ? old.lastTransitionTime : nowMs };
    if (reason !== undefined && !ok) cond.reason = reason;
    conditions.push(cond);
  };
  put('PodReadyToStartContainers', w.sandboxReadyAtMs !== undefined);
  put('Initialized', true);
  put('Ready', allReady, 'ContainersNotReady');
  put('ContainersReady', allReady, 'ContainersNotReady');
  const scheduled = previous?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled !== undefined) conditions.push(scheduled);

  const containerStatuses: ContainerStatus[] = w.containers.map((c) => {
    const state: ContainerStatus['state'] =
      c.phase === 'running'
        ? { running: { startedAt: c.startedAtMs ?? nowMs } }
        : c.phase === 'terminated'
          ? { terminated: { reason: 'Completed', exitCode: 0 } }
          : { waiting: c.waitingMessage === undefined ? { reason: c.waitingReason } : { reason: c.waitingReason, message: c.waitingMessage } };
    return { name: c.name, image: c.image, ready: c.ready, restartCount: 0, started: c.phase === 'running', state };
  });

  const status: PodStatus = { phase: allStarted ? 'Running' : 'Pending', conditions, hostIP, startTime: w.syncStartedAtMs, containerStatuses };
  if (w.podIP !== undefined) status.podIP = w.podIP;
  const startup: NonNullable<PodStatus['startup']> = { ...(previous?.startup ?? {}), syncStartedAt: w.syncStartedAtMs };
  if (w.sandboxReadyAtMs !== undefined) startup.sandboxReadyAt = w.sandboxReadyAtMs;
  if (allStarted) {
    startup.pulled = w.pulled;
    startup.pullMs = w.pullMs;
    startup.pullWaitMs = w.pullWaitMs;
    startup.containerStartMs = w.containerStartMs;
    startup.containersStartedAt = w.containersStartedAtMs;
    startup.appStartupMs = w.appStartupMs;
  }
  if (w.readyAtMs !== undefined) startup.readyAt = w.readyAtMs;
  status.startup = startup;
  return status;
}
