/**
 * The kubelet of one node: runs the pods bound to its node through the stages a real
 * kubelet does and writes what it sees into pod status.
 *
 *   bound → sandbox + network (podIP) → per container, in order: ensure image (images.ts)
 *   → create + start → readiness probes on the prober's period → Ready; and on deletion:
 *   Ready=False at once, pre-stop hook (the data plane's queue-proxy drain), SIGTERM,
 *   containers exit, pod deleted with grace 0 — or killed at the end of the grace period.
 *
 * After a failed pull the pod worker resyncs every 10 s (jittered by up to +50 %), as the
 * kubelet's pod workers do: while the image is in back-off the container waits with reason
 * ImagePullBackOff, then the pull is tried again, so the two reasons alternate as on a real
 * cluster. Such a pod never becomes Ready.
 *
 * Mirrors kubernetes pkg/kubelet/{kuberuntime/kuberuntime_manager.go SyncPod,
 * prober/worker.go, pod_workers.go}. Timings come from the cluster profile (profile.ts),
 * each scaled by the node's jitter stream `kubelet/<node>`.
 *
 * Fidelity: readiness probes are timed, not executed: a probe succeeds once the container
 * has run for initialDelaySeconds and the pod's app has finished starting (the app start-up
 * of every container, since Knative's queue-proxy probe reports the user container); probe
 * ticks run on the prober's grid from the moment the kubelet admitted the pod; after Ready
 * the pod stays Ready (no probe failures, no liveness probes, no restarts). A container
 * without a readiness probe is ready once started, as in Kubernetes.
 */
import type { Engine, Rng } from '../../engine/index.js';
import { TYPE, type Container, type Pod } from '../../apis/core.js';
import { objectKey } from '../../apis/meta.js';
import type { ApiServer } from '../api-server.js';
import type { ClusterProfile } from '../profile.js';
import { ImageManager } from './images.js';
import { containerOf, type ContainerRuntime, type PodWorker } from './pod-worker.js';
import { buildPodStatus } from './status.js';

/** Called when a pod with running containers starts terminating; call `done` when draining is over. */
export type PreStopHook = (pod: Pod, done: () => void) => void;

/** Extra app start-up (ms) for a container of a pod; undefined falls back to the profile's per-image `startupMs`. */
export type AppStartupDelay = (pod: Pod, container: Container) => number | undefined;

/** How soon a pod worker retries after a sync error (pod_workers.go backOffPeriod; jittered by up to +50 %). */
const POD_WORKER_RETRY_MS = 10_000;

/** What a kubelet reads from the kubelets' shared settings. */
export interface KubeletHooks {
  readonly preStopHook: PreStopHook | undefined;
  readonly appStartupDelay: AppStartupDelay | undefined;
}

export class Kubelet {
  readonly images: ImageManager;
  private readonly workers = new Map<string, PodWorker>();
  private readonly rng: Rng;
  private readonly engine: Engine;
  private readonly api: ApiServer;
  private readonly profile: ClusterProfile;
  private ipCounter = 0;
  private readonly onTimerFn = (w: PodWorker): void => this.onTimer(w);
  private readonly onDeadlineFn = (w: PodWorker): void => this.kill(w);

  constructor(
    engine: Engine,
    api: ApiServer,
    profile: ClusterProfile,
    private readonly hooks: KubeletHooks,
    readonly nodeName: string,
    private readonly nodeIndex: number,
    private readonly hostIP: string,
  ) {
    this.engine = engine;
    this.api = api;
    this.profile = profile;
    this.rng = engine.rng(`kubelet/${nodeName}`);
    this.images = new ImageManager(engine, profile, nodeName, (ms) => this.jittered(ms), {
      present: (w) => this.scheduleContainerStart(w),
      failed: (w) => {
        this.writeStatus(w);
        this.scheduleRetry(w);
      },
    });
  }

  onPod(pod: Pod): void {
    const key = objectKey(pod);
    let w = this.workers.get(key);
    if (w !== undefined && w.uid !== pod.metadata.uid) {
      this.drop(w);
      w = undefined;
    }
    if (pod.metadata.deletionTimestamp !== undefined) {
      if (w === undefined) {
        // Deleted before this kubelet started it: nothing runs, so it goes at once.
        this.deletePod(pod.metadata.namespace ?? '', pod.metadata.name, pod.metadata.uid);
        return;
      }
      if (!w.terminating) this.beginTermination(w, pod);
      return;
    }
    if (w === undefined) this.admit(pod, key);
  }

  onPodDeleted(pod: Pod): void {
    const w = this.workers.get(objectKey(pod));
    if (w !== undefined && w.uid === pod.metadata.uid) this.drop(w);
  }

  /** One step's duration scaled by a factor in [1 − jitter, 1 + jitter], in whole ms so logs and replays stay readable. */
  private jittered(ms: number): number {
    const j = this.profile.jitter;
    if (j === 0 || ms === 0) return Math.round(ms);
    return Math.round(ms * (1 + j * (2 * this.rng() - 1)));
  }

