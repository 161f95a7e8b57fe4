/**
 * The pod status a kubelet writes for what its pod worker knows: phase, the Ready and
 * ContainersReady conditions (keeping each condition's transition time while its status
 * holds, and the scheduler's PodScheduled), container statuses with their restart counts
 * and last terminations, and knsim's `startup` record of the cold start's phases for the
 * explain view and the report.
 *
 * Phase: Pending until every container has started once; then Running — also while a
 * container crash-loops, since the restart policy brings it back; Succeeded or Failed
 * once every container has ended for good (a policy that does not restart it).
 *
 * Mirrors kubernetes pkg/kubelet/status/status_manager.go and kubelet_pods.go
 * (generateAPIPodStatus, getPhase).
 */
import type { ContainerStatus, PodPhase, PodSpec, PodStatus } from '../../apis/core.js';
import type { Condition } from '../../apis/meta.js';
import type { ContainerRuntime, PodWorker } from './pod-worker.js';
import { restartPolicyAllows } from './restarts/backoff.js';

/** Pod status from the worker's state. */
export function buildPodStatus(w: PodWorker, previous: PodStatus | undefined, hostIP: string, nowMs: number, policy: PodSpec['restartPolicy']): PodStatus {
  const allStarted = w.containersStartedAtMs !== undefined;
  const allReady = !w.terminating && allStarted && w.containers.every((c) => c.ready);
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

  const containerStatuses: ContainerStatus[] = w.containers.map((c) => containerStatus(c, nowMs));
  const status: PodStatus = { phase: podPhase(w, allStarted, policy), conditions, hostIP, startTime: w.syncStartedAtMs, containerStatuses };
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

function containerStatus(c: ContainerRuntime, nowMs: number): ContainerStatus {
  const state: ContainerStatus['state'] =
    c.phase === 'running'
      ? { running: { startedAt: c.startedAtMs ?? nowMs } }
      : c.phase === 'terminated'
        ? { terminated: { ...(c.terminated ?? { reason: 'Completed', exitCode: 0 }) } }
        : { waiting: c.waitingMessage === undefined ? { reason: c.waitingReason } : { reason: c.waitingReason, message: c.waitingMessage } };
  const out: ContainerStatus = {
    name: c.name,
    image: c.image,
    ready: c.ready,
    restartCount: c.restartCount,
    started: c.phase === 'running' && c.started,
    state,
  };
  if (c.lastTerminated !== undefined) out.lastState = { terminated: { ...c.lastTerminated } };
  return out;
}

/** getPhase: Pending before every container started once; Succeeded/Failed once all ended for good; else Running. */
function podPhase(w: PodWorker, allStarted: boolean, policy: PodSpec['restartPolicy']): PodPhase {
  if (!allStarted) return 'Pending';
  const done = w.containers.every((c) => c.phase === 'terminated' && !restartPolicyAllows(policy, c.terminated?.exitCode ?? 0));
  if (!done || w.containers.length === 0) return 'Running';
  return w.containers.every((c) => (c.terminated?.exitCode ?? 0) === 0) ? 'Succeeded' : 'Failed';
}
