/**
 * What the kubelet does when a container stops running: the one path for every way a
 * container ends — its process exits on its own (a crash, a failed start-up), the kubelet
 * kills it (a failed liveness or startup probe), or the runtime ends it (an OOM kill) —
 * then the pod's restart policy, then the CrashLoopBackOff back-off (backoff.ts), then
 * the restart.
 *
 *   exited(c, {exitCode, reason, message})
 *     → state terminated (not ready at once), restartCount and lastState kept
 *     → restart policy (Always for a Deployment's pods) allows a restart?
 *     → sync: still in back-off since it finished → waiting CrashLoopBackOff, resync in
 *       10 s (+ up to 50 %); else the back-off grows and the container is created and
 *       started again (its image is on the node), restartCount + 1.
 *   kill(c, kind) → "will be restarted"; SIGTERM; the process is gone `containerStopMs`
 *     later → exited(c, 143 Error).
 *
 * Fidelity: the container's exit is seen at once (no PLEG relist delay); a killed
 * container's pre-stop hook is not run (Knative's queue-proxy drain on /wait-for-drain
 * belongs to the pod's termination here); SIGTERM always ends the process.
 *
 * Mirrors kubernetes pkg/kubelet/kuberuntime/kuberuntime_manager.go (computePodActions,
 * doBackOff, killContainer's "will be restarted" message) and pkg/kubelet/pod_workers.go
 * (resync after a sync error).
 */
import type { Engine } from '../../../engine/index.js';
import type { Pod } from '../../../apis/core.js';
import type { ContainerRuntime } from '../pod-worker.js';
import { SIGTERM_EXIT, type ContainerExit, type ProbeKind } from '../runtime.js';
import { backOffMessage, ContainerBackOff, restartPolicyAllows } from './backoff.js';

/** What the restarts need from their kubelet. */
export interface RestartHost {
  readonly engine: Engine;
  readonly nodeName: string;
  /** A step's duration scaled by the node's jitter. */
  jittered(ms: number): number;
  /** How long until a pod worker's next sync after a sync error (10 s, jittered by up to +50 %). */
  resyncMs(): number;
  /** Time for SIGTERM to end a process. */
  readonly containerStopMs: number;
  /** Time to create and start a container whose image is on the node. */
  readonly containerStartMs: number;
  /** The container's pod as stored (undefined once gone). */
  podOf(c: ContainerRuntime): Pod | undefined;
  /** Runs the container's process again (a new instance). */
  runProcess(c: ContainerRuntime): void;
  /** The container stopped: its probes wait for the next instance. */
  probesStopped(c: ContainerRuntime): void;
  /** Writes the pod's status. */
  writeStatus(c: ContainerRuntime): void;
}

export class ContainerRestarts {
  readonly backOff = new ContainerBackOff();
  /** Bound once: container timers carry the container record. */
  readonly onTimerFn = (c: ContainerRuntime): void => this.onTimer(c);

  constructor(private readonly host: RestartHost) {}

  /** The container's process ended (its own exit, a kill, the runtime): record it, then restart as the policy and back-off allow. */
  exited(c: ContainerRuntime, e: ContainerExit): void {
    const { engine } = this.host;
    if (c.phase !== 'running') return;
    const w = c.worker;
    const nowMs = engine.nowMs;
    c.process = null;
    c.phase = 'terminated';
    c.ready = false;
    c.started = false;
    c.stopping = false;
    c.terminated = { exitCode: e.exitCode, reason: e.reason, startedAt: c.startedAtMs ?? nowMs, finishedAt: nowMs };
    if (e.message !== undefined && e.message !== '') c.terminated.message = e.message;
    this.cancelTimer(c);
    this.host.probesStopped(c);
    engine.trace('kubelet', `pod/${w.name}`, `Container ${c.name} exited with code ${e.exitCode} (${e.reason})${e.message ? `: ${e.message}` : ''}`, {
      reason: 'Exited',
      node: this.host.nodeName,
      container: c.name,
      exitCode: e.exitCode,
      terminationReason: e.reason,
      restartCount: c.restartCount,
    });
    this.host.writeStatus(c);
    if (w.terminating || w.finished) return;
    if (!restartPolicyAllows(this.host.podOf(c)?.spec.restartPolicy, e.exitCode)) return;
    this.sync(c);
  }

