/**
 * The kubelet, one per node: runs the pods bound to its node through the stages a
 * real kubelet does and writes what it sees into pod status.
 *
 *   bound → sandbox + network (podIP) → per container, in order: ensure image (pull,
 *   or "already present" from the node's image cache) → create + start → readiness
 *   probes on the prober's period → Ready; and on deletion: Ready=False at once,
 *   pre-stop hook (the data plane's queue-proxy drain), SIGTERM, containers exit,
 *   pod deleted with grace 0 — or killed at the end of the grace period.
 *
 * A missing image fails the pull (ErrImagePull) and is retried with Kubernetes' image
 * back-off (10 s doubling to 300 s); between attempts the container waits with reason
 * ImagePullBackOff. The pod worker resyncs every 10 s after an error, as the kubelet's
 * pod workers do, so the two reasons alternate as on a real cluster. Such a pod never
 * becomes Ready.
 *
 * Mirrors kubernetes pkg/kubelet/{kuberuntime/kuberuntime_manager.go SyncPod,
 * images/image_manager.go EnsureImageExists, images/puller.go (serialized pulls),
 * prober/worker.go, status/status_manager.go, pod_workers.go}. Timings come from the
 * cluster profile (profile.ts), each scaled by the node's jitter stream `kubelet/<node>`.
 *
 * Fidelity: readiness probes are timed, not executed: a probe succeeds once the container
 * has run for initialDelaySeconds and the pod's app has finished starting (the app start-up
 * of every container, since Knative's queue-proxy probe reports the user container); probe
 * ticks run on the prober's grid from the moment the kubelet admitted the pod; after Ready
 * the pod stays Ready (no probe failures, no liveness probes, no restarts). A container
 * without a readiness probe is ready once started, as in Kubernetes.
 */
import { formatDuration, type Engine, type EventHandle, type Rng } from '../engine/index.js';
import { must } from '../engine/assert.js';
import { TYPE, type Container, type ContainerStatus, type Node, type Pod, type PodStatus } from '../apis/core.js';
import { objectKey, type Condition } from '../apis/meta.js';
import type { ApiServer } from './api-server.js';
import { imagePullMs, imageSizeBytes, type ClusterProfile } from './profile.js';

/** Called when a pod with running containers starts terminating; call `done` when draining is over. */
export type PreStopHook = (pod: Pod, done: () => void) => void;

/** Extra app start-up (ms) for a container of a pod; undefined falls back to the profile's per-image `startupMs`. */
export type AppStartupDelay = (pod: Pod, container: Container) => number | undefined;

/** Kubernetes' image pull back-off (pkg/kubelet/kubelet.go backOffPeriod, MaxContainerBackOff). */
const IMAGE_BACKOFF_INITIAL_MS = 10_000;
const IMAGE_BACKOFF_MAX_MS = 300_000;
/** How soon a pod worker retries after a sync error (pod_workers.go backOffPeriod; jittered by up to +50 %). */
const POD_WORKER_RETRY_MS = 10_000;

type ContainerPhase = 'waiting' | 'running' | 'terminated';

interface ContainerRuntime {
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

type Step = 'sandbox' | 'start-container' | 'readiness' | 'retry-pull' | 'stopped';

interface PodWorker {
  kubelet: Kubelet;
  key: string;
  namespace: string;
  name: string;
  uid: string;
  containers: ContainerRuntime[];
  nextContainer: number;
  step: Step;
  timer: EventHandle | null;
  deadline: EventHandle | null;
  syncStartedAtMs: number;
  sandboxReadyAtMs?: number;
  containersStartedAtMs?: number;
  readyAtMs?: number;
  podIP?: string;
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
function containerOf(w: PodWorker, index: number): ContainerRuntime {
  return must(w.containers[index], 'a pod worker container index within its containers');
}

interface PullWaiter {
  worker: PodWorker;
  index: number;
  enqueuedAtMs: number;
}

interface PullInFlight {
  kubelet: Kubelet;
  image: string;
  startedAtMs: number;
  durationMs: number;
  missing: boolean;
  waiters: PullWaiter[];
}

/** What the rest of the simulation can ask of the kubelets. */
export interface KubeletHandle {
  setPreStopHook(hook: PreStopHook | undefined): void;
  setAppStartupDelay(fn: AppStartupDelay | undefined): void;
  /** Images in a node's cache, sorted (undefined for an unknown node). */
  imagesOn(nodeName: string): string[] | undefined;
}

/** Starts a kubelet for every node there is and every node added later; dispatches pod events by `spec.nodeName`. */
export function startKubelets(engine: Engine, api: ApiServer, profile: ClusterProfile): KubeletHandle {
  return new KubeletManager(engine, api, profile);
}

class KubeletManager implements KubeletHandle {
  private readonly kubelets = new Map<string, Kubelet>();
  preStopHook: PreStopHook | undefined;
  appStartupDelay: AppStartupDelay | undefined;