  private admit(pod: Pod, key: string): void {
    const nowMs = this.engine.nowMs;
    const containers: ContainerRuntime[] = (pod.spec.containers ?? []).map((c) => {
      const rt: ContainerRuntime = { name: c.name ?? '', image: c.image ?? '', phase: 'waiting', waitingReason: 'ContainerCreating', ready: false };
      const p = c.readinessProbe;
      if (p !== undefined)
        rt.probe = {
          initialDelayMs: (p.initialDelaySeconds ?? 0) * 1000,
          periodMs: this.profile.readinessProbePeriodMs ?? (p.periodSeconds || 10) * 1000,
          successThreshold: p.successThreshold ?? 1,
        };
      return rt;
    });
    const w: PodWorker = {
      key,
      namespace: pod.metadata.namespace ?? '',
      name: pod.metadata.name,
      uid: pod.metadata.uid ?? '',
      containers,
      nextContainer: 0,
      step: 'sandbox',
      timer: null,
      deadline: null,
      syncStartedAtMs: nowMs,
      pulled: false,
      pullMs: 0,
      pullWaitMs: 0,
      containerStartMs: 0,
      appReadyAtMs: nowMs,
      appStartupMs: 0,
      terminating: false,
      finished: false,
    };
    this.workers.set(key, w);
    this.writeStatus(w);
    w.timer = this.engine.after(this.jittered(this.profile.sandboxMs), this.onTimerFn, w);
  }

  private onTimer(w: PodWorker): void {
    w.timer = null;
    if (w.finished) return;
    switch (w.step) {
      case 'sandbox':
        return this.onSandboxReady(w);
      case 'start-container':
        return this.onContainerStarted(w);
      case 'readiness':
        return this.onReadiness(w);
      case 'retry-pull':
        return this.onRetryPull(w);
      case 'stopped':
        return this.finish(w);
    }
  }

  private onSandboxReady(w: PodWorker): void {
    w.sandboxReadyAtMs = this.engine.nowMs;
    const host = this.ipCounter++ + 2;
    // Pod CIDR 10.<node index + 1>.0.0/16 per node, addresses handed out in order, never reused.
    w.podIP = `10.${this.nodeIndex + 1}.${Math.floor(host / 256) % 256}.${host % 256}`;
    this.startNextContainer(w);
  }

  /** Ensures the next container's image, then starts it; when none is left, computes readiness. */
  private startNextContainer(w: PodWorker): void {
    const c = w.containers[w.nextContainer];
    if (c === undefined) return this.onAllStarted(w);
    this.images.ensure(w, c.image);
  }

  private scheduleContainerStart(w: PodWorker): void {
    const ms = this.jittered(this.profile.containerStartMs);
    w.containerStartMs += ms;
    w.step = 'start-container';
    w.timer = this.engine.after(ms, this.onTimerFn, w);
  }

  private scheduleRetry(w: PodWorker): void {
    const retryMs = this.profile.jitter > 0 ? Math.round(POD_WORKER_RETRY_MS * (1 + 0.5 * this.rng())) : POD_WORKER_RETRY_MS;
    w.step = 'retry-pull';
    w.timer = this.engine.after(retryMs, this.onTimerFn, w);
  }

  /** A pod worker resync after a failed pull: still in back-off → ImagePullBackOff; else pull again. */
  private onRetryPull(w: PodWorker): void {
    const c = containerOf(w, w.nextContainer);
    if (this.images.inBackOff(c.image)) {
      c.waitingReason = 'ImagePullBackOff';
      c.waitingMessage = `Back-off pulling image "${c.image}"`;
      this.engine.trace('kubelet', `pod/${w.name}`, c.waitingMessage, { reason: 'BackOff', node: this.nodeName });
      this.writeStatus(w);
      this.scheduleRetry(w);
      return;
    }
    this.images.retry(w);
  }

  private onContainerStarted(w: PodWorker): void {
    const nowMs = this.engine.nowMs;
    const c = containerOf(w, w.nextContainer);
    c.phase = 'running';
    c.startedAtMs = nowMs;
    delete c.waitingMessage;
    c.ready = c.probe === undefined;
    const pod = this.api.get<Pod>(TYPE.pod, w.namespace, w.name);
    const spec = pod?.spec.containers?.[w.nextContainer];
    const extra =
      (pod !== undefined && spec !== undefined ? this.hooks.appStartupDelay?.(pod, spec) : undefined) ?? this.profile.images[c.image]?.startupMs ?? 0;
    w.appStartupMs = Math.max(w.appStartupMs, extra);
    w.appReadyAtMs = Math.max(w.appReadyAtMs, nowMs + extra);
    this.engine.trace('kubelet', `pod/${w.name}`, `Created container: ${c.name}`, { reason: 'Created', node: this.nodeName });
    this.engine.trace('kubelet', `pod/${w.name}`, `Started container ${c.name}`, { reason: 'Started', node: this.nodeName });
    w.nextContainer++;
    if (w.nextContainer < w.containers.length) this.writeStatus(w);
    this.startNextContainer(w);
  }

