/**
 * The kubelet of one node: runs the pods bound to its node through the stages a real
 * kubelet does and writes what it sees into pod status.
 *
 *   bound → sandbox + network (podIP) → per container, in order: ensure image (images.ts)
 *   → create + start its process (runtime.ts) → probes (prober.ts) → Ready; a container
 *   that exits or fails its liveness probe restarts with CrashLoopBackOff
 *   (restarts/); and on deletion: Ready=False at once, pre-stop hook (the data plane's
 *   queue-proxy drain), SIGTERM, containers exit, pod deleted with grace 0 — or killed at
 *   the end of the grace period.
 *
 * After a failed pull the pod worker resyncs every 10 s (jittered by up to +50 %), as the
 * kubelet's pod workers do: while the image is in back-off the container waits with reason
 * ImagePullBackOff, then the pull is tried again, so the two reasons alternate as on a real
 * cluster. Such a pod never becomes Ready.
 *
 * Mirrors kubernetes pkg/kubelet/{kuberuntime/kuberuntime_manager.go SyncPod,
 * pod_workers.go, prober/}. Timings come from the cluster profile (profile.ts), each
 * scaled by the node's jitter stream `kubelet/<node>`.
 *
 * Fidelity: what a container's process does is its ProcessFactory's business (the data
 * plane's app models); the kubelet sees only its exits and its probe answers. A container
 * without a readiness probe is ready once started, as in Kubernetes.
 */
import type { Engine, Rng } from '../../engine/index.js';
import { TYPE, type Pod } from '../../apis/core.js';
import { objectKey } from '../../apis/meta.js';
import type { ApiServer } from '../api-server.js';
import type { ClusterProfile } from '../profile.js';
import { ImageManager } from './images.js';
import { containerOf, type ContainerRuntime, type PodWorker } from './pod-worker.js';
import { Prober } from './prober.js';
import { ContainerRestarts } from './restarts/container-restarts.js';
import { defaultProcess, type ContainerExit, type ProcessFactory } from './runtime.js';
import { buildPodStatus } from './status.js';

/** Called when a pod with running containers starts terminating; call `done` when draining is over. */
export type PreStopHook = (pod: Pod, done: () => void) => void;

/** How soon a pod worker retries after a sync error (pod_workers.go backOffPeriod; jittered by up to +50 %). */
const POD_WORKER_RETRY_MS = 10_000;

/** What a kubelet reads from the kubelets' shared settings. */
export interface KubeletHooks {
  readonly preStopHook: PreStopHook | undefined;
  readonly processes: ProcessFactory | undefined;
}