  constructor(
    readonly engine: Engine,
    readonly api: ApiServer,
    readonly profile: ClusterProfile,
  ) {
    for (const node of api.list<Node>(TYPE.node)) this.addNode(node);
    api.watch<Node>(TYPE.node, (e) => {
      if (e.type === 'ADDED') this.addNode(e.object);
    });
    api.watch<Pod>(TYPE.pod, (e) => {
      const nodeName = e.object.spec.nodeName;
      if (!nodeName) return;
      const kubelet = this.kubelets.get(nodeName);
      if (kubelet === undefined) return;
      if (e.type === 'DELETED') kubelet.onPodDeleted(e.object);
      else kubelet.onPod(e.object);
    });
  }

  setPreStopHook(hook: PreStopHook | undefined): void {
    this.preStopHook = hook;
  }

  setAppStartupDelay(fn: AppStartupDelay | undefined): void {
    this.appStartupDelay = fn;
  }

  imagesOn(nodeName: string): string[] | undefined {
    const k = this.kubelets.get(nodeName);
    return k === undefined ? undefined : [...k.images].sort();
  }

  private addNode(node: Node): void {
    const name = node.metadata.name;
    if (this.kubelets.has(name)) return;
    const hostIP = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '';
    this.kubelets.set(name, new Kubelet(this, name, this.kubelets.size, hostIP));
  }
}

class Kubelet {
  readonly images = new Set<string>();
  private readonly workers = new Map<string, PodWorker>();
  private readonly pullQueue: PullWaiter[] = [];
  private readonly inFlight = new Map<string, PullInFlight>();
  private readonly backoff = new Map<string, { backoffMs: number; lastFailAtMs: number }>();
  private readonly rng: Rng;
  private readonly engine: Engine;
  private readonly api: ApiServer;
  private readonly profile: ClusterProfile;
  private ipCounter = 0;
  private readonly onTimerFn = (w: PodWorker): void => this.onTimer(w);
  private readonly onDeadlineFn = (w: PodWorker): void => this.kill(w);
  private readonly onPullDoneFn = (p: PullInFlight): void => this.onPullDone(p);

  constructor(
    private readonly manager: KubeletManager,
    readonly nodeName: string,
    private readonly nodeIndex: number,
    private readonly hostIP: string,
  ) {
    this.engine = manager.engine;
    this.api = manager.api;
    this.profile = manager.profile;
    this.rng = this.engine.rng(`kubelet/${nodeName}`);
    for (const image of this.profile.preloadedImages) this.images.add(image);
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
        rt.probe = { initialDelayMs: (p.initialDelaySeconds ?? 0) * 1000, periodMs: (p.periodSeconds || 10) * 1000, successThreshold: p.successThreshold ?? 1 };
      return rt;
    });
    const w: PodWorker = {
      kubelet: this,
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
    if (this.images.has(c.image)) {
      this.engine.trace('kubelet', `pod/${w.name}`, `Container image "${c.image}" already present on machine`, { reason: 'Pulled', node: this.nodeName });
      this.scheduleContainerStart(w);
      return;
    }
    this.requestPull({ worker: w, index: w.nextContainer, enqueuedAtMs: this.engine.nowMs });
  }

  private scheduleContainerStart(w: PodWorker): void {
    const ms = this.jittered(this.profile.containerStartMs);
    w.containerStartMs += ms;
    w.step = 'start-container';
    w.timer = this.engine.after(ms, this.onTimerFn, w);
  }

  private requestPull(waiter: PullWaiter): void {
    const image = containerOf(waiter.worker, waiter.index).image;
    const running = this.inFlight.get(image);
    if (running !== undefined) running.waiters.push(waiter);
    else this.pullQueue.push(waiter);
    this.pumpPulls();
  }