  /** A failed liveness or startup probe: the kubelet stops the container to start it again. */
  kill(c: ContainerRuntime, kind: ProbeKind): void {
    if (c.phase !== 'running' || c.stopping) return;
    const w = c.worker;
    const probe = kind === 'liveness' ? 'liveness' : 'startup';
    this.host.engine.trace('kubelet', `pod/${w.name}`, `Container ${c.name} failed ${probe} probe, will be restarted`, {
      reason: 'Killing',
      node: this.host.nodeName,
      container: c.name,
      probe: kind,
    });
    c.stopping = true;
    c.ready = false;
    this.host.probesStopped(c);
    this.host.writeStatus(c);
    this.schedule(c, 'stop', this.host.jittered(this.host.containerStopMs));
  }

  /** The pod is going away: pending restarts and resyncs are dropped. */
  cancelAll(containers: readonly ContainerRuntime[]): void {
    for (const c of containers) this.cancelTimer(c);
  }

  /** The pod is gone: its back-off entries go too. */
  forget(uid: string, containers: readonly ContainerRuntime[]): void {
    for (const c of containers) this.backOff.forget(`${uid}/${c.name}`);
  }

  /** The pod worker's sync of a stopped container: wait out the back-off, or start it again now. */
  private sync(c: ContainerRuntime): void {
    const { engine, nodeName } = this.host;
    const w = c.worker;
    const ended = c.terminated ?? c.lastTerminated;
    if (ended === undefined) return;
    const key = `${w.uid}/${c.name}`;
    const nowMs = engine.nowMs;
    if (this.backOff.inBackOffSince(key, ended.finishedAt ?? nowMs, nowMs)) {
      if (c.phase === 'terminated') {
        c.lastTerminated = ended;
        delete c.terminated;
        c.phase = 'waiting';
        c.waitingReason = 'CrashLoopBackOff';
        c.waitingMessage = backOffMessage(this.backOff.get(key), c.name, w);
        engine.trace('kubelet', `pod/${w.name}`, `Back-off restarting failed container ${c.name} in pod ${w.name}_${w.namespace}(${w.uid})`, {
          reason: 'BackOff',
          node: nodeName,
          container: c.name,
          backoffMs: this.backOff.get(key),
        });
        this.host.writeStatus(c);
      }
      this.schedule(c, 'backoff', this.host.resyncMs());
      return;
    }
    this.backOff.next(key, ended.finishedAt ?? nowMs, nowMs);
    engine.trace('kubelet', `pod/${w.name}`, `Container image "${c.image}" already present on machine`, {
      reason: 'Pulled',
      node: nodeName,
      container: c.name,
    });
    this.schedule(c, 'restart', this.host.jittered(this.host.containerStartMs));
  }

  private onTimer(c: ContainerRuntime): void {
    c.timer = null;
    const step = c.step;
    c.step = null;
    const w = c.worker;
    if (w.finished) return;
    switch (step) {
      case 'stop': {
        const process = c.process;
        if (process === null || c.phase !== 'running') return;
        process.stopped(false);
        this.exited(c, SIGTERM_EXIT);
        return;
      }
      case 'backoff':
        if (!w.terminating) this.sync(c);
        return;
      case 'restart': {
        if (w.terminating) return;
        c.lastTerminated = c.terminated ?? c.lastTerminated;
        delete c.terminated;
        c.restartCount++;
        this.host.runProcess(c);
        return;
      }
      case null:
        return;
    }
  }

  private schedule(c: ContainerRuntime, step: 'restart' | 'backoff' | 'stop', delayMs: number): void {
    this.cancelTimer(c);
    c.step = step;
    c.timer = this.host.engine.after(delayMs, this.onTimerFn, c);
  }

  private cancelTimer(c: ContainerRuntime): void {
    this.host.engine.cancel(c.timer);
    c.timer = null;
    c.step = null;
  }
}