export class Kubelet {
  readonly images: ImageManager;
  private readonly workers = new Map<string, PodWorker>();
  private readonly rng: Rng;
  private readonly engine: Engine;
  private readonly api: ApiServer;
  private readonly profile: ClusterProfile;
  private readonly prober: Prober;
  private readonly restarts: ContainerRestarts;
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
    this.prober = new Prober(engine, nodeName, {
      readinessChanged: (c) => this.refreshReady(c),
      started: (c) => {
        c.started = true;
        this.refreshReady(c);
        this.prober.triggerReadiness(c);
      },
      failed: (c, kind) => this.restarts.kill(c, kind),
    });
    this.restarts = new ContainerRestarts({
      engine,
      nodeName,
      jittered: (ms) => this.jittered(ms),
      resyncMs: () => this.retryMs(),
      containerStopMs: profile.containerStopMs,
      containerStartMs: profile.containerStartMs,
      podOf: (c) => this.podOf(c.worker),
      runProcess: (c) => this.runProcess(c),
      probesStopped: (c) => this.prober.containerStopped(c),
      writeStatus: (c) => this.writeStatus(c.worker),
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

  /**
   * A container of a pod on this node ended outside the kubelet's own doing (the runtime
   * killed it, e.g. out of memory): it goes through the restart policy and back-off like
   * any exit. False when no such running container is known.
   */
  terminateContainer(namespace: string, podName: string, containerName: string, exit: ContainerExit): boolean {
    const w = this.workers.get(`${namespace}/${podName}`);
    const c = w?.containers.find((x) => x.name === containerName);
    if (w === undefined || c === undefined || c.phase !== 'running') return false;
    const process = c.process;
    c.process = null;
    process?.stopped(false);
    this.restarts.exited(c, exit);
    return true;
  }

  /** One step's duration scaled by a factor in [1 − jitter, 1 + jitter], in whole ms so logs and replays stay readable. */
  private jittered(ms: number): number {
    const j = this.profile.jitter;
    if (j === 0 || ms === 0) return Math.round(ms);
    return Math.round(ms * (1 + j * (2 * this.rng() - 1)));
  }

  /** A pod worker's resync after a sync error: 10 s, jittered by up to +50 % when the cluster has jitter. */
  private retryMs(): number {
    return this.profile.jitter > 0 ? Math.round(POD_WORKER_RETRY_MS * (1 + 0.5 * this.rng())) : POD_WORKER_RETRY_MS;
  }

  private admit(pod: Pod, key: string): void {
    const nowMs = this.engine.nowMs;
    const w: PodWorker = {
      key,
      namespace: pod.metadata.namespace ?? '',
      name: pod.metadata.name,
      uid: pod.metadata.uid ?? '',
      containers: [],
      nextContainer: 0,
      step: 'sandbox',
      timer: null,
      deadline: null,
      syncStartedAtMs: nowMs,
      pulled: false,
      pullMs: 0,
      pullWaitMs: 0,
      containerStartMs: 0,
      appStartupMs: 0,
      ready: false,
      terminating: false,
      finished: false,
    };
    (pod.spec.containers ?? []).forEach((spec, index) => {
      const c: ContainerRuntime = {
        worker: w,
        index,
        name: spec.name ?? '',
        image: spec.image ?? '',
        phase: 'waiting',
        waitingReason: 'ContainerCreating',
        ready: false,
        started: false,
        restartCount: 0,
        process: null,
        stopping: false,
        probes: [],
        timer: null,
        step: null,
      };
      c.probes = this.prober.workersFor(c, spec);
      w.containers.push(c);
    });
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

  /** Ensures the next container's image, then starts it; when none is left, the pod runs. */
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
    w.step = 'retry-pull';
    w.timer = this.engine.after(this.retryMs(), this.onTimerFn, w);
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

  /** The container at the cursor is created and started (first start of the pod's containers, in order). */
  private onContainerStarted(w: PodWorker): void {
    const c = containerOf(w, w.nextContainer);
    this.runProcess(c);
    if (w.finished) return;
    w.appStartupMs = Math.max(w.appStartupMs, c.process?.startupMs ?? 0);
    w.nextContainer++;
    this.startNextContainer(w);
  }

  /** All containers run: the pod is Running. */
  private onAllStarted(w: PodWorker): void {
    w.containersStartedAtMs = this.engine.nowMs;
    this.writeStatus(w);
  }

  /** Creates and starts a new instance of the container's process: Running; probes resume. */
  private runProcess(c: ContainerRuntime): void {
    const w = c.worker;
    const nowMs = this.engine.nowMs;
    const pod = this.podOf(w);
    const spec = pod?.spec.containers?.[c.index];
    if (pod === undefined || spec === undefined) {
      this.drop(w);
      return;
    }
    c.phase = 'running';
    c.startedAtMs = nowMs;
    c.stopping = false;
    delete c.waitingMessage;
    c.started = !c.probes.some((p) => p.kind === 'startup');
    c.ready = false;
    let gone = false;
    const factory = this.hooks.processes;
    const process =
      factory === undefined
        ? defaultProcess(this.profile.images[c.image]?.startupMs ?? 0, nowMs, this.engine)
        : factory({
            pod,
            container: spec,
            restartCount: c.restartCount,
            exit: (e) => {
              if (gone || c.process !== process) return;
              gone = true;
              this.restarts.exited(c, e);
            },
          });
    c.process = process;
    this.engine.trace('kubelet', `pod/${w.name}`, `Created container: ${c.name}`, { reason: 'Created', node: this.nodeName });
    this.engine.trace('kubelet', `pod/${w.name}`, `Started container ${c.name}`, { reason: 'Started', node: this.nodeName, restartCount: c.restartCount });
    this.prober.containerStarted(c);
    c.ready = this.prober.isReady(c);
    this.writeStatus(w);
  }

  /** The prober changed a container's readiness or start: recompute ready and write status. */
  private refreshReady(c: ContainerRuntime): void {
    const ready = this.prober.isReady(c);
    if (ready === c.ready) return;
    c.ready = ready;
    this.writeStatus(c.worker);
  }

  /** Deletion seen: not Ready at once; the pre-stop hook drains; then SIGTERM; killed at the grace deadline. */
  private beginTermination(w: PodWorker, pod: Pod): void {
    w.terminating = true;
    this.engine.cancel(w.timer);
    w.timer = null;
    this.restarts.cancelAll(w.containers);
    this.prober.stopAll(w.containers);
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
    for (const c of w.containers) {
      const process = c.process;
      c.process = null;
      c.phase = 'terminated';
      process?.stopped(true);
    }
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
    this.restarts.cancelAll(w.containers);
    this.restarts.forget(w.uid, w.containers);
    this.prober.stopAll(w.containers);
    for (const c of w.containers) {
      const process = c.process;
      c.process = null;
      process?.stopped(true);
    }
    if (this.workers.get(w.key) === w) this.workers.delete(w.key);
  }

  private podOf(w: PodWorker): Pod | undefined {
    const pod = this.api.get<Pod>(TYPE.pod, w.namespace, w.name);
    return pod !== undefined && pod.metadata.uid === w.uid ? pod : undefined;
  }

  /** Writes the status this worker's state implies (skipped by the API server when unchanged); notes the pod's Ready transitions. */
  private writeStatus(w: PodWorker): void {
    if (w.finished) return;
    const pod = this.podOf(w);
    if (pod === undefined) {
      this.drop(w);
      return;
    }
    const nowMs = this.engine.nowMs;
    const ready = !w.terminating && w.containersStartedAtMs !== undefined && w.containers.every((c) => c.ready);
    if (ready && !w.ready) {
      const first = w.readyAtMs === undefined;
      w.readyAtMs ??= nowMs;
      const restarts = w.containers.reduce((n, c) => n + c.restartCount, 0);
      if (first) this.engine.trace('kubelet', `pod/${w.name}`, 'Pod is Ready', { node: this.nodeName, podIP: w.podIP, startupMs: nowMs - w.syncStartedAtMs });
      else this.engine.trace('kubelet', `pod/${w.name}`, 'Pod is Ready again', { node: this.nodeName, podIP: w.podIP, restarts });
    } else if (!ready && w.ready && !w.terminating) {
      const c = w.containers.find((x) => !x.ready);
      this.engine.trace('kubelet', `pod/${w.name}`, `Pod is not Ready: container ${c?.name ?? ''} is not ready`, { node: this.nodeName, container: c?.name });
    }
    w.ready = ready;
    const status = buildPodStatus(w, pod.status, this.hostIP, nowMs, pod.spec.restartPolicy);
    this.api.updateStatus({ ...pod, status });
  }
}
