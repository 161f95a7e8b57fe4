/**
 * A node's image manager: the image cache, the pull queue and the image pull back-off.
 * Pulls are serialized by default (one at a time, as the kubelet's `serializeImagePulls`);
 * a pod that asks for an image already being pulled waits for that pull. A missing image
 * fails its pull after the registry's base latency; its back-off (10 s doubling to 300 s)
 * decides when a pod worker's resync may pull again.
 *
 * Mirrors kubernetes pkg/kubelet/images/{image_manager.go EnsureImageExists, puller.go}
 * and the kubelet's image back-off (pkg/kubelet/kubelet.go backOffPeriod, MaxContainerBackOff).
 */
import { formatDuration, type Engine } from '../../engine/index.js';
import { imagePullTerms, type ClusterProfile, type ImagePullTerms } from '../profile.js';
import { containerOf, type PodWorker } from './pod-worker.js';

const IMAGE_BACKOFF_INITIAL_MS = 10_000;
const IMAGE_BACKOFF_MAX_MS = 300_000;

interface PullWaiter {
  worker: PodWorker;
  index: number;
  enqueuedAtMs: number;
}

interface PullInFlight {
  image: string;
  startedAtMs: number;
  durationMs: number;
  /** The formula's terms before jitter. */
  terms: ImagePullTerms;
  missing: boolean;
  waiters: PullWaiter[];
}

/** What the image manager tells its kubelet. */
export interface ImageEvents {
  /** The container's image is present: start the container. */
  present(w: PodWorker): void;
  /** The pull failed: the container waits (ErrImagePull), the worker resyncs later. */
  failed(w: PodWorker): void;
}

export class ImageManager {
  readonly images = new Set<string>();
  private readonly pullQueue: PullWaiter[] = [];
  private readonly inFlight = new Map<string, PullInFlight>();
  private readonly backoff = new Map<string, { backoffMs: number; lastFailAtMs: number }>();
  private readonly onPullDoneFn = (p: PullInFlight): void => this.onPullDone(p);

  constructor(
    private readonly engine: Engine,
    private readonly profile: ClusterProfile,
    private readonly nodeName: string,
    /** Scales a timing by the node's jitter. */
    private readonly jittered: (ms: number) => number,
    private readonly events: ImageEvents,
  ) {
    for (const image of profile.preloadedImages) this.images.add(image);
  }

  /** The container at the worker's cursor needs its image: start it if cached, else queue a pull. */
  ensure(w: PodWorker, image: string): void {
    if (this.images.has(image)) {
      this.engine.trace('kubelet', `pod/${w.name}`, `Container image "${image}" already present on machine`, { reason: 'Pulled', node: this.nodeName });
      this.events.present(w);
      return;
    }
    this.requestPull({ worker: w, index: w.nextContainer, enqueuedAtMs: this.engine.nowMs });
  }

  /** A pod worker's resync after a failed pull: true while the image is still in back-off (ImagePullBackOff). */
  inBackOff(image: string): boolean {
    const entry = this.backoff.get(image);
    return entry !== undefined && this.engine.nowMs - entry.lastFailAtMs < entry.backoffMs;
  }

  /** Pulls again for the container at the worker's cursor (back-off over). */
  retry(w: PodWorker): void {
    this.requestPull({ worker: w, index: w.nextContainer, enqueuedAtMs: this.engine.nowMs });
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
        this.events.present(w);
        continue;
      }
      const joined = this.inFlight.get(image);
      if (joined !== undefined) {
        joined.waiters.push(waiter);
        continue;
      }
      const missing = this.profile.missingImages.includes(image);
      const terms = imagePullTerms(this.profile, image);
      const durationMs = this.jittered(missing ? this.profile.pullBaseMs : terms.totalMs);
      const pull: PullInFlight = { image, startedAtMs: this.engine.nowMs, durationMs, terms, missing, waiters: [waiter] };
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
      const t = pull.terms;
      this.engine.trace(
        'kubelet',
        `pod/${w.name}`,
        `Successfully pulled image "${pull.image}" in ${formatDuration(Math.round(pull.durationMs))} (${formatDuration(Math.round(nowMs - waiter.enqueuedAtMs))} including waiting). Image size: ${t.sizeBytes} bytes.`,
        {
          reason: 'Pulled',
          node: this.nodeName,
          image: pull.image,
          pullMs: pull.durationMs,
          waitedMs: Math.max(0, waitedMs),
          sizeBytes: t.sizeBytes,
          ...(t.fixedMs === undefined
            ? {
                baseMs: t.baseMs,
                transferMs: t.transferMs,
                unpackMs: t.unpackMs,
                bandwidthBytesPerSecond: this.profile.registryBandwidthBytesPerSecond,
                unpackBytesPerSecond: this.profile.unpackBytesPerSecond,
              }
            : { fixedMs: t.fixedMs }),
          jitterFactor: t.totalMs === 0 ? 1 : pull.durationMs / t.totalMs,
        },
      );
      this.events.present(w);
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
    this.events.failed(w);
  }
}