  /**
   * All containers run: each probed container becomes ready at the first prober tick at or
   * after (started + initialDelay) and after the pod's app is up, plus successThreshold − 1 periods.
   * Ticks are on the grid admitted + k·period. Example: admitted at 0, period 10 s, app up at 23.4 s
   * → probes at 0, 10, 20 fail, the one at 30 s succeeds: ready at 30 s.
   */
  private onAllStarted(w: PodWorker): void {
    const nowMs = this.engine.nowMs;
    w.containersStartedAtMs = nowMs;
    for (const c of w.containers) {
      if (c.probe === undefined) continue;
      const earliest = Math.max((c.startedAtMs ?? nowMs) + c.probe.initialDelayMs, w.appReadyAtMs);
      c.readyAtMs = firstTickAtOrAfter(w.syncStartedAtMs, c.probe.periodMs, earliest) + (c.probe.successThreshold - 1) * c.probe.periodMs;
    }
    this.onReadiness(w);
  }

  /** Marks containers whose probe time has come, writes status, and waits for the next one. */
  private onReadiness(w: PodWorker): void {
    const nowMs = this.engine.nowMs;
    let next = Infinity;
    for (const c of w.containers) {
      if (c.ready || c.readyAtMs === undefined) continue;
      if (c.readyAtMs <= nowMs) c.ready = true;
      else next = Math.min(next, c.readyAtMs);
    }
    if (w.containers.every((c) => c.ready)) {
      w.readyAtMs = nowMs;
      this.engine.trace('kubelet', `pod/${w.name}`, 'Pod is Ready', { node: this.nodeName, podIP: w.podIP, startupMs: nowMs - w.syncStartedAtMs });
    }
    this.writeStatus(w);
    if (next !== Infinity) {
      w.step = 'readiness';
      w.timer = this.engine.at(next, this.onTimerFn, w);
    }
  }

  /** Deletion seen: not Ready at once; the pre-stop hook drains; then SIGTERM; killed at the grace deadline. */
  private beginTermination(w: PodWorker, pod: Pod): void {
    w.terminating = true;
    this.engine.cancel(w.timer);
    w.timer = null;
    for (const c of w.containers) c.ready = false;
    this.writeStatus(w);
    const running = w.containers.filter((c) => c.phase === 'running');
    for (const c of running) this.engine.trace('kubelet', `pod/${w.name}`, `Stopping container ${c.name}`, { reason: 'Killing', node: this.nodeName });
    const graceMs = (pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
    w.deadline = this.engine.at((pod.metadata.deletionTimestamp ?? this.engine.nowMs) + graceMs, this.onDeadlineFn, w);
    const hook = this.hooks.preStopHook;
    if (running.length > 0 && hook !== undefined) {
      let called = false;
      hook(pod, () => {
        if (called) return;
        called = true;
        this.onDrained(w);
      });
    } else this.onDrained(w);
  }

  /** The hook returned (or there was none): SIGTERM, and the containers exit after containerStopMs. */
  private onDrained(w: PodWorker): void {
    if (w.finished || w.step === 'stopped') return;
    const anyRunning = w.containers.some((c) => c.phase === 'running');
    w.step = 'stopped';
    w.timer = this.engine.after(anyRunning ? this.jittered(this.profile.containerStopMs) : 0, this.onTimerFn, w);
  }

  /** Grace period over: SIGKILL. */
  private kill(w: PodWorker): void {
    w.deadline = null;
    if (w.finished) return;
    this.engine.trace('kubelet', `pod/${w.name}`, 'Grace period expired: containers killed', { reason: 'Killing', node: this.nodeName });
    this.finish(w);
  }

  private finish(w: PodWorker): void {
    if (w.finished) return;
    for (const c of w.containers) c.phase = 'terminated';
    this.drop(w);
    this.deletePod(w.namespace, w.name, w.uid);
  }

  private deletePod(namespace: string, name: string, uid: string | undefined): void {
    const current = this.api.get<Pod>(TYPE.pod, namespace, name);
    if (current !== undefined && current.metadata.uid === uid) this.api.delete(TYPE.pod, namespace, name, { gracePeriodSeconds: 0 });
  }

  private drop(w: PodWorker): void {
    w.finished = true;
    this.engine.cancel(w.timer);
    this.engine.cancel(w.deadline);
    w.timer = null;
    w.deadline = null;
    if (this.workers.get(w.key) === w) this.workers.delete(w.key);
  }

  /** Writes the status this worker's state implies (skipped by the API server when unchanged). */
  private writeStatus(w: PodWorker): void {
    const pod = this.api.get<Pod>(TYPE.pod, w.namespace, w.name);
    if (pod === undefined || pod.metadata.uid !== w.uid) {
      this.drop(w);
      return;
    }
    const status = buildPodStatus(w, pod.status, this.hostIP, this.engine.nowMs);
    this.api.updateStatus({ ...pod, status });
  }
}

/** The first tick of the grid `anchor + k·period` (k ≥ 0) at or after `t`. */
function firstTickAtOrAfter(anchorMs: number, periodMs: number, t: number): number {
  if (t <= anchorMs) return anchorMs;
  const k = Math.ceil((t - anchorMs) / periodMs - 1e-9);
  return anchorMs + k * periodMs;
}