  /** Starts queued pulls while slots are free: one at a time with serialized pulls (the kubelet default). */
  private pumpPulls(): void {
    const slots = this.profile.serializeImagePulls ? 1 : Infinity;
    while (this.inFlight.size < slots) {
      const waiter = this.pullQueue.shift();
      if (waiter === undefined) break;
      const w = waiter.worker;
      if (w.finished || w.terminating) continue;
      const image = containerOf(w, waiter.index).image;
      if (this.images.has(image)) {
        w.pullWaitMs += this.engine.nowMs - waiter.enqueuedAtMs;
        this.scheduleContainerStart(w);
        continue;
      }
      const joined = this.inFlight.get(image);
      if (joined !== undefined) {
        joined.waiters.push(waiter);
        continue;
      }
      const missing = this.profile.missingImages.includes(image);
      const durationMs = this.jittered(missing ? this.profile.pullBaseMs : imagePullMs(this.profile, image));
      const pull: PullInFlight = { kubelet: this, image, startedAtMs: this.engine.nowMs, durationMs, missing, waiters: [waiter] };
      this.inFlight.set(image, pull);
      this.engine.trace('kubelet', `pod/${w.name}`, `Pulling image "${image}"`, { reason: 'Pulling', node: this.nodeName });
      this.engine.after(durationMs, this.onPullDoneFn, pull);
    }
  }

  private onPullDone(pull: PullInFlight): void {
    this.inFlight.delete(pull.image);
    const nowMs = this.engine.nowMs;
    if (!pull.missing) this.images.add(pull.image);
    for (const waiter of pull.waiters) {
      const w = waiter.worker;
      if (w.finished || w.terminating) continue;
      const waitedMs = pull.startedAtMs - waiter.enqueuedAtMs;
      if (pull.missing) {
        this.onPullFailed(w, waiter.index);
        continue;
      }
      w.pulled = true;
      w.pullMs += nowMs - Math.max(pull.startedAtMs, waiter.enqueuedAtMs);
      w.pullWaitMs += Math.max(0, waitedMs);
      const sizeBytes = imageSizeBytes(this.profile, pull.image);
      this.engine.trace(
        'kubelet',
        `pod/${w.name}`,
        `Successfully pulled image "${pull.image}" in ${formatDuration(Math.round(pull.durationMs))} (${formatDuration(Math.round(nowMs - waiter.enqueuedAtMs))} including waiting). Image size: ${sizeBytes} bytes.`,
        { reason: 'Pulled', node: this.nodeName, pullMs: pull.durationMs },
      );
      this.scheduleContainerStart(w);
    }
    this.pumpPulls();
  }

  private onPullFailed(w: PodWorker, index: number): void {
    const c = containerOf(w, index);
    const nowMs = this.engine.nowMs;
    const prev = this.backoff.get(c.image);
    const backoffMs = prev === undefined ? IMAGE_BACKOFF_INITIAL_MS : Math.min(prev.backoffMs * 2, IMAGE_BACKOFF_MAX_MS);
    this.backoff.set(c.image, { backoffMs, lastFailAtMs: nowMs });
    c.waitingReason = 'ErrImagePull';
    c.waitingMessage = `failed to pull and unpack image "${c.image}": failed to resolve reference "${c.image}": not found`;
    this.engine.trace('kubelet', `pod/${w.name}`, `Failed to pull image "${c.image}": ${c.waitingMessage}`, { reason: 'Failed', node: this.nodeName });
    this.writeStatus(w);
    this.scheduleRetry(w);
  }

  private scheduleRetry(w: PodWorker): void {
    const retryMs = this.profile.jitter > 0 ? Math.round(POD_WORKER_RETRY_MS * (1 + 0.5 * this.rng())) : POD_WORKER_RETRY_MS;
    w.step = 'retry-pull';
    w.timer = this.engine.after(retryMs, this.onTimerFn, w);
  }

  /** A pod worker resync after a failed pull: still in back-off → ImagePullBackOff; else pull again. */
  private onRetryPull(w: PodWorker): void {
    const c = containerOf(w, w.nextContainer);
    const entry = this.backoff.get(c.image);
    const nowMs = this.engine.nowMs;
    if (entry !== undefined && nowMs - entry.lastFailAtMs < entry.backoffMs) {
      c.waitingReason = 'ImagePullBackOff';
      c.waitingMessage = `Back-off pulling image "${c.image}"`;
      this.engine.trace('kubelet', `pod/${w.name}`, c.waitingMessage, { reason: 'BackOff', node: this.nodeName });
      this.writeStatus(w);
      this.scheduleRetry(w);
      return;
    }
    this.requestPull({ worker: w, index: w.nextContainer, enqueuedAtMs: nowMs });
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
      (pod !== undefined && spec !== undefined ? this.manager.appStartupDelay?.(pod, spec) : undefined) ?? this.profile.images[c.image]?.startupMs ?? 0;
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
    const hook = this.manager.preStopHook;
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

/** Pod status from the worker's state, keeping the scheduler's PodScheduled and the conditions' transition times. */
function buildPodStatus(w: PodWorker, previous: PodStatus | undefined, hostIP: string, nowMs: number): PodStatus {
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
